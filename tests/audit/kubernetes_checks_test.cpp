#include "audit/kubernetes_checks.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analyzer_test_util.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "test_support.hpp"

namespace bulwark::audit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

auto SizeIsOne() { return SizeIs(1); }

// Larger than the parser accepts (kMaxManifestBytes, 8 MiB).
constexpr size_t kMaxBytesForTest = (8u << 20) + 1;

using AuditRun = AnalyzerRun;

const core::CheckRegistry& Registry() {
  static const core::CheckRegistry* registry = [] {
    auto* r = new core::CheckRegistry();
    EXPECT_TRUE(RegisterKubernetesChecks(*r).ok());
    return r;
  }();
  return *registry;
}

AuditRun Audit(const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<core::SourceFile> sources;
  for (const auto& [path, text] : files) sources.push_back(core::SourceFile{path, {}, text});
  auto analyzer = MakeKubernetesAnalyzer();
  return RunAnalyzer(*analyzer, Registry(), sources);
}

AuditRun Audit(const std::string& text) { return Audit({{"app.yaml", text}}); }

std::vector<int> Lines(const AuditRun& run, std::string_view id) {
  std::vector<int> out;
  for (const auto& f : run.findings) {
    if (f.id == id) out.push_back(f.location.line);
  }
  return out;
}

const core::Finding* First(const AuditRun& run, std::string_view id) {
  for (const auto& f : run.findings) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

std::string Describe(const AuditRun& run) {
  std::string out;
  for (const auto& f : run.findings) {
    out += f.id + " " + f.location.path + ":" + std::to_string(f.location.line) + " " + f.message +
           "\n";
  }
  for (const auto& d : run.diagnostics) {
    out += "diag " + std::to_string(d.location.line) + " " + d.message + "\n";
  }
  return out;
}

// 1-based line of the n-th (0-based) occurrence of `needle` in `text`.
int LineOf(const std::string& text, const std::string& needle, int nth = 0) {
  size_t at = text.find(needle);
  for (int i = 0; i < nth && at != std::string::npos; ++i) at = text.find(needle, at + 1);
  EXPECT_NE(at, std::string::npos) << "'" << needle << "' not in the manifest";
  if (at == std::string::npos) return -1;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

// Replaces the single occurrence of `from`; a missing or ambiguous anchor is a
// broken test.
std::string Edit(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "'" << from << "' not in the manifest";
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << "'" << from << "' is ambiguous";
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// Passes every check: the base every positive case mutates.
const std::string kHardened = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      serviceAccountName: web
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        fsGroup: 10001
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: app
          image: registry.example.com/web:1.4.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
          imagePullPolicy: Always
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
          resources:
            limits:
              cpu: 500m
              memory: 256Mi
            requests:
              cpu: 100m
              memory: 128Mi
          ports:
            - containerPort: 8080
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir: {}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: ["Ingress", "Egress"]
)";

// Anchors inside kHardened for edits.
const std::string kPodLevel = "      automountServiceAccountToken: false\n";
const std::string kContainerContext = "            allowPrivilegeEscalation: false\n";
const std::string kCapabilities = "            capabilities:\n              drop: [\"ALL\"]\n";
const std::string kVolumes = "      volumes:\n        - name: tmp\n          emptyDir: {}\n";

std::string AddPodField(const std::string& lines) {
  return Edit(kHardened, kPodLevel, kPodLevel + lines);
}
std::string AddContainerField(const std::string& lines) {
  return Edit(kHardened, kContainerContext, kContainerContext + lines);
}
std::string AddVolume(const std::string& lines) {
  return Edit(kHardened, kVolumes, kVolumes + lines);
}

TEST(KubernetesChecks, RegistryMetadataIsComplete) {
  const auto all = Registry().All();
  ASSERT_EQ(all.size(), 38u);
  for (const core::CheckInfo* info : all) {
    SCOPED_TRACE(info->id);
    EXPECT_TRUE(info->id.starts_with("BW-K8-"));
    EXPECT_EQ(info->category, core::Category::kKubernetes);
    EXPECT_FALSE(info->title.empty());
    EXPECT_FALSE(info->rationale.empty());
    EXPECT_FALSE(info->remediation.empty());
    EXPECT_FALSE(info->peers.empty());
    EXPECT_FALSE(info->references.attack.empty());
    EXPECT_FALSE(info->references.nist.empty());
    EXPECT_FALSE(info->references.cwe.empty());
  }
  core::CheckRegistry twice;
  ASSERT_TRUE(RegisterKubernetesChecks(twice).ok());
  EXPECT_FALSE(RegisterKubernetesChecks(twice).ok());  // duplicates are refused
}

std::set<std::string> IdsIn(const nlohmann::json& list, const char* field) {
  std::set<std::string> out;
  for (const auto& item : list) out.insert(item.at(field).get<std::string>());
  return out;
}

TEST(KubernetesChecks, AttackAndNistReferencesExist) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  const auto attack = nlohmann::json::parse(testing::ReadFile(data / "attack-containers.json"));
  const auto nist =
      nlohmann::json::parse(testing::ReadFile(data / "nist-800-53-container-controls.json"));
  const std::set<std::string> techniques = IdsIn(attack.at("techniques"), "id");
  const std::set<std::string> controls = IdsIn(nist.at("controls"), "id");
  for (const core::CheckInfo* info : Registry().All()) {
    for (const auto& t : info->references.attack)
      EXPECT_TRUE(techniques.count(t)) << info->id << " " << t;
    for (const auto& c : info->references.nist)
      EXPECT_TRUE(controls.count(c)) << info->id << " " << c;
  }
}

TEST(KubernetesChecks, HardenedDeploymentHasNoFindings) {
  AuditRun run = Audit(kHardened);
  EXPECT_THAT(run.findings, IsEmpty()) << Describe(run);
  EXPECT_THAT(run.diagnostics, IsEmpty()) << Describe(run);
}

// One positive case per check: an edit of the hardened Deployment, the check
// it must trigger, and the text on the line the finding must point at. Every
// case must trigger exactly that one finding and nothing else.
struct Mutation {
  const char* name;
  std::string text;
  std::string_view id;
  std::string line_of;
  int nth = 0;
};

std::vector<Mutation> Mutations() {
  const std::string none_dropped = Edit(kHardened, kCapabilities, "");
  return {
      {"hostProcess",
       AddContainerField("            windowsOptions:\n              hostProcess: true\n"),
       "BW-K8-001", "hostProcess: true"},
      {"hostNetwork", AddPodField("      hostNetwork: true\n"), "BW-K8-002", "hostNetwork"},
      {"hostPID", AddPodField("      hostPID: true\n"), "BW-K8-003", "hostPID"},
      {"hostIPC", AddPodField("      hostIPC: true\n"), "BW-K8-004", "hostIPC"},
      {"privileged", AddContainerField("            privileged: true\n"), "BW-K8-005",
       "privileged"},
      {"cap beyond baseline",
       Edit(kHardened, "drop: [\"ALL\"]", "drop: [\"ALL\"]\n              add: [IPC_LOCK]"),
       "BW-K8-006", "add: [IPC_LOCK]"},
      {"dangerous cap",
       Edit(kHardened, "drop: [\"ALL\"]",
            "drop: [\"ALL\"]\n              add:\n                - NET_RAW"),
       "BW-K8-007", "- NET_RAW"},
      {"drop not ALL", Edit(kHardened, "drop: [\"ALL\"]", "drop: [\"NET_RAW\"]"), "BW-K8-008",
       "drop:"},
      {"no drop at all", none_dropped, "BW-K8-008", "- name: app"},
      {"cap beyond restricted",
       Edit(kHardened, "drop: [\"ALL\"]", "drop: [\"ALL\"]\n              add: [\"CHOWN\"]"),
       "BW-K8-009", "CHOWN"},
      {"hostPath",
       AddVolume("        - name: data\n          hostPath:\n            path: /srv/data\n"),
       "BW-K8-010", "path: /srv/data"},
      {"docker.sock",
       AddVolume("        - name: sock\n          hostPath: {path: /var/run/docker.sock}\n"),
       "BW-K8-011", "docker.sock"},
      {"nfs volume", AddVolume("        - name: share\n          nfs: {server: nas, path: /x}\n"),
       "BW-K8-012", "nfs:"},
      {"hostPort",
       Edit(kHardened, "- containerPort: 8080",
            "- containerPort: 8080\n              hostPort: 8080"),
       "BW-K8-013", "hostPort"},
      {"apparmor",
       AddContainerField("            appArmorProfile:\n              type: Unconfined\n"),
       "BW-K8-014", "type: Unconfined"},
      {"apparmor annotation",
       Edit(kHardened, "    metadata:\n      labels:",
            "    metadata:\n      annotations:\n        "
            "container.apparmor.security.beta.kubernetes.io/app: "
            "unconfined\n      labels:"),
       "BW-K8-014", "container.apparmor"},
      {"selinux", AddContainerField("            seLinuxOptions:\n              type: spc_t\n"),
       "BW-K8-015", "type: spc_t"},
      {"procMount", AddContainerField("            procMount: Unmasked\n"), "BW-K8-016",
       "procMount"},
      {"seccomp unconfined", AddContainerField("            seccompProfile: {type: Unconfined}\n"),
       "BW-K8-017", "Unconfined"},
      {"seccomp unset",
       Edit(kHardened, "        seccompProfile:\n          type: RuntimeDefault\n", ""),
       "BW-K8-018", "- name: app"},
      {"sysctl",
       Edit(kHardened, "        fsGroup: 10001\n",
            "        fsGroup: 10001\n        sysctls:\n          - name: net.core.somaxconn\n"
            "            value: \"1024\"\n"),
       "BW-K8-019", "net.core.somaxconn"},
      {"no privilege escalation setting", Edit(kHardened, kContainerContext, ""), "BW-K8-020",
       "- name: app"},
      {"runAsNonRoot unset", Edit(kHardened, "        runAsNonRoot: true\n", ""), "BW-K8-021",
       "- name: app"},
      {"runAsNonRoot false", AddContainerField("            runAsNonRoot: false\n"), "BW-K8-021",
       "runAsNonRoot: false"},
      {"runAsUser 0", AddContainerField("            runAsUser: 0\n"), "BW-K8-022", "runAsUser: 0"},
      {"runAsGroup 0", AddContainerField("            runAsGroup: 0\n"), "BW-K8-023",
       "runAsGroup: 0"},
      {"fsGroup 0", Edit(kHardened, "fsGroup: 10001", "fsGroup: 0"), "BW-K8-023", "fsGroup: 0"},
      {"supplementalGroups 0",
       Edit(kHardened, "fsGroup: 10001",
            "fsGroup: 10001\n        supplementalGroups:\n          - 0"),
       "BW-K8-023", "- 0"},
      {"writable root",
       Edit(kHardened, "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false"),
       "BW-K8-024", "readOnlyRootFilesystem"},
      {"read-only unset", Edit(kHardened, "            readOnlyRootFilesystem: true\n", ""),
       "BW-K8-024", "- name: app"},
      {"cpu limit", Edit(kHardened, "              cpu: 500m\n", ""), "BW-K8-025", "limits:"},
      {"memory limit", Edit(kHardened, "              memory: 256Mi\n", ""), "BW-K8-026",
       "limits:"},
      {"cpu request", Edit(kHardened, "              cpu: 100m\n", ""), "BW-K8-027", "requests:"},
      {"memory request", Edit(kHardened, "              memory: 128Mi\n", ""), "BW-K8-028",
       "requests:"},
      {"latest",
       Edit(kHardened,
            "web:1.4.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "web:latest"),
       "BW-K8-029", "image:"},
      {"untagged",
       Edit(kHardened,
            "web:1.4.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "web"),
       "BW-K8-029", "image:"},
      {"no digest",
       Edit(kHardened, "@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            ""),
       "BW-K8-030", "image:"},
      {"token true",
       Edit(kHardened, "automountServiceAccountToken: false", "automountServiceAccountToken: true"),
       "BW-K8-032", "automountServiceAccountToken"},
      {"token unset", Edit(kHardened, kPodLevel, ""), "BW-K8-032", "kind: Deployment"},
      {"default sa", Edit(kHardened, "serviceAccountName: web", "serviceAccountName: default"),
       "BW-K8-033", "serviceAccountName"},
      {"no sa", Edit(kHardened, "      serviceAccountName: web\n", ""), "BW-K8-033",
       "kind: Deployment"},
      {"literal secret",
       Edit(kHardened, "          ports:\n",
            "          env:\n            - name: DB_PASSWORD\n              value: s3cr3t-pa55\n"
            "          ports:\n"),
       "BW-K8-034", "value: s3cr3t"},
      {"secretKeyRef",
       Edit(kHardened, "          ports:\n",
            "          env:\n            - name: DB_PASSWORD\n              valueFrom:\n"
            "                secretKeyRef: {name: db, key: password}\n          ports:\n"),
       "BW-K8-035", "secretKeyRef"},
      {"envFrom secret",
       Edit(kHardened, "          ports:\n",
            "          envFrom:\n            - secretRef: {name: db}\n          ports:\n"),
       "BW-K8-035", "- secretRef"},
      {"hostAliases",
       AddPodField("      hostAliases:\n        - ip: 10.1.1.1\n          hostnames: [db]\n"),
       "BW-K8-036", "hostAliases"},
      {"explicit default namespace",
       Edit(Edit(kHardened, "  name: web\n  namespace: shop", "  name: web\n  namespace: default"),
            "  name: default-deny\n  namespace: shop",
            "  name: default-deny\n  namespace: default"),
       "BW-K8-037", "namespace: default"},
      {"no namespace",
       Edit(Edit(kHardened, "  name: web\n  namespace: shop\n", "  name: web\n"),
            "  name: default-deny\n  namespace: shop\n", "  name: default-deny\n"),
       "BW-K8-037", "kind: Deployment"},
      {"no network policy", kHardened.substr(0, kHardened.find("---\n")), "BW-K8-038",
       "kind: Deployment"},
      {"policy in another namespace",
       Edit(kHardened, "  name: default-deny\n  namespace: shop",
            "  name: default-deny\n  namespace: other"),
       "BW-K8-038", "kind: Deployment"},
  };
}

TEST(KubernetesChecks, EachCheckFiresAloneAtTheOffendingLine) {
  for (const Mutation& m : Mutations()) {
    SCOPED_TRACE(m.name);
    AuditRun run = Audit(m.text);
    EXPECT_THAT(run.diagnostics, IsEmpty()) << Describe(run);
    EXPECT_THAT(Lines(run, m.id), ElementsAre(LineOf(m.text, m.line_of, m.nth))) << Describe(run);
    EXPECT_EQ(run.findings.size(), 1u) << Describe(run);
    if (const core::Finding* f = First(run, m.id)) {
      EXPECT_EQ(f->location.path, "app.yaml");
      EXPECT_THAT(f->message, HasSubstr("Deployment/web"));
      EXPECT_GT(f->location.column, 0);
    }
  }
}

// A bare Pod, for cases that need several containers or pod-level fields.
std::string Pod(const std::string& spec) {
  return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\nspec:\n" + spec;
}

std::vector<core::Severity> Severities(const AuditRun& run, std::string_view id) {
  std::vector<core::Severity> out;
  for (const auto& f : run.findings) {
    if (f.id == id) out.push_back(f.severity);
  }
  return out;
}

std::string WithCaps(const std::string& add) {
  return Edit(kHardened, "drop: [\"ALL\"]", "drop: [\"ALL\"]\n              add: " + add);
}

TEST(KubernetesChecks, CapabilityTiers) {
  using core::Severity;
  EXPECT_THAT(Severities(Audit(WithCaps("[SYS_ADMIN]")), "BW-K8-007"),
              ElementsAre(Severity::kCritical));
  EXPECT_THAT(Severities(Audit(WithCaps("[cap_sys_module]")), "BW-K8-007"),
              ElementsAre(Severity::kCritical));
  EXPECT_THAT(Severities(Audit(WithCaps("[ALL]")), "BW-K8-007"), ElementsAre(Severity::kCritical));
  EXPECT_THAT(Severities(Audit(WithCaps("[SYS_PTRACE]")), "BW-K8-007"),
              ElementsAre(Severity::kHigh));
  // A dangerous capability is reported once, by the most specific check.
  AuditRun both = Audit(WithCaps("[NET_ADMIN, SETUID, WAKE_ALARM]"));
  EXPECT_THAT(Lines(both, "BW-K8-007"), SizeIsOne());
  EXPECT_THAT(Lines(both, "BW-K8-009"), SizeIsOne());
  EXPECT_THAT(Lines(both, "BW-K8-006"), SizeIsOne());
  EXPECT_EQ(both.findings.size(), 3u) << Describe(both);
  // Negative: NET_BIND_SERVICE is the one capability restricted allows.
  EXPECT_THAT(Audit(WithCaps("[NET_BIND_SERVICE]")).findings, IsEmpty());
  // PSS admission accepts only the exact word ALL in drop.
  EXPECT_THAT(Lines(Audit(Edit(kHardened, "drop: [\"ALL\"]", "drop: [all]")), "BW-K8-008"),
              SizeIsOne());
  EXPECT_THAT(Lines(Audit(Edit(kHardened, "drop: [\"ALL\"]", "drop: [CAP_ALL]")), "BW-K8-008"),
              SizeIsOne());
}

std::string WithHostPath(const std::string& path) {
  return AddVolume("        - name: host\n          hostPath:\n            path: " + path + "\n");
}

TEST(KubernetesChecks, HostPathSeverityFollowsThePath) {
  using core::Severity;
  EXPECT_THAT(Severities(Audit(WithHostPath("/")), "BW-K8-010"), ElementsAre(Severity::kCritical));
  EXPECT_THAT(Severities(Audit(WithHostPath("/var/log")), "BW-K8-010"),
              ElementsAre(Severity::kHigh));
  EXPECT_THAT(Severities(Audit(WithHostPath("/proc/sys")), "BW-K8-010"),
              ElementsAre(Severity::kHigh));
  EXPECT_THAT(Severities(Audit(WithHostPath("/etc")), "BW-K8-010"), ElementsAre(Severity::kHigh));
  EXPECT_THAT(Severities(Audit(WithHostPath("/etc/ssl/certs")), "BW-K8-010"),
              ElementsAre(Severity::kMedium));
  EXPECT_THAT(Severities(Audit(WithHostPath("/procfs")), "BW-K8-010"),
              ElementsAre(Severity::kMedium));
  for (const char* socket : {"/run/containerd/containerd.sock", "//var/run/./docker.sock",
                             "/var/run/", "/var/lib/../run/crio/crio.sock"}) {
    AuditRun run = Audit(WithHostPath(socket));
    EXPECT_THAT(Lines(run, "BW-K8-011"), SizeIsOne()) << socket;
    EXPECT_THAT(Lines(run, "BW-K8-010"), IsEmpty()) << socket;
  }
}

TEST(KubernetesChecks, AllowedValuesAreNotReported) {
  const std::vector<std::pair<const char*, std::string>> negatives = {
      {"hostPort 0", Edit(kHardened, "- containerPort: 8080",
                          "- containerPort: 8080\n              hostPort: 0")},
      {"host namespaces false",
       AddPodField("      hostNetwork: false\n      hostPID: false\n      hostIPC: false\n")},
      {"privileged false", AddContainerField("            privileged: false\n")},
      {"hostProcess false",
       AddContainerField("            windowsOptions: {hostProcess: false}\n")},
      {"apparmor runtime default",
       AddContainerField("            appArmorProfile: {type: RuntimeDefault}\n")},
      {"selinux container_t",
       AddContainerField("            seLinuxOptions: {type: container_t, level: \"s0:c1\"}\n")},
      {"procMount Default", AddContainerField("            procMount: Default\n")},
      {"seccomp localhost",
       AddContainerField(
           "            seccompProfile: {type: Localhost, localhostProfile: p.json}\n")},
      {"safe sysctls",
       Edit(kHardened, "fsGroup: 10001",
            "fsGroup: 10001\n        sysctls: [{name: kernel/shm_rmid_forced, value: \"1\"}, "
            "{name: net.ipv4.ip_local_port_range, value: \"1024 65000\"}]")},
      {"csi and projected volumes",
       AddVolume("        - name: a\n          csi: {driver: x}\n"
                 "        - name: b\n          projected: {sources: []}\n")},
      {"runAsUser non-zero in container", AddContainerField("            runAsUser: 1000\n")},
      {"token false via account",
       Edit(kHardened, kPodLevel, "") +
           "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\n"
           "automountServiceAccountToken: false\n"},
  };
  for (const auto& [name, text] : negatives) {
    AuditRun run = Audit(text);
    EXPECT_THAT(run.findings, IsEmpty()) << name << "\n" << Describe(run);
  }
}

TEST(KubernetesChecks, AppArmorPrecedence) {
  const std::string pod_unconfined =
      Edit(kHardened, "        fsGroup: 10001\n",
           "        fsGroup: 10001\n        appArmorProfile: {type: Unconfined}\n");
  AuditRun inherited = Audit(pod_unconfined);
  EXPECT_THAT(Lines(inherited, "BW-K8-014"),
              ElementsAre(LineOf(pod_unconfined, "appArmorProfile")));
  EXPECT_THAT(First(inherited, "BW-K8-014")->message, HasSubstr("from the pod's securityContext"));
  // The container's own field, then its annotation, override the pod's.
  EXPECT_THAT(
      Audit(Edit(pod_unconfined, kContainerContext,
                 kContainerContext + "            appArmorProfile: {type: RuntimeDefault}\n"))
          .findings,
      IsEmpty());
  EXPECT_THAT(
      Audit(
          Edit(
              pod_unconfined, "    metadata:\n      labels:",
              "    metadata:\n      annotations:\n        "
              "container.apparmor.security.beta.kubernetes.io/app: runtime/default\n      labels:"))
          .findings,
      IsEmpty());
}

TEST(KubernetesChecks, SeLinuxUserRoleAndPodLevel) {
  const std::string text =
      Edit(kHardened, "        fsGroup: 10001\n",
           "        fsGroup: 10001\n        seLinuxOptions:\n          user: system_u\n"
           "          role: system_r\n");
  AuditRun run = Audit(text);
  EXPECT_THAT(Lines(run, "BW-K8-015"), ElementsAre(LineOf(text, "user: system_u")));
  EXPECT_THAT(First(run, "BW-K8-015")->message, HasSubstr("user system_u, role system_r"));
}

// Pod-level values are judged per container: once for each, never again at
// the pod level.
TEST(KubernetesChecks, PodLevelValuesReportedOncePerContainer) {
  const std::string text = Pod(R"(  automountServiceAccountToken: false
  serviceAccountName: p
  securityContext:
    runAsUser: 0
    seccompProfile: {type: Unconfined}
  initContainers:
    - name: init
      image: busybox:1.36@sha256:aa
      securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
      resources: {limits: {cpu: 1, memory: 1Gi}, requests: {cpu: 1, memory: 1Gi}}
  containers:
    - name: one
      image: busybox:1.36@sha256:aa
      securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
      resources: {limits: {cpu: 1, memory: 1Gi}, requests: {cpu: 1, memory: 1Gi}}
    - name: two
      image: busybox:1.36@sha256:aa
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
        seccompProfile: {type: RuntimeDefault}
        runAsUser: 1000
        runAsNonRoot: true
      resources: {limits: {cpu: 1, memory: 1Gi}, requests: {cpu: 1, memory: 1Gi}}
)") + "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n, namespace: "
      "shop}\n"
      "spec: {podSelector: {}}\n";
  AuditRun run = Audit(text);
  const int user_line = LineOf(text, "runAsUser: 0");
  const int seccomp_line = LineOf(text, "Unconfined");
  EXPECT_THAT(Lines(run, "BW-K8-022"), ElementsAre(user_line, user_line)) << Describe(run);
  EXPECT_THAT(Lines(run, "BW-K8-017"), ElementsAre(seccomp_line, seccomp_line));
  EXPECT_THAT(Lines(run, "BW-K8-021"),
              UnorderedElementsAre(LineOf(text, "- name: init"), LineOf(text, "- name: one")));
  std::string messages;
  for (const auto& f : run.findings) messages += f.message + "\n";
  EXPECT_THAT(messages, HasSubstr("Pod/p initContainer 'init' sets runAsUser: 0 (from the pod's"));
  EXPECT_THAT(messages, HasSubstr("Pod/p container 'one' sets seccompProfile type Unconfined"));
  EXPECT_THAT(messages, Not(HasSubstr("'two'")));
  EXPECT_EQ(run.findings.size(), 6u) << Describe(run);
}

TEST(KubernetesChecks, WindowsPodsAreExemptFromLinuxControls) {
  const std::string bare = Edit(Edit(Edit(kHardened, kContainerContext, ""), kCapabilities, ""),
                                "            readOnlyRootFilesystem: true\n", "");
  const std::string linux_pod =
      Edit(bare, "        seccompProfile:\n          type: RuntimeDefault\n", "");
  AuditRun on_linux = Audit(linux_pod);
  for (const char* id : {"BW-K8-008", "BW-K8-018", "BW-K8-020", "BW-K8-024"}) {
    EXPECT_THAT(Lines(on_linux, id), SizeIsOne()) << id;
  }
  AuditRun on_windows =
      Audit(Edit(linux_pod, kPodLevel, kPodLevel + "      os: {name: windows}\n"));
  EXPECT_THAT(on_windows.findings, IsEmpty()) << Describe(on_windows);
}

TEST(KubernetesChecks, ExplicitPrivilegeEscalationIsHigh) {
  const std::string text =
      Edit(kHardened, "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true");
  AuditRun run = Audit(text);
  EXPECT_THAT(Lines(run, "BW-K8-020"), ElementsAre(LineOf(text, "allowPrivilegeEscalation")));
  EXPECT_THAT(Severities(run, "BW-K8-020"), ElementsAre(core::Severity::kHigh));
}

TEST(KubernetesChecks, MissingResourcesPointAtTheContainer) {
  const std::string text =
      Edit(kHardened,
           "          resources:\n            limits:\n              cpu: 500m\n"
           "              memory: 256Mi\n            requests:\n              cpu: 100m\n"
           "              memory: 128Mi\n",
           "");
  AuditRun run = Audit(text);
  const int name = LineOf(text, "- name: app");
  for (const char* id : {"BW-K8-025", "BW-K8-026", "BW-K8-027", "BW-K8-028"}) {
    EXPECT_THAT(Lines(run, id), ElementsAre(name)) << id;
  }
  EXPECT_EQ(run.findings.size(), 4u);
  // Ephemeral containers may not set resources: nothing to report for them.
  const std::string debug =
      Edit(kHardened, kVolumes,
           kVolumes +
               "      ephemeralContainers:\n        - name: debug\n"
               "          image: busybox@sha256:aa\n"
               "          securityContext: {allowPrivilegeEscalation: false, "
               "readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}\n");
  EXPECT_THAT(Audit(debug).findings, IsEmpty()) << Describe(Audit(debug));
}

std::string WithImage(const std::string& image, const std::string& policy) {
  std::string text =
      Edit(kHardened,
           "registry.example.com/web:1.4.2@sha256:0123456789abcdef0123456789abcdef0123456789"
           "abcdef0123456789abcdef",
           image);
  return Edit(text, "          imagePullPolicy: Always\n",
              policy.empty() ? "" : "          imagePullPolicy: " + policy + "\n");
}

TEST(KubernetesChecks, ImagePullPolicyForMutableTags) {
  const std::string explicit_policy = WithImage("nginx:1.25", "IfNotPresent");
  AuditRun run = Audit(explicit_policy);
  EXPECT_THAT(Lines(run, "BW-K8-031"), ElementsAre(LineOf(explicit_policy, "imagePullPolicy")));
  EXPECT_THAT(Lines(run, "BW-K8-030"), ElementsAre(LineOf(explicit_policy, "image: nginx")));
  const std::string default_policy = WithImage("nginx:1.25", "");
  EXPECT_THAT(Lines(Audit(default_policy), "BW-K8-031"),
              ElementsAre(LineOf(default_policy, "- name: app")));
  EXPECT_THAT(First(Audit(default_policy), "BW-K8-031")->message,
              HasSubstr("IfNotPresent (the default)"));
  // Negatives: a digest is immutable; :latest defaults to Always.
  EXPECT_THAT(Audit(WithImage("nginx@sha256:aa", "IfNotPresent")).findings, IsEmpty());
  EXPECT_THAT(Lines(Audit(WithImage("nginx:latest", "")), "BW-K8-031"), IsEmpty());
  EXPECT_THAT(Lines(Audit(WithImage("localhost:5000/nginx", "")), "BW-K8-029"), SizeIsOne());
  EXPECT_THAT(Audit(WithImage("\"{{ .Values.image }}\"", "")).findings, IsEmpty());
}

std::string WithEnv(const std::string& entries) {
  return Edit(kHardened, "          ports:\n", "          env:\n" + entries + "          ports:\n");
}

TEST(KubernetesChecks, SecretsInEnvironment) {
  for (const char* value : {"postgres://app:hunter22@db:5432/app", "AKIAABCDEFGHIJKLMNOP",
                            "ghp_0123456789abcdefghijklmnopqrstuvwxyz"}) {
    const std::string text = WithEnv("            - name: CONFIG\n              value: \"" +
                                     std::string(value) + "\"\n");
    AuditRun run = Audit(text);
    EXPECT_THAT(Lines(run, "BW-K8-034"), ElementsAre(LineOf(text, "value:"))) << value;
    EXPECT_THAT(Describe(run), Not(HasSubstr(value)));  // never echo the secret
  }
  const std::string benign = WithEnv(
      "            - {name: LOG_LEVEL, value: debug}\n"
      "            - {name: DB_PASSWORD_FILE, value: /run/secrets/db}\n"
      "            - {name: TOKEN_TTL, value: \"3600\"}\n"
      "            - {name: API_KEY, value: \"$(API_KEY_FROM_SECRET)\"}\n"
      "            - {name: SECRET, value: \"\"}\n"
      "            - {name: ACCESS_KEY, value: INSERT_YOUR_KEY}\n"
      "            - {name: AUTH_TOKEN, value: \"<token>\"}\n"
      "            - {name: PWD, value: /app}\n");
  EXPECT_THAT(Audit(benign).findings, IsEmpty()) << Describe(Audit(benign));
  // Secrets referenced through env: one finding per container, at the first.
  const std::string refs = WithEnv(
      "            - name: A\n              valueFrom: {secretKeyRef: {name: s, key: a}}\n"
      "            - name: B\n              valueFrom: {secretKeyRef: {name: s, key: b}}\n"
      "            - name: C\n              valueFrom: {configMapKeyRef: {name: c, key: c}}\n");
  AuditRun ref_run = Audit(refs);
  EXPECT_THAT(Lines(ref_run, "BW-K8-035"), ElementsAre(LineOf(refs, "secretKeyRef")));
  EXPECT_THAT(First(ref_run, "BW-K8-035")->message, HasSubstr("A (secret 's'), B (secret 's')"));
}

std::string Policy(const std::string& ns, const std::string& selector) {
  return "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: " +
         ns + "}\nspec:\n  podSelector: " + selector + "\n";
}

TEST(KubernetesChecks, NetworkPolicyCoverageAcrossFiles) {
  const std::string deployment = kHardened.substr(0, kHardened.find("---\n"));
  auto uncovered = [&](const std::string& selector) {
    return Lines(Audit({{"deploy.yaml", deployment}, {"policy.yaml", Policy("shop", selector)}}),
                 "BW-K8-038");
  };
  EXPECT_THAT(uncovered("{}"), IsEmpty());
  EXPECT_THAT(uncovered("{matchLabels: {app: web}}"), IsEmpty());
  EXPECT_THAT(uncovered("{matchExpressions: [{key: app, operator: In, values: [web, api]}]}"),
              IsEmpty());
  EXPECT_THAT(uncovered("{matchExpressions: [{key: tier, operator: DoesNotExist}]}"), IsEmpty());
  EXPECT_THAT(uncovered("{matchExpressions: [{key: app, operator: Exists}]}"), IsEmpty());
  EXPECT_THAT(uncovered("{matchLabels: {app: api}}"), ElementsAre(2));
  EXPECT_THAT(uncovered("{matchExpressions: [{key: app, operator: NotIn, values: [web]}]}"),
              ElementsAre(2));
  EXPECT_THAT(uncovered("{matchExpressions: [{key: app, operator: Bogus}]}"), ElementsAre(2));
  AuditRun partial = Audit(
      {{"deploy.yaml", deployment}, {"policy.yaml", Policy("shop", "{matchLabels: {app: api}}")}});
  EXPECT_THAT(First(partial, "BW-K8-038")->message,
              HasSubstr("selects the pods of Deployment/web"));
  EXPECT_EQ(First(partial, "BW-K8-038")->location.path, "deploy.yaml");
  // Without any workload there is nothing to protect.
  EXPECT_THAT(Audit("apiVersion: v1\nkind: Service\nmetadata: {name: s}\n").findings, IsEmpty());
  // One finding per uncovered namespace, naming its workloads.
  AuditRun two =
      Audit({{"a.yaml", deployment}, {"b.yaml", Edit(deployment, "name: web", "name: api")}});
  EXPECT_THAT(Lines(two, "BW-K8-038"), ElementsAre(2));
  EXPECT_THAT(First(two, "BW-K8-038")->message,
              HasSubstr("namespace 'shop' has 2 workload(s) (Deployment/web, Deployment/api)"));
}

TEST(KubernetesChecks, ServiceAccountElsewhereOrInAnotherNamespace) {
  const std::string deployment = Edit(kHardened.substr(0, kHardened.find("---\n")), kPodLevel, "");
  const std::string account =
      "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: NS}\n"
      "automountServiceAccountToken: false\n";
  const std::string policy = Policy("shop", "{}");
  AuditRun same =
      Audit({{"d.yaml", deployment}, {"sa.yaml", Edit(account, "NS", "shop")}, {"p.yaml", policy}});
  EXPECT_THAT(same.findings, IsEmpty()) << Describe(same);
  AuditRun other = Audit(
      {{"d.yaml", deployment}, {"sa.yaml", Edit(account, "NS", "other")}, {"p.yaml", policy}});
  EXPECT_THAT(Lines(other, "BW-K8-032"), ElementsAre(2));
}

TEST(KubernetesChecks, EveryWorkloadKindIsChecked) {
  const std::string container =
      "containers: [{name: c, image: busybox, securityContext: {privileged: true}}]";
  const std::vector<std::string> manifests = {
      "apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec: {" + container + "}\n",
      "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: w}\nspec:\n  jobTemplate:\n    spec:\n"
      "      template:\n        spec: {" +
          container + "}\n",
      "apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: DaemonSet\n  metadata: "
      "{name: w}\n"
      "  spec: {template: {spec: {" +
          container + "}}}\n",
  };
  for (const std::string& text : manifests) {
    AuditRun run = Audit(text);
    EXPECT_THAT(Lines(run, "BW-K8-005"), ElementsAre(LineOf(text, "privileged"))) << text;
  }
}

TEST(KubernetesChecks, BadInputBecomesDiagnosticsNotFindings) {
  const std::vector<std::string> inputs = {
      std::string("\0\1\2binary", 9), "apiVersion: v1\nkind: Pod\nmetadata: {name: [\n",
      std::string(200000, '['), "\xff\xfe\xfd: \xc0\xaf\n", std::string(kMaxBytesForTest, 'a')};
  for (const std::string& input : inputs) {
    AuditRun run = Audit(input);
    EXPECT_THAT(run.findings, IsEmpty());
    EXPECT_THAT(run.diagnostics, Not(IsEmpty())) << input.substr(0, 20);
  }
  // A broken file does not stop the others.
  AuditRun mixed = Audit({{"bad.yaml", "a: [\n"}, {"good.yaml", kHardened}});
  EXPECT_THAT(mixed.findings, IsEmpty());
  ASSERT_THAT(mixed.diagnostics, SizeIsOne());
  EXPECT_EQ(mixed.diagnostics[0].location.path, "bad.yaml");
}

TEST(KubernetesChecks, KubernetesExamplesCorpus) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  const auto root = data / "corpus" / "kubernetes-examples";
  core::FindingSink sink(Registry());
  auto analyzer = MakeKubernetesAnalyzer();
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const auto ext = entry.path().extension();
    if (!entry.is_regular_file() || (ext != ".yaml" && ext != ".yml")) continue;
    ++files;
    analyzer->Analyze(core::SourceFile{std::filesystem::relative(entry.path(), root).string(),
                                       entry.path(), testing::ReadFile(entry.path())},
                      sink);
  }
  analyzer->Finish(sink);
  EXPECT_GE(files, 240);
  EXPECT_LE(sink.diagnostics().size(), 5u);
  std::map<std::string, int> per_check;
  for (const core::Finding& f : sink.findings()) {
    ++per_check[f.id];
    EXPECT_GT(f.location.line, 0) << f.id << " " << f.message;
    EXPECT_GT(f.location.column, 0) << f.id << " " << f.message;
    EXPECT_FALSE(f.remediation.empty());
  }
  // Known content of kubernetes/examples: privileged agents mounting
  // docker.sock, host namespaces, and many unhardened workloads.
  EXPECT_GE(per_check["BW-K8-005"], 5);
  EXPECT_GE(per_check["BW-K8-011"], 3);
  EXPECT_GE(per_check["BW-K8-002"], 2);
  EXPECT_GE(per_check["BW-K8-020"], 120);
  EXPECT_GE(per_check["BW-K8-038"], 1);
}

}  // namespace
}  // namespace bulwark::audit
