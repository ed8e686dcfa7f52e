// CIS section 2 (daemon configuration) on a deliberately weak daemon and a
// hardened one, built from dockerd command lines, daemon.json documents and
// /info, /version and /networks recorded from real engines
// (tests/host/fixtures/daemon/), plus the cases where docker-bench is wrong.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "host/host_check.hpp"
#include "host_check_test_util.hpp"
#include "test_support.hpp"

namespace bulwark::host {
namespace {

using core::Verdict;
using nlohmann::json;
using ::testing::HasSubstr;

json Fixture(const std::string& name) {
  return json::parse(testing::ReadFile(testing::SourceDir() / "tests/host/fixtures/daemon" / name));
}

HostFacts Facts(std::vector<std::string> argv, const std::string& daemon_json, json info,
                json version, json networks, uint32_t uid = 0) {
  HostFacts facts;
  facts.daemon_process = DaemonProcess{4242, argv, uid};
  facts.daemon_file.path = "/etc/docker/daemon.json";
  facts.daemon_file.exists = !daemon_json.empty();
  if (!daemon_json.empty()) facts.daemon_file.json = json::parse(daemon_json);
  facts.daemon = DaemonConfig::From(argv, facts.daemon_file.json, facts.daemon_file.path);
  facts.engine.reachable = true;
  facts.engine.socket_path = "/var/run/docker.sock";
  facts.engine.info = std::move(info);
  facts.engine.version = std::move(version);
  facts.engine.networks = std::move(networks);
  return facts;
}

// A daemon as careless hosts run it: TCP without TLS, debug logging, an
// insecure registry, json-file logs without rotation, seccomp off,
// experimental on. /info is the engine's, patched where the engine would
// report these settings.
HostFacts WeakFacts() {
  json info = Fixture("info.json");
  info["Driver"] = "aufs";
  info["SecurityOptions"] = {"name=seccomp,profile=unconfined"};
  info["ExperimentalBuild"] = true;
  info["RegistryConfig"]["IndexConfigs"]["registry.example.test:5000"] = {
      {"Name", "registry.example.test:5000"},
      {"Mirrors", json::array()},
      {"Secure", false},
      {"Official", false}};
  json version = Fixture("version.json");
  version["Components"][0]["Details"]["Experimental"] = "true";
  return Facts(
      {"/usr/bin/dockerd", "-H", "fd://", "-H", "tcp://0.0.0.0:2375", "--insecure-registry",
       "registry.example.test:5000", "--log-level=debug", "--iptables=false", "--storage-opt",
       "dm.basesize=20G"},
      R"({"cgroup-parent": "/weak", "icc": true, "log-driver": "json-file", "experimental": true,
                   "seccomp-profile": "unconfined"})",
      std::move(info), std::move(version), Fixture("networks.json"));
}

// The hardened daemon.json of the notes (section 6), TLS-verified TCP, an
// authorization plugin; /info recorded from a daemon started with it.
HostFacts HardenedFacts() {
  json info = Fixture("info-hardened.json");
  info["SecurityOptions"] = {"name=seccomp,profile=default", "name=userns"};
  info["Plugins"]["Authorization"] = {"opa-docker-authz"};
  json networks = Fixture("networks.json");
  for (json& network : networks) {
    if (network["Name"] == "bridge") {
      network["Options"]["com.docker.network.bridge.enable_icc"] = "false";
    }
  }
  return Facts({"/usr/bin/dockerd", "-H", "fd://", "-H", "tcp://0.0.0.0:2376",
                "--containerd=/run/containerd/containerd.sock"},
               R"({
                 "tlsverify": true,
                 "tlscacert": "/etc/docker/tls/ca.pem",
                 "tlscert": "/etc/docker/tls/server-cert.pem",
                 "tlskey": "/etc/docker/tls/server-key.pem",
                 "icc": false,
                 "log-level": "info",
                 "iptables": true,
                 "userns-remap": "default",
                 "default-ulimits": {"nofile": {"Name": "nofile", "Soft": 64000, "Hard": 64000}},
                 "authorization-plugins": ["opa-docker-authz"],
                 "log-driver": "syslog",
                 "log-opts": {"syslog-address": "udp://127.0.0.1:514", "tag": "{{.Name}}"},
                 "no-new-privileges": true,
                 "live-restore": true,
                 "userland-proxy": false,
                 "experimental": false
               })",
               std::move(info), Fixture("version.json"), std::move(networks));
}

ResultSink RunCheck(const std::string& cis, const HostFacts& facts) {
  static const std::vector<HostCheck> checks = Section2DaemonConfigurationChecks();
  return host::RunCheck(checks, cis, facts);
}

// The one result of a check on the daemon (fails the test otherwise).
HostResult One(const std::string& cis, const HostFacts& facts) {
  ResultSink sink = RunCheck(cis, facts);
  if (sink.results().size() != 1) {
    ADD_FAILURE() << cis << ": " << sink.results().size()
                  << " results, skip: " << sink.skip_reason();
    return HostResult{};
  }
  return sink.results().front();
}

std::string Describe(const HostResult& r) {
  return std::string(core::VerdictName(r.verdict)) + " | " + r.message + " | " + r.evidence;
}

TEST(Section2, CatalogueMatchesDockerBench160) {
  std::vector<HostCheck> checks = Section2DaemonConfigurationChecks();
  ASSERT_EQ(checks.size(), 18u);
  for (size_t i = 0; i < checks.size(); ++i) {
    const HostCheck& check = checks[i];
    EXPECT_EQ(check.cis, "2." + std::to_string(i + 1));
    EXPECT_EQ(check.scored, check.cis != "2.1" && check.cis != "2.8" && check.cis != "2.17")
        << check.cis;
    EXPECT_NE(check.run, nullptr);
    EXPECT_FALSE(check.title.empty());
    EXPECT_FALSE(check.rationale.empty());
    EXPECT_FALSE(check.remediation.empty());
    EXPECT_FALSE(check.references.nist.empty()) << check.cis;
    EXPECT_FALSE(check.references.urls.empty()) << check.cis;
    EXPECT_TRUE(check.references.cis.empty()) << "the runner fills it";
    EXPECT_EQ(check.scope, HostScope::kDaemon);
  }
  EXPECT_EQ(checks[6].title, "Ensure TLS authentication for Docker daemon is configured");
  EXPECT_EQ(checks[12].title, "Ensure centralized and remote logging is configured");
  EXPECT_EQ(checks[15].title, "Ensure Userland Proxy is Disabled");
  EXPECT_EQ(checks[6].severity, core::Severity::kCritical);
}

struct Expectation {
  const char* cis;
  Verdict weak;
  Verdict hardened;
};

class Section2Verdicts : public ::testing::TestWithParam<Expectation> {};

TEST_P(Section2Verdicts, WeakAndHardenedDaemons) {
  const Expectation& e = GetParam();
  static const HostFacts weak = WeakFacts();
  static const HostFacts hardened = HardenedFacts();
  HostResult on_weak = One(e.cis, weak);
  EXPECT_EQ(on_weak.verdict, e.weak) << "weak: " << Describe(on_weak);
  HostResult on_hardened = One(e.cis, hardened);
  EXPECT_EQ(on_hardened.verdict, e.hardened) << "hardened: " << Describe(on_hardened);
  for (const HostResult* r : {&on_weak, &on_hardened}) {
    EXPECT_EQ(r->subject.kind, "daemon");
    EXPECT_EQ(r->subject.id, "4242");
    EXPECT_FALSE(r->evidence.empty());
    EXPECT_FALSE(r->message.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Table, Section2Verdicts,
                         ::testing::Values(Expectation{"2.1", Verdict::kInfo,
                                                       Verdict::kInfo},  // both run as root
                                           Expectation{"2.2", Verdict::kWarn, Verdict::kPass},
                                           Expectation{"2.3", Verdict::kWarn, Verdict::kPass},
                                           Expectation{"2.4", Verdict::kWarn, Verdict::kPass},
                                           Expectation{"2.5", Verdict::kWarn, Verdict::kPass},
                                           Expectation{"2.6", Verdict::kWarn, Verdict::kPass},
                                           Expectation{"2.7", Verdict::kWarn, Verdict::kPass},
                                           Expectation{"2.8", Verdict::kInfo, Verdict::kPass},
                                           Expectation{"2.9", Verdict::kWarn, Verdict::kPass},
                                           Expectation{"2.10", Verdict::kWarn, Verdict::kPass},
                                           Expectation{"2.11", Verdict::kWarn, Verdict::kPass},
                                           Expectation{"2.12", Verdict::kWarn, Verdict::kPass},
                                           Expectation{"2.13", Verdict::kWarn, Verdict::kPass},
                                           Expectation{"2.14", Verdict::kWarn, Verdict::kPass},
                                           Expectation{"2.15", Verdict::kWarn, Verdict::kPass},
                                           Expectation{"2.16", Verdict::kWarn, Verdict::kPass},
                                           Expectation{"2.17", Verdict::kWarn, Verdict::kPass},
                                           Expectation{"2.18", Verdict::kWarn, Verdict::kPass}),
                         [](const ::testing::TestParamInfo<Expectation>& info) {
                           std::string name = std::string("Cis") + info.param.cis;
                           for (char& c : name) c = c == '.' ? '_' : c;
                           return name;
                         });

TEST(Section2Evidence, NamesTheDecidingValue) {
  HostFacts weak = WeakFacts();
  EXPECT_EQ(One("2.3", weak).evidence, "dockerd --log-level=debug");
  EXPECT_EQ(One("2.4", weak).evidence, "dockerd --iptables=false");
  EXPECT_THAT(One("2.5", weak).message, HasSubstr("registry.example.test:5000"));
  EXPECT_THAT(One("2.7", weak).message, HasSubstr("tcp://0.0.0.0:2375"));
  EXPECT_THAT(One("2.7", weak).message, HasSubstr("root on the host"));
  EXPECT_THAT(One("2.10", weak).evidence,
              HasSubstr("/etc/docker/daemon.json \"cgroup-parent\": \"/weak\""));
  EXPECT_THAT(One("2.11", weak).message, HasSubstr("dm.basesize=20G"));
  EXPECT_THAT(One("2.2", weak).evidence, HasSubstr("com.docker.network.bridge.enable_icc=true"));
  EXPECT_THAT(One("2.13", weak).evidence, HasSubstr("/info LoggingDriver=json-file"));
  EXPECT_THAT(One("2.17", weak).evidence, HasSubstr("name=seccomp,profile=unconfined"));
  EXPECT_THAT(One("2.1", weak).evidence, HasSubstr("runs as uid 0"));
  HostFacts hardened = HardenedFacts();
  EXPECT_THAT(One("2.7", hardened).evidence, HasSubstr("tlscacert=/etc/docker/tls/ca.pem"));
  EXPECT_THAT(One("2.8", hardened).message, HasSubstr("nofile="));
  EXPECT_THAT(One("2.12", hardened).message, HasSubstr("opa-docker-authz"));
  EXPECT_EQ(One("2.15", hardened).evidence, "/info LiveRestoreEnabled=true");
}

// docker-bench 2.13: WARN for json-file whatever its rotation, PASS for any
// other driver, even "none".
HostFacts LoggingFacts(const std::string& driver, const std::string& daemon_json) {
  json info = Fixture("info.json");
  info["LoggingDriver"] = driver;
  return Facts({"dockerd"}, daemon_json, std::move(info), Fixture("version.json"),
               Fixture("networks.json"));
}

TEST(Section2Logging, JsonFileWithoutRotationWarns) {
  HostResult r = One("2.13", LoggingFacts("json-file", ""));
  EXPECT_EQ(r.verdict, Verdict::kWarn) << Describe(r);
  EXPECT_THAT(r.message, HasSubstr("without bound"));
  EXPECT_THAT(r.evidence, HasSubstr("no log-opts max-size"));
}

TEST(Section2Logging, RotatedJsonFileIsInfoNotWarn) {
  HostResult r = One(
      "2.13", LoggingFacts("json-file", R"({"log-opts": {"max-size": "10m", "max-file": "3"}})"));
  EXPECT_EQ(r.verdict, Verdict::kInfo) << Describe(r);
  EXPECT_THAT(r.message, HasSubstr("max-size 10m, max-file 3"));
  EXPECT_THAT(r.evidence, HasSubstr("\"log-opts\""));
  HostResult size_only =
      One("2.13", LoggingFacts("json-file", R"({"log-opts": {"max-size": "50m"}})"));
  EXPECT_EQ(size_only.verdict, Verdict::kInfo) << Describe(size_only);
  EXPECT_THAT(size_only.message, HasSubstr("max-file 1 by default"));
  EXPECT_EQ(One("2.13", LoggingFacts("local", "")).verdict, Verdict::kInfo);
}

TEST(Section2Logging, NoneWarnsAndRemoteDriversPass) {
  HostResult none = One("2.13", LoggingFacts("none", R"({"log-driver": "none"})"));
  EXPECT_EQ(none.verdict, Verdict::kWarn) << Describe(none);
  EXPECT_THAT(none.message, HasSubstr("discards"));
  for (const char* driver : {"syslog", "journald", "fluentd", "gelf", "awslogs", "splunk",
                             "gcplogs", "grafana/loki-docker-driver:latest"}) {
    HostResult r = One("2.13", LoggingFacts(driver, ""));
    EXPECT_EQ(r.verdict, Verdict::kPass) << driver << ": " << Describe(r);
  }
}

TEST(Section2Logging, ConfigDecidesWhenTheEngineIsDown) {
  HostFacts facts = LoggingFacts("json-file", R"({"log-driver": "fluentd"})");
  facts.engine.reachable = false;
  facts.engine.error = "connect: no such file";
  HostResult r = One("2.13", facts);
  EXPECT_EQ(r.verdict, Verdict::kPass) << Describe(r);
  EXPECT_THAT(r.evidence, HasSubstr("\"log-driver\": \"fluentd\""));
}

TEST(Section2Registries, LoopbackIsNeverAFinding) {
  // The recorded engine lists 127.0.0.0/8 as insecure by itself.
  HostFacts facts = Facts({"dockerd"}, "", Fixture("info.json"), Fixture("version.json"),
                          Fixture("networks.json"));
  ASSERT_EQ(facts.engine.info["RegistryConfig"]["InsecureRegistryCIDRs"],
            json::array({"127.0.0.0/8"}));
  HostResult r = One("2.5", facts);
  EXPECT_EQ(r.verdict, Verdict::kPass) << Describe(r);
  EXPECT_THAT(r.evidence, HasSubstr("127.0.0.0/8"));
  EXPECT_THAT(r.evidence, HasSubstr("built-in loopback"));
  HostFacts local =
      Facts({"dockerd", "--insecure-registry", "localhost:5000", "--insecure-registry",
             "127.0.0.1:5000", "--insecure-registry", "127.0.0.0/8"},
            "", Fixture("info.json"), Fixture("version.json"), Fixture("networks.json"));
  EXPECT_EQ(One("2.5", local).verdict, Verdict::kPass) << Describe(One("2.5", local));
}

TEST(Section2Registries, RemoteInsecureRegistryOrCidrWarns) {
  json info = Fixture("info.json");
  info["RegistryConfig"]["InsecureRegistryCIDRs"] = {"10.0.0.0/8", "127.0.0.0/8"};
  HostFacts facts = Facts({"dockerd"}, R"({"insecure-registries": ["10.0.0.0/8"]})",
                          std::move(info), Fixture("version.json"), Fixture("networks.json"));
  HostResult r = One("2.5", facts);
  EXPECT_EQ(r.verdict, Verdict::kWarn);
  EXPECT_THAT(r.message, HasSubstr("10.0.0.0/8"));
  EXPECT_THAT(r.message, ::testing::Not(HasSubstr("127.0.0.0/8")));
}

HostFacts Plain(std::vector<std::string> argv, const std::string& daemon_json = "") {
  return Facts(std::move(argv), daemon_json, Fixture("info.json"), Fixture("version.json"),
               Fixture("networks.json"));
}

TEST(Section2Tls, OnlyTcpHostsMatter) {
  HostResult unix_only = One("2.7", Plain({"dockerd", "-H", "fd://", "-H", "unix:///run/x.sock"}));
  EXPECT_EQ(unix_only.verdict, Verdict::kInfo);
  EXPECT_THAT(unix_only.message, HasSubstr("not applicable"));
  HostResult defaults = One("2.7", Plain({"dockerd"}));
  EXPECT_EQ(defaults.verdict, Verdict::kInfo);
  EXPECT_THAT(defaults.evidence, HasSubstr("default: unix:///var/run/docker.sock"));
  HostResult tls_only = One("2.7", Plain({"dockerd", "-H", "tcp://0.0.0.0:2376", "--tls",
                                          "--tlscert=/c.pem", "--tlskey=/k.pem"}));
  EXPECT_EQ(tls_only.verdict, Verdict::kWarn);
  EXPECT_THAT(tls_only.message, HasSubstr("tcp://0.0.0.0:2376 over TLS without verifying clients"));
  HostResult bare = One("2.7", Plain({"dockerd", "-H", ":2375"}));
  EXPECT_EQ(bare.verdict, Verdict::kWarn);
  EXPECT_EQ(One("2.7", Plain({"dockerd", "--tlsverify", "-H", "tcp://0.0.0.0:2376"})).verdict,
            Verdict::kPass);
  HostResult hosts_in_file = One("2.7", Plain({"dockerd"}, R"({"hosts": ["tcp://0.0.0.0:2375"]})"));
  EXPECT_EQ(hosts_in_file.verdict, Verdict::kWarn);
  EXPECT_THAT(hosts_in_file.evidence, HasSubstr("neither tls nor tlsverify"));
}

TEST(Section2Runtime, LiveRestoreIsNotApplicableInSwarm) {
  HostFacts facts = Plain({"dockerd"});
  facts.engine.info["Swarm"]["LocalNodeState"] = "active";
  HostResult r = One("2.15", facts);
  EXPECT_EQ(r.verdict, Verdict::kInfo);
  EXPECT_THAT(r.message, HasSubstr("not applicable"));
}

TEST(Section2Runtime, SeccompProfiles) {
  HostFacts facts = Plain({"dockerd"}, R"({"seccomp-profile": "/etc/docker/seccomp-strict.json"})");
  facts.engine.info["SecurityOptions"] = {"name=seccomp,profile=/etc/docker/seccomp-strict.json"};
  HostResult custom = One("2.17", facts);
  EXPECT_EQ(custom.verdict, Verdict::kPass);
  EXPECT_THAT(custom.message, HasSubstr("/etc/docker/seccomp-strict.json"));
  facts.engine.info["SecurityOptions"] = {"name=seccomp,profile=builtin", "name=cgroupns"};
  EXPECT_EQ(One("2.17", facts).verdict, Verdict::kPass);
  facts.engine.info["SecurityOptions"] = {"name=apparmor"};
  EXPECT_EQ(One("2.17", facts).verdict, Verdict::kWarn);
  facts.engine.info.erase("SecurityOptions");
  EXPECT_EQ(One("2.17", facts).verdict, Verdict::kWarn);
}

TEST(Section2Runtime, RootlessDaemonPasses21And29) {
  HostFacts by_uid = Facts({"dockerd", "--rootless"}, "", Fixture("info.json"),
                           Fixture("version.json"), Fixture("networks.json"), 1000);
  EXPECT_EQ(One("2.1", by_uid).verdict, Verdict::kPass);
  EXPECT_THAT(One("2.1", by_uid).evidence, HasSubstr("runs as uid 1000"));
  EXPECT_EQ(One("2.9", by_uid).verdict, Verdict::kPass);
  HostFacts by_info = Plain({"dockerd"});
  by_info.daemon_process.reset();
  by_info.engine.info["SecurityOptions"] = {"name=seccomp,profile=default", "name=rootless"};
  EXPECT_EQ(One("2.1", by_info).verdict, Verdict::kPass);
}

TEST(Section2Runtime, RuntimeStateCountsWhenTheConfigSaysNothing) {
  HostFacts facts = Plain({"dockerd"});
  facts.engine.info["SecurityOptions"] = {"name=seccomp,profile=default", "name=userns"};
  facts.engine.info["Plugins"]["Authorization"] = {"authz-broker"};
  EXPECT_EQ(One("2.9", facts).verdict, Verdict::kPass);
  EXPECT_EQ(One("2.12", facts).verdict, Verdict::kPass);
  facts.engine.info["Debug"] = true;
  EXPECT_EQ(One("2.3", facts).verdict, Verdict::kWarn);
  EXPECT_EQ(One("2.3", facts).evidence, "/info Debug=true");
}

TEST(Section2Icc, ConfigDecidesWithoutNetworksAndNoBridgeMeansNothingToCross) {
  HostFacts facts = Plain({"dockerd", "--icc=false"});
  facts.engine.networks = json();
  EXPECT_EQ(One("2.2", facts).verdict, Verdict::kPass);
  EXPECT_EQ(One("2.2", facts).evidence, "dockerd --icc=false");
  HostFacts no_bridge = Plain({"dockerd", "--bridge=none"});
  EXPECT_EQ(One("2.2", no_bridge).verdict, Verdict::kPass);
  EXPECT_EQ(One("2.2", Plain({"dockerd"})).verdict,
            Verdict::kWarn);  // recorded bridge: enable_icc=true
}

TEST(Section2Unreachable, EngineChecksSkipWithTheEngineError) {
  HostFacts facts = Plain({"dockerd"});
  facts.engine.reachable = false;
  facts.engine.error =
      "the Docker daemon at unix:///var/run/docker.sock did not answer /info: refused";
  facts.engine.info = json();
  facts.engine.version = json();
  for (const char* cis : {"2.6", "2.15", "2.17"}) {
    ResultSink sink = RunCheck(cis, facts);
    EXPECT_TRUE(sink.results().empty()) << cis;
    EXPECT_EQ(sink.skip_reason(), facts.engine.error) << cis;
  }
  // The command line was read, so what it and daemon.json leave unset is the default.
  EXPECT_EQ(One("2.18", facts).verdict, Verdict::kPass);
  EXPECT_EQ(One("2.14", facts).verdict, Verdict::kWarn);
  HostFacts live = Plain({"dockerd", "--live-restore", "-s", "aufs"});
  live.engine.reachable = false;
  EXPECT_EQ(One("2.15", live).verdict, Verdict::kPass);
  EXPECT_EQ(One("2.6", live).verdict, Verdict::kWarn);
}

TEST(Section2NoProcess, JudgedFromDaemonJsonAndInfoAndSaysSo) {
  HostFacts facts = Plain({}, R"({"no-new-privileges": true})");
  facts.daemon_process.reset();
  HostResult nnp = One("2.14", facts);
  EXPECT_EQ(nnp.verdict, Verdict::kPass);
  EXPECT_THAT(nnp.evidence, HasSubstr("dockerd's command line unknown"));
  HostResult proxy = One("2.16", facts);
  EXPECT_EQ(proxy.verdict, Verdict::kWarn);
  EXPECT_THAT(proxy.evidence, HasSubstr("not set in /etc/docker/daemon.json"));
  EXPECT_THAT(proxy.evidence, HasSubstr("command line unknown"));
  HostResult rootless = One("2.1", facts);
  EXPECT_EQ(rootless.verdict, Verdict::kInfo);
  EXPECT_EQ(rootless.subject.id, "");
}

TEST(Section2BrokenFile, UnsetKeysCannotBeJudgedFromAnUnreadableFile) {
  HostFacts facts = Plain({"dockerd", "--icc=false"});
  facts.daemon_file.exists = true;
  facts.daemon_file.error = "/etc/docker/daemon.json: parse error at line 3, column 1";
  facts.engine.networks = json();
  ResultSink nnp = RunCheck("2.14", facts);
  EXPECT_TRUE(nnp.results().empty());
  EXPECT_THAT(nnp.skip_reason(), HasSubstr("parse error at line 3"));
  EXPECT_EQ(One("2.2", facts).verdict, Verdict::kPass);  // on the command line
}

TEST(Section2OddDocuments, WrongTypesNeverCrash) {
  HostFacts facts = Plain({"dockerd"}, R"({
    "hosts": "tcp://x", "log-opts": ["max-size"], "default-ulimits": 3,
    "authorization-plugins": {"a": 1}, "storage-opts": null})");
  facts.engine.info = json::parse(R"({
    "SecurityOptions": "x", "RegistryConfig": {"IndexConfigs": [1]},
    "Plugins": 5, "Swarm": [], "LiveRestoreEnabled": "yes", "Driver": 7})");
  facts.engine.version = json::parse(R"({"Components": {"Engine": 1}, "Experimental": "true"})");
  facts.engine.networks = json::parse(R"([1, null, {"Options": []}])");
  for (const HostCheck& check : Section2DaemonConfigurationChecks()) {
    ResultSink sink;
    check.run(facts, sink);
    EXPECT_TRUE(sink.results().size() == 1 || !sink.skip_reason().empty()) << check.cis;
  }
}

}  // namespace
}  // namespace bulwark::host
