// Container privileges (privileged, HostProcess, capabilities, privilege
// escalation) and confinement (seccomp, AppArmor, procMount). A field the
// container inherits from the pod's securityContext is fixed where the audit
// says it was decided: in the pod when the container does not set it.
#include <algorithm>
#include <cctype>

#include "fix/kubernetes_fixer_internal.hpp"

namespace bulwark::fix::k8s_fix {
namespace {

using parse::k8s::Field;

constexpr std::string_view kAppArmorAnnotation = "container.apparmor.security.beta.kubernetes.io/";

const std::vector<std::string> kAddPath = {"securityContext", "capabilities", "add"};

std::string Upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

std::string CapabilityName(std::string_view text) {
  std::string name = Upper(text);
  if (name.starts_with("CAP_")) name.erase(0, 4);
  return name;
}

// Sets `path` where the audit found the value: in the container when it
// writes the field itself, else in the pod.
template <typename T>
bool SetWhereDecided(ContainerFix& fix, const Field<T>& own, std::vector<std::string> path,
                     YamlValue value, std::string_view id) {
  if (own.present()) return fix.Set(std::move(path), std::move(value), id);
  return fix.pod().Set(std::move(path), std::move(value), id);
}

void FixHostProcess(ContainerFix& fix) {
  const auto& own = fix.context().host_process;
  const auto& field = own.present() ? own : fix.pod_context().host_process;
  if (!field.Is(true) || !fix.WantsAt(kHostProcess, field.key)) return;
  if (!SetWhereDecided(fix, own, {"securityContext", "windowsOptions", "hostProcess"},
                       YamlValue::Literal("false"), kHostProcess)) {
    return;
  }
  fix.Explain(kHostProcess,
              "hostProcess is now false: it runs as a normal Windows container, without the node's "
              "privileges");
}

void FixPrivileged(ContainerFix& fix) {
  const auto& privileged = fix.context().privileged;
  if (!privileged.Is(true) || !fix.WantsAt(kPrivileged, privileged.key)) return;
  if (!fix.Set({"securityContext", "privileged"}, YamlValue::Literal("false"), kPrivileged)) return;
  fix.Explain(kPrivileged,
              "no longer privileged; if it needs a device or a capability, grant only that one");
}

void FixAddedCapabilities(ContainerFix& fix) {
  std::string removed;
  std::string_view first_id;
  for (const parse::k8s::StringField& cap : fix.context().capabilities.add) {
    for (std::string_view id :
         {kCapabilityBeyondBaseline, kDangerousCapability, kCapabilityBeyondRestricted}) {
      if (!cap.value || !fix.WantsAt(id, cap.at)) continue;
      if (fix.RemoveItem(kAddPath, cap.at, id)) {
        removed += (removed.empty() ? "" : ", ") + CapabilityName(*cap.value);
        if (first_id.empty()) first_id = id;
      }
    }
  }
  if (removed.empty()) return;
  fix.Explain(first_id, "removed capabilities.add " + removed +
                            "; if it cannot work without one, add it back and accept "
                            "the finding");
}

bool ListensBelow1024(const parse::k8s::Container& container) {
  return std::any_of(container.ports.begin(), container.ports.end(), [](const auto& port) {
    return port.container_port.value && *port.container_port.value > 0 &&
           *port.container_port.value < 1024;
  });
}

void FixCapabilityDrop(ContainerFix& fix) {
  if (!fix.Wants(kCapabilitiesNotDropped)) return;
  const std::vector<std::string> drop_path = {"securityContext", "capabilities", "drop"};
  if (!fix.Append(drop_path, YamlValue::String("ALL"), kCapabilitiesNotDropped)) return;
  // A root process binding port 80 needs NET_BIND_SERVICE once ALL is
  // dropped; PSS restricted allows adding back exactly that one.
  const auto& add = fix.context().capabilities.add;
  const bool has_bind = std::any_of(add.begin(), add.end(), [](const auto& cap) {
    return cap.value && CapabilityName(*cap.value) == "NET_BIND_SERVICE";
  });
  if (ListensBelow1024(fix.model()) && !has_bind &&
      fix.Append(kAddPath, YamlValue::String("NET_BIND_SERVICE"), kCapabilitiesNotDropped)) {
    fix.Explain(kCapabilitiesNotDropped,
                "drops ALL capabilities and keeps NET_BIND_SERVICE for its port below 1024");
  }
}

// Kubernetes rejects allowPrivilegeEscalation: false beside privileged: true
// or an added CAP_SYS_ADMIN, so it is set only when neither stays.
void FixPrivilegeEscalation(ContainerFix& fix) {
  if (!fix.Wants(kPrivilegeEscalation)) return;
  const auto& context = fix.context();
  const bool stays_privileged =
      context.privileged.Is(true) && !fix.WantsAt(kPrivileged, context.privileged.key);
  const bool keeps_sys_admin = std::any_of(
      context.capabilities.add.begin(), context.capabilities.add.end(), [&](const auto& cap) {
        return cap.Is("CAP_SYS_ADMIN") && !fix.WantsAt(kDangerousCapability, cap.at);
      });
  if (stays_privileged || keeps_sys_admin) {
    fix.Note(kPrivilegeEscalation,
             std::string("not fixed: Kubernetes refuses allowPrivilegeEscalation: false while the "
                         "container ") +
                 (stays_privileged ? "is privileged" : "adds CAP_SYS_ADMIN") + "; fix that first");
    return;
  }
  fix.Set({"securityContext", "allowPrivilegeEscalation"}, YamlValue::Literal("false"),
          kPrivilegeEscalation);
}

void FixAppArmor(ContainerFix& fix) {
  if (!fix.Wants(kAppArmorUnconfined)) return;
  const YamlValue runtime_default = YamlValue::String("RuntimeDefault");
  const auto& own = fix.context().app_armor.type;
  if (own.Is("Unconfined") && fix.WantsAt(kAppArmorUnconfined, own.key)) {
    fix.Set({"securityContext", "appArmorProfile", "type"}, runtime_default, kAppArmorUnconfined);
  }
  const std::string annotation =
      std::string(kAppArmorAnnotation) + fix.model().name.value.value_or("");
  for (const parse::k8s::KeyValue& kv : fix.pod().object().pod->metadata.annotations) {
    if (kv.key == annotation && fix.WantsAt(kAppArmorUnconfined, kv.key_pos)) {
      fix.pod().SetAnnotation(kv.key, "runtime/default", kAppArmorUnconfined);
    }
  }
  const auto& pod = fix.pod_context().app_armor.type;
  if (!own.present() && pod.Is("Unconfined") && fix.WantsAt(kAppArmorUnconfined, pod.key)) {
    fix.pod().Set({"securityContext", "appArmorProfile", "type"}, runtime_default,
                  kAppArmorUnconfined);
  }
}

void FixProcMount(ContainerFix& fix) {
  const auto& mount = fix.context().proc_mount;
  if (!mount.value || !fix.WantsAt(kProcMount, mount.key)) return;
  fix.Set({"securityContext", "procMount"}, YamlValue::String("Default"), kProcMount);
}

void FixSeccomp(ContainerFix& fix) {
  const std::vector<std::string> path = {"securityContext", "seccompProfile", "type"};
  const auto& own = fix.context().seccomp.type;
  const auto& type = own.present() ? own : fix.pod_context().seccomp.type;
  if (type.Is("Unconfined") && fix.WantsAt(kSeccompUnconfined, type.key)) {
    SetWhereDecided(fix, own, path, YamlValue::String("RuntimeDefault"), kSeccompUnconfined);
  }
  if (!fix.Wants(kSeccompNotSet)) return;
  // The pod's profile covers every container that sets none, as PSS
  // restricted suggests; a localhostProfile there needs type Localhost.
  if (fix.pod_context().seccomp.localhost_profile.present()) {
    fix.Note(kSeccompNotSet,
             "not fixed: the pod's seccompProfile names a localhostProfile but no type; set "
             "type: Localhost or remove it");
    return;
  }
  fix.pod().Set(path, YamlValue::String("RuntimeDefault"), kSeccompNotSet);
}

}  // namespace

void FixPrivileges(ContainerFix& fix) {
  FixHostProcess(fix);
  FixPrivileged(fix);
  FixAddedCapabilities(fix);
  FixCapabilityDrop(fix);
  FixPrivilegeEscalation(fix);
}

void FixConfinement(ContainerFix& fix) {
  FixAppArmor(fix);
  FixProcMount(fix);
  FixSeccomp(fix);
}

}  // namespace bulwark::fix::k8s_fix
