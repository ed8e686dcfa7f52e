// Privilege rules: privileged, capabilities, security_opt, user, and the
// host namespaces / cgroup / sysctls a service can opt into.
#include <algorithm>
#include <map>
#include <set>

#include "audit/compose_rules.hpp"

namespace bulwark::audit::compose {
namespace {

using core::Severity;
using parse::ComposeValue;

bool IsTrue(const std::optional<ComposeValue>& value) {
  return EffectiveBool(value).value_or(false);
}

// Capabilities worth naming, by how much they give away.
const std::map<std::string, Severity, std::less<>>& DangerousCapabilities() {
  static const std::map<std::string, Severity, std::less<>> kCaps = {
      {"ALL", Severity::kCritical},
      {"SYS_ADMIN", Severity::kCritical},
      {"SYS_MODULE", Severity::kCritical},
      {"SYS_PTRACE", Severity::kHigh},
      {"SYS_RAWIO", Severity::kHigh},
      {"DAC_READ_SEARCH", Severity::kHigh},
      {"NET_ADMIN", Severity::kHigh},
      {"BPF", Severity::kHigh},
      {"PERFMON", Severity::kHigh},
      {"MAC_ADMIN", Severity::kHigh},
      {"MAC_OVERRIDE", Severity::kHigh},
      {"SYS_BOOT", Severity::kHigh},
      {"DAC_OVERRIDE", Severity::kMedium},
      {"NET_RAW", Severity::kMedium},
      {"SYS_TIME", Severity::kMedium},
      {"SYS_RESOURCE", Severity::kMedium},
      {"LINUX_IMMUTABLE", Severity::kMedium},
      {"SYSLOG", Severity::kMedium},
      {"AUDIT_CONTROL", Severity::kMedium},
      {"SETFCAP", Severity::kMedium},
      {"CHECKPOINT_RESTORE", Severity::kMedium},
  };
  return kCaps;
}

std::string CapabilityName(std::string_view text) {
  std::string name = Upper(text);
  if (name.rfind("CAP_", 0) == 0) name.erase(0, 4);
  return name;
}

void CheckCapabilities(const ServiceContext& ctx) {
  const auto& s = ctx.service();
  if (s.cap_add) {
    for (const auto& item : s.cap_add->items) {
      const std::string name = CapabilityName(item.text);
      auto found = DangerousCapabilities().find(name);
      if (found == DangerousCapabilities().end()) continue;
      ctx.Report(kDangerousCapability, found->second, item.mark,
                 ctx.Subject() + " adds capability " + name +
                     (name == "ALL" ? " (every capability: as good as privileged)" : ""));
    }
  }
  bool drops_all = false;
  if (s.cap_drop) {
    for (const auto& item : s.cap_drop->items) drops_all |= CapabilityName(item.text) == "ALL";
  }
  if (drops_all) return;
  if (s.cap_drop) {
    ctx.Report(kCapabilitiesNotDropped, s.cap_drop->key,
               ctx.Subject() + " drops some capabilities but not ALL");
  } else {
    ctx.Report(kCapabilitiesNotDropped, s.mark,
               ctx.Subject() + " keeps Docker's default capabilities (no cap_drop: [ALL])");
  }
}

struct SecurityOption {
  std::string name;   // lower case: "seccomp", "no-new-privileges", ...
  std::string value;  // lower case; "" when absent
  const ComposeValue* item;
};

std::vector<SecurityOption> SecurityOptions(const parse::ComposeService& s) {
  std::vector<SecurityOption> out;
  if (!s.security_opt) return out;
  for (const auto& item : s.security_opt->items) {
    auto text = Effective(item.text);
    if (!text) continue;
    const size_t split = text->find_first_of(":=");
    SecurityOption option{Lower(text->substr(0, split)), "", &item};
    if (split != std::string::npos) option.value = Lower(text->substr(split + 1));
    out.push_back(std::move(option));
  }
  return out;
}

void CheckSecurityOptions(const ServiceContext& ctx) {
  bool no_new_privileges_set = false;
  for (const auto& option : SecurityOptions(ctx.service())) {
    const std::string written = parse::Printable(option.item->text);
    if (option.name == "no-new-privileges") {
      no_new_privileges_set = true;
      if (!option.value.empty() && option.value != "true") {
        ctx.Report(kNoNewPrivileges, option.item->mark, ctx.Subject() + " sets " + written);
      }
    } else if (option.name == "seccomp" && option.value == "unconfined") {
      ctx.Report(kSeccompUnconfined, option.item->mark,
                 ctx.Subject() + " runs without a seccomp filter (" + written + ")");
    } else if (option.name == "apparmor" && option.value == "unconfined") {
      ctx.Report(kAppArmorUnconfined, option.item->mark,
                 ctx.Subject() + " runs without AppArmor (" + written + ")");
    } else if (option.name == "label" && option.value == "disable") {
      ctx.Report(kSeLinuxDisabled, option.item->mark,
                 ctx.Subject() + " disables SELinux labelling (" + written + ")");
    } else if (option.name == "systempaths" && option.value == "unconfined") {
      ctx.Report(kSystemPathsUnconfined, option.item->mark,
                 ctx.Subject() + " unmasks /proc and /sys paths (" + written + ")");
    }
  }
  if (!no_new_privileges_set) {
    ctx.Report(kNoNewPrivileges, ctx.service().mark,
               ctx.Subject() +
                   " does not set security_opt no-new-privileges:true "
                   "(unless the daemon enables it for all containers)");
  }
}

bool IsRootUser(std::string_view user) {
  const std::string name(user.substr(0, user.find(':')));
  return name == "root" || name == "0";
}

void CheckUser(const ServiceContext& ctx) {
  const auto& s = ctx.service();
  if (!s.user) {
    ctx.Report(kRootUser, Severity::kLow, s.mark,
               ctx.Subject() +
                   " sets no user: it runs as the image's USER, which is root unless "
                   "the image sets another");
    return;
  }
  auto user = Effective(s.user->text);
  if (user && IsRootUser(*user)) {
    ctx.Report(kRootUser, s.user->mark,
               ctx.Subject() + " runs as root (user: " + parse::Printable(s.user->text) + ")");
  }
}

bool IsHost(const std::optional<ComposeValue>& value) {
  if (!value) return false;
  auto text = Effective(value->text);
  return text && Lower(*text) == "host";
}

// Sysctls Kubernetes deems safe: namespaced and without effect on the host.
bool IsSafeSysctl(std::string_view name) {
  static const std::set<std::string, std::less<>> kSafe = {"kernel.shm_rmid_forced",
                                                           "net.ipv4.ip_local_port_range",
                                                           "net.ipv4.ip_unprivileged_port_start",
                                                           "net.ipv4.tcp_syncookies",
                                                           "net.ipv4.ping_group_range",
                                                           "net.ipv4.ip_local_reserved_ports",
                                                           "net.ipv4.tcp_keepalive_time",
                                                           "net.ipv4.tcp_fin_timeout",
                                                           "net.ipv4.tcp_keepalive_intvl",
                                                           "net.ipv4.tcp_keepalive_probes"};
  return kSafe.count(name) != 0;
}

// Sysctls that turn the container into a router or weaken network defences.
bool IsRiskySysctl(std::string_view name) {
  for (std::string_view word : {"ip_forward", "forwarding", "route_localnet", "accept_source_route",
                                "accept_redirects", "rp_filter", "kernel."}) {
    if (name.find(word) != std::string_view::npos) return true;
  }
  return false;
}

void CheckSysctls(const ServiceContext& ctx) {
  if (!ctx.service().sysctls) return;
  for (const auto& entry : ctx.service().sysctls->entries) {
    // Both spellings are accepted by the engine: net/ipv4/ip_forward.
    std::string name = Lower(entry.name);
    std::replace(name.begin(), name.end(), '/', '.');
    if (IsSafeSysctl(name)) continue;
    ctx.Report(kUnsafeSysctl, IsRiskySysctl(name) ? Severity::kMedium : Severity::kLow, entry.mark,
               ctx.Subject() + " sets sysctl " + parse::Printable(entry.name) +
                   (entry.value ? "=" + parse::Printable(*entry.value) : "") +
                   ", outside the safe set");
  }
}

}  // namespace

void CheckPrivileges(const ServiceContext& ctx) {
  const auto& s = ctx.service();
  if (IsTrue(s.privileged)) {
    ctx.Report(kPrivileged, s.privileged->key,
               ctx.Subject() +
                   " runs privileged (privileged: " + parse::Printable(s.privileged->text) + ")");
  }
  CheckCapabilities(ctx);
  CheckSecurityOptions(ctx);
  CheckUser(ctx);
  if (!s.read_only) {
    ctx.Report(kWritableRootFs, s.mark,
               ctx.Subject() + " has a writable root filesystem (no read_only: true)");
  } else if (!EffectiveBool(s.read_only).value_or(true)) {
    ctx.Report(kWritableRootFs, s.read_only->key,
               ctx.Subject() + " has a writable root filesystem (read_only: " +
                   parse::Printable(s.read_only->text) + ")");
  }
}

void CheckNamespaces(const ServiceContext& ctx) {
  const auto& s = ctx.service();
  if (IsHost(s.network_mode)) {
    ctx.Report(kHostNetwork, s.network_mode->key,
               ctx.Subject() + " uses the host network namespace (network_mode: host)");
  }
  if (IsHost(s.pid)) {
    ctx.Report(kHostPid, s.pid->key, ctx.Subject() + " shares the host PID namespace (pid: host)");
  }
  if (IsHost(s.ipc)) {
    ctx.Report(kHostIpc, s.ipc->key, ctx.Subject() + " shares the host IPC namespace (ipc: host)");
  }
  if (IsHost(s.uts)) {
    ctx.Report(kHostUts, s.uts->key, ctx.Subject() + " shares the host UTS namespace (uts: host)");
  }
  if (IsHost(s.userns_mode)) {
    ctx.Report(kHostUserns, s.userns_mode->key,
               ctx.Subject() + " runs in the host user namespace (userns_mode: host)");
  }
  if (s.cgroup_parent && !s.cgroup_parent->text.empty()) {
    ctx.Report(kCgroupParent, s.cgroup_parent->key,
               ctx.Subject() + " sets cgroup_parent: " + parse::Printable(s.cgroup_parent->text));
  }
  if (IsHost(s.cgroup)) {
    ctx.Report(kCgroupParent, s.cgroup->key,
               ctx.Subject() + " uses the host cgroup namespace (cgroup: host)");
  }
  CheckSysctls(ctx);
}

}  // namespace bulwark::audit::compose
