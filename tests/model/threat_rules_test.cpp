// The threat rules, one condition at a time, on hand-built models: the lab
// (web runs as root, publishes 15000 on every interface, DB_PASSWORD inline,
// talks to db) fires them with rationales that name the evidence; the
// hardened lab stops them; variants (engine socket, privileged, host paths,
// TLS, images by tag) fire exactly the rules about them.
#include "model/threat_rules.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "audit/check_suite.hpp"
#include "core/check_registry.hpp"
#include "threat_test_models.hpp"

namespace bulwark::model {
namespace {

using testmodels::At;

const ThreatRule& Rule(const std::string& id) {
  for (const ThreatRule& rule : AllThreatRules()) {
    if (rule.id == id) return rule;
  }
  ADD_FAILURE() << "no rule " << id;
  static const ThreatRule kNone;
  return kNone;
}

// The rule's condition on the element or flow `target` of the model.
std::optional<RuleMatch> Eval(const std::string& rule_id, const SystemModel& model, const std::string& target) {
  const ThreatRule& rule = Rule(rule_id);
  RuleContext ctx(model);
  if (const Element* e = model.FindElement(target)) {
    EXPECT_TRUE(Targets(rule, e->kind)) << rule_id << " does not target " << target;
    return rule.on_element != nullptr ? rule.on_element(ctx, *e) : std::nullopt;
  }
  const Flow* f = model.FindFlow(target);
  EXPECT_NE(f, nullptr) << target;
  if (f == nullptr || rule.on_flow == nullptr) return std::nullopt;
  return rule.on_flow(ctx, *f);
}

bool Fires(const std::string& rule_id, const SystemModel& model, const std::string& target) {
  return Eval(rule_id, model, target).has_value();
}

const std::string kInbound = "flow:actor:internet-user->service:web:15000";
const std::string kToDb = "flow:service:web->datastore:db:5432";

Element& Get(SystemModel& m, const std::string& id) {
  Element* e = m.FindElement(id);
  EXPECT_NE(e, nullptr) << id;
  return *e;
}

TEST(ThreatRuleTable, IdsAreStableUniqueAndMatchTheirStride) {
  const std::vector<ThreatRule>& rules = AllThreatRules();
  EXPECT_GE(rules.size(), 30u);
  std::set<std::string> ids;
  std::regex id_re("TM-([STRIDE])-[0-9]{3}");
  for (const ThreatRule& rule : rules) {
    EXPECT_TRUE(ids.insert(rule.id).second) << "duplicate " << rule.id;
    std::smatch m;
    ASSERT_TRUE(std::regex_match(rule.id, m, id_re)) << rule.id;
    EXPECT_EQ(m[1].str(), StrideLetter(rule.stride)) << rule.id;
    EXPECT_NE(rule.targets, 0u) << rule.id;
    EXPECT_FALSE(rule.title.empty()) << rule.id;
    EXPECT_FALSE(rule.mitigation.empty()) << rule.id;
    EXPECT_FALSE(rule.nist.empty()) << rule.id;
    // Every rule can fire: a condition for what it targets, or findings.
    bool element_targets = (rule.targets & ~unsigned{kOnFlow}) != 0;
    if (element_targets) {
      EXPECT_TRUE(rule.on_element != nullptr || rule.fires_on_findings) << rule.id;
    }
    if (rule.targets & kOnFlow) {
      EXPECT_NE(rule.on_flow, nullptr) << rule.id;
    }
  }
  EXPECT_TRUE(std::is_sorted(rules.begin(), rules.end(),
                             [](const ThreatRule& a, const ThreatRule& b) { return a.id < b.id; }));
}

// The checks a rule names are real: the file checks are in the registry
// (the host's CIS checks live in the host library, so only their form is checked).
TEST(ThreatRuleTable, ConfirmingChecksExist) {
  core::CheckRegistry registry;
  ASSERT_TRUE(audit::RegisterAllChecks(registry).ok());
  std::regex cis_re("BW-CIS-[0-9]+(\\.[0-9]+)+");
  for (const ThreatRule& rule : AllThreatRules()) {
    for (const std::string& id : rule.confirmed_by) {
      if (id.rfind("BW-CIS-", 0) == 0) {
        EXPECT_TRUE(std::regex_match(id, cis_re)) << rule.id << ": " << id;
      } else {
        EXPECT_NE(registry.Find(id), nullptr) << rule.id << " names unknown check " << id;
      }
    }
  }
}

// STRIDE per element: actor S,R; data store T,R,I,D; flow S,T,I,D; service
// and platform all six.
TEST(ThreatRuleTable, TargetsFollowStridePerElement) {
  for (const ThreatRule& rule : AllThreatRules()) {
    std::string letter(StrideLetter(rule.stride));
    for (auto [bit, allowed] : {std::pair{kOnActor, "SR"}, {kOnDataStore, "TRID"}, {kOnFlow, "STID"}}) {
      if (rule.targets & bit) {
        EXPECT_NE(std::string(allowed).find(letter), std::string::npos) << rule.id;
      }
    }
  }
  // Every category is covered for the kinds it applies to.
  for (auto [bit, letters] : {std::pair{kOnActor, "SR"}, {kOnDataStore, "TRID"}, {kOnService, "STRIDE"},
                              {kOnPlatform, "STRIDE"}, {kOnFlow, "STID"}}) {
    for (char c : std::string(letters)) {
      bool covered = false;
      for (const ThreatRule& rule : AllThreatRules()) {
        covered = covered || ((rule.targets & bit) && StrideLetter(rule.stride) == std::string(1, c));
      }
      EXPECT_TRUE(covered) << TargetsName(bit) << " has no " << c << " rule";
    }
  }
}

TEST(ThreatRules, LabWebRunsAsRootAndSaysWhy) {
  auto m = Eval("TM-E-001", testmodels::LabModel(), "service:web");
  ASSERT_TRUE(m);
  EXPECT_NE(m->rationale.find("web runs as root (no USER in Dockerfile)"), std::string::npos) << m->rationale;
  ASSERT_FALSE(m->evidence.empty());
  EXPECT_EQ(m->evidence[0].path, "Dockerfile");
}

TEST(ThreatRules, LabPublishedPortAndInlinePasswordAreCited) {
  SystemModel lab = testmodels::LabModel();
  auto published = Eval("TM-I-004", lab, "service:web");
  ASSERT_TRUE(published);
  EXPECT_NE(published->rationale.find("15000:5000 (docker-compose.yml:8)"), std::string::npos) << published->rationale;
  auto secret = Eval("TM-I-001", lab, "service:web");
  ASSERT_TRUE(secret);
  EXPECT_NE(secret->rationale.find("DB_PASSWORD (docker-compose.yml:13)"), std::string::npos) << secret->rationale;
  auto spoof = Eval("TM-S-002", lab, "service:web");
  ASSERT_TRUE(spoof);
  EXPECT_NE(spoof->rationale.find("towards db"), std::string::npos) << spoof->rationale;
  EXPECT_TRUE(Fires("TM-I-001", lab, "datastore:db"));
}

TEST(ThreatRules, LabFiresTheExpectedRulesOnEachElement) {
  SystemModel lab = testmodels::LabModel();
  for (const char* id : {"TM-T-001", "TM-T-003", "TM-R-001", "TM-R-002", "TM-D-001", "TM-E-005", "TM-E-006",
                         "TM-E-007"}) {
    EXPECT_TRUE(Fires(id, lab, "service:web")) << id;
  }
  for (const char* id : {"TM-T-001", "TM-T-005", "TM-T-008", "TM-R-002", "TM-I-005", "TM-D-001", "TM-D-004"}) {
    EXPECT_TRUE(Fires(id, lab, "datastore:db")) << id;
  }
  for (const char* id : {"TM-E-002", "TM-E-003", "TM-E-004", "TM-T-004"}) {
    EXPECT_FALSE(Fires(id, lab, "service:web")) << id;
  }
  EXPECT_FALSE(Fires("TM-I-003", lab, "datastore:db")) << "db publishes nothing";
  EXPECT_FALSE(Fires("TM-T-002", lab, "datastore:db")) << "pinned by tag in the model";
  EXPECT_TRUE(Fires("TM-S-003", lab, "actor:internet-user"));
  EXPECT_TRUE(Fires("TM-R-003", lab, "actor:internet-user"));
  EXPECT_TRUE(Fires("TM-R-004", lab, "platform:docker-engine"));
  EXPECT_TRUE(Fires("TM-D-005", lab, "platform:docker-engine"));
  EXPECT_FALSE(Fires("TM-E-008", lab, "platform:docker-engine"));
  EXPECT_FALSE(Fires("TM-T-006", lab, "platform:docker-engine"));
  auto network = Eval("TM-I-005", lab, "datastore:db");
  ASSERT_TRUE(network);
  EXPECT_NE(network->rationale.find("db sits on backend (docker-compose.yml:31), which is not isolated"), std::string::npos) << network->rationale;
}

TEST(ThreatRules, LabFlowsAcrossBoundaries) {
  SystemModel lab = testmodels::LabModel();
  auto inbound = Eval("TM-S-001", lab, kInbound);
  ASSERT_TRUE(inbound);
  EXPECT_NE(inbound->rationale.find("Internet user reaches web over HTTP :15000 (docker-compose.yml:8)"),
            std::string::npos)
      << inbound->rationale;
  EXPECT_TRUE(Fires("TM-T-007", lab, kInbound));
  EXPECT_TRUE(Fires("TM-I-002", lab, kInbound));
  EXPECT_TRUE(Fires("TM-D-003", lab, kInbound));
  EXPECT_FALSE(Fires("TM-S-001", lab, kToDb)) << "the database password authenticates it";
  auto to_db = Eval("TM-I-002", lab, kToDb);
  ASSERT_TRUE(to_db);
  EXPECT_EQ(to_db->impact, Level::kHigh) << "credentials cross in clear";
  EXPECT_FALSE(Fires("TM-D-003", lab, kToDb));
}

TEST(ThreatRules, HardenedLabStopsThePostureRules) {
  SystemModel hard = testmodels::HardenedModel();
  for (const char* id : {"TM-E-001", "TM-T-001", "TM-E-005", "TM-E-007", "TM-D-001", "TM-R-002", "TM-I-004",
                         "TM-I-001", "TM-S-002"}) {
    EXPECT_FALSE(Fires(id, hard, "service:web")) << id;
  }
  for (const char* id : {"TM-T-001", "TM-T-008", "TM-R-002", "TM-I-001", "TM-I-005", "TM-D-001"}) {
    EXPECT_FALSE(Fires(id, hard, "datastore:db")) << id;
  }
  EXPECT_FALSE(Fires("TM-T-005", hard, "datastore:db")) << "web is no longer exposed";
  EXPECT_FALSE(Fires("TM-D-005", hard, "platform:docker-engine"));
  // What remains is about what the files cannot settle.
  EXPECT_TRUE(Fires("TM-T-003", hard, "service:web"));
  EXPECT_TRUE(Fires("TM-D-004", hard, "datastore:db")) << "only a tmpfs";
  EXPECT_TRUE(Fires("TM-R-004", hard, "platform:docker-engine"));
}

TEST(ThreatRules, EngineSocketIsRootOnTheHost) {
  SystemModel lab = testmodels::LabModel();
  Get(lab, "service:web")
      .mounts.push_back(Mount{"bind", "/var/run/docker.sock", "/var/run/docker.sock", false, true, false,
                              At(14, "- /var/run/docker.sock:/var/run/docker.sock")});
  auto root = Eval("TM-E-001", lab, "service:web");
  ASSERT_TRUE(root);
  EXPECT_NE(root->rationale.find(
                "web runs as root (no USER in Dockerfile) and mounts /var/run/docker.sock (docker-compose.yml:14)"),
            std::string::npos)
      << root->rationale;
  EXPECT_EQ(root->likelihood, Level::kHigh);
  EXPECT_TRUE(Fires("TM-E-004", lab, "service:web"));
  EXPECT_FALSE(Fires("TM-T-004", lab, "service:web")) << "the socket is TM-E-004's";
  for (const char* id : {"TM-T-006", "TM-I-006", "TM-E-008"}) EXPECT_TRUE(Fires(id, lab, "platform:docker-engine")) << id;
  auto control = Eval("TM-T-006", lab, "platform:docker-engine");
  EXPECT_EQ(control->also_confirmed_by, std::vector<std::string>{"service:web"});
}

TEST(ThreatRules, PrivilegesCapabilitiesAndNamespaces) {
  SystemModel lab = testmodels::LabModel();
  Element& web = Get(lab, "service:web");
  web.capabilities_all_dropped = true;
  web.capabilities_added = {"NET_BIND_SERVICE", "CHOWN"};
  EXPECT_FALSE(Fires("TM-E-002", lab, "service:web")) << "Docker's default set, after dropping ALL";
  EXPECT_FALSE(Fires("TM-E-007", lab, "service:web"));
  web.capabilities_added.push_back("cap_sys_admin");
  auto caps = Eval("TM-E-002", lab, "service:web");
  ASSERT_TRUE(caps);
  EXPECT_NE(caps->rationale.find("adds cap_sys_admin"), std::string::npos) << caps->rationale;
  web.privileged = true;
  EXPECT_EQ(Eval("TM-E-002", lab, "service:web")->likelihood, Level::kHigh);
  EXPECT_TRUE(Fires("TM-E-008", lab, "platform:docker-engine"));
  EXPECT_FALSE(Fires("TM-E-003", lab, "service:web"));
  web.host_pid = true;
  web.host_network = true;
  auto ns = Eval("TM-E-003", lab, "service:web");
  ASSERT_TRUE(ns);
  EXPECT_NE(ns->rationale.find("network and PID namespaces"), std::string::npos) << ns->rationale;
}

TEST(ThreatRules, HostPathMounts) {
  SystemModel lab = testmodels::LabModel();
  Element& web = Get(lab, "service:web");
  web.mounts.push_back(Mount{"bind", "./config", "/config", true, false, false, At(15, "- ./config:/config:ro")});
  EXPECT_FALSE(Fires("TM-T-004", lab, "service:web")) << "read-only, not sensitive";
  web.mounts.push_back(Mount{"bind", "/etc", "/host-etc", false, false, true, At(16, "- /etc:/host-etc")});
  auto m = Eval("TM-T-004", lab, "service:web");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->impact, Level::kHigh);
  EXPECT_NE(m->rationale.find("/etc (docker-compose.yml:16)"), std::string::npos) << m->rationale;
  EXPECT_TRUE(Fires("TM-D-004", lab, "datastore:db")) << "db still has no volume";
}

TEST(ThreatRules, ImagesStoresAndEngineApi) {
  SystemModel lab = testmodels::LabModel();
  Element& db = Get(lab, "datastore:db");
  db.image = "postgres:latest";
  db.image_pinned = false;
  EXPECT_TRUE(Fires("TM-T-002", lab, "datastore:db"));
  EXPECT_FALSE(Fires("TM-T-002", lab, "service:web")) << "built images are TM-T-003's";
  db.mounts.push_back(Mount{"volume", "pgdata", "/var/lib/postgresql/data", false, false, false, At(26, "- pgdata:/x")});
  EXPECT_FALSE(Fires("TM-D-004", lab, "datastore:db"));
  PortBinding open;
  open.container_port = 5432;
  open.host_port = 5432;
  open.host_ip = "0.0.0.0";
  open.published = true;
  open.evidence = At(27, "- 5432:5432");
  db.ports.push_back(open);
  auto reach = Eval("TM-I-003", lab, "datastore:db");
  ASSERT_TRUE(reach);
  EXPECT_NE(reach->rationale.find("0.0.0.0:5432:5432"), std::string::npos) << reach->rationale;

  Flow api = testmodels::MakeFlow("service:web", "platform:docker-engine", FlowKind::kControlPlane, "docker-api", 2375,
                                  {At(12, "DOCKER_HOST: tcp://host:2375")});
  lab.flows.push_back(api);
  EXPECT_TRUE(Fires("TM-S-004", lab, "platform:docker-engine"));
  lab.flows.back().authenticated = true;
  EXPECT_FALSE(Fires("TM-S-004", lab, "platform:docker-engine"));
}

TEST(ThreatRules, EncryptedAndFileFlowsAreNotUnencryptedTraffic) {
  SystemModel lab = testmodels::LabModel();
  for (Flow& f : lab.flows) f.encrypted = true;
  EXPECT_FALSE(Fires("TM-T-007", lab, kInbound));
  EXPECT_FALSE(Fires("TM-I-002", lab, kToDb));
  Flow mount = testmodels::MakeFlow("service:web", "platform:docker-engine", FlowKind::kHostMount, "file", 0, {});
  mount.id = "flow:mount";
  lab.flows.push_back(mount);
  EXPECT_FALSE(Fires("TM-T-007", lab, "flow:mount"));
  EXPECT_FALSE(Fires("TM-S-001", lab, "flow:mount"));
}

// Hostile sizes stay bounded: a thousand ports make one short rationale.
TEST(ThreatRules, RationaleAndEvidenceAreBounded) {
  SystemModel lab = testmodels::LabModel();
  Element& web = Get(lab, "service:web");
  for (int i = 0; i < 1000; ++i) {
    PortBinding p;
    p.container_port = 1000 + i;
    p.host_port = 1000 + i;
    p.published = true;
    p.evidence = At(100 + i, "- port");
    web.ports.push_back(p);
  }
  auto m = Eval("TM-I-004", lab, "service:web");
  ASSERT_TRUE(m);
  EXPECT_LT(m->rationale.size(), 400u) << m->rationale;
  EXPECT_NE(m->rationale.find("and 997 more"), std::string::npos) << m->rationale;
  EXPECT_LE(m->evidence.size(), 8u);
}

TEST(ThreatRuleInfo, ListsWhatDocsShow) {
  ThreatRuleInfo info = InfoOf(Rule("TM-E-004"));
  EXPECT_EQ(info.targets, "service");
  EXPECT_EQ(info.attack, (std::vector<std::string>{"T1611", "T1610", "T1609", "T1552.007"}));
  EXPECT_EQ(InfoOf(Rule("TM-T-001")).targets, "service, datastore");
  EXPECT_EQ(InfoOf(Rule("TM-S-001")).targets, "flow");
}

}  // namespace
}  // namespace bulwark::model
