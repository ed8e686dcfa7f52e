// CIS section 5 (container runtime) on recorded Engine API documents: every
// check's verdict on the weak, weak-ports and hardened containers, then
// hand-built cases for each place docker-bench is weak.
#include <gtest/gtest.h>

#include <set>

#include "engine_fixtures.hpp"

namespace bulwark::host {
namespace {

using testing::ContainerNamed;
using testing::LoadRecordedHost;
using testing::ResultFor;
using testing::RunCheck;
using testing::VerdictText;

const std::vector<HostCheck>& Checks() {
  static const std::vector<HostCheck> checks = Section5ContainerRuntimeChecks();
  return checks;
}

std::string Verdict(const HostFacts& facts, const std::string& cis, const std::string& container) {
  return VerdictText(ResultFor(RunCheck(Checks(), cis, facts), container).verdict);
}

HostResult Result(const HostFacts& facts, const std::string& cis, const std::string& container) {
  return ResultFor(RunCheck(Checks(), cis, facts), container);
}

struct Expected {
  const char* cis;
  const char* weak;
  const char* weak_ports;
  const char* hardened;
};

// The recording host has neither AppArmor nor SELinux (5.2, 5.3: info).
constexpr Expected kTable[] = {
    {"5.2", "info", "info", "info"},  {"5.3", "info", "info", "info"},
    {"5.4", "warn", "warn", "pass"},  {"5.5", "pass", "pass", "pass"},
    {"5.6", "warn", "pass", "pass"},  {"5.7", "warn", "pass", "pass"},
    {"5.8", "pass", "warn", "pass"},  {"5.9", "pass", "warn", "info"},
    {"5.10", "warn", "pass", "pass"}, {"5.11", "warn", "warn", "pass"},
    {"5.12", "warn", "warn", "pass"}, {"5.13", "warn", "warn", "pass"},
    {"5.14", "pass", "warn", "pass"}, {"5.15", "warn", "warn", "pass"},
    {"5.16", "warn", "pass", "pass"}, {"5.17", "warn", "pass", "pass"},
    {"5.18", "warn", "pass", "pass"}, {"5.19", "info", "info", "pass"},
    {"5.20", "pass", "pass", "pass"}, {"5.21", "warn", "pass", "pass"},
    {"5.22", "warn", "pass", "pass"}, {"5.23", "note", "note", "note"},
    {"5.24", "warn", "note", "note"}, {"5.25", "warn", "pass", "pass"},
    {"5.26", "warn", "pass", "pass"}, {"5.27", "warn", "warn", "pass"},
    {"5.28", "pass", "pass", "pass"}, {"5.29", "warn", "warn", "pass"},
    {"5.30", "pass", "info", "pass"}, {"5.31", "warn", "pass", "pass"},
    {"5.32", "warn", "pass", "pass"},
};

TEST(Section5, ListsEveryCheckInOrderWithMetadata) {
  ASSERT_EQ(Checks().size(), 32u);
  for (size_t i = 0; i < Checks().size(); ++i) {
    const HostCheck& check = Checks()[i];
    EXPECT_EQ(check.cis, "5." + std::to_string(i + 1));
    EXPECT_FALSE(check.title.empty()) << check.cis;
    EXPECT_FALSE(check.rationale.empty()) << check.cis;
    EXPECT_FALSE(check.remediation.empty()) << check.cis;
    EXPECT_FALSE(check.references.urls.empty()) << check.cis;
    EXPECT_TRUE(check.references.cis.empty()) << check.cis;
    EXPECT_NE(check.run, nullptr) << check.cis;
    EXPECT_EQ(check.scope, check.cis == "5.1" ? HostScope::kEngine : HostScope::kContainers)
        << check.cis;
  }
  // Scored as docker-bench scores them.
  std::set<std::string> unscored = {"5.18", "5.19", "5.23", "5.24", "5.28", "5.30"};
  for (const HostCheck& check : Checks())
    EXPECT_EQ(check.scored, !unscored.count(check.cis)) << check.cis;
}

TEST(Section5, RecordedContainersGetTheExpectedVerdicts) {
  HostFacts facts = LoadRecordedHost();
  ASSERT_EQ(sizeof kTable / sizeof kTable[0], 31u);  // 5.2 - 5.32
  for (const Expected& row : kTable) {
    ResultSink sink = RunCheck(Checks(), row.cis, facts);
    EXPECT_EQ(sink.results().size(), 3u) << row.cis;
    EXPECT_EQ(VerdictText(ResultFor(sink, "bw-helper-weak").verdict), row.weak) << row.cis;
    EXPECT_EQ(VerdictText(ResultFor(sink, "bw-helper-weak-ports").verdict), row.weak_ports)
        << row.cis;
    EXPECT_EQ(VerdictText(ResultFor(sink, "bw-helper-hardened").verdict), row.hardened) << row.cis;
    for (const HostResult& r : sink.results()) {
      EXPECT_EQ(r.subject.kind, "container") << row.cis;
      EXPECT_EQ(r.subject.id.size(), 12u) << row.cis;
      EXPECT_FALSE(r.evidence.empty()) << row.cis << " " << r.subject.name;
      EXPECT_FALSE(r.message.empty()) << row.cis << " " << r.subject.name;
    }
  }
}

TEST(Section5, SwarmModeIsAboutTheHost) {
  HostFacts facts = LoadRecordedHost();
  ResultSink sink = RunCheck(Checks(), "5.1", facts);
  ASSERT_EQ(sink.results().size(), 1u);
  EXPECT_EQ(sink.results()[0].verdict, core::Verdict::kPass);
  EXPECT_EQ(sink.results()[0].subject.kind, "host");
  EXPECT_EQ(sink.results()[0].evidence, "/info Swarm.LocalNodeState=\"inactive\"");
  facts.engine.info["Swarm"]["LocalNodeState"] = "active";
  EXPECT_EQ(RunCheck(Checks(), "5.1", facts).results()[0].verdict, core::Verdict::kWarn);
}

TEST(Section5, EvidenceNamesTheDecidingFields) {
  HostFacts facts = LoadRecordedHost();
  EXPECT_NE(Result(facts, "5.4", "bw-helper-weak").evidence.find("SYS_ADMIN"), std::string::npos);
  EXPECT_NE(Result(facts, "5.6", "bw-helper-weak").evidence.find("/etc -> /host-etc (rw)"),
            std::string::npos);
  EXPECT_NE(Result(facts, "5.7", "bw-helper-weak").evidence.find("sshd /tmp/sshd infinity"),
            std::string::npos);
  EXPECT_NE(Result(facts, "5.9", "bw-helper-weak-ports").message.find("22/tcp"), std::string::npos);
  EXPECT_NE(Result(facts, "5.14", "bw-helper-weak-ports").evidence.find("0.0.0.0:18081"),
            std::string::npos);
  EXPECT_NE(Result(facts, "5.24", "bw-helper-weak").evidence.find("user=\"root\""),
            std::string::npos);
  EXPECT_NE(Result(facts, "5.32", "bw-helper-weak").evidence.find("/var/run/docker.sock"),
            std::string::npos);
  EXPECT_EQ(Result(facts, "5.10", "bw-helper-weak").evidence, "HostConfig.NetworkMode=\"host\"");
  EXPECT_NE(Result(facts, "5.4", "bw-helper-hardened").evidence.find("effective: none"),
            std::string::npos);
}

TEST(Section5, PrivilegedVariantWarnsWhereverPrivilegeMatters) {
  HostFacts facts = LoadRecordedHost();
  ContainerNamed(facts, "bw-helper-weak").inspect["HostConfig"]["Privileged"] = true;
  for (const char* cis : {"5.4", "5.5", "5.18", "5.22"}) {
    EXPECT_EQ(Verdict(facts, cis, "bw-helper-weak"), "warn") << cis;
  }
  EXPECT_NE(Result(facts, "5.4", "bw-helper-weak").message.find("every capability"),
            std::string::npos);
}

// docker-bench passes 5.3 on any security option, e.g. no-new-privileges.
TEST(Section5, SelinuxIsNotSatisfiedByOtherSecurityOptions) {
  HostFacts facts = LoadRecordedHost();
  HostResult na = Result(facts, "5.3", "bw-helper-weak-ports");  // SecurityOpt [no-new-privileges]
  EXPECT_EQ(na.verdict, core::Verdict::kInfo);
  EXPECT_EQ(na.message, "not applicable: SELinux is not enabled on this host (AppArmor: see 5.2)");

  facts.engine.info["SecurityOptions"] =
      nlohmann::json::array({"name=seccomp,profile=default", "name=selinux"});
  EXPECT_EQ(Verdict(facts, "5.3", "bw-helper-weak-ports"), "warn");  // no SELinux label
  EXPECT_EQ(Verdict(facts, "5.3", "bw-helper-weak"), "warn");        // label=disable
  EXPECT_NE(Result(facts, "5.3", "bw-helper-weak").evidence.find("label=disable"),
            std::string::npos);
  ContainerNamed(facts, "bw-helper-hardened").inspect["ProcessLabel"] =
      "system_u:system_r:container_t:s0:c1,c2";
  EXPECT_EQ(Verdict(facts, "5.3", "bw-helper-hardened"), "pass");
  ContainerNamed(facts, "bw-helper-hardened").inspect["HostConfig"]["SecurityOpt"] =
      nlohmann::json::array({"label:disable"});
  EXPECT_EQ(Verdict(facts, "5.3", "bw-helper-hardened"), "warn");
}

TEST(Section5, AppArmorJudgedOnlyWhereTheDaemonHasIt) {
  HostFacts facts = LoadRecordedHost();
  facts.engine.info["SecurityOptions"] =
      nlohmann::json::array({"name=apparmor", "name=seccomp,profile=default"});
  EXPECT_EQ(Verdict(facts, "5.2", "bw-helper-weak"), "warn");  // AppArmorProfile ""
  ContainerNamed(facts, "bw-helper-hardened").inspect["AppArmorProfile"] = "docker-default";
  EXPECT_EQ(Verdict(facts, "5.2", "bw-helper-hardened"), "pass");
  ContainerNamed(facts, "bw-helper-hardened").inspect["AppArmorProfile"] = "unconfined";
  EXPECT_EQ(Verdict(facts, "5.2", "bw-helper-hardened"), "warn");
}

// docker-bench only subtracts the default set from CapAdd.
TEST(Section5, CapabilitiesAreTheEffectiveSet) {
  HostFacts facts = LoadRecordedHost();
  nlohmann::json& host_config = ContainerNamed(facts, "bw-helper-hardened").inspect["HostConfig"];
  auto verdict = [&](std::vector<std::string> add, std::vector<std::string> drop) {
    host_config["CapAdd"] = add.empty() ? nlohmann::json(nullptr) : nlohmann::json(add);
    host_config["CapDrop"] = drop.empty() ? nlohmann::json(nullptr) : nlohmann::json(drop);
    return Result(facts, "5.4", "bw-helper-hardened");
  };
  EXPECT_EQ(verdict({}, {"ALL"}).verdict, core::Verdict::kPass);
  HostResult back = verdict({"NET_BIND_SERVICE"}, {"ALL"});  // a default cap added back
  EXPECT_EQ(back.verdict, core::Verdict::kPass);
  EXPECT_NE(back.evidence.find("effective: NET_BIND_SERVICE"), std::string::npos);
  EXPECT_EQ(verdict({"CHOWN"}, {"NET_RAW", "MKNOD"}).verdict, core::Verdict::kPass);
  HostResult admin = verdict({"SYS_ADMIN"}, {"ALL"});
  EXPECT_EQ(admin.verdict, core::Verdict::kWarn);
  EXPECT_NE(admin.message.find("SYS_ADMIN"), std::string::npos);
  EXPECT_NE(verdict({"cap_net_admin"}, {}).message.find("NET_ADMIN"), std::string::npos);
  HostResult nothing = verdict({}, {});
  EXPECT_EQ(nothing.verdict, core::Verdict::kWarn);
  EXPECT_NE(nothing.message.find("drops no capability"), std::string::npos);
  EXPECT_NE(nothing.message.find("NET_RAW"), std::string::npos);
  EXPECT_EQ(verdict({}, {"SYS_ADMIN"}).verdict, core::Verdict::kWarn);  // drops nothing it had
  HostResult all = verdict({"ALL"}, {"SYS_MODULE"});
  EXPECT_EQ(all.verdict, core::Verdict::kWarn);
  EXPECT_EQ(all.message.find("SYS_MODULE"), std::string::npos);
  EXPECT_NE(all.message.find("SYS_ADMIN"), std::string::npos);
}

TEST(Section5, DockerSocketDirectoryMountsCount) {
  HostFacts facts = LoadRecordedHost();
  nlohmann::json& mounts = ContainerNamed(facts, "bw-helper-hardened").inspect["Mounts"];
  auto mount = [&](const std::string& source) {
    mounts = nlohmann::json::array({nlohmann::json{
        {"Type", "bind"}, {"Source", source}, {"Destination", "/x"}, {"RW", false}}});
    return Result(facts, "5.32", "bw-helper-hardened");
  };
  HostResult var_run = mount("/var/run");
  EXPECT_EQ(var_run.verdict, core::Verdict::kWarn);
  EXPECT_NE(var_run.evidence.find("contains /var/run/docker.sock"), std::string::npos);
  EXPECT_EQ(mount("/run/").verdict, core::Verdict::kWarn);
  EXPECT_EQ(mount("/run/docker.sock").verdict, core::Verdict::kWarn);
  EXPECT_EQ(mount("/run/containerd").verdict, core::Verdict::kWarn);
  EXPECT_EQ(mount("/var/run2").verdict, core::Verdict::kPass);
  EXPECT_EQ(mount("/srv/engine").verdict, core::Verdict::kPass);
  facts.engine.socket_path = "/srv/engine/docker.sock";
  EXPECT_EQ(mount("/srv/engine").verdict, core::Verdict::kWarn);
  // A volume is not a host path.
  mounts = nlohmann::json::array(
      {nlohmann::json{{"Type", "volume"}, {"Source", "/var/run"}, {"RW", true}}});
  EXPECT_EQ(Verdict(facts, "5.32", "bw-helper-hardened"), "pass");
}

TEST(Section5, SensitiveMountRule) {
  HostFacts facts = LoadRecordedHost();
  nlohmann::json& mounts = ContainerNamed(facts, "bw-helper-hardened").inspect["Mounts"];
  auto verdict = [&](const std::string& source, bool rw) {
    mounts = nlohmann::json::array(
        {nlohmann::json{{"Type", "bind"}, {"Source", source}, {"Destination", "/x"}, {"RW", rw}}});
    return Verdict(facts, "5.6", "bw-helper-hardened");
  };
  EXPECT_EQ(verdict("/", false), "warn");
  EXPECT_EQ(verdict("/usr/", false), "warn");
  EXPECT_EQ(verdict("/etc/localtime", false), "pass");
  EXPECT_EQ(verdict("/etc/docker", true), "warn");
  EXPECT_EQ(verdict("/sys/fs/cgroup", false), "pass");
  EXPECT_EQ(verdict("/proc/sys", true), "warn");
  EXPECT_EQ(verdict("/usr/share/zoneinfo", true), "pass");
  EXPECT_EQ(verdict("/etcetera", true), "pass");
}

TEST(Section5, SshdNeedsTheProcessList) {
  HostFacts facts = LoadRecordedHost();
  ContainerFacts& c = ContainerNamed(facts, "bw-helper-hardened");
  c.processes = {"sshd sshd: admin@pts/0", "python3 python3 app.py"};
  EXPECT_EQ(Verdict(facts, "5.7", "bw-helper-hardened"), "warn");
  c.processes = {"sh sh -c grep sshd /etc/services"};
  EXPECT_EQ(Verdict(facts, "5.7", "bw-helper-hardened"), "pass");
  c.processes_known = false;
  c.processes_error = "permission denied";
  HostResult unknown = Result(facts, "5.7", "bw-helper-hardened");
  EXPECT_EQ(unknown.verdict, core::Verdict::kInfo);
  EXPECT_NE(unknown.evidence.find("permission denied"), std::string::npos);
}

TEST(Section5, PortsAreComparedWithTheImage) {
  HostFacts facts = LoadRecordedHost();
  nlohmann::json& inspect = ContainerNamed(facts, "bw-helper-hardened").inspect;
  inspect["NetworkSettings"]["Ports"]["5000/tcp"] =
      nlohmann::json::array({nlohmann::json{{"HostIp", "::"}, {"HostPort", "18082"}}});
  EXPECT_EQ(Verdict(facts, "5.14", "bw-helper-hardened"), "warn");
  // Without the engine's bindings the request is judged.
  inspect["NetworkSettings"]["Ports"] = nlohmann::json::object();
  inspect["HostConfig"]["PortBindings"] = nlohmann::json::object(
      {{"5000/tcp", nlohmann::json::array({nlohmann::json{{"HostIp", ""}, {"HostPort", "80"}}})}});
  EXPECT_EQ(Verdict(facts, "5.14", "bw-helper-hardened"), "warn");
  EXPECT_EQ(Verdict(facts, "5.8", "bw-helper-hardened"), "warn");
  // The image is not in scope: the ports are listed, not judged.
  facts.engine.images.clear();
  EXPECT_EQ(Verdict(facts, "5.9", "bw-helper-weak-ports"), "info");
}

TEST(Section5, RestartPolicies) {
  HostFacts facts = LoadRecordedHost();
  nlohmann::json& policy =
      ContainerNamed(facts, "bw-helper-hardened").inspect["HostConfig"]["RestartPolicy"];
  auto verdict = [&](const std::string& name, int retries) {
    policy = {{"Name", name}, {"MaximumRetryCount", retries}};
    return Verdict(facts, "5.15", "bw-helper-hardened");
  };
  EXPECT_EQ(verdict("on-failure", 1), "pass");
  EXPECT_EQ(verdict("on-failure", 6), "warn");
  EXPECT_EQ(verdict("on-failure", 0), "warn");
  EXPECT_EQ(verdict("always", 0), "warn");
  EXPECT_EQ(verdict("unless-stopped", 0), "warn");
  EXPECT_EQ(verdict("no", 0), "pass");
  EXPECT_EQ(verdict("", 0), "pass");
}

TEST(Section5, NoNewPrivilegesDaemonWideAndExplicitOff) {
  HostFacts facts = LoadRecordedHost();
  facts.daemon.Set("no-new-privileges",
                   DaemonOption{{"true"}, "/etc/docker/daemon.json \"no-new-privileges\": true"});
  HostResult daemon_wide = Result(facts, "5.26", "bw-helper-weak");
  EXPECT_EQ(daemon_wide.verdict, core::Verdict::kPass);
  EXPECT_NE(daemon_wide.evidence.find("daemon.json"), std::string::npos);
  ContainerNamed(facts, "bw-helper-weak").inspect["HostConfig"]["SecurityOpt"] =
      nlohmann::json::array({"no-new-privileges:false"});
  EXPECT_EQ(Verdict(facts, "5.26", "bw-helper-weak"), "warn");
  ContainerNamed(facts, "bw-helper-weak").inspect["HostConfig"]["SecurityOpt"] =
      nlohmann::json::array({"no-new-privileges=true"});
  EXPECT_EQ(Verdict(facts, "5.26", "bw-helper-weak"), "pass");
}

TEST(Section5, HealthStates) {
  HostFacts facts = LoadRecordedHost();
  nlohmann::json& state = ContainerNamed(facts, "bw-helper-hardened").inspect["State"];
  state["Health"]["Status"] = "unhealthy";
  EXPECT_EQ(Verdict(facts, "5.27", "bw-helper-hardened"), "warn");
  state["Health"]["Status"] = "starting";
  EXPECT_EQ(Verdict(facts, "5.27", "bw-helper-hardened"), "pass");
}

TEST(Section5, ImageReferences) {
  HostFacts facts = LoadRecordedHost();
  nlohmann::json& config = ContainerNamed(facts, "bw-helper-hardened").inspect["Config"];
  auto verdict = [&](const std::string& ref) {
    config["Image"] = ref;
    return Verdict(facts, "5.28", "bw-helper-hardened");
  };
  EXPECT_EQ(verdict("nginx"), "warn");
  EXPECT_EQ(verdict("nginx:latest"), "warn");
  EXPECT_EQ(verdict("localhost:5000/team/app"), "warn");
  EXPECT_EQ(verdict("localhost:5000/team/app:2.1"), "pass");
  EXPECT_EQ(
      verdict("nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
      "pass");
  EXPECT_EQ(verdict("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
            "pass");
}

TEST(Section5, ExecSessions) {
  HostFacts facts = LoadRecordedHost();
  ContainerFacts& weak = ContainerNamed(facts, "bw-helper-weak");
  weak.execs[0]["ProcessConfig"]["privileged"] = true;
  EXPECT_EQ(Verdict(facts, "5.23", "bw-helper-weak"), "warn");
  // An exec without a user runs as the container's user.
  ContainerFacts& hardened = ContainerNamed(facts, "bw-helper-hardened");
  hardened.execs[0]["ProcessConfig"]["user"] = "";
  EXPECT_EQ(Verdict(facts, "5.24", "bw-helper-hardened"), "note");
  hardened.inspect["Config"]["User"] = "";
  EXPECT_EQ(Verdict(facts, "5.24", "bw-helper-hardened"), "warn");
  HostResult none = Result(facts, "5.23", "bw-helper-weak-ports");
  EXPECT_NE(none.message.find("only sessions still running are visible"), std::string::npos);
}

TEST(Section5, PropagationAndLimits) {
  HostFacts facts = LoadRecordedHost();
  nlohmann::json& inspect = ContainerNamed(facts, "bw-helper-hardened").inspect;
  inspect["Mounts"][0]["Propagation"] = "rshared";
  EXPECT_EQ(Verdict(facts, "5.20", "bw-helper-hardened"), "warn");
  inspect["HostConfig"]["PidsLimit"] = -1;
  EXPECT_EQ(Verdict(facts, "5.29", "bw-helper-hardened"), "warn");
  inspect["HostConfig"]["NanoCpus"] = 0;
  inspect["HostConfig"]["CpuShares"] = 1024;
  EXPECT_EQ(Verdict(facts, "5.12", "bw-helper-hardened"), "warn");
  inspect["HostConfig"]["CpuShares"] = 512;
  EXPECT_EQ(Verdict(facts, "5.12", "bw-helper-hardened"), "pass");
}

TEST(Section5, HostileDocumentsDoNotCrash) {
  HostFacts facts = LoadRecordedHost();
  for (ContainerFacts& c : facts.engine.containers) {
    c.inspect = nlohmann::json::parse(
        R"({"HostConfig": [], "Mounts": {"a": 1}, "NetworkSettings": {"Ports": 7},
                                          "State": "x", "Config": {"User": 0, "Image": ""}, "Name": "\u00ff"})");
    c.execs = {nlohmann::json::array(), nlohmann::json(3)};
  }
  facts.engine.info = nullptr;
  for (const HostCheck& check : Checks()) {
    ResultSink sink;
    check.run(facts, sink);
  }
}

}  // namespace
}  // namespace bulwark::host
