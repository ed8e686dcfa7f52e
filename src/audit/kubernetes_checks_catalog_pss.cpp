// Metadata of the Pod Security Standards checks, BW-K8-001..023. Severities
// follow Trivy's KSV checks, raised where the field alone hands over the node
// (privileged, SYS_ADMIN, the runtime socket).
#include "audit/kubernetes_checks_internal.hpp"

namespace bulwark::audit::k8s {
namespace {

constexpr const char* kPss = "https://kubernetes.io/docs/concepts/security/pod-security-standards/";
constexpr const char* kSecurityContext = kSecurityContextUrl;
constexpr const char* kCisKubernetes = kCisKubernetesUrl;

core::CheckInfo Pss(std::string id, std::string title, core::Severity severity,
                    std::string rationale, std::string remediation, core::References references,
                    std::vector<std::string> peers, bool fixable) {
  references.urls.insert(references.urls.begin(), kPss);
  return KubernetesCheck(std::move(id), std::move(title), severity, std::move(rationale),
                         std::move(remediation), std::move(references), std::move(peers), fixable);
}

using core::Severity;

std::vector<core::CheckInfo> HostControls() {
  std::vector<core::CheckInfo> out;
  out.push_back(Pss(
      "BW-K8-001", "Windows HostProcess container", Severity::kHigh,
      "A HostProcess container runs directly on the Windows node with the node's privileges and "
      "network; PSS baseline forbids it (CIS Kubernetes Benchmark 5.2.10).",
      "Remove windowsOptions.hostProcess (or set it to false) from the pod and container "
      "securityContext; run node agents from a dedicated, separately governed namespace.",
      {{},
       {"T1611"},
       {"AC-6", "SC-39"},
       {"CWE-250"},
       {"https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/"}},
      {"trivy KSV103", "polaris hostProcess"}, true));
  out.push_back(
      Pss("BW-K8-002", "Pod shares the host's network namespace", Severity::kHigh,
          "hostNetwork: true lets the pod see and bind every interface of the node, reach services "
          "listening on localhost and sidestep NetworkPolicy (CIS Kubernetes Benchmark 5.2.5).",
          "Remove hostNetwork (or set it to false); expose the pod through a Service instead.",
          {{"5.10"}, {"T1611", "T1046"}, {"SC-7", "SC-39", "AC-6"}, {"CWE-668"}, {kCisKubernetes}},
          {"trivy KSV009", "kubesec HostNetwork", "polaris hostNetworkSet"}, true));
  out.push_back(Pss(
      "BW-K8-003", "Pod shares the host's process namespace", Severity::kHigh,
      "hostPID: true shows every process of the node to the pod, whose root can then read their "
      "environment and memory or signal them (CIS Kubernetes Benchmark 5.2.3).",
      "Remove hostPID (or set it to false).",
      {{"5.16"}, {"T1611"}, {"SC-39", "AC-6"}, {"CWE-668"}, {kCisKubernetes}},
      {"trivy KSV010", "kubesec HostPID", "polaris hostPIDSet"}, true));
  out.push_back(
      Pss("BW-K8-004", "Pod shares the host's IPC namespace", Severity::kHigh,
          "hostIPC: true gives the pod the node's shared memory and message queues, where other "
          "processes' data can be read or corrupted (CIS Kubernetes Benchmark 5.2.4).",
          "Remove hostIPC (or set it to false).",
          {{"5.17"}, {"T1611"}, {"SC-4", "SC-39"}, {"CWE-668"}, {kCisKubernetes}},
          {"trivy KSV008", "kubesec HostIPC", "polaris hostIPCSet"}, true));
  out.push_back(
      Pss("BW-K8-005", "Privileged container", Severity::kCritical,
          "A privileged container has every capability, every device and no seccomp or AppArmor "
          "confinement: root in it is root on the node (CIS Kubernetes Benchmark 5.2.2).",
          "Remove privileged: true; grant only the specific capabilities or devices the workload "
          "needs.",
          {{"5.5"}, {"T1611", "T1610"}, {"AC-6", "CM-7", "SC-39"}, {"CWE-250"}, {kSecurityContext}},
          {"trivy KSV017", "kube-score container-security-context-privileged", "kubesec Privileged",
           "polaris runAsPrivileged"},
          true));
  return out;
}

std::vector<core::CheckInfo> CapabilityControls() {
  std::vector<core::CheckInfo> out;
  out.push_back(Pss(
      "BW-K8-006", "Capability added beyond the PSS baseline set", Severity::kMedium,
      "PSS baseline allows adding only the runtime's historical default capabilities; anything "
      "else widens the kernel surface the container can reach (CIS Kubernetes Benchmark 5.2.9).",
      "Remove the capability from securityContext.capabilities.add, or document why the "
      "workload needs it and run it in a namespace with a looser policy.",
      {{"5.4"}, {"T1611", "T1068"}, {"AC-6", "CM-7"}, {"CWE-250"}, {kSecurityContext}},
      {"trivy KSV022", "polaris insecureCapabilities"}, true));
  out.push_back(Pss(
      "BW-K8-007", "Dangerous capability added", Severity::kHigh,
      "SYS_ADMIN, SYS_MODULE and ALL amount to root on the node; SYS_PTRACE, NET_ADMIN, NET_RAW, "
      "BPF, DAC_READ_SEARCH and the like enable known container escapes, spoofing and sniffing "
      "(CIS Kubernetes Benchmark 5.2.8, 5.2.9).",
      "Remove the capability; for NET_RAW-dependent tools such as ping use "
      "net.ipv4.ping_group_range instead.",
      {{"5.4"}, {"T1611", "T1068"}, {"AC-6", "CM-7", "SC-39"}, {"CWE-250"}, {kSecurityContext}},
      {"trivy KSV005", "trivy KSV119", "trivy KSV120", "kubesec CapSysAdmin",
       "polaris dangerousCapabilities"},
      true));
  out.push_back(Pss(
      "BW-K8-008", "Container does not drop ALL capabilities", Severity::kLow,
      "PSS restricted requires capabilities.drop to include ALL, so the container keeps none of "
      "the runtime's default capabilities (NET_RAW, SETUID, ...) it does not ask for.",
      "Add securityContext.capabilities.drop: [\"ALL\"] and add back only NET_BIND_SERVICE if "
      "the container binds a port below 1024.",
      {{"5.4"}, {"T1068"}, {"AC-6", "CM-7"}, {"CWE-250"}, {kSecurityContext}},
      {"trivy KSV003", "kubesec CapDropAll", "polaris insecureCapabilities"}, true));
  out.push_back(Pss(
      "BW-K8-009", "Capability added beyond NET_BIND_SERVICE", Severity::kLow,
      "PSS restricted allows adding back only NET_BIND_SERVICE; the other baseline capabilities "
      "(CHOWN, SETUID, DAC_OVERRIDE, ...) help a compromised process escalate.",
      "Remove the capability from capabilities.add, or fix file ownership in the image so the "
      "process does not need it.",
      {{"5.4"}, {"T1068"}, {"AC-6"}, {"CWE-250"}, {kSecurityContext}},
      {"trivy KSV106", "polaris insecureCapabilities"}, true));
  return out;
}

std::vector<core::CheckInfo> VolumeAndPortControls() {
  std::vector<core::CheckInfo> out;
  out.push_back(
      Pss("BW-K8-010", "hostPath volume", Severity::kMedium,
          "A hostPath volume exposes the node's file system to the pod; /, /proc, /sys, /etc, "
          "/var/lib/kubelet, /var/log and similar paths lead straight to node compromise (CIS "
          "Kubernetes Benchmark 5.2.11). Severity rises with the path.",
          "Replace the hostPath volume with an emptyDir, a ConfigMap/Secret or a "
          "PersistentVolumeClaim; if node access is truly needed, mount the narrowest path "
          "read-only.",
          {{"5.6"},
           {"T1611", "T1552.001"},
           {"AC-6", "SC-39", "AC-3"},
           {"CWE-668"},
           {"https://kubernetes.io/docs/concepts/storage/volumes/#hostpath"}},
          {"trivy KSV023", "trivy KSV121", "kubesec ProcMount", "polaris hostPathSet"}, false));
  out.push_back(
      Pss("BW-K8-011", "Container runtime socket mounted", Severity::kCritical,
          "Whoever reaches docker.sock, containerd.sock or crio.sock can start a privileged "
          "container on the node: the mount is a full node takeover (CIS Kubernetes Benchmark "
          "5.2.11).",
          "Remove the volume. Build images with a rootless builder (BuildKit rootless, kaniko) and "
          "read runtime state through the Kubernetes API instead.",
          {{"5.32"},
           {"T1611", "T1610", "T1059.013"},
           {"AC-6", "SC-39", "CM-7"},
           {"CWE-668"},
           {"https://kubernetes.io/docs/concepts/storage/volumes/#hostpath"}},
          {"trivy KSV006", "kubesec DockerSock", "polaris hostPathSet"}, false));
  out.push_back(
      Pss("BW-K8-012", "Volume type outside the restricted set", Severity::kLow,
          "PSS restricted allows only configMap, csi, downwardAPI, emptyDir, ephemeral, "
          "persistentVolumeClaim, projected and secret volumes; in-tree drivers such as nfs, iscsi "
          "or rbd mount storage from the node with its credentials.",
          "Use a PersistentVolumeClaim (backed by a CSI driver) instead of the inline volume "
          "source.",
          {{}, {"T1611"}, {"CM-7", "AC-6"}, {"CWE-668"}, {}}, {"trivy KSV028"}, false));
  out.push_back(
      Pss("BW-K8-013", "hostPort used", Severity::kMedium,
          "A hostPort publishes the container on the node's address, bypassing Services and often "
          "NetworkPolicy, and pins the pod to nodes where the port is free (CIS Kubernetes "
          "Benchmark 5.2.12).",
          "Remove hostPort and expose the container through a Service (ClusterIP, NodePort or "
          "LoadBalancer).",
          {{}, {"T1190"}, {"SC-7", "CM-7"}, {"CWE-668"}, {kCisKubernetes}},
          {"trivy KSV024", "polaris hostPortSet"}, false));
  return out;
}

std::vector<core::CheckInfo> ConfinementControls() {
  std::vector<core::CheckInfo> out;
  out.push_back(Pss(
      "BW-K8-014", "AppArmor profile set to unconfined", Severity::kMedium,
      "An Unconfined AppArmor profile (or the legacy annotation value 'unconfined') removes the "
      "runtime's default confinement of file, mount and signal operations; PSS baseline forbids "
      "it.",
      "Set appArmorProfile.type: RuntimeDefault (or Localhost with a profile), or drop the "
      "'unconfined' annotation.",
      {{"5.2"},
       {"T1611", "T1562.001"},
       {"AC-6", "CM-7", "SC-39"},
       {"CWE-693"},
       {"https://kubernetes.io/docs/tutorials/security/apparmor/"}},
      {"trivy KSV002", "kubesec ApparmorUnconfined", "polaris linuxHardening"}, true));
  out.push_back(Pss(
      "BW-K8-015", "Custom SELinux user, role or type", Severity::kMedium,
      "Setting an SELinux type outside the container_t family, or any user or role, can lift the "
      "MAC separation between the container and the node (e.g. spc_t runs unconfined).",
      "Remove seLinuxOptions.user/role and use a container_t-family type, or leave "
      "seLinuxOptions unset.",
      {{"5.3"}, {"T1611"}, {"AC-3", "AC-6", "SC-39"}, {"CWE-693"}, {kSecurityContext}},
      {"trivy KSV025", "polaris linuxHardening"}, false));
  out.push_back(
      Pss("BW-K8-016", "procMount other than Default", Severity::kMedium,
          "procMount: Unmasked exposes /proc paths that the runtime normally masks (kcore, "
          "sysrq-trigger, ...), a known stepping stone out of the container.",
          "Remove procMount or set it to Default.",
          {{}, {"T1611"}, {"AC-6", "SC-39"}, {"CWE-668"}, {kSecurityContext}},
          {"trivy KSV027", "polaris procMount"}, true));
  out.push_back(Pss(
      "BW-K8-017", "Seccomp profile set to Unconfined", Severity::kMedium,
      "Without seccomp the container may call every system call, including the rarely used ones "
      "behind most kernel escapes; PSS baseline forbids Unconfined (CIS Kubernetes Benchmark "
      "5.6.2).",
      "Set seccompProfile.type: RuntimeDefault (or Localhost with a tailored profile).",
      {{"5.22"},
       {"T1611", "T1068"},
       {"AC-6", "CM-7", "SC-39"},
       {"CWE-693"},
       {"https://kubernetes.io/docs/tutorials/security/seccomp/"}},
      {"trivy KSV104", "kubesec SeccompUnconfined", "polaris linuxHardening"}, true));
  out.push_back(
      Pss("BW-K8-018", "Seccomp profile not set", Severity::kLow,
          "PSS restricted requires RuntimeDefault or Localhost seccomp on the pod or on every "
          "container; unset, many clusters still run the container Unconfined (CIS Kubernetes "
          "Benchmark 5.6.2).",
          "Set spec.securityContext.seccompProfile.type: RuntimeDefault on the pod.",
          {{"5.22"},
           {"T1611", "T1068"},
           {"CM-6", "CM-7", "SC-39"},
           {"CWE-693"},
           {"https://kubernetes.io/docs/tutorials/security/seccomp/"}},
          {"trivy KSV030", "kube-score container-seccomp-profile", "kubesec SeccompAny",
           "polaris linuxHardening"},
          true));
  out.push_back(Pss(
      "BW-K8-019", "Unsafe sysctl", Severity::kMedium,
      "Only a few namespaced sysctls are safe; the others change kernel behaviour for the whole "
      "node or for other pods.",
      "Remove the sysctl, or tune it on the nodes (and allow it with the kubelet's "
      "--allowed-unsafe-sysctls only where needed).",
      {{},
       {"T1611"},
       {"CM-6", "CM-7", "SC-39"},
       {"CWE-668"},
       {"https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/"}},
      {"trivy KSV026"}, false));
  return out;
}

std::vector<core::CheckInfo> IdentityControls() {
  std::vector<core::CheckInfo> out;
  out.push_back(Pss(
      "BW-K8-020", "Privilege escalation not disabled", Severity::kMedium,
      "Unless allowPrivilegeEscalation is false, setuid binaries and file capabilities can give "
      "a process more privileges than its parent (no_new_privs is off); PSS restricted requires "
      "false (CIS Kubernetes Benchmark 5.2.6). Explicit true is reported as high.",
      "Set securityContext.allowPrivilegeEscalation: false on every container.",
      {{"5.26"}, {"T1068"}, {"AC-6", "CM-7"}, {"CWE-250"}, {kSecurityContext}},
      {"trivy KSV001", "kubesec AllowPrivilegeEscalation", "polaris privilegeEscalationAllowed"},
      true));
  out.push_back(Pss(
      "BW-K8-021", "runAsNonRoot not true", Severity::kMedium,
      "Without runAsNonRoot: true the kubelet starts the container as whatever user the image "
      "says, root by default; PSS restricted requires it (CIS Kubernetes Benchmark 5.2.7).",
      "Set runAsNonRoot: true in the pod securityContext (and a non-zero runAsUser if the image "
      "has no numeric USER).",
      {{}, {"T1611", "T1068"}, {"AC-6", "AC-6(10)"}, {"CWE-250"}, {kSecurityContext}},
      {"trivy KSV012", "kube-score container-security-context-user-group-id",
       "kubesec RunAsNonRoot", "polaris runAsRootAllowed"},
      true));
  out.push_back(Pss(
      "BW-K8-022", "Container runs as UID 0", Severity::kMedium,
      "runAsUser: 0 runs the process as root, which turns any escape or writable host mount into "
      "root on the node; PSS restricted forbids it (CIS Kubernetes Benchmark 5.2.7).",
      "Set runAsUser to a non-zero UID (above 10000 avoids clashes with host users).",
      {{}, {"T1611", "T1068"}, {"AC-6", "AC-6(10)"}, {"CWE-250"}, {kSecurityContext}},
      {"trivy KSV105", "trivy KSV020", "kubesec RunAsUser", "polaris runAsRootAllowed"}, true));
  out.push_back(
      Pss("BW-K8-023", "Root group (GID 0) used", Severity::kLow,
          "runAsGroup, fsGroup or supplementalGroups 0 give the process the root group, which owns "
          "many files on images and host mounts.",
          "Use non-zero group IDs for runAsGroup, fsGroup and supplementalGroups.",
          {{}, {"T1068"}, {"AC-6"}, {"CWE-250"}, {kSecurityContext}},
          {"trivy KSV116", "trivy KSV021", "kubesec RunAsGroup"}, true));
  return out;
}

}  // namespace

std::vector<core::CheckInfo> PodSecurityCatalog() {
  std::vector<core::CheckInfo> out = HostControls();
  for (auto* part :
       {CapabilityControls, VolumeAndPortControls, ConfinementControls, IdentityControls}) {
    for (core::CheckInfo& info : part()) out.push_back(std::move(info));
  }
  return out;
}

}  // namespace bulwark::audit::k8s
