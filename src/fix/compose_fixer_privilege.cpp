// Privileges: privileged mode, capabilities (drop ALL, keep what the
// service needs, remove dangerous additions) and security_opt (add
// no-new-privileges, remove the options that switch confinement off).
#include <algorithm>
#include <cctype>

#include "fix/compose_fixer_internal.hpp"

namespace bulwark::fix::compose_fix {
namespace {

std::string CapabilityName(std::string_view text) {
  std::string name(text);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (name.rfind("CAP_", 0) == 0) name.erase(0, 4);
  return name;
}

void FixPrivileged(ServiceFix& fix) {
  if (!fix.Wants(kPrivileged)) return;
  if (fix.RemoveKey("privileged", kPrivileged, YamlValue::Literal("false"))) {
    fix.Fixed(kPrivileged);
    fix.Note(kPrivileged,
             "no longer privileged; if it needs a device or a capability, add only that one");
  }
}

void FixDangerousCapabilities(ServiceFix& fix) {
  if (!fix.Wants(kDangerousCapability)) return;
  std::vector<std::string> removed;
  for (parse::YamlMark mark : fix.Marks(kDangerousCapability)) {
    auto index = fix.ItemIndex("cap_add", mark);
    if (!index) continue;
    fix.List("cap_add").Remove(*index, kDangerousCapability);
    removed.push_back(CapabilityName(fix.ListItems("cap_add")[*index]));
  }
  if (removed.empty()) return;
  fix.Fixed(kDangerousCapability);
  std::string names;
  for (const auto& name : removed) names += (names.empty() ? "" : ", ") + name;
  fix.Note(kDangerousCapability, "removed cap_add " + names +
                                     "; if the service cannot work without one, add it back "
                                     "and accept the finding");
}

// The capabilities a service needs back once ALL are dropped: those its
// image's entrypoint uses, and NET_BIND_SERVICE for a port below 1024.
std::vector<std::string> NeededCapabilities(const ServiceFix& fix) {
  std::vector<std::string> needed = fix.profile().cap_add;
  for (const auto& port : fix.service().ports) {
    if (port.target_first > 0 && port.target_first < 1024 &&
        std::find(needed.begin(), needed.end(), "NET_BIND_SERVICE") == needed.end()) {
      needed.push_back("NET_BIND_SERVICE");
    }
  }
  return needed;
}

void FixCapabilityDrop(ServiceFix& fix) {
  if (!fix.Wants(kCapabilitiesNotDropped)) return;
  fix.List("cap_drop").Append("ALL", kCapabilitiesNotDropped);
  std::vector<std::string> present;
  for (const auto& item : fix.ListItems("cap_add")) present.push_back(CapabilityName(item));
  std::string added;
  for (const std::string& cap : NeededCapabilities(fix)) {
    if (std::find(present.begin(), present.end(), cap) != present.end()) continue;
    fix.List("cap_add").Append(cap, kCapabilitiesNotDropped);
    added += (added.empty() ? "" : ", ") + cap;
  }
  fix.Fixed(kCapabilitiesNotDropped);
  if (!added.empty()) {
    const std::string& more = fix.profile().cap_note;
    fix.Note(kCapabilitiesNotDropped,
             "drops ALL capabilities and keeps " + added + " (" +
                 (fix.profile().known ? fix.profile().what + " needs them" : "for its ports") +
                 ")" + (more.empty() ? "" : "; " + more));
  } else if (!fix.profile().known) {
    fix.Note(kCapabilitiesNotDropped,
             "drops ALL capabilities; if it fails to start, add back only the ones " +
                 fix.profile().what + " needs (cap_add)");
  }
}

void FixNoNewPrivileges(ServiceFix& fix) {
  if (!fix.Wants(kNoNewPrivileges)) return;
  bool done = false;
  for (parse::YamlMark mark : fix.Marks(kNoNewPrivileges)) {
    if (mark == fix.service().mark) {  // not set at all
      fix.List("security_opt").Append("no-new-privileges:true", kNoNewPrivileges);
      done = true;
      continue;
    }
    // `no-new-privileges:false`: replace the item.
    auto index = fix.ItemIndex("security_opt", mark);
    if (!index) continue;
    fix.List("security_opt").Remove(*index, kNoNewPrivileges);
    fix.List("security_opt").Append("no-new-privileges:true", kNoNewPrivileges);
    done = true;
  }
  if (done) fix.Fixed(kNoNewPrivileges);
}

// seccomp/apparmor/systempaths=unconfined and label=disable: the item goes.
void FixUnconfinedOptions(ServiceFix& fix) {
  for (std::string_view id :
       {kSeccompUnconfined, kAppArmorUnconfined, kSeLinuxDisabled, kSystemPathsUnconfined}) {
    if (!fix.Wants(id)) continue;
    bool done = false;
    for (parse::YamlMark mark : fix.Marks(id)) {
      auto index = fix.ItemIndex("security_opt", mark);
      if (!index) continue;
      fix.List("security_opt").Remove(*index, id);
      done = true;
    }
    if (done) fix.Fixed(id);
  }
}

}  // namespace

void FixPrivileges(ServiceFix& fix) {
  FixPrivileged(fix);
  FixDangerousCapabilities(fix);
  FixCapabilityDrop(fix);
  FixNoNewPrivileges(fix);
  FixUnconfinedOptions(fix);
}

}  // namespace bulwark::fix::compose_fix
