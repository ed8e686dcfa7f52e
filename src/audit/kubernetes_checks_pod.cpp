// PodChecker: reporting helpers and the checks on pod-level fields (host
// namespaces, volumes, sysctls, groups, service account, namespace).
#include <algorithm>
#include <array>
#include <utility>

#include "audit/kubernetes_checks_internal.hpp"

namespace bulwark::audit::k8s {
namespace {

using parse::k8s::Pos;

// PSS restricted: the only volume sources allowed (hostPath is judged apart).
constexpr std::array<std::string_view, 8> kRestrictedVolumeTypes = {
    "configMap", "csi",   "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
    "projected", "secret"};

// PSS baseline: the sysctls that are namespaced and cannot affect the node or
// other pods (current list; older clusters allow a subset).
constexpr std::array<std::string_view, 10> kSafeSysctls = {"kernel.shm_rmid_forced",
                                                           "net.ipv4.ip_local_port_range",
                                                           "net.ipv4.ip_unprivileged_port_start",
                                                           "net.ipv4.tcp_syncookies",
                                                           "net.ipv4.ping_group_range",
                                                           "net.ipv4.ip_local_reserved_ports",
                                                           "net.ipv4.tcp_keepalive_time",
                                                           "net.ipv4.tcp_fin_timeout",
                                                           "net.ipv4.tcp_keepalive_intvl",
                                                           "net.ipv4.tcp_keepalive_probes"};

// Sockets (and the directories holding them) that give full control of the
// node's container runtime.
constexpr std::array<std::string_view, 16> kRuntimeSockets = {"/var/run/docker.sock",
                                                              "/run/docker.sock",
                                                              "/var/run/containerd/containerd.sock",
                                                              "/run/containerd/containerd.sock",
                                                              "/var/run/crio/crio.sock",
                                                              "/run/crio/crio.sock",
                                                              "/var/run/cri-dockerd.sock",
                                                              "/run/cri-dockerd.sock",
                                                              "/var/run/dockershim.sock",
                                                              "/run/podman/podman.sock",
                                                              "/var/run",
                                                              "/run",
                                                              "/var/run/containerd",
                                                              "/run/containerd",
                                                              "/var/run/crio",
                                                              "/run/crio"};

// Host directories whose content (or whose subtree) controls the node.
constexpr std::array<std::string_view, 11> kSensitiveTrees = {"/proc",
                                                              "/sys",
                                                              "/dev",
                                                              "/boot",
                                                              "/root",
                                                              "/var/lib/kubelet",
                                                              "/var/lib/docker",
                                                              "/var/lib/containerd",
                                                              "/etc/kubernetes",
                                                              "/var/lib/etcd",
                                                              "/var/log"};
constexpr std::array<std::string_view, 9> kSensitiveDirs = {
    "/etc", "/usr", "/lib", "/bin", "/sbin", "/var", "/home", "/var/lib", "/opt"};

template <size_t N>
bool Contains(const std::array<std::string_view, N>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// Lexical normalisation: "//var/./run/" -> "/var/run". Symlinks on the node
// are unknowable from a manifest.
std::string NormalizeHostPath(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (std::string_view part : parts) out.append("/").append(part);
  return out.empty() ? "/" : out;
}

core::Severity HostPathSeverity(const std::string& path) {
  if (path == "/") return core::Severity::kCritical;
  for (std::string_view tree : kSensitiveTrees) {
    if (path == tree || (path.starts_with(tree) && path[tree.size()] == '/')) {
      return core::Severity::kHigh;
    }
  }
  if (Contains(kSensitiveDirs, path)) return core::Severity::kHigh;
  return core::Severity::kMedium;
}

std::string NormalizeSysctl(std::string_view name) {
  std::string out(name);
  std::replace(out.begin(), out.end(), '/', '.');
  return out;
}

}  // namespace

PodChecker::PodChecker(core::FindingSink& sink, const std::string& path,
                       const parse::k8s::Object& object)
    : sink_(sink), path_(path), object_(object), spec_(object.pod->spec) {}

std::optional<PendingTokenCheck> PodChecker::Run() {
  CheckHostNamespaces();
  CheckVolumes();
  CheckSysctls();
  CheckPodGroups();
  CheckHostAliases();
  CheckNamespace();
  CheckServiceAccount();
  for (const Container& c : spec_.containers) CheckContainer(c);
  return CheckTokenMount();
}

void PodChecker::Report(std::string_view id, Pos pos, std::string message) {
  sink_.Report(id, core::Location{path_, pos.line, pos.column, 0, 0}, std::move(message));
}

void PodChecker::Report(std::string_view id, core::Severity severity, Pos pos,
                        std::string message) {
  sink_.ReportWithSeverity(id, severity, core::Location{path_, pos.line, pos.column, 0, 0},
                           std::move(message));
}

Pos PodChecker::KindPos() const {
  return object_.kind.key.known() ? object_.kind.key : object_.pos;
}

Pos PodChecker::NamePos(const Container& c) const {
  return c.name.key.known() ? c.name.key : c.pos;
}

std::string PodChecker::Subject() const { return object_.Ref(); }

std::string PodChecker::Subject(const Container& c) const {
  return Subject() + " " + std::string(parse::k8s::ContainerKindName(c.kind)) + " '" +
         c.name.value.value_or("<unnamed>") + "'";
}

void PodChecker::CheckHostNamespaces() {
  struct HostField {
    const parse::k8s::BoolField& field;
    std::string_view id;
    const char* name;
  };
  const HostField fields[] = {{spec_.host_network, kHostNetwork, "hostNetwork"},
                              {spec_.host_pid, kHostPid, "hostPID"},
                              {spec_.host_ipc, kHostIpc, "hostIPC"}};
  for (const HostField& host : fields) {
    if (host.field.Is(true)) {
      Report(host.id, host.field.key, Subject() + " sets " + host.name + ": true");
    }
  }
}

void PodChecker::CheckVolumes() {
  for (const parse::k8s::Volume& volume : spec_.volumes) {
    if (volume.type == "hostPath") {
      CheckHostPathVolume(volume);
    } else if (!volume.type.empty() && !Contains(kRestrictedVolumeTypes, volume.type)) {
      Report(kVolumeType, volume.type_pos,
             Subject() + " volume '" + volume.name.value.value_or("") + "' is of type " +
                 volume.type + ", outside the restricted set");
    }
  }
}

void PodChecker::CheckHostPathVolume(const parse::k8s::Volume& volume) {
  const std::string name = volume.name.value.value_or("");
  const Pos pos = volume.host_path.key.known() ? volume.host_path.key : volume.type_pos;
  if (!volume.host_path.value) {
    Report(kHostPathVolume, pos, Subject() + " volume '" + name + "' is a hostPath volume");
    return;
  }
  const std::string path = NormalizeHostPath(*volume.host_path.value);
  const std::string what =
      Subject() + " volume '" + name + "' mounts host path " + *volume.host_path.value;
  if (Contains(kRuntimeSockets, path)) {
    Report(kRuntimeSocket, pos, what + ": the container runtime's socket");
    return;
  }
  Report(kHostPathVolume, HostPathSeverity(path), pos, what);
}

void PodChecker::CheckSysctls() {
  for (const parse::k8s::Sysctl& sysctl : PodContext().sysctls) {
    if (!sysctl.name.value || Contains(kSafeSysctls, NormalizeSysctl(*sysctl.name.value))) continue;
    Report(kUnsafeSysctl, sysctl.name.key, Subject() + " sets unsafe sysctl " + *sysctl.name.value);
  }
}

void PodChecker::CheckPodGroups() {
  const parse::k8s::SecurityContext& context = PodContext();
  if (context.fs_group.Is(0)) {
    Report(kRootGroup, context.fs_group.key, Subject() + " sets fsGroup: 0 (root group)");
  }
  for (const parse::k8s::IntField& group : context.supplemental_groups) {
    if (group.Is(0)) {
      Report(kRootGroup, group.at, Subject() + " adds supplemental group 0 (root group)");
    }
  }
}

void PodChecker::CheckHostAliases() {
  if (!spec_.host_aliases_key.known()) return;
  std::string entries;
  for (const parse::k8s::HostAlias& alias : spec_.host_aliases) {
    if (!entries.empty()) entries += ", ";
    entries += alias.ip.value.value_or("?");
    for (const parse::k8s::StringField& host : alias.hostnames) {
      entries += " " + host.value.value_or("");
    }
  }
  Report(kHostAliases, spec_.host_aliases_key,
         Subject() + " overrides /etc/hosts with hostAliases (" + entries + ")");
}

void PodChecker::CheckNamespace() {
  const parse::k8s::StringField& ns = object_.metadata.namespace_name;
  if (ns.value && !ns.value->empty() && *ns.value != "default") return;
  if (ns.present() && ns.value) {
    Report(kDefaultNamespace, ns.key, Subject() + " is placed in the 'default' namespace");
  } else {
    Report(kDefaultNamespace, KindPos(),
           Subject() +
               " has no metadata.namespace, so it lands in 'default' unless the "
               "deployer sets one");
  }
}

void PodChecker::CheckServiceAccount() {
  const parse::k8s::StringField& account = spec_.service_account_name;
  if (account.value && !account.value->empty() && *account.value != "default") return;
  if (account.present()) {
    Report(kDefaultServiceAccount, account.key,
           Subject() + " runs as the namespace's 'default' service account");
  } else {
    Report(kDefaultServiceAccount, KindPos(),
           Subject() + " sets no serviceAccountName, so it runs as the 'default' service account");
  }
}

std::optional<PendingTokenCheck> PodChecker::CheckTokenMount() {
  const parse::k8s::BoolField& mount = spec_.automount_service_account_token;
  if (mount.Is(true)) {
    Report(kServiceAccountToken, mount.key, Subject() + " sets automountServiceAccountToken: true");
    return std::nullopt;
  }
  if (mount.present()) return std::nullopt;  // false, or not a boolean (diagnosed)
  PendingTokenCheck pending;
  const Pos pos = KindPos();
  pending.location = core::Location{path_, pos.line, pos.column, 0, 0};
  pending.subject = Subject();
  pending.namespace_name = object_.Namespace();
  const auto& account = spec_.service_account_name.value;
  pending.service_account = account && !account->empty() ? *account : "default";
  return pending;
}

}  // namespace bulwark::audit::k8s
