// Pod-level jobs: host namespaces, root group in fsGroup and
// supplementalGroups, and the automatically mounted service account token.
#include "fix/kubernetes_fixer_internal.hpp"

namespace bulwark::fix::k8s_fix {

void FixHostNamespaces(PodFix& pod) {
  struct HostField {
    const parse::k8s::BoolField& field;
    std::string_view id;
    const char* key;
    const char* lost;
  };
  const HostField fields[] = {
      {pod.spec().host_network, kHostNetwork, "hostNetwork",
       "it no longer sees the node's interfaces; reach it through a Service"},
      {pod.spec().host_pid, kHostPid, "hostPID", "it no longer sees the node's processes"},
      {pod.spec().host_ipc, kHostIpc, "hostIPC", "it no longer shares the node's IPC"}};
  for (const HostField& host : fields) {
    if (!host.field.Is(true) || !pod.WantsAt(host.id, host.field.key)) continue;
    if (!pod.Set({host.key}, YamlValue::Literal("false"), host.id)) continue;
    pod.Explain(host.id,
                std::string(host.key) + " is now false: " + host.lost +
                    "; node agents that need it belong in a separately governed namespace");
  }
}

void FixPodGroups(PodFix& pod) {
  if (!pod.Wants(kRootGroup)) return;
  const parse::k8s::SecurityContext& context = pod.spec().security_context;
  const int gid = pod.options().gid;
  if (context.fs_group.Is(0) && pod.WantsAt(kRootGroup, context.fs_group.key)) {
    if (gid <= 0) {
      pod.Note(kRootGroup, "fsGroup not changed: the configured GID is not above 0");
    } else if (pod.Set({"securityContext", "fsGroup"}, YamlValue::Literal(std::to_string(gid)),
                       kRootGroup)) {
      pod.Explain(kRootGroup, "fsGroup is now " + std::to_string(gid) +
                                  "; volumes are group-owned by it instead of root");
    }
  }
  for (const parse::k8s::IntField& group : context.supplemental_groups) {
    if (!group.Is(0) || !pod.WantsAt(kRootGroup, group.at)) continue;
    if (pod.RemoveItem({"securityContext", "supplementalGroups"}, group.at, kRootGroup)) {
      pod.Explain(kRootGroup, "removed supplemental group 0 (root)");
    }
  }
}

void FixTokenMount(PodFix& pod) {
  if (!pod.Wants(kServiceAccountToken)) return;
  if (!pod.Set({"automountServiceAccountToken"}, YamlValue::Literal("false"),
               kServiceAccountToken)) {
    return;
  }
  pod.Explain(kServiceAccountToken,
              "no longer mounts a service account token; if it calls the Kubernetes API, mount one "
              "through a projected volume with the audience and lifetime it needs");
}

}  // namespace bulwark::fix::k8s_fix
