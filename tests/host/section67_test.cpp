// CIS sections 6 (security operations) and 7 (swarm) on recorded Engine API
// documents (swarm inactive) and on hand-built manager documents.
#include <gtest/gtest.h>

#include "engine_fixtures.hpp"

namespace bulwark::host {
namespace {

using nlohmann::json;
using testing::LoadRecordedHost;
using testing::ResultFor;
using testing::RunCheck;

const std::vector<HostCheck>& Section6() {
  static const std::vector<HostCheck> checks = Section6SecurityOperationsChecks();
  return checks;
}

const std::vector<HostCheck>& Section7() {
  static const std::vector<HostCheck> checks = Section7SwarmChecks();
  return checks;
}

TEST(Section6, ImageSprawlNamesUnusedImages) {
  HostFacts facts = LoadRecordedHost();
  HostResult r = Only(RunCheck(Section6(), "6.1", facts));
  EXPECT_EQ(r.verdict, core::Verdict::kInfo);
  EXPECT_EQ(r.subject.kind, "host");
  EXPECT_NE(
      r.evidence.find(
          "1 not used by any container: bulwark-lab/python-flask:bookworm (19ae5ead23ae)"),
      std::string::npos)
      << r.evidence;
  EXPECT_EQ(r.evidence.find("hardened-app"), std::string::npos);
}

TEST(Section6, ContainerSprawlCounts) {
  HostFacts facts = LoadRecordedHost();
  facts.engine.containers_total = 7;
  facts.engine.containers_running = 3;
  HostResult r = Only(RunCheck(Section6(), "6.2", facts));
  EXPECT_EQ(r.verdict, core::Verdict::kInfo);
  EXPECT_EQ(r.evidence, "/info Containers=7 ContainersRunning=3");
  EXPECT_NE(r.message.find("4 stopped"), std::string::npos);
}

TEST(Section7, ListsEveryCheckInOrder) {
  ASSERT_EQ(Section7().size(), 9u);
  for (size_t i = 0; i < Section7().size(); ++i) {
    EXPECT_EQ(Section7()[i].cis, "7." + std::to_string(i + 1));
    EXPECT_EQ(Section7()[i].scope, HostScope::kSwarm);
    EXPECT_EQ(Section7()[i].scored, i == 0 || i == 1 || i == 2 || i == 4) << Section7()[i].cis;
  }
}

// docker-bench PASSes every swarm check when swarm mode is off.
TEST(Section7, InactiveSwarmIsNotApplicable) {
  HostFacts facts = LoadRecordedHost();
  for (const HostCheck& check : Section7()) {
    HostResult r = Only(RunCheck(Section7(), check.cis, facts));
    EXPECT_EQ(r.verdict, core::Verdict::kInfo) << check.cis;
    EXPECT_EQ(r.message, "not applicable: swarm mode is inactive") << check.cis;
    EXPECT_EQ(r.evidence, "/info Swarm.LocalNodeState=\"inactive\"") << check.cis;
  }
}

TEST(Section7, UnreachableEngineIsSkipped) {
  HostFacts facts;
  facts.engine.error = "connect: no such file";
  for (const HostCheck& check : Section7()) {
    ResultSink sink = RunCheck(Section7(), check.cis, facts);
    EXPECT_TRUE(sink.results().empty()) << check.cis;
    EXPECT_NE(sink.skip_reason().find("unreachable"), std::string::npos) << check.cis;
  }
}

json Node(const std::string& role) { return {{"ID", "n"}, {"Spec", {{"Role", role}}}}; }

HostFacts Manager() {
  HostFacts facts = LoadRecordedHost();
  facts.engine.info["Swarm"] = {
      {"LocalNodeState", "active"}, {"ControlAvailable", true}, {"NodeAddr", "10.0.0.5"}};
  facts.engine.swarm_active = true;
  facts.engine.swarm_manager = true;
  facts.engine.swarm_nodes =
      json::array({Node("manager"), Node("manager"), Node("manager"), Node("worker")});
  facts.engine.swarm =
      json::parse(R"({"ID": "abc", "CreatedAt": "2025-01-02T03:04:05Z", "DataPathPort": 4789,
      "Spec": {"EncryptionConfig": {"AutoLockManagers": false},
               "CAConfig": {"NodeCertExpiry": 7776000000000000, "ForceRotate": 0}}})");
  facts.engine.unlock_key = "";
  facts.engine.swarm_secrets = json::array({json{{"ID", "s1"}}});
  facts.engine.swarm_services = json::array();
  facts.listening = {ListeningSocket{"10.0.0.5", 2377}, ListeningSocket{"0.0.0.0", 7946}};
  facts.engine.networks.push_back(json::parse(
      R"({"Name": "ingress", "Id": "i1", "Driver": "overlay", "Ingress": true, "Options": {}})"));
  facts.engine.networks.push_back(json::parse(
      R"({"Name": "backend", "Id": "b1", "Driver": "overlay", "Options": {"com.docker.network.driver.overlay.vxlanid_list": "4097"}})"));
  facts.engine.networks.push_back(json::parse(
      R"({"Name": "secure", "Id": "s1", "Driver": "overlay", "Options": {"encrypted": ""}})"));
  return facts;
}

std::string Verdict7(const HostFacts& facts, const std::string& cis) {
  return testing::VerdictText(Only(RunCheck(Section7(), cis, facts)).verdict);
}

TEST(Section7, ManagerCount) {
  HostFacts facts = Manager();
  EXPECT_EQ(Verdict7(facts, "7.1"), "pass");  // 3 of 4
  facts.engine.swarm_nodes.push_back(Node("manager"));
  EXPECT_EQ(Verdict7(facts, "7.1"), "warn");  // 4: even
  facts.engine.swarm_nodes = json::array({Node("manager"), Node("worker"), Node("worker")});
  EXPECT_EQ(Verdict7(facts, "7.1"), "pass");  // 1: the minimum without fault tolerance
  facts.engine.swarm_nodes = json::array();
  for (int i = 0; i < 9; ++i) facts.engine.swarm_nodes.push_back(Node("manager"));
  EXPECT_EQ(Verdict7(facts, "7.1"), "warn");  // more than 7
}

TEST(Section7, WorkerSkipsManagerOnlyChecks) {
  HostFacts facts = Manager();
  facts.engine.swarm_manager = false;
  ResultSink sink = RunCheck(Section7(), "7.1", facts);
  EXPECT_TRUE(sink.results().empty());
  EXPECT_NE(sink.skip_reason().find("worker"), std::string::npos);
  EXPECT_EQ(Verdict7(facts, "7.9"), "info");
}

TEST(Section7, ManagementPortBinding) {
  HostFacts facts = Manager();
  EXPECT_EQ(Verdict7(facts, "7.2"), "pass");
  facts.listening.push_back(ListeningSocket{"::", 2377});
  HostResult r = Only(RunCheck(Section7(), "7.2", facts));
  EXPECT_EQ(r.verdict, core::Verdict::kWarn);
  EXPECT_NE(r.evidence.find(":::2377"), std::string::npos);
  facts.listening.clear();
  EXPECT_TRUE(RunCheck(Section7(), "7.2", facts).results().empty());
}

TEST(Section7, OverlayEncryption) {
  HostFacts facts = Manager();
  ResultSink sink = RunCheck(Section7(), "7.3", facts);
  EXPECT_EQ(sink.results().size(), 3u);
  EXPECT_EQ(ResultFor(sink, "backend").verdict, core::Verdict::kWarn);
  EXPECT_EQ(ResultFor(sink, "backend").subject.kind, "network");
  EXPECT_EQ(ResultFor(sink, "secure").verdict, core::Verdict::kPass);
  EXPECT_EQ(ResultFor(sink, "ingress").verdict, core::Verdict::kInfo);
}

TEST(Section7, SecretsInServiceEnvironments) {
  HostFacts facts = Manager();
  EXPECT_EQ(Verdict7(facts, "7.4"), "info");
  facts.engine.swarm_services.push_back(
      json::parse(R"({"ID": "svc123456789xyz", "Spec": {"Name": "api",
      "TaskTemplate": {"ContainerSpec": {"Env": ["DB_PASSWORD=hunter2", "MODE=prod"]}}}})"));
  HostResult r = ResultFor(RunCheck(Section7(), "7.4", facts), "api");
  EXPECT_EQ(r.verdict, core::Verdict::kWarn);
  EXPECT_EQ(r.subject.kind, "service");
  EXPECT_NE(r.evidence.find("DB_PASSWORD=<masked>"), std::string::npos);
  EXPECT_EQ(r.evidence.find("hunter2"), std::string::npos);
}

TEST(Section7, AutoLockAndRotation) {
  HostFacts facts = Manager();
  EXPECT_EQ(Verdict7(facts, "7.5"), "warn");
  EXPECT_EQ(Verdict7(facts, "7.6"), "info");  // not applicable without auto-lock
  facts.engine.unlock_key = "SWMKEY-1-abc";
  EXPECT_EQ(Verdict7(facts, "7.5"), "pass");
  EXPECT_EQ(Verdict7(facts, "7.6"), "note");
  EXPECT_EQ(Only(RunCheck(Section7(), "7.5", facts)).evidence.find("SWMKEY"), std::string::npos);
}

TEST(Section7, CertificateLifetimes) {
  HostFacts facts = Manager();
  EXPECT_EQ(Verdict7(facts, "7.7"), "pass");  // 90 days, the default
  facts.engine.swarm["Spec"]["CAConfig"]["NodeCertExpiry"] = int64_t{365} * 86'400'000'000'000;
  HostResult r = Only(RunCheck(Section7(), "7.7", facts));
  EXPECT_EQ(r.verdict, core::Verdict::kWarn);
  EXPECT_NE(r.evidence.find("365 days"), std::string::npos);
  EXPECT_EQ(Verdict7(facts, "7.8"), "note");
  HostResult plane = Only(RunCheck(Section7(), "7.9", facts));
  EXPECT_EQ(plane.verdict, core::Verdict::kInfo);
  EXPECT_NE(plane.evidence.find("10.0.0.5"), std::string::npos);
  EXPECT_NE(plane.evidence.find("DataPathPort=4789"), std::string::npos);
}

TEST(Section7, HostileDocumentsDoNotCrash) {
  HostFacts facts = Manager();
  facts.engine.swarm_nodes = json::parse(R"([1, {"Spec": []}, null])");
  facts.engine.swarm = json::array();
  facts.engine.swarm_services =
      json::parse(R"([{"Spec": {"TaskTemplate": {"ContainerSpec": {"Secrets": 3}}}}])");
  facts.engine.swarm_secrets = json(5);
  facts.engine.networks = json::parse(R"([{"Driver": "overlay", "Options": null}, 7])");
  for (const HostCheck& check : Section7()) {
    ResultSink sink;
    check.run(facts, sink);
  }
}

}  // namespace
}  // namespace bulwark::host
