// DeriveThreats: findings attach to the threats they make real (with the
// check IDs `bulwark audit lab/vulnerable-app` really reports), the hardened
// lab confirms fewer, risk is raised by exposure and sensitive data, the
// order is stable, the control table follows the threats, and no finding is
// ever dropped.
#include "model/derive_threats.hpp"

#include <gtest/gtest.h>

#include <set>

#include "model/finding_owners.hpp"
#include "test_support.hpp"
#include "threat_test_models.hpp"

namespace bulwark::model {
namespace {

using core::Category;
using testmodels::MakeFinding;

ReferenceCatalog Fixture() {
  std::filesystem::path dir = testing::SourceDir() / "tests/model/fixtures/catalog";
  auto c = ReferenceCatalog::FromJson(testing::ReadFile(dir / "attack-containers.json"),
                                      testing::ReadFile(dir / "nist-800-53-container-controls.json"),
                                      testing::ReadFile(dir / "attack-containers-to-nist-800-53-r5.json"));
  EXPECT_TRUE(c.ok());
  return c.ok() ? std::move(c).value() : ReferenceCatalog();
}

const Threat* Find(const ThreatModel& tm, const std::string& id) {
  for (const Threat& t : tm.threats) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

std::set<std::string> FindingIds(const Threat* t) {
  std::set<std::string> ids;
  if (t != nullptr) {
    for (const FindingRef& f : t->findings) ids.insert(f.id + "@" + f.path + ":" + std::to_string(f.line));
  }
  return ids;
}

size_t Confirmed(const ThreatModel& tm) {
  size_t n = 0;
  for (const Threat& t : tm.threats) n += t.status == ThreatStatus::kConfirmed;
  return n;
}

const std::string kInbound = "flow:actor:internet-user->service:web:15000";

TEST(DeriveThreats, WithoutFindingsEveryThreatIsPotential) {
  ThreatModel tm = DeriveThreats(testmodels::LabModel(), {}, ReferenceCatalog());
  ASSERT_FALSE(tm.threats.empty());
  EXPECT_EQ(Confirmed(tm), 0u);
  EXPECT_TRUE(tm.attack_version.empty());
  EXPECT_EQ(tm.system.name, "vulnerable-app");
  for (const Threat& t : tm.threats) {
    EXPECT_EQ(t.id, t.rule_id + "@" + t.target);
    EXPECT_FALSE(t.rationale.empty()) << t.id;
  }
  // Only flows that cross a boundary are analysed, and only by flow rules.
  const Threat* s = Find(tm, "TM-S-001@" + kInbound);
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->on_flow);
  EXPECT_EQ(Find(tm, "TM-D-002@service:web"), nullptr) << "findings-only rule without findings";
}

TEST(DeriveThreats, LabFindingsConfirmTheirThreats) {
  ThreatModel tm = DeriveThreats(testmodels::LabModel(), testmodels::LabFindings(), Fixture());
  EXPECT_EQ(tm.attack_version, "18.1");
  EXPECT_EQ(FindingIds(Find(tm, "TM-E-001@service:web")), (std::set<std::string>{"BW-DF-001@Dockerfile:3"}));
  EXPECT_EQ(FindingIds(Find(tm, "TM-I-001@service:web")),
            (std::set<std::string>{"BW-CO-021@docker-compose.yml:13", "BW-DF-025@Dockerfile:6",
                                   "BW-PY-020@app.py:13", "BW-SE-020@WEAKNESSES.md:18"}));
  EXPECT_EQ(FindingIds(Find(tm, "TM-I-001@datastore:db")),
            (std::set<std::string>{"BW-CO-021@docker-compose.yml:24"}));
  EXPECT_EQ(FindingIds(Find(tm, "TM-E-006@service:web")),
            (std::set<std::string>{"BW-PY-001@app.py:33", "BW-PY-005@app.py:42"}));
  // The store's threat is confirmed by its exposed client's injection.
  EXPECT_EQ(FindingIds(Find(tm, "TM-T-005@datastore:db")),
            (std::set<std::string>{"BW-PY-001@app.py:33", "BW-PY-005@app.py:42"}));
  EXPECT_EQ(FindingIds(Find(tm, "TM-I-004@service:web")), (std::set<std::string>{"BW-CO-009@docker-compose.yml:8"}));
  EXPECT_EQ(FindingIds(Find(tm, "TM-D-003@" + kInbound)), (std::set<std::string>{"BW-CO-009@docker-compose.yml:8"}));
  EXPECT_EQ(FindingIds(Find(tm, "TM-I-005@datastore:db")), (std::set<std::string>{"BW-CO-034@docker-compose.yml:31"}));
  EXPECT_EQ(FindingIds(Find(tm, "TM-R-002@service:web")),
            (std::set<std::string>{"BW-CO-023@docker-compose.yml:4", "BW-DF-002@Dockerfile:3"}));
  EXPECT_EQ(FindingIds(Find(tm, "TM-T-003@service:web")), (std::set<std::string>{"BW-DF-008@Dockerfile:3"}));
  EXPECT_EQ(FindingIds(Find(tm, "TM-T-008@datastore:db")),
            (std::set<std::string>{"BW-CO-003@docker-compose.yml:20", "BW-CO-024@docker-compose.yml:20"}));
  EXPECT_EQ(FindingIds(Find(tm, "TM-D-001@datastore:db")), (std::set<std::string>{"BW-CO-006@docker-compose.yml:20"}));
  // Rules the model cannot see fire from their findings, confirmed.
  const Threat* pids = Find(tm, "TM-D-002@service:web");
  ASSERT_NE(pids, nullptr);
  EXPECT_EQ(pids->status, ThreatStatus::kConfirmed);
  EXPECT_NE(pids->rationale.find("BW-CO-008 title (docker-compose.yml:4)"), std::string::npos) << pids->rationale;
  const Threat* tag = Find(tm, "TM-T-002@datastore:db");
  ASSERT_NE(tag, nullptr) << "db's tag is pinned in the model, but the audit wants a digest";
  EXPECT_EQ(FindingIds(tag), (std::set<std::string>{"BW-CO-022@docker-compose.yml:21"}));
  // A threat no finding confirms stays potential.
  EXPECT_EQ(Find(tm, "TM-R-004@platform:docker-engine")->status, ThreatStatus::kPotential);
}

TEST(DeriveThreats, NoFindingIsDropped) {
  std::vector<core::Finding> findings = testmodels::LabFindings();
  ThreatModel tm = DeriveThreats(testmodels::LabModel(), findings, Fixture());
  std::set<std::string> attached;
  for (const Threat& t : tm.threats) {
    for (const FindingRef& f : t.findings) attached.insert(f.id + "@" + f.path + ":" + std::to_string(f.line));
  }
  std::set<std::string> unattached;
  for (const core::Finding& f : tm.unattached) {
    unattached.insert(f.id + "@" + f.location.path + ":" + std::to_string(f.location.line));
  }
  EXPECT_EQ(unattached, (std::set<std::string>{"BW-DF-015@Dockerfile:13", "BW-PY-010@app.py:47"}));
  for (const core::Finding& f : findings) {
    std::string key = f.id + "@" + f.location.path + ":" + std::to_string(f.location.line);
    EXPECT_TRUE(attached.count(key) + unattached.count(key) == 1) << key;
  }
}

TEST(DeriveThreats, HardeningConfirmsFewerThreats) {
  using core::Category;
  ThreatModel before = DeriveThreats(testmodels::LabModel(), testmodels::LabFindings(), Fixture());
  // What the audit of lab/hardened-app still reports.
  std::vector<core::Finding> left = {MakeFinding("BW-DF-008", Category::kDockerfile, "Dockerfile", 3),
                                     MakeFinding("BW-CO-024", Category::kCompose, "docker-compose.yml", 44)};
  SystemModel hard = testmodels::HardenedModel();
  hard.FindElement("datastore:db")->evidence = {testmodels::At(43, "db:")};
  ThreatModel after = DeriveThreats(hard, left, Fixture());
  EXPECT_LT(Confirmed(after), Confirmed(before));
  EXPECT_LT(after.threats.size(), before.threats.size());
  EXPECT_EQ(Find(after, "TM-E-001@service:web"), nullptr);
  EXPECT_EQ(Find(after, "TM-I-001@service:web"), nullptr);
  EXPECT_EQ(Find(after, "TM-T-003@service:web")->status, ThreatStatus::kConfirmed);
  EXPECT_EQ(Find(after, "TM-D-004@datastore:db")->status, ThreatStatus::kPotential);
  EXPECT_EQ(Find(after, "TM-T-008@datastore:db")->status, ThreatStatus::kConfirmed) << "fires from BW-CO-024";
  EXPECT_TRUE(after.unattached.empty());
}

TEST(DeriveThreats, ExposureAndSensitiveDataRaiseTheRisk) {
  ThreatModel tm = DeriveThreats(testmodels::LabModel(), {}, ReferenceCatalog());
  const Threat* web_root = Find(tm, "TM-E-001@service:web");
  ASSERT_NE(web_root, nullptr);
  EXPECT_EQ(web_root->likelihood, Level::kHigh) << "medium, raised: web is internet-facing";
  EXPECT_EQ(web_root->impact, Level::kHigh);
  EXPECT_EQ(web_root->risk, core::Severity::kCritical);
  const Threat* db_limits = Find(tm, "TM-D-001@datastore:db");
  ASSERT_NE(db_limits, nullptr);
  EXPECT_EQ(db_limits->likelihood, Level::kMedium) << "db is not exposed";
  EXPECT_EQ(db_limits->impact, Level::kMedium);
  EXPECT_EQ(db_limits->risk, core::Severity::kMedium);

  SystemModel sensitive = testmodels::LabModel();
  DataAsset orders;
  orders.id = "data:orders";
  orders.classification = Classification::kConfidential;
  orders.stored_in = {"datastore:db"};
  sensitive.data.push_back(orders);
  ThreatModel raised = DeriveThreats(sensitive, {}, ReferenceCatalog());
  EXPECT_EQ(Find(raised, "TM-D-001@datastore:db")->impact, Level::kHigh);
  EXPECT_EQ(Find(raised, "TM-D-001@datastore:db")->risk, core::Severity::kHigh);
}

TEST(DeriveThreats, SortedByRiskThenIdAndDeterministic) {
  ThreatModel a = DeriveThreats(testmodels::LabModel(), testmodels::LabFindings(), Fixture());
  ThreatModel b = DeriveThreats(testmodels::LabModel(), testmodels::LabFindings(), Fixture());
  ASSERT_EQ(a.threats.size(), b.threats.size());
  for (size_t i = 0; i < a.threats.size(); ++i) {
    EXPECT_EQ(a.threats[i].id, b.threats[i].id);
    EXPECT_EQ(a.threats[i].rationale, b.threats[i].rationale);
    if (i == 0) continue;
    const Threat& prev = a.threats[i - 1];
    const Threat& cur = a.threats[i];
    EXPECT_TRUE(prev.risk > cur.risk || (prev.risk == cur.risk && prev.id < cur.id)) << prev.id << " / " << cur.id;
  }
}

TEST(DeriveThreats, ControlTableSaysWhatIsMissing) {
  ThreatModel tm = DeriveThreats(testmodels::LabModel(), testmodels::LabFindings(), Fixture());
  ASSERT_FALSE(tm.controls.empty());
  for (size_t i = 1; i < tm.controls.size(); ++i) {
    EXPECT_TRUE(ControlIdLess(tm.controls[i - 1].control, tm.controls[i].control)) << tm.controls[i].control;
  }
  auto control = [&](const std::string& id) -> const ControlStatus* {
    for (const ControlStatus& c : tm.controls) {
      if (c.control == id) return &c;
    }
    return nullptr;
  };
  const ControlStatus* ac6 = control("AC-6");
  ASSERT_NE(ac6, nullptr);
  EXPECT_EQ(ac6->title, "Least Privilege");
  EXPECT_EQ(ac6->status, "missing") << "every threat it mitigates is confirmed";
  EXPECT_NE(std::find(ac6->findings.begin(), ac6->findings.end(), "BW-DF-001"), ac6->findings.end());
  const ControlStatus* sc5 = control("SC-5");
  ASSERT_NE(sc5, nullptr);
  EXPECT_EQ(sc5->title, "Denial-of-service Protection");
  EXPECT_EQ(sc5->status, "partial") << "limits missing on web and db, TM-D-005 on the engine only potential";
  EXPECT_NE(std::find(sc5->threats.begin(), sc5->threats.end(), "TM-D-005@platform:docker-engine"), sc5->threats.end());
  const ControlStatus* si10 = control("SI-10");
  ASSERT_NE(si10, nullptr);
  EXPECT_EQ(si10->status, "missing") << "injection confirmed on web and, through it, on db";
  const ControlStatus* cp9 = control("CP-9");
  ASSERT_NE(cp9, nullptr);
  EXPECT_EQ(cp9->status, "in place") << "TM-D-004 is only potential";
  EXPECT_TRUE(cp9->findings.empty());
  EXPECT_EQ(cp9->title, "") << "not in the fixture catalog";
}

TEST(ControlIdLess, NistOrder) {
  std::vector<std::string> ids = {"SC-7(5)", "AC-17", "AC-6(10)", "AC-6", "AC-6(1)", "AC-2", "SC-7", "AU-2"};
  std::sort(ids.begin(), ids.end(), [](const std::string& a, const std::string& b) { return ControlIdLess(a, b); });
  EXPECT_EQ(ids, (std::vector<std::string>{"AC-2", "AC-6", "AC-6(1)", "AC-6(10)", "AC-17", "AU-2", "SC-7", "SC-7(5)"}));
  EXPECT_FALSE(ControlIdLess("AC-6", "AC-6"));
  EXPECT_TRUE(ControlIdLess("", "AC-1"));
  EXPECT_TRUE(ControlIdLess("AC-x", "AC-y")) << "malformed ids still order";
}

TEST(DeriveThreats, HostFindingsAttachToContainersImagesAndThePlatform) {
  core::Finding user = MakeFinding("BW-CIS-4.1", Category::kHost, "", 0, {"T1611"}, {"AC-6"});
  user.verdict = core::Verdict::kWarn;
  user.subject = {"container", "vulnerable-app-web-1", "0123456789ab"};
  core::Finding logging = MakeFinding("BW-CIS-2.13", Category::kHost, "/etc/docker/daemon.json", 0);
  logging.verdict = core::Verdict::kWarn;
  logging.subject = {"daemon", "", ""};
  core::Finding passed = logging;
  passed.id = "BW-CIS-2.3";
  passed.verdict = core::Verdict::kPass;
  core::Finding other = user;
  other.subject.name = "portainer";
  ThreatModel tm = DeriveThreats(testmodels::LabModel(), {user, logging, passed, other}, ReferenceCatalog());
  EXPECT_EQ(FindingIds(Find(tm, "TM-E-001@service:web")), (std::set<std::string>{"BW-CIS-4.1@:0"}));
  EXPECT_EQ(FindingIds(Find(tm, "TM-R-004@platform:docker-engine")),
            (std::set<std::string>{"BW-CIS-2.13@/etc/docker/daemon.json:0"}));
  EXPECT_EQ(FindingIds(Find(tm, "TM-R-001@service:web")),
            (std::set<std::string>{"BW-CIS-2.13@/etc/docker/daemon.json:0"}))
      << "container logs missing make requests unattributable";
  ASSERT_EQ(tm.unattached.size(), 2u) << "a passed check and a container outside the model";
  EXPECT_EQ(tm.unattached[0].id, "BW-CIS-2.3");
  EXPECT_EQ(tm.unattached[1].subject.name, "portainer");
}

TEST(DeriveThreats, VulnerabilitiesAttachToTheScannedImage) {
  core::Finding in_app = MakeFinding("CVE-2023-30861", Category::kVulnerability,
                                     "usr/lib/python3/dist-packages/flask", 0);
  core::Finding in_db = MakeFinding("CVE-2024-0001", Category::kVulnerability,
                                    "bulwark-lab/postgres:15 (debian 12.5)", 0);
  ThreatModel tm = DeriveThreats(testmodels::LabModel(), {in_app, in_db}, ReferenceCatalog());
  EXPECT_EQ(FindingIds(Find(tm, "TM-E-009@service:web")),
            (std::set<std::string>{"CVE-2023-30861@usr/lib/python3/dist-packages/flask:0"}))
      << "no image named: every service built from source";
  EXPECT_EQ(FindingIds(Find(tm, "TM-T-008@datastore:db")).count("CVE-2024-0001@bulwark-lab/postgres:15 (debian 12.5):0"),
            1u);
  EXPECT_EQ(Find(tm, "TM-E-009@datastore:db"), nullptr);
  EXPECT_TRUE(tm.unattached.empty());
}

TEST(DeriveThreats, UnknownChecksAttachByTechniqueAndControl) {
  // A peer tool's finding on the Dockerfile: root user, T1611 + AC-6.
  core::Finding trivy = MakeFinding("DS002", Category::kDockerfile, "Dockerfile", 1, {"T1611"}, {"AC-6"});
  // Shares a technique but no control with any threat on web: stays unattached.
  core::Finding half = MakeFinding("XX-1", Category::kDockerfile, "Dockerfile", 1, {"T1611"}, {"ZZ-9"});
  // A check some rule names never attaches by overlap elsewhere.
  core::Finding named = MakeFinding("BW-CO-017", Category::kCompose, "docker-compose.yml", 4, {"T1611"}, {"AC-6"});
  // bulwark's own checks attach only where a rule names them.
  core::Finding ours = MakeFinding("BW-DF-099", Category::kDockerfile, "Dockerfile", 2, {"T1611"}, {"AC-6"});
  // A resemblance never fires a findings-only rule (TM-D-002: T1499, SC-5).
  core::Finding flood = MakeFinding("KSV-PIDS", Category::kCompose, "docker-compose.yml", 4, {"T1499"}, {"SC-5"});
  ThreatModel tm = DeriveThreats(testmodels::LabModel(), {trivy, half, named, ours, flood}, ReferenceCatalog());
  EXPECT_EQ(FindingIds(Find(tm, "TM-E-001@service:web")).count("DS002@Dockerfile:1"), 1u);
  EXPECT_EQ(FindingIds(Find(tm, "TM-E-001@service:web")).count("BW-CO-017@docker-compose.yml:4"), 0u);
  EXPECT_EQ(Find(tm, "TM-D-002@service:web"), nullptr);
  EXPECT_EQ(FindingIds(Find(tm, "TM-D-001@service:web")), (std::set<std::string>{"KSV-PIDS@docker-compose.yml:4"}));
  ASSERT_EQ(tm.unattached.size(), 3u);
  EXPECT_EQ(tm.unattached[0].id, "XX-1");
  EXPECT_EQ(tm.unattached[1].id, "BW-CO-017");
  EXPECT_EQ(tm.unattached[2].id, "BW-DF-099");
}

// Kubernetes findings sit on a manifest's `kind:` line, above the
// `name:` line the element is defined by, or deep in its container spec.
TEST(DeriveThreats, ManifestFindingsBelongToTheWorkloadBelowOrAbove) {
  SystemModel m = testmodels::LabModel();
  m.FindElement("service:web")->evidence = {testmodels::At(4, "name: web", "web.yaml")};
  m.FindElement("datastore:db")->evidence = {testmodels::At(35, "name: db", "web.yaml")};
  m.boundaries.push_back(testmodels::Boundary("boundary:namespace:shop", BoundaryKind::kNamespace, "Namespace shop",
                                              "", {testmodels::At(5, "namespace: shop", "web.yaml")}));
  core::Finding header = MakeFinding("BW-K8-020", Category::kKubernetes, "web.yaml", 2);
  core::Finding spec = MakeFinding("BW-K8-021", Category::kKubernetes, "web.yaml", 21);
  core::Finding second = MakeFinding("BW-K8-022", Category::kKubernetes, "web.yaml", 33);
  ThreatModel tm = DeriveThreats(m, {header, spec, second}, ReferenceCatalog());
  EXPECT_EQ(FindingIds(Find(tm, "TM-E-005@service:web")), (std::set<std::string>{"BW-K8-020@web.yaml:2"}));
  EXPECT_EQ(FindingIds(Find(tm, "TM-E-001@service:web")), (std::set<std::string>{"BW-K8-021@web.yaml:21"}))
      << "the namespace line inside the manifest does not end web's block";
  EXPECT_EQ(FindingIds(Find(tm, "TM-T-008@datastore:db")), (std::set<std::string>{"BW-K8-022@web.yaml:33"}));
  EXPECT_TRUE(tm.unattached.empty());
}

TEST(DeriveThreats, PathsUnderTheRootAndOutOfScopeElements) {
  SystemModel lab = testmodels::LabModel();
  core::Finding prefixed = MakeFinding("BW-DF-001", Category::kDockerfile, "lab/vulnerable-app/Dockerfile", 3);
  core::Finding dotted = MakeFinding("BW-CO-021", Category::kCompose, "./docker-compose.yml", 24);
  ThreatModel tm = DeriveThreats(lab, {prefixed, dotted}, ReferenceCatalog());
  EXPECT_EQ(Find(tm, "TM-E-001@service:web")->status, ThreatStatus::kConfirmed);
  EXPECT_EQ(Find(tm, "TM-I-001@datastore:db")->status, ThreatStatus::kConfirmed);

  lab.FindElement("datastore:db")->tags.push_back("out-of-scope");
  ThreatModel scoped = DeriveThreats(lab, {dotted}, ReferenceCatalog());
  for (const Threat& t : scoped.threats) {
    EXPECT_EQ(t.target.find("datastore:db"), std::string::npos) << t.id;
  }
  EXPECT_EQ(scoped.unattached.size(), 1u);
}

TEST(ContainerNameMatches, ComposeNames) {
  EXPECT_TRUE(ContainerNameMatches("web", "web"));
  EXPECT_TRUE(ContainerNameMatches("/web", "web"));
  EXPECT_TRUE(ContainerNameMatches("lab-web-1", "web"));
  EXPECT_TRUE(ContainerNameMatches("vulnerable-app_web_2", "web"));
  EXPECT_TRUE(ContainerNameMatches("shop-my-api-1", "my-api"));
  EXPECT_FALSE(ContainerNameMatches("lab-webapp-1", "web"));
  EXPECT_FALSE(ContainerNameMatches("web-1", "web")) << "no project part";
  EXPECT_FALSE(ContainerNameMatches("lab-web-x", "web"));
  EXPECT_FALSE(ContainerNameMatches("web", ""));
}

TEST(ThreatRules, InfoListsEveryRule) {
  std::vector<ThreatRuleInfo> rules = ThreatRules();
  EXPECT_EQ(rules.size(), AllThreatRules().size());
  EXPECT_EQ(rules.front().id, "TM-D-001");
}

}  // namespace
}  // namespace bulwark::model
