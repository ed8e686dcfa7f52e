// Internal to the Kubernetes checks: the check IDs, the catalog of their
// metadata, and PodChecker, which runs every per-workload check on one pod
// template and reports through a FindingSink. Cross-file checks live in the
// analyzer (kubernetes_checks.cpp). Not thread-safe: one PodChecker per pod.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/check_registry.hpp"
#include "core/finding_sink.hpp"
#include "parse/kubernetes.hpp"

namespace bulwark::audit::k8s {

// Pod Security Standards controls (baseline, then restricted).
inline constexpr std::string_view kHostProcess = "BW-K8-001";
inline constexpr std::string_view kHostNetwork = "BW-K8-002";
inline constexpr std::string_view kHostPid = "BW-K8-003";
inline constexpr std::string_view kHostIpc = "BW-K8-004";
inline constexpr std::string_view kPrivileged = "BW-K8-005";
inline constexpr std::string_view kCapabilityBeyondBaseline = "BW-K8-006";
inline constexpr std::string_view kDangerousCapability = "BW-K8-007";
inline constexpr std::string_view kCapabilitiesNotDropped = "BW-K8-008";
inline constexpr std::string_view kCapabilityBeyondRestricted = "BW-K8-009";
inline constexpr std::string_view kHostPathVolume = "BW-K8-010";
inline constexpr std::string_view kRuntimeSocket = "BW-K8-011";
inline constexpr std::string_view kVolumeType = "BW-K8-012";
inline constexpr std::string_view kHostPort = "BW-K8-013";
inline constexpr std::string_view kAppArmorUnconfined = "BW-K8-014";
inline constexpr std::string_view kSeLinuxCustom = "BW-K8-015";
inline constexpr std::string_view kProcMount = "BW-K8-016";
inline constexpr std::string_view kSeccompUnconfined = "BW-K8-017";
inline constexpr std::string_view kSeccompNotSet = "BW-K8-018";
inline constexpr std::string_view kUnsafeSysctl = "BW-K8-019";
inline constexpr std::string_view kPrivilegeEscalation = "BW-K8-020";
inline constexpr std::string_view kRunAsNonRoot = "BW-K8-021";
inline constexpr std::string_view kRunAsRootUser = "BW-K8-022";
inline constexpr std::string_view kRootGroup = "BW-K8-023";
// Hardening beyond the Pod Security Standards.
inline constexpr std::string_view kReadOnlyRootFs = "BW-K8-024";
inline constexpr std::string_view kCpuLimit = "BW-K8-025";
inline constexpr std::string_view kMemoryLimit = "BW-K8-026";
inline constexpr std::string_view kCpuRequest = "BW-K8-027";
inline constexpr std::string_view kMemoryRequest = "BW-K8-028";
inline constexpr std::string_view kImageLatest = "BW-K8-029";
inline constexpr std::string_view kImageDigest = "BW-K8-030";
inline constexpr std::string_view kImagePullPolicy = "BW-K8-031";
inline constexpr std::string_view kServiceAccountToken = "BW-K8-032";
inline constexpr std::string_view kDefaultServiceAccount = "BW-K8-033";
inline constexpr std::string_view kSecretInEnv = "BW-K8-034";
inline constexpr std::string_view kSecretAsEnvVar = "BW-K8-035";
inline constexpr std::string_view kHostAliases = "BW-K8-036";
inline constexpr std::string_view kDefaultNamespace = "BW-K8-037";
inline constexpr std::string_view kNoNetworkPolicy = "BW-K8-038";

// Documentation both catalogs cite.
inline constexpr const char* kSecurityContextUrl =
    "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/";
inline constexpr const char* kCisKubernetesUrl = "https://www.cisecurity.org/benchmark/kubernetes";

// A Kubernetes check's metadata (category fixed), for the catalogs.
inline core::CheckInfo KubernetesCheck(std::string id, std::string title, core::Severity severity,
                                       std::string rationale, std::string remediation,
                                       core::References references, std::vector<std::string> peers,
                                       bool fixable) {
  return core::CheckInfo{.id = std::move(id),
                         .title = std::move(title),
                         .severity = severity,
                         .category = core::Category::kKubernetes,
                         .rationale = std::move(rationale),
                         .remediation = std::move(remediation),
                         .references = std::move(references),
                         .fixable = fixable,
                         .peers = std::move(peers)};
}

std::vector<core::CheckInfo> PodSecurityCatalog();  // BW-K8-001..023
std::vector<core::CheckInfo> HygieneCatalog();      // BW-K8-024..038

// A token-mount decision that depends on ServiceAccount objects which may be
// in another file; the analyzer settles it in Finish().
struct PendingTokenCheck {
  core::Location location;
  std::string subject;  // "Deployment/web"
  std::string namespace_name;
  std::string service_account;  // "default" when unset
};

class PodChecker {
 public:
  PodChecker(core::FindingSink& sink, const std::string& path, const parse::k8s::Object& object);

  // Runs every per-workload check. Returns the token check to settle later,
  // if the pod leaves automountServiceAccountToken to its ServiceAccount.
  std::optional<PendingTokenCheck> Run();

 private:
  using Pos = parse::k8s::Pos;
  using Container = parse::k8s::Container;

  // Pod-level controls (kubernetes_checks_pod.cpp).
  void CheckHostNamespaces();
  void CheckVolumes();
  void CheckHostPathVolume(const parse::k8s::Volume& volume);
  void CheckSysctls();
  void CheckPodGroups();
  void CheckHostAliases();
  void CheckNamespace();
  void CheckServiceAccount();
  std::optional<PendingTokenCheck> CheckTokenMount();
  // Container-level controls (kubernetes_checks_container.cpp).
  void CheckContainer(const Container& c);
  void CheckPrivileged(const Container& c);
  void CheckHostProcess(const Container& c);
  void CheckCapabilities(const Container& c);
  void CheckCapabilityDrop(const Container& c);
  void CheckHostPorts(const Container& c);
  void CheckAppArmor(const Container& c);
  void CheckSeLinux(const Container& c);
  void CheckSeccomp(const Container& c);
  void CheckProcMount(const Container& c);
  void CheckPrivilegeEscalation(const Container& c);
  void CheckRunAsNonRoot(const Container& c);
  void CheckRunAsUserAndGroup(const Container& c);
  void CheckReadOnlyRootFs(const Container& c);
  // Hygiene (kubernetes_checks_hygiene.cpp).
  void CheckResources(const Container& c);
  void CheckImage(const Container& c);
  void CheckEnv(const Container& c);

  void Report(std::string_view id, Pos pos, std::string message);
  void Report(std::string_view id, core::Severity severity, Pos pos, std::string message);
  Pos KindPos() const;                            // for pod-level fields that are missing
  Pos NamePos(const Container& c) const;          // for container fields that are missing
  std::string Subject() const;                    // "Deployment/web"
  std::string Subject(const Container& c) const;  // "Deployment/web container 'app'"
  const parse::k8s::SecurityContext& PodContext() const { return spec_.security_context; }

  core::FindingSink& sink_;
  const std::string& path_;
  const parse::k8s::Object& object_;
  const parse::k8s::PodSpec& spec_;
};

// An image reference split into its parts; `templated` when it holds
// variables (`{{ }}`, `${}`, `$()`) that are filled in later.
struct ImageRef {
  std::string name;
  std::string tag;
  std::string digest;
  bool templated = false;
};
ImageRef ParseImageRef(std::string_view image);

// "SYS_ADMIN" from "sys_admin" or "CAP_SYS_ADMIN", as container runtimes read them.
std::string NormalizeCapability(std::string_view name);

}  // namespace bulwark::audit::k8s
