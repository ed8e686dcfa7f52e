// The Kubernetes fixer: exact before/after texts for every fix, the pod
// kinds and file shapes it meets (multi-document streams, Lists, CronJobs,
// flow style, CRLF, indentless lists, anchors), idempotency, refusal of
// text that does not parse, and the audit as the judge: what it fixed is no
// longer reported and nothing new is.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "audit/audit_runner.hpp"
#include "audit/check_suite.hpp"
#include "audit/kubernetes_checks.hpp"
#include "core/finding_sink.hpp"
#include "fix/fixer.hpp"
#include "test_support.hpp"

namespace bulwark::fix {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const core::CheckRegistry& Registry() {
  static const core::CheckRegistry* registry = [] {
    auto* r = new core::CheckRegistry();
    EXPECT_TRUE(audit::RegisterKubernetesChecks(*r).ok());
    return r;
  }();
  return *registry;
}

std::vector<core::Finding> AuditText(std::string_view text) {
  auto analyzer = audit::MakeKubernetesAnalyzer();
  core::FindingSink sink(Registry());
  analyzer->Analyze(core::SourceFile{"k8s/app.yaml", {}, std::string(text)}, sink);
  analyzer->Finish(sink);
  EXPECT_THAT(sink.diagnostics(), IsEmpty()) << sink.diagnostics().front().message;
  return sink.findings();
}

std::set<std::string> Ids(const std::vector<core::Finding>& findings) {
  std::set<std::string> ids;
  for (const core::Finding& f : findings) ids.insert(f.id);
  return ids;
}

struct Fixed {
  std::string after;
  FixPlan plan;
};

// Plans the fixes of the audit's fixable findings (only those of `only`
// when given) and applies them.
Fixed FixText(std::string_view text, std::set<std::string> only = {}, FixOptions options = {}) {
  auto fixer = MakeKubernetesFixer();
  const std::set<std::string> fixable = fixer->FixableChecks();
  FixRequest request{"/work/k8s/app.yaml", text, {}, &options};
  for (const core::Finding& f : AuditText(text)) {
    if (fixable.count(f.id) != 0 && (only.empty() || only.count(f.id) != 0)) {
      request.findings.push_back(f);
    }
  }
  auto plan = fixer->Plan(request);
  EXPECT_TRUE(plan.ok()) << plan.status().message();
  if (!plan.ok()) return {"<error>", {}};
  auto after = ApplyEdits(text, plan->edits);
  EXPECT_TRUE(after.ok()) << after.status().message();
  return {after.ok() ? *after : "<error>", std::move(plan).value()};
}

// Fixes, then requires what the audit judges: the fixed IDs are gone, no
// new ID appears, and a second run changes nothing.
std::string FixAndJudge(std::string_view text, std::set<std::string> only = {},
                        FixOptions options = {}) {
  const std::set<std::string> before = Ids(AuditText(text));
  Fixed fixed = FixText(text, only, options);
  const std::set<std::string> after = Ids(AuditText(fixed.after));
  for (const std::string& id : fixed.plan.fixed_ids) {
    EXPECT_EQ(after.count(id), 0u) << id << " still reported after the fix:\n" << fixed.after;
  }
  for (const std::string& id : after) {
    EXPECT_EQ(before.count(id), 1u) << "the fix introduced " << id << ":\n" << fixed.after;
  }
  Fixed again = FixText(fixed.after, only, options);
  EXPECT_THAT(again.plan.edits, IsEmpty()) << "not idempotent:\n" << again.after;
  return fixed.after;
}

// A Deployment whose pod spec (at 6 spaces) and container (at 10) are
// given; the rest keeps the checks this test is not about quiet.
std::string Deployment(std::string_view pod, std::string_view container) {
  return std::string(
             "apiVersion: apps/v1\n"
             "kind: Deployment\n"
             "metadata:\n"
             "  name: web\n"
             "  namespace: shop\n"
             "spec:\n"
             "  selector:\n"
             "    matchLabels: {app: web}\n"
             "  template:\n"
             "    metadata:\n"
             "      labels: {app: web}\n"
             "    spec:\n") +
         std::string(pod) +
         "      containers:\n"
         "        - name: app\n"
         "          image: registry.example.com/web:1.4.2\n" +
         std::string(container);
}

constexpr const char* kHardened =
    "          securityContext:\n"
    "            runAsNonRoot: true\n"
    "            runAsUser: 10001\n"
    "            allowPrivilegeEscalation: false\n"
    "            readOnlyRootFilesystem: true\n"
    "            capabilities: {drop: [ALL]}\n"
    "            seccompProfile: {type: RuntimeDefault}\n"
    "          resources:\n"
    "            requests: {cpu: 100m, memory: 128Mi}\n"
    "            limits: {cpu: 500m, memory: 512Mi}\n"
    "          imagePullPolicy: Always\n";

TEST(KubernetesFixer, FixesEveryGapOfABareContainerInOneSecurityContext) {
  const std::string before = Deployment("", "");
  EXPECT_EQ(FixAndJudge(before), before +
                                     "          imagePullPolicy: Always\n"
                                     "          resources:\n"
                                     "            requests:\n"
                                     "              cpu: 100m\n"
                                     "              memory: 128Mi\n"
                                     "            limits:\n"
                                     "              cpu: 500m\n"
                                     "              memory: 512Mi\n"
                                     "          securityContext:\n"
                                     "            runAsNonRoot: true\n"
                                     "            runAsUser: 10001\n"
                                     "            runAsGroup: 10001\n"
                                     "            allowPrivilegeEscalation: false\n"
                                     "            readOnlyRootFilesystem: true\n"
                                     "            capabilities:\n"
                                     "              drop:\n"
                                     "                - ALL\n"
                                     "          volumeMounts:\n"
                                     "            - name: tmp\n"
                                     "              mountPath: /tmp\n"
                                     "      automountServiceAccountToken: false\n"
                                     "      securityContext:\n"
                                     "        seccompProfile:\n"
                                     "          type: RuntimeDefault\n"
                                     "      volumes:\n"
                                     "        - name: tmp\n"
                                     "          emptyDir: {}\n");
}

TEST(KubernetesFixer, AHardenedContainerIsLeftAlone) {
  const std::string text = Deployment("      automountServiceAccountToken: false\n", kHardened);
  Fixed fixed = FixText(text);
  EXPECT_THAT(fixed.plan.edits, IsEmpty());
  EXPECT_EQ(fixed.after, text);
}

TEST(KubernetesFixer, CapabilitiesDropAllJoinsAnExistingListAndKeepsPortsBelow1024) {
  const std::string before = Deployment("",
                                        "          ports:\n"
                                        "            - containerPort: 80\n"
                                        "          securityContext:\n"
                                        "            capabilities:\n"
                                        "              drop: [NET_RAW]  # ping is not needed\n");
  EXPECT_EQ(FixAndJudge(before, {"BW-K8-008"}),
            Deployment("",
                       "          ports:\n"
                       "            - containerPort: 80\n"
                       "          securityContext:\n"
                       "            capabilities:\n"
                       "              drop: [NET_RAW, ALL]  # ping is not needed\n"
                       "              add:\n"
                       "                - NET_BIND_SERVICE\n"));
}

TEST(KubernetesFixer, AddedCapabilitiesAreRemovedOneByOne) {
  const std::string before = Deployment("",
                                        "          securityContext:\n"
                                        "            capabilities:\n"
                                        "              add:\n"
                                        "                - SYS_ADMIN   # for mount\n"
                                        "                - NET_BIND_SERVICE\n"
                                        "                - CHOWN\n"
                                        "                - SYS_NICE\n"
                                        "              drop: [ALL]\n");
  EXPECT_EQ(FixAndJudge(before, {"BW-K8-006", "BW-K8-007", "BW-K8-009"}),
            Deployment("",
                       "          securityContext:\n"
                       "            capabilities:\n"
                       "              add:\n"
                       "                - NET_BIND_SERVICE\n"
                       "              drop: [ALL]\n"));
}

TEST(KubernetesFixer, PrivilegeEscalationIsNotDisabledBesidePrivilegedMode) {
  const std::string privileged = Deployment("",
                                            "          securityContext:\n"
                                            "            privileged: true\n");
  Fixed alone = FixText(privileged, {"BW-K8-020"});
  EXPECT_EQ(alone.after, privileged);  // Kubernetes would refuse the pair
  ASSERT_EQ(alone.plan.notes.size(), 1u);
  EXPECT_THAT(alone.plan.notes[0].message, HasSubstr("is privileged"));

  EXPECT_EQ(FixAndJudge(privileged, {"BW-K8-005", "BW-K8-020"}),
            Deployment("",
                       "          securityContext:\n"
                       "            privileged: false\n"
                       "            allowPrivilegeEscalation: false\n"));
  EXPECT_EQ(FixAndJudge(Deployment("",
                                   "          securityContext:\n"
                                   "            allowPrivilegeEscalation: true  # sudo\n"),
                        {"BW-K8-020"}),
            Deployment("",
                       "          securityContext:\n"
                       "            allowPrivilegeEscalation: false  # sudo\n"));
}

TEST(KubernetesFixer, RunAsNonRootGetsANonRootUserOnlyWhereNoneIsSet) {
  FixOptions options;
  options.uid = 2000;
  options.gid = 3000;
  EXPECT_EQ(FixAndJudge(Deployment("", ""), {"BW-K8-021"}, options),
            Deployment("",
                       "          securityContext:\n"
                       "            runAsNonRoot: true\n"
                       "            runAsUser: 2000\n"
                       "            runAsGroup: 3000\n"));
  // The pod decides: its false becomes true, and its user stays.
  EXPECT_EQ(FixAndJudge(Deployment("      securityContext:\n"
                                   "        runAsNonRoot: false\n"
                                   "        runAsUser: 1000\n",
                                   ""),
                        {"BW-K8-021"}),
            Deployment("      securityContext:\n"
                       "        runAsNonRoot: true\n"
                       "        runAsUser: 1000\n",
                       ""));
}

TEST(KubernetesFixer, RootUserAndGroupBecomeTheConfiguredIds) {
  const std::string before = Deployment(
      "      securityContext:\n"
      "        runAsUser: 0\n"
      "        fsGroup: 0\n"
      "        supplementalGroups: [0, 2000]\n",
      "          securityContext:\n"
      "            runAsGroup: 0  # root group\n");
  EXPECT_EQ(FixAndJudge(before, {"BW-K8-021", "BW-K8-022", "BW-K8-023"}),
            Deployment("      securityContext:\n"
                       "        runAsUser: 10001\n"
                       "        fsGroup: 10001\n"
                       "        supplementalGroups: [2000]\n",
                       "          securityContext:\n"
                       "            runAsGroup: 10001  # root group\n"
                       "            runAsNonRoot: true\n"));
  // runAsNonRoot beside a root user that stays would stop the pod.
  Fixed alone = FixText(before, {"BW-K8-021"});
  EXPECT_EQ(alone.after, before);
  ASSERT_FALSE(alone.plan.notes.empty());
  EXPECT_THAT(alone.plan.notes[0].message, HasSubstr("BW-K8-022"));
}

TEST(KubernetesFixer, WindowsPodsGetRunAsNonRootWithoutAUid) {
  const std::string before = Deployment("      os: {name: windows}\n", "");
  EXPECT_EQ(FixAndJudge(before, {"BW-K8-021"}), Deployment("      os: {name: windows}\n",
                                                           "          securityContext:\n"
                                                           "            runAsNonRoot: true\n"));
}

TEST(KubernetesFixer, ReadOnlyRootFileSystemReusesATmpMountOrVolume) {
  // /tmp already mounted: only the flag.
  EXPECT_EQ(FixAndJudge(Deployment("      volumes:\n"
                                   "        - name: scratch\n"
                                   "          emptyDir: {}\n",
                                   "          volumeMounts:\n"
                                   "            - {name: scratch, mountPath: /tmp}\n"),
                        {"BW-K8-024"}),
            Deployment("      volumes:\n"
                       "        - name: scratch\n"
                       "          emptyDir: {}\n",
                       "          volumeMounts:\n"
                       "            - {name: scratch, mountPath: /tmp}\n"
                       "          securityContext:\n"
                       "            readOnlyRootFilesystem: true\n"));
  // A volume called tmp that is not an emptyDir: another name.
  EXPECT_EQ(FixAndJudge(Deployment("      volumes:\n"
                                   "        - name: tmp\n"
                                   "          configMap: {name: tmp}\n",
                                   "          securityContext:\n"
                                   "            readOnlyRootFilesystem: false\n"),
                        {"BW-K8-024"}),
            Deployment("      volumes:\n"
                       "        - name: tmp\n"
                       "          configMap: {name: tmp}\n"
                       "        - name: bulwark-tmp\n"
                       "          emptyDir: {}\n",
                       "          securityContext:\n"
                       "            readOnlyRootFilesystem: true\n"
                       "          volumeMounts:\n"
                       "            - name: bulwark-tmp\n"
                       "              mountPath: /tmp\n"));
}

TEST(KubernetesFixer, ResourcesKeepWhatIsWrittenAndStayConsistent) {
  // A missing request takes its limit; a missing limit is the default or
  // the request when that is larger.
  EXPECT_EQ(FixAndJudge(Deployment("",
                                   "          resources:\n"
                                   "            requests: {cpu: \"2\"}\n"
                                   "            limits:\n"
                                   "              memory: 64Mi\n"),
                        {"BW-K8-025", "BW-K8-026", "BW-K8-027", "BW-K8-028"}),
            Deployment("",
                       "          resources:\n"
                       "            requests: {cpu: \"2\", memory: 64Mi}\n"
                       "            limits:\n"
                       "              memory: 64Mi\n"
                       "              cpu: \"2\"\n"));
  EXPECT_EQ(
      FixAndJudge(Deployment("", "          resources: {}\n"), {"BW-K8-025", "BW-K8-028"}),
      Deployment("", "          resources: {requests: {memory: 128Mi}, limits: {cpu: 500m}}\n"));
}

TEST(KubernetesFixer, PullPolicyAndTokenMount) {
  EXPECT_EQ(FixAndJudge(Deployment("      automountServiceAccountToken: true\n",
                                   "          imagePullPolicy: IfNotPresent\n"),
                        {"BW-K8-031", "BW-K8-032"}),
            Deployment("      automountServiceAccountToken: false\n",
                       "          imagePullPolicy: Always\n"));
}

TEST(KubernetesFixer, HostNamespacesAndPrivilegedModeAreSwitchedOff) {
  const std::string before = Deployment(
      "      hostNetwork: true  # metrics\n"
      "      hostPID: yes\n"
      "      hostIPC: True\n",
      "          securityContext:\n"
      "            privileged: true\n"
      "            windowsOptions: {hostProcess: false}\n");
  EXPECT_EQ(FixAndJudge(before, {"BW-K8-002", "BW-K8-003", "BW-K8-004", "BW-K8-005"}),
            Deployment("      hostNetwork: false  # metrics\n"
                       "      hostPID: false\n"
                       "      hostIPC: false\n",
                       "          securityContext:\n"
                       "            privileged: false\n"
                       "            windowsOptions: {hostProcess: false}\n"));
}

TEST(KubernetesFixer, HostProcessIsSwitchedOffWhereItIsSet) {
  const std::string before = Deployment(
      "      os: {name: windows}\n"
      "      hostNetwork: true\n"
      "      securityContext:\n"
      "        windowsOptions:\n"
      "          hostProcess: true\n",
      "");
  EXPECT_EQ(FixAndJudge(before, {"BW-K8-001"}), Deployment("      os: {name: windows}\n"
                                                           "      hostNetwork: true\n"
                                                           "      securityContext:\n"
                                                           "        windowsOptions:\n"
                                                           "          hostProcess: false\n",
                                                           ""));
}

TEST(KubernetesFixer, ConfinementIsRestoredWhereTheAuditFoundItOff) {
  const std::string before =
      "apiVersion: v1\n"
      "kind: Pod\n"
      "metadata:\n"
      "  name: tools\n"
      "  annotations:\n"
      "    container.apparmor.security.beta.kubernetes.io/legacy: unconfined\n"
      "spec:\n"
      "  securityContext:\n"
      "    seccompProfile: {type: Unconfined}\n"
      "    appArmorProfile:\n"
      "      type: Unconfined\n"
      "  containers:\n"
      "    - name: legacy\n"
      "      image: tools:1.0\n"
      "    - name: modern\n"
      "      image: tools:1.0\n"
      "      securityContext:\n"
      "        procMount: Unmasked\n"
      "        seccompProfile:\n"
      "          type: Unconfined\n"
      "        appArmorProfile: {type: Unconfined}\n"
      "    - name: inherits\n"
      "      image: tools:1.0\n";
  EXPECT_EQ(FixAndJudge(before, {"BW-K8-014", "BW-K8-016", "BW-K8-017"}),
            "apiVersion: v1\n"
            "kind: Pod\n"
            "metadata:\n"
            "  name: tools\n"
            "  annotations:\n"
            "    container.apparmor.security.beta.kubernetes.io/legacy: runtime/default\n"
            "spec:\n"
            "  securityContext:\n"
            "    seccompProfile: {type: RuntimeDefault}\n"
            "    appArmorProfile:\n"
            "      type: RuntimeDefault\n"
            "  containers:\n"
            "    - name: legacy\n"
            "      image: tools:1.0\n"
            "    - name: modern\n"
            "      image: tools:1.0\n"
            "      securityContext:\n"
            "        procMount: Default\n"
            "        seccompProfile:\n"
            "          type: RuntimeDefault\n"
            "        appArmorProfile: {type: RuntimeDefault}\n"
            "    - name: inherits\n"
            "      image: tools:1.0\n");
}

// Found by fuzzing: two containers of one name share the legacy annotation,
// and a container whose keys all come from `<<` cannot take new ones.
TEST(KubernetesFixer, AnAnnotationTwoContainersShareIsEditedOnce) {
  const std::string before =
      "apiVersion: v1\n"
      "kind: Pod\n"
      "metadata:\n"
      "  name: p\n"
      "  namespace: ops\n"
      "  annotations:\n"
      "    container.apparmor.security.beta.kubernetes.io/job: unconfined\n"
      "spec:\n"
      "  containers:\n"
      "    - &job\n"
      "      name: job\n"
      "      image: busybox:1.36\n"
      "    - <<: *job\n";
  Fixed fixed = FixText(before, {"BW-K8-014", "BW-K8-020"});
  EXPECT_EQ(fixed.after,
            "apiVersion: v1\n"
            "kind: Pod\n"
            "metadata:\n"
            "  name: p\n"
            "  namespace: ops\n"
            "  annotations:\n"
            "    container.apparmor.security.beta.kubernetes.io/job: runtime/default\n"
            "spec:\n"
            "  containers:\n"
            "    - &job\n"
            "      name: job\n"
            "      image: busybox:1.36\n"
            "      securityContext:\n"
            "        allowPrivilegeEscalation: false\n"
            "    - <<: *job\n");
  const std::set<std::string> left = Ids(AuditText(fixed.after));
  EXPECT_EQ(left.count("BW-K8-014") + left.count("BW-K8-020"), 0u) << fixed.after;
}

constexpr const char* kStream =
    "# Shop: web tier and nightly report.\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata:\n"
    "  name: web   # the public name\n"
    "spec:\n"
    "  ports: [{port: 80, targetPort: 8080}]\n"
    "---\n"
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata: {name: web, namespace: shop}\n"
    "spec:\n"
    "  template:\n"
    "    spec:\n"
    "      containers:\n"
    "      - name: web  # main\n"
    "        image: 'registry.example.com/web:1.4.2'\n"
    "\n"
    "        # probes come later\n"
    "      - name: sidecar\n"
    "        image: envoy:1.30\n"
    "        securityContext:\n"
    "          capabilities: {drop: [ALL]}\n"
    "---\n"
    "apiVersion: batch/v1\n"
    "kind: CronJob\n"
    "metadata: {name: report, namespace: shop}\n"
    "spec:\n"
    "  schedule: \"0 3 * * *\"\n"
    "  jobTemplate:\n"
    "    spec:\n"
    "      template:\n"
    "        spec:\n"
    "          restartPolicy: OnFailure\n"
    "          containers:\n"
    "          - name: report\n"
    "            image: report:2.0\n"
    "...\n";

TEST(KubernetesFixer, MultiDocumentStreamChangesOnlyTheWorkloads) {
  EXPECT_EQ(FixAndJudge(kStream, {"BW-K8-008", "BW-K8-020", "BW-K8-032"}),
            "# Shop: web tier and nightly report.\n"
            "---\n"
            "apiVersion: v1\n"
            "kind: Service\n"
            "metadata:\n"
            "  name: web   # the public name\n"
            "spec:\n"
            "  ports: [{port: 80, targetPort: 8080}]\n"
            "---\n"
            "apiVersion: apps/v1\n"
            "kind: Deployment\n"
            "metadata: {name: web, namespace: shop}\n"
            "spec:\n"
            "  template:\n"
            "    spec:\n"
            "      containers:\n"
            "      - name: web  # main\n"
            "        image: 'registry.example.com/web:1.4.2'\n"
            "        securityContext:\n"
            "          allowPrivilegeEscalation: false\n"
            "          capabilities:\n"
            "            drop:\n"
            "            - ALL\n"
            "\n"
            "        # probes come later\n"
            "      - name: sidecar\n"
            "        image: envoy:1.30\n"
            "        securityContext:\n"
            "          capabilities: {drop: [ALL]}\n"
            "          allowPrivilegeEscalation: false\n"
            "      automountServiceAccountToken: false\n"
            "---\n"
            "apiVersion: batch/v1\n"
            "kind: CronJob\n"
            "metadata: {name: report, namespace: shop}\n"
            "spec:\n"
            "  schedule: \"0 3 * * *\"\n"
            "  jobTemplate:\n"
            "    spec:\n"
            "      template:\n"
            "        spec:\n"
            "          restartPolicy: OnFailure\n"
            "          containers:\n"
            "          - name: report\n"
            "            image: report:2.0\n"
            "            securityContext:\n"
            "              allowPrivilegeEscalation: false\n"
            "              capabilities:\n"
            "                drop:\n"
            "                - ALL\n"
            "          automountServiceAccountToken: false\n"
            "...\n");
  // Every fix at once: the Service document and every comment stay as written.
  const std::string all = FixAndJudge(kStream);
  const std::string service(kStream, std::string_view(kStream).find("---\napiVersion: apps/v1"));
  EXPECT_TRUE(all.starts_with(service)) << all;
  for (const char* kept :
       {"  - name: web  # main\n", "\n        # probes come later\n      - name: sidecar\n",
        "  schedule: \"0 3 * * *\"\n", "...\n"}) {
    EXPECT_THAT(all, HasSubstr(kept));
  }
}

TEST(KubernetesFixer, ListsAndEveryWorkloadKindAreFixed) {
  const std::string before =
      "apiVersion: v1\n"
      "kind: List\n"
      "items:\n"
      "  - apiVersion: batch/v1\n"
      "    kind: Job\n"
      "    metadata: {name: migrate, namespace: shop}\n"
      "    spec:\n"
      "      template:\n"
      "        spec:\n"
      "          initContainers:\n"
      "            - name: wait\n"
      "              image: busybox:1.36\n"
      "          containers:\n"
      "            - name: migrate\n"
      "              image: shop/migrate:3\n"
      "  - apiVersion: v1\n"
      "    kind: Pod\n"
      "    metadata: {name: once, namespace: shop}\n"
      "    spec:\n"
      "      containers: [{name: once, image: 'shop/once:1'}]\n";
  const std::string after = FixAndJudge(before);
  const std::set<std::string> left = Ids(AuditText(after));
  for (const char* id : {"BW-K8-008", "BW-K8-018", "BW-K8-020", "BW-K8-021", "BW-K8-024",
                         "BW-K8-025", "BW-K8-028", "BW-K8-031", "BW-K8-032"}) {
    EXPECT_EQ(left.count(id), 0u) << id << "\n" << after;
  }
  EXPECT_THAT(after, HasSubstr("          initContainers:\n"
                               "            - name: wait\n"
                               "              image: busybox:1.36\n"
                               "              imagePullPolicy: Always\n"));
}

TEST(KubernetesFixer, FlowStyleManifestGetsFlowStyleValues) {
  const std::string before =
      "{apiVersion: v1, kind: Pod, metadata: {name: p, namespace: shop},\n"
      " spec: {automountServiceAccountToken: false,\n"
      "        containers: [{name: app, image: \"app:1\", securityContext: {privileged: "
      "true}}]}}\n";
  EXPECT_EQ(
      FixAndJudge(before, {"BW-K8-005", "BW-K8-008", "BW-K8-018", "BW-K8-024"}),
      "{apiVersion: v1, kind: Pod, metadata: {name: p, namespace: shop},\n"
      " spec: {automountServiceAccountToken: false,\n"
      "        containers: [{name: app, image: \"app:1\", securityContext: {privileged: false, "
      "readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}, volumeMounts: [{name: tmp, "
      "mountPath: /tmp}]}], securityContext: {seccompProfile: {type: RuntimeDefault}}, volumes: "
      "[{name: tmp, emptyDir: {}}]}}\n");
}

TEST(KubernetesFixer, CrlfIndentlessListsAndNoFinalNewlineAreKept) {
  const std::string before =
      "apiVersion: v1\r\n"
      "kind: Pod\r\n"
      "metadata:\r\n"
      "    name: p\r\n"
      "    namespace: shop\r\n"
      "spec:\r\n"
      "    containers:\r\n"
      "    - name: app\r\n"
      "      image: app:1";
  EXPECT_EQ(FixAndJudge(before, {"BW-K8-008", "BW-K8-032"}),
            "apiVersion: v1\r\n"
            "kind: Pod\r\n"
            "metadata:\r\n"
            "    name: p\r\n"
            "    namespace: shop\r\n"
            "spec:\r\n"
            "    containers:\r\n"
            "    - name: app\r\n"
            "      image: app:1\r\n"
            "      securityContext:\r\n"
            "          capabilities:\r\n"
            "              drop:\r\n"
            "              - ALL\r\n"
            "    automountServiceAccountToken: false");
  const std::string all = FixAndJudge(before);
  for (size_t i = all.find('\n'); i != std::string::npos; i = all.find('\n', i + 1)) {
    ASSERT_EQ(all[i - 1], '\r') << "a bare LF at byte " << i << ":\n" << all;
  }
  EXPECT_NE(all.back(), '\n');
}

TEST(KubernetesFixer, ASharedTemplateIsFixedOnceAndMergedKeysAreNotEditedThroughTheAnchor) {
  const std::string before =
      "apiVersion: v1\n"
      "kind: List\n"
      "items:\n"
      "- apiVersion: apps/v1\n"
      "  kind: Deployment\n"
      "  metadata: {name: a, namespace: shop}\n"
      "  spec:\n"
      "    template: &pod\n"
      "      spec:\n"
      "        automountServiceAccountToken: false\n"
      "        containers:\n"
      "        - name: app\n"
      "          image: app:1\n"
      "          securityContext: &hardened\n"
      "            allowPrivilegeEscalation: true\n"
      "- apiVersion: apps/v1\n"
      "  kind: Deployment\n"
      "  metadata: {name: b, namespace: shop}\n"
      "  spec:\n"
      "    template: *pod\n";
  Fixed fixed = FixText(before, {"BW-K8-020", "BW-K8-008"});
  EXPECT_EQ(fixed.after,
            "apiVersion: v1\n"
            "kind: List\n"
            "items:\n"
            "- apiVersion: apps/v1\n"
            "  kind: Deployment\n"
            "  metadata: {name: a, namespace: shop}\n"
            "  spec:\n"
            "    template: &pod\n"
            "      spec:\n"
            "        automountServiceAccountToken: false\n"
            "        containers:\n"
            "        - name: app\n"
            "          image: app:1\n"
            "          securityContext: &hardened\n"
            "            allowPrivilegeEscalation: false\n"
            "            capabilities:\n"
            "              drop:\n"
            "              - ALL\n"
            "- apiVersion: apps/v1\n"
            "  kind: Deployment\n"
            "  metadata: {name: b, namespace: shop}\n"
            "  spec:\n"
            "    template: *pod\n");
  EXPECT_THAT(AuditText(fixed.after),
              ::testing::Not(::testing::Contains(::testing::Field(
                  &core::Finding::id, ::testing::AnyOf("BW-K8-008", "BW-K8-020")))));

  const std::string merged =
      "apiVersion: v1\n"
      "kind: Pod\n"
      "metadata: {name: p, namespace: shop}\n"
      "x-defaults: &defaults\n"
      "  securityContext: {allowPrivilegeEscalation: true}\n"
      "spec:\n"
      "  containers:\n"
      "    - <<: *defaults\n"
      "      name: app\n"
      "      image: app:1\n";
  Fixed refused = FixText(merged, {"BW-K8-020"});
  EXPECT_EQ(refused.after, merged);
  ASSERT_EQ(refused.plan.notes.size(), 1u);
  EXPECT_THAT(refused.plan.notes[0].message, HasSubstr("not edited here"));
}

TEST(KubernetesFixer, ContainersMergedFromAnAnchorAreJudgedByTheAudit) {
  // b takes a's securityContext through `<<`: fixing a's text fixes both,
  // and b's own keys are edited where b writes them.
  const std::string before =
      "apiVersion: v1\n"
      "kind: Pod\n"
      "metadata: {name: p, namespace: shop}\n"
      "spec:\n"
      "  automountServiceAccountToken: false\n"
      "  containers:\n"
      "  - &base\n"
      "    name: a\n"
      "    image: app:1\n"
      "    securityContext: {privileged: true}\n"
      "  - <<: *base\n"
      "    name: b\n"
      "    imagePullPolicy: IfNotPresent\n";
  const std::string after = FixAndJudge(before);
  EXPECT_THAT(after, HasSubstr("    securityContext: {privileged: false, runAsNonRoot: true"));
  EXPECT_THAT(after, HasSubstr("    name: b\n    imagePullPolicy: Always\n"));
}

TEST(KubernetesFixer, ASeccompProfileWithoutTypeIsLeftToTheUser) {
  const std::string before = Deployment(
      "      securityContext:\n"
      "        seccompProfile: {localhostProfile: my.json}\n",
      "");
  Fixed fixed = FixText(before, {"BW-K8-018"});
  EXPECT_EQ(fixed.after, before);
  ASSERT_EQ(fixed.plan.notes.size(), 1u);
  EXPECT_THAT(fixed.plan.notes[0].message, HasSubstr("type: Localhost"));
}

TEST(KubernetesFixer, TextThatDoesNotParseIsRefused) {
  auto fixer = MakeKubernetesFixer();
  FixOptions options;
  const std::string good = Deployment("", "");
  const std::vector<core::Finding> findings = AuditText(good);
  for (const std::string& bad :
       {good + "      - name: [unclosed\n", good + "\tbad: tab\n",
        Deployment("", "          image: other:2\n")}) {  // a duplicate key is ambiguous
    FixRequest request{"/work/k8s/app.yaml", bad, findings, &options};
    auto plan = fixer->Plan(request);
    EXPECT_FALSE(plan.ok()) << bad;
  }
  // Kubernetes keys are strings: a pod with another key is left alone.
  for (const std::string& odd :
       {good + "          : no key\n", good + "          ? [a, b]\n          : complex\n"}) {
    FixRequest request{"/work/k8s/app.yaml", odd, findings, &options};
    auto plan = fixer->Plan(request);
    ASSERT_TRUE(plan.ok()) << plan.status().message();
    EXPECT_THAT(plan->edits, IsEmpty()) << odd;
    ASSERT_EQ(plan->notes.size(), 1u);
    EXPECT_THAT(plan->notes[0].message, HasSubstr("not a string"));
  }
}

TEST(KubernetesFixer, AuditBeforeAndAfterInProcess) {
  const fs::path dir = testing::MakeTempDir("bulwark-k8sfix");
  testing::WriteFile(dir / "deployment.yaml", Deployment("      hostPID: true\n", ""));
  testing::WriteFile(dir / "stream.yaml", kStream);
  core::CheckRegistry registry;
  ASSERT_TRUE(audit::RegisterAllChecks(registry).ok());
  auto audit_ids = [&](std::map<std::string, std::vector<core::Finding>>* by_file) {
    auto suite = audit::MakeDefaultCheckSuite();
    EXPECT_TRUE(suite.ok());
    audit::AuditOptions options;
    options.root = dir;
    auto outcome = audit::RunAudit(options, registry, *suite);
    EXPECT_TRUE(outcome.ok());
    EXPECT_THAT(outcome->report.diagnostics, IsEmpty());
    std::set<std::string> ids;
    for (const core::Finding& f : outcome->report.findings) {
      ids.insert(f.id);
      if (by_file != nullptr) (*by_file)[f.location.path].push_back(f);
    }
    return ids;
  };
  std::map<std::string, std::vector<core::Finding>> by_file;
  const std::set<std::string> before = audit_ids(&by_file);
  auto fixer = MakeKubernetesFixer();
  const std::set<std::string> fixable = fixer->FixableChecks();
  FixOptions options;
  for (auto& [relative, findings] : by_file) {
    const std::string text = testing::ReadFile(dir / relative);
    std::erase_if(findings, [&](const core::Finding& f) { return fixable.count(f.id) == 0; });
    auto plan = fixer->Plan({dir / relative, text, findings, &options});
    ASSERT_TRUE(plan.ok()) << plan.status().message();
    auto after = ApplyEdits(text, plan->edits);
    ASSERT_TRUE(after.ok());
    testing::WriteFile(dir / relative, *after);
  }
  const std::set<std::string> after = audit_ids(nullptr);
  for (const std::string& id : after) {
    EXPECT_EQ(before.count(id), 1u) << "new finding " << id;
    EXPECT_EQ(fixable.count(id), 0u) << id << " left after the fix";
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace bulwark::fix
