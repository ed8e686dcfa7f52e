// Metadata of the Kubernetes hardening checks outside the Pod Security
// Standards, BW-K8-024..038.
#include "audit/kubernetes_checks_internal.hpp"

namespace bulwark::audit::k8s {
namespace {

constexpr const char* kSecurityContext = kSecurityContextUrl;
constexpr const char* kResources =
    "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/";
constexpr const char* kImages = "https://kubernetes.io/docs/concepts/containers/images/";
constexpr const char* kServiceAccounts =
    "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/";
constexpr const char* kSecrets = "https://kubernetes.io/docs/concepts/configuration/secret/";
constexpr const char* kCisKubernetes = kCisKubernetesUrl;

// Short name for the catalog below.
constexpr auto Check = KubernetesCheck;

using core::Severity;

std::vector<core::CheckInfo> RuntimeChecks() {
  std::vector<core::CheckInfo> out;
  out.push_back(Check(
      "BW-K8-024", "Root file system is writable", Severity::kMedium,
      "A writable root file system lets an intruder drop tools and persist changes inside the "
      "container (CIS Kubernetes Benchmark 5.6.3 security context).",
      "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the "
      "application must write (/tmp, caches).",
      {{"5.13"}, {"T1525", "T1059.013"}, {"CM-7", "SI-7"}, {"CWE-732"}, {kSecurityContext}},
      {"trivy KSV014", "kube-score container-security-context-readonlyrootfilesystem",
       "kubesec ReadOnlyRootFilesystem", "polaris notReadOnlyRootFilesystem"},
      true));
  out.push_back(Check(
      "BW-K8-025", "CPU limit not set", Severity::kLow,
      "Without a CPU limit one compromised or runaway container can starve its neighbours on the "
      "node (e.g. a cryptominer).",
      "Set resources.limits.cpu (or enforce a default with a LimitRange).",
      {{"5.12"}, {"T1496", "T1499"}, {"SC-5"}, {"CWE-770"}, {kResources}},
      {"trivy KSV011", "kube-score container-resources", "kubesec LimitsCPU",
       "polaris cpuLimitsMissing"},
      true));
  out.push_back(Check(
      "BW-K8-026", "Memory limit not set", Severity::kLow,
      "Without a memory limit a leak or an attack can exhaust the node's memory and get other "
      "pods evicted or killed.",
      "Set resources.limits.memory (or enforce a default with a LimitRange).",
      {{"5.11"}, {"T1499", "T1496"}, {"SC-5"}, {"CWE-770"}, {kResources}},
      {"trivy KSV018", "kube-score container-resources", "kubesec LimitsMemory",
       "polaris memoryLimitsMissing"},
      true));
  out.push_back(
      Check("BW-K8-027", "CPU request not set", Severity::kLow,
            "Without a CPU request the scheduler cannot reserve capacity and the container is the "
            "first to be throttled under contention.",
            "Set resources.requests.cpu to the container's normal usage.",
            {{}, {"T1499"}, {"SC-5"}, {"CWE-770"}, {kResources}},
            {"trivy KSV015", "kube-score container-resources", "kubesec RequestsCPU",
             "polaris cpuRequestsMissing"},
            true));
  out.push_back(Check(
      "BW-K8-028", "Memory request not set", Severity::kLow,
      "Without a memory request the pod is BestEffort and is evicted first when the node runs "
      "short of memory.",
      "Set resources.requests.memory to the container's normal usage.",
      {{}, {"T1499"}, {"SC-5"}, {"CWE-770"}, {kResources}},
      {"trivy KSV016", "kube-score container-resources", "kubesec RequestsMemory",
       "polaris memoryRequestsMissing"},
      true));
  return out;
}

std::vector<core::CheckInfo> ImageChecks() {
  std::vector<core::CheckInfo> out;
  out.push_back(Check(
      "BW-K8-029", "Image uses the latest tag or no tag", Severity::kMedium,
      "':latest' (or no tag) names whatever was pushed last: deployments are not reproducible, "
      "rollbacks do not roll back, and a poisoned push is picked up on the next restart.",
      "Pin the image to a version tag and, better, to a digest (image@sha256:...).",
      {{}, {"T1525", "T1204.003"}, {"CM-2", "SR-3", "SI-7"}, {"CWE-494"}, {kImages}},
      {"trivy KSV013", "kube-score container-image-tag", "polaris tagNotSpecified"}, false));
  out.push_back(Check(
      "BW-K8-030", "Image not pinned by digest", Severity::kLow,
      "A tag can be moved to other content by anyone who can push to the repository; only a "
      "digest names exactly the image that was reviewed and scanned.",
      "Reference the image as name:tag@sha256:<digest> (tools such as crane or skopeo print the "
      "digest).",
      {{}, {"T1525", "T1204.003"}, {"CM-2", "SR-3", "SR-4", "SI-7"}, {"CWE-494"}, {kImages}},
      {"kube-score container-image-tag"}, false));
  out.push_back(Check(
      "BW-K8-031", "Mutable image tag without imagePullPolicy: Always", Severity::kLow,
      "With IfNotPresent a node keeps running whatever it cached under the tag, so nodes can run "
      "different images under one name and a removed image stays usable.",
      "Set imagePullPolicy: Always, or pin the image by digest.",
      {{}, {"T1525"}, {"CM-2", "SI-7"}, {"CWE-494"}, {kImages}},
      {"kube-score container-image-pull-policy", "polaris pullPolicyNotAlways"}, true));
  return out;
}

std::vector<core::CheckInfo> IdentityChecks() {
  std::vector<core::CheckInfo> out;
  out.push_back(Check(
      "BW-K8-032", "Service account token mounted automatically", Severity::kMedium,
      "Most pods never call the Kubernetes API, yet an auto-mounted token lets an intruder do so "
      "with the service account's rights (CIS Kubernetes Benchmark 5.1.6). A ServiceAccount in "
      "the audited manifests with automountServiceAccountToken: false settles it.",
      "Set automountServiceAccountToken: false on the pod spec (or on its ServiceAccount) unless "
      "the workload talks to the API.",
      {{}, {"T1528", "T1552.007"}, {"AC-6", "IA-5"}, {"CWE-200"}, {kServiceAccounts}},
      {"trivy KSV036", "kubesec AutomountServiceAccountToken",
       "polaris automountServiceAccountToken"},
      true));
  out.push_back(Check(
      "BW-K8-033", "Pod uses the default service account", Severity::kLow,
      "The namespace's default service account is shared by every pod that names none, so RBAC "
      "granted for one workload leaks to all (CIS Kubernetes Benchmark 5.1.5).",
      "Create a ServiceAccount per workload and set spec.serviceAccountName.",
      {{}, {"T1078.001", "T1528"}, {"AC-2", "AC-6"}, {"CWE-269"}, {kServiceAccounts}},
      {"kubesec ServiceAccountName"}, false));
  out.push_back(Check(
      "BW-K8-034", "Literal secret in an environment variable", Severity::kHigh,
      "A password, token or key written into env[].value is stored in plain text in the "
      "manifest, in version control and in the API object, readable by anyone who can read the "
      "workload.",
      "Move the value into a Secret (or an external secret store), rotate it, and mount it as a "
      "file.",
      {{}, {"T1552.001", "T1552.007"}, {"IA-5", "IA-5(7)", "SC-28"}, {"CWE-798"}, {kSecrets}},
      {"polaris sensitiveContainerEnvVar"}, false));
  out.push_back(
      Check("BW-K8-035", "Secret passed through environment variables", Severity::kLow,
            "Environment variables leak into child processes, crash dumps, logs and `kubectl "
            "describe`; CIS Kubernetes Benchmark 5.4.1 prefers secrets mounted as files.",
            "Mount the Secret as a volume and have the application read the file.",
            {{}, {"T1552.001", "T1552.007"}, {"SC-28", "IA-5"}, {"CWE-526"}, {kSecrets}},
            {"kubesec SecretsAsEnvironmentVariables"}, false));
  return out;
}

std::vector<core::CheckInfo> PlacementChecks() {
  std::vector<core::CheckInfo> out;
  out.push_back(Check(
      "BW-K8-036", "hostAliases override /etc/hosts", Severity::kLow,
      "hostAliases rewrite the pod's /etc/hosts, which can silently redirect traffic for a name "
      "away from what DNS says.",
      "Remove hostAliases and fix name resolution in DNS (or a Service of type ExternalName).",
      {{},
       {"T1562"},
       {"CM-6", "SC-7"},
       {"CWE-350"},
       {"https://kubernetes.io/docs/tasks/network/customize-hosts-file-for-pods/"}},
      {"trivy KSV007", "kubesec HostAliases"}, false));
  out.push_back(Check(
      "BW-K8-037", "Workload in the default namespace", Severity::kLow,
      "The default namespace mixes unrelated workloads, so RBAC, NetworkPolicy, quotas and Pod "
      "Security admission cannot be scoped to the application (CIS Kubernetes Benchmark 5.6.4).",
      "Create a namespace for the application and set metadata.namespace.",
      {{},
       {"T1610"},
       {"AC-4", "SC-7", "CM-6"},
       {"CWE-1220"},
       {"https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/"}},
      {"trivy KSV110"}, false));
  out.push_back(Check(
      "BW-K8-038", "No NetworkPolicy selects the workload", Severity::kMedium,
      "Pods that no NetworkPolicy selects accept traffic from every pod in the cluster and may "
      "connect anywhere, so one compromised pod reaches all the others (CIS Kubernetes "
      "Benchmark 5.3.2). Judged over all manifests of the audit; a policy with an empty "
      "podSelector covers its namespace.",
      "Add a default-deny NetworkPolicy (podSelector: {}) to the namespace and allow the needed "
      "flows explicitly.",
      {{},
       {"T1046", "T1190"},
       {"SC-7", "SC-7(5)", "AC-4"},
       {"CWE-923"},
       {"https://kubernetes.io/docs/concepts/services-networking/network-policies/",
        kCisKubernetes}},
      {"kube-score pod-networkpolicy", "polaris missingNetworkPolicy", "trivy KSV038"}, false));
  return out;
}

}  // namespace

std::vector<core::CheckInfo> HygieneCatalog() {
  std::vector<core::CheckInfo> out = RuntimeChecks();
  for (auto* part : {ImageChecks, IdentityChecks, PlacementChecks}) {
    for (core::CheckInfo& info : part()) out.push_back(std::move(info));
  }
  return out;
}

}  // namespace bulwark::audit::k8s
