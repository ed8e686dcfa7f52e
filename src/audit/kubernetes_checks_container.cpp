// PodChecker: the Pod Security Standards controls that apply per container.
// A field a container may inherit from the pod's securityContext is judged
// on its effective value, once per container, at the field that decided it.
#include <algorithm>
#include <array>
#include <cctype>

#include "audit/kubernetes_checks_internal.hpp"

namespace bulwark::audit::k8s {
namespace {

using parse::k8s::Field;
using parse::k8s::Pos;

// PSS baseline: capabilities a container may add.
constexpr std::array<std::string_view, 13> kBaselineCapabilities = {
    "AUDIT_WRITE",      "CHOWN",   "DAC_OVERRIDE", "FOWNER",  "FSETID", "KILL",      "MKNOD",
    "NET_BIND_SERVICE", "SETFCAP", "SETGID",       "SETPCAP", "SETUID", "SYS_CHROOT"};

// Capabilities that hand out control of the node or of its network.
constexpr std::array<std::string_view, 16> kDangerousCapabilities = {
    "ALL",       "SYS_ADMIN",    "SYS_MODULE", "SYS_PTRACE",      "SYS_RAWIO", "SYS_BOOT",
    "SYS_TIME",  "NET_ADMIN",    "NET_RAW",    "DAC_READ_SEARCH", "BPF",       "PERFMON",
    "MAC_ADMIN", "MAC_OVERRIDE", "SYSLOG",     "SYS_RESOURCE"};
// Of those, the ones that amount to the whole host by themselves.
constexpr std::array<std::string_view, 3> kCriticalCapabilities = {"ALL", "SYS_ADMIN",
                                                                   "SYS_MODULE"};

// PSS baseline: SELinux types a container may run as.
constexpr std::array<std::string_view, 5> kAllowedSeLinuxTypes = {
    "", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"};

constexpr std::string_view kAppArmorAnnotation = "container.apparmor.security.beta.kubernetes.io/";

template <size_t N>
bool Contains(const std::array<std::string_view, N>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

template <typename T>
const Field<T>& Effective(const Field<T>& container, const Field<T>& pod) {
  return container.present() ? container : pod;
}

// " (from the pod's securityContext)" when the value was inherited.
template <typename T>
std::string Origin(const Field<T>& container) {
  return container.present() ? "" : " (from the pod's securityContext)";
}

}  // namespace

std::string NormalizeCapability(std::string_view name) {
  std::string out(name);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (out.starts_with("CAP_")) out.erase(0, 4);
  return out;
}

void PodChecker::CheckContainer(const Container& c) {
  // PSS exempts Windows pods from the Linux-only controls (and Windows has
  // no read-only root file system).
  const bool is_linux = !spec_.os_name.Is("windows");
  CheckPrivileged(c);
  CheckHostProcess(c);
  if (is_linux) {
    CheckCapabilities(c);
    CheckCapabilityDrop(c);
  }
  CheckHostPorts(c);
  CheckAppArmor(c);
  CheckSeLinux(c);
  if (is_linux) CheckSeccomp(c);
  CheckProcMount(c);
  if (is_linux) CheckPrivilegeEscalation(c);
  CheckRunAsNonRoot(c);
  CheckRunAsUserAndGroup(c);
  if (is_linux) CheckReadOnlyRootFs(c);  // not supported on Windows
  CheckResources(c);
  CheckImage(c);
  CheckEnv(c);
}

void PodChecker::CheckPrivileged(const Container& c) {
  const auto& privileged = c.security_context.privileged;
  if (privileged.Is(true))
    Report(kPrivileged, privileged.key, Subject(c) + " sets privileged: true");
}

void PodChecker::CheckHostProcess(const Container& c) {
  const auto& own = c.security_context.host_process;
  const auto& field = Effective(own, PodContext().host_process);
  if (field.Is(true)) {
    Report(kHostProcess, field.key,
           Subject(c) + " is a Windows HostProcess container" + Origin(own));
  }
}

void PodChecker::CheckCapabilities(const Container& c) {
  for (const parse::k8s::StringField& cap : c.security_context.capabilities.add) {
    if (!cap.value) continue;
    const std::string name = NormalizeCapability(*cap.value);
    const std::string message = Subject(c) + " adds capability " + *cap.value;
    if (Contains(kDangerousCapabilities, name)) {
      Report(
          kDangerousCapability,
          Contains(kCriticalCapabilities, name) ? core::Severity::kCritical : core::Severity::kHigh,
          cap.at, message);
    } else if (!Contains(kBaselineCapabilities, name)) {
      Report(kCapabilityBeyondBaseline, cap.at, message);
    } else if (name != "NET_BIND_SERVICE") {
      Report(kCapabilityBeyondRestricted, cap.at, message);
    }
  }
}

void PodChecker::CheckCapabilityDrop(const Container& c) {
  const parse::k8s::Capabilities& caps = c.security_context.capabilities;
  std::string dropped;
  for (const parse::k8s::StringField& cap : caps.drop) {
    if (!cap.value) continue;
    if (*cap.value == "ALL") return;  // PSS admission accepts exactly this spelling
    dropped += (dropped.empty() ? "" : ", ") + *cap.value;
  }
  if (caps.drop_key.known()) {
    Report(kCapabilitiesNotDropped, caps.drop_key,
           Subject(c) + " drops only " + (dropped.empty() ? "nothing" : dropped) +
               ", not ALL capabilities");
  } else {
    Report(kCapabilitiesNotDropped, NamePos(c), Subject(c) + " does not drop ALL capabilities");
  }
}

void PodChecker::CheckHostPorts(const Container& c) {
  for (const parse::k8s::ContainerPort& port : c.ports) {
    if (!port.host_port.value || *port.host_port.value == 0) continue;
    Report(kHostPort, port.host_port.key,
           Subject(c) + " publishes hostPort " + std::to_string(*port.host_port.value));
  }
}

void PodChecker::CheckAppArmor(const Container& c) {
  // Precedence as in the kubelet: container field, legacy annotation, pod field.
  const auto& own = c.security_context.app_armor.type;
  if (own.present()) {
    if (own.Is("Unconfined")) {
      Report(kAppArmorUnconfined, own.key, Subject(c) + " sets appArmorProfile type Unconfined");
    }
    return;
  }
  const std::string annotation = std::string(kAppArmorAnnotation) + c.name.value.value_or("");
  for (const parse::k8s::KeyValue& kv : object_.pod->metadata.annotations) {
    if (kv.key != annotation) continue;
    if (kv.value == "unconfined") {
      Report(kAppArmorUnconfined, kv.key_pos,
             Subject(c) + " is annotated AppArmor 'unconfined' (" + kv.key + ")");
    }
    return;
  }
  const auto& pod = PodContext().app_armor.type;
  if (pod.Is("Unconfined")) {
    Report(kAppArmorUnconfined, pod.key,
           Subject(c) + " runs with appArmorProfile type Unconfined" + Origin(own));
  }
}

void PodChecker::CheckSeLinux(const Container& c) {
  const bool own = c.security_context.se_linux.key.known();
  const parse::k8s::SeLinuxOptions& options =
      own ? c.security_context.se_linux : PodContext().se_linux;
  std::string bad;
  Pos first;
  auto note = [&](const parse::k8s::StringField& field, std::string_view label) {
    bad += (bad.empty() ? "" : ", ") + std::string(label) + " " + *field.value;
    if (!first.known()) first = field.key;
  };
  if (options.type.value && !Contains(kAllowedSeLinuxTypes, *options.type.value)) {
    note(options.type, "type");
  }
  if (options.user.value && !options.user.value->empty()) note(options.user, "user");
  if (options.role.value && !options.role.value->empty()) note(options.role, "role");
  if (bad.empty()) return;
  Report(kSeLinuxCustom, first,
         Subject(c) + " sets seLinuxOptions " + bad +
             (own ? "" : " (from the pod's securityContext)"));
}

void PodChecker::CheckSeccomp(const Container& c) {
  const auto& own = c.security_context.seccomp.type;
  const auto& type = Effective(own, PodContext().seccomp.type);
  if (type.Is("Unconfined")) {
    Report(kSeccompUnconfined, type.key,
           Subject(c) + " sets seccompProfile type Unconfined" + Origin(own));
  } else if (!type.present()) {
    Report(kSeccompNotSet, NamePos(c),
           Subject(c) + " has no seccompProfile (neither the container nor the pod sets one)");
  }
}

void PodChecker::CheckProcMount(const Container& c) {
  const auto& mount = c.security_context.proc_mount;
  if (mount.value && *mount.value != "Default") {
    Report(kProcMount, mount.key, Subject(c) + " sets procMount: " + *mount.value);
  }
}

void PodChecker::CheckPrivilegeEscalation(const Container& c) {
  const auto& field = c.security_context.allow_privilege_escalation;
  if (field.Is(true)) {
    Report(kPrivilegeEscalation, core::Severity::kHigh, field.key,
           Subject(c) + " sets allowPrivilegeEscalation: true");
  } else if (!field.present()) {
    Report(kPrivilegeEscalation, NamePos(c),
           Subject(c) + " does not set allowPrivilegeEscalation: false");
  }
}

void PodChecker::CheckRunAsNonRoot(const Container& c) {
  const auto& own = c.security_context.run_as_non_root;
  const auto& field = Effective(own, PodContext().run_as_non_root);
  if (field.Is(false)) {
    Report(kRunAsNonRoot, field.key, Subject(c) + " sets runAsNonRoot: false" + Origin(own));
  } else if (!field.present()) {
    Report(kRunAsNonRoot, NamePos(c),
           Subject(c) + " does not set runAsNonRoot: true (neither the container nor the pod)");
  }
}

void PodChecker::CheckRunAsUserAndGroup(const Container& c) {
  const auto& own_user = c.security_context.run_as_user;
  const auto& user = Effective(own_user, PodContext().run_as_user);
  if (user.Is(0))
    Report(kRunAsRootUser, user.key, Subject(c) + " sets runAsUser: 0" + Origin(own_user));
  const auto& own_group = c.security_context.run_as_group;
  const auto& group = Effective(own_group, PodContext().run_as_group);
  if (group.Is(0)) {
    Report(kRootGroup, group.key, Subject(c) + " sets runAsGroup: 0" + Origin(own_group));
  }
}

void PodChecker::CheckReadOnlyRootFs(const Container& c) {
  const auto& field = c.security_context.read_only_root_filesystem;
  if (field.Is(false)) {
    Report(kReadOnlyRootFs, field.key, Subject(c) + " sets readOnlyRootFilesystem: false");
  } else if (!field.present()) {
    Report(kReadOnlyRootFs, NamePos(c), Subject(c) + " does not set readOnlyRootFilesystem: true");
  }
}

}  // namespace bulwark::audit::k8s
