#include "runtime/sensor/privileges.hpp"

#include <errno.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include <algorithm>
#include <cstring>

namespace bulwark::runtime::sensor {
namespace {

std::string CapName(cap_value_t cap) {
  char* name = cap_to_name(cap);
  std::string out = name ? name : std::to_string(cap);
  cap_free(name);
  return out;
}

bool Has(cap_t caps, cap_value_t cap, cap_flag_t flag) {
  cap_flag_value_t v = CAP_CLEAR;
  return cap_get_flag(caps, cap, flag, &v) == 0 && v == CAP_SET;
}

struct CapHandle {
  cap_t caps;
  ~CapHandle() {
    if (caps) cap_free(caps);
  }
};

}  // namespace

std::vector<std::string> SensorCapabilities() {
  return {"cap_bpf", "cap_perfmon", "cap_sys_resource", "cap_sys_ptrace", "cap_dac_read_search"};
}

std::vector<std::string> EffectiveCapabilities() {
  std::vector<std::string> out;
  CapHandle current{cap_get_proc()};
  if (!current.caps) return out;
  for (cap_value_t c = 0; c <= CAP_LAST_CAP; ++c) {
    if (Has(current.caps, c, CAP_EFFECTIVE)) out.push_back(CapName(c));
  }
  return out;
}

core::Result<std::vector<std::string>> DropPrivileges(const std::vector<std::string>& keep) {
  CapHandle current{cap_get_proc()};
  if (!current.caps) return core::Error(core::ErrorCode::kIoError, "cannot read capabilities");
  std::vector<cap_value_t> kept_values;
  std::vector<std::string> kept;
  for (const std::string& name : keep) {
    cap_value_t v = 0;
    if (cap_from_name(name.c_str(), &v) != 0) {
      return core::Error(core::ErrorCode::kInvalidArgument, "unknown capability " + name);
    }
    if (Has(current.caps, v, CAP_PERMITTED)) {
      kept_values.push_back(v);
      kept.push_back(CapName(v));
    }
  }
  // The bounding set first: dropping from it needs CAP_SETPCAP, which goes next.
  const bool can_setpcap = Has(current.caps, CAP_SETPCAP, CAP_EFFECTIVE);
  for (cap_value_t c = 0; can_setpcap && c <= CAP_LAST_CAP; ++c) {
    if (std::find(kept_values.begin(), kept_values.end(), c) != kept_values.end()) continue;
    if (cap_drop_bound(c) != 0 && errno != EINVAL) {
      return core::Error(core::ErrorCode::kPermissionDenied,
                         "cannot drop " + CapName(c) + " from the bounding set: " + std::strerror(errno));
    }
  }
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  CapHandle next{cap_init()};
  if (!next.caps) return core::Error(core::ErrorCode::kIoError, "cannot allocate a capability set");
  if (!kept_values.empty()) {
    int n = static_cast<int>(kept_values.size());
    cap_set_flag(next.caps, CAP_EFFECTIVE, n, kept_values.data(), CAP_SET);
    cap_set_flag(next.caps, CAP_PERMITTED, n, kept_values.data(), CAP_SET);
  }
  if (cap_set_proc(next.caps) != 0) {
    return core::Error(core::ErrorCode::kPermissionDenied,
                       std::string("cannot set the reduced capability set: ") + std::strerror(errno));
  }
  return kept;
}

}  // namespace bulwark::runtime::sensor
