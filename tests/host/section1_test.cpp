// CIS section 1 (host configuration) on HostFacts built by hand: every
// check gets a pass/warn (or info/note) case; audit rules are matched to the
// exact path of the binary in use; unreadable rules skip.
#include <gtest/gtest.h>

#include "host/collect_files.hpp"
#include "host/engine_lifecycle.hpp"
#include "host/host_check.hpp"
#include "host_check_test_util.hpp"

namespace bulwark::host {
namespace {

using core::Verdict;

ResultSink RunCheck(const std::string& cis, const HostFacts& facts) {
  static const std::vector<HostCheck> checks = Section1HostConfigurationChecks();
  return host::RunCheck(checks, cis, facts);
}

FileFact File(const std::string& path, const std::string& type = "file") {
  FileFact f;
  f.path = path;
  f.exists = true;
  f.type = type;
  f.mode = type == "directory" ? 0755 : 0644;
  f.owner = "root";
  f.group = "root";
  return f;
}

void Add(HostFacts& facts, FileFact f) { facts.files[f.path] = std::move(f); }

AuditRules Loaded(std::vector<std::string> rules) {
  AuditRules audit;
  audit.readable = true;
  audit.sources = {"auditctl -l"};
  for (std::string& rule : rules) audit.rules.push_back("auditctl -l: " + rule);
  return audit;
}

// ---- Metadata -------------------------------------------------------------------------

TEST(Section1Test, NumberingTitlesAndScoring) {
  std::vector<HostCheck> checks = Section1HostConfigurationChecks();
  ASSERT_EQ(checks.size(), 20u);
  for (int i = 0; i < 18; ++i) EXPECT_EQ(checks[i].cis, "1.1." + std::to_string(i + 1));
  EXPECT_EQ(checks[18].cis, "1.2.1");
  EXPECT_EQ(checks[19].cis, "1.2.2");
  for (const HostCheck& c : checks) {
    EXPECT_EQ(c.scored, c.cis.rfind("1.1.", 0) == 0) << c.cis;  // 1.2.x are counted, not scored
    EXPECT_FALSE(c.title.empty());
    EXPECT_FALSE(c.rationale.empty());
    EXPECT_FALSE(c.remediation.empty());
    EXPECT_TRUE(c.references.cis.empty()) << "the runner adds cis";
    EXPECT_FALSE(c.references.nist.empty()) << c.cis;
    EXPECT_NE(c.run, nullptr);
  }
  EXPECT_EQ(checks[0].title, "Ensure a separate partition for containers has been created");
  EXPECT_EQ(checks[17].title,
            "Ensure auditing is configured for Docker files and directories - /usr/bin/runc");
}

// ---- 1.1.1 --------------------------------------------------------------------------------

TEST(Section1Test, PartitionFromTheMountTable) {
  HostFacts facts;
  facts.mounts = {{"/", "ext4", "/dev/sda1", "rw"}};
  const HostResult& on_root = Only(RunCheck("1.1.1", facts));
  EXPECT_EQ(on_root.verdict, Verdict::kWarn);
  EXPECT_EQ(on_root.subject.name, "/var/lib/docker");
  EXPECT_EQ(on_root.evidence, "/var/lib/docker is on / (ext4 /dev/sda1)");

  facts.mounts.push_back({"/var/lib/docker", "xfs", "/dev/sdb1", "rw"});
  EXPECT_EQ(Only(RunCheck("1.1.1", facts)).verdict, Verdict::kPass);

  // A bind mount from the root filesystem's own device is not a partition.
  facts.mounts.back() = {"/var/lib/docker", "ext4", "/dev/sda1", "rw"};
  const HostResult& bind = Only(RunCheck("1.1.1", facts));
  EXPECT_EQ(bind.verdict, Verdict::kWarn);
  EXPECT_NE(bind.message.find("bind mount"), std::string::npos);

  // DockerRootDir from /info, with userns-remap's <uid>.<gid> suffix.
  facts.mounts = {{"/", "ext4", "/dev/sda1", "rw"}, {"/data", "xfs", "/dev/sdc1", "rw"}};
  facts.engine.info = {{"DockerRootDir", "/data/docker/100000.100000"},
                       {"SecurityOptions", {"name=seccomp,profile=builtin", "name=userns"}}};
  const HostResult& data = Only(RunCheck("1.1.1", facts));
  EXPECT_EQ(data.verdict, Verdict::kPass);
  EXPECT_EQ(data.subject.name, "/data/docker");

  facts.mounts.clear();
  ResultSink unreadable = RunCheck("1.1.1", facts);
  EXPECT_TRUE(unreadable.results().empty());
  EXPECT_NE(unreadable.skip_reason().find("mount table"), std::string::npos);
}

// ---- 1.1.2 --------------------------------------------------------------------------------

TEST(Section1Test, DockerGroupMembersAreListed) {
  HostFacts facts;
  EXPECT_EQ(Only(RunCheck("1.1.2", facts)).verdict, Verdict::kPass);  // no docker group
  facts.docker_group = GroupFact{true, 999, {}};
  EXPECT_EQ(Only(RunCheck("1.1.2", facts)).verdict, Verdict::kPass);
  facts.docker_group.members = {"alice", "ci"};
  const HostResult& r = Only(RunCheck("1.1.2", facts));
  EXPECT_EQ(r.verdict, Verdict::kInfo);
  EXPECT_EQ(r.evidence, "group docker (gid 999) members: alice, ci");
  EXPECT_NE(r.message.find("root-equivalent"), std::string::npos);
}

// ---- 1.1.3 - 1.1.18 -----------------------------------------------------------------------

// Facts where the file of every audit check exists at its first candidate.
HostFacts EveryAuditedPathPresent(std::vector<std::string>* paths) {
  HostFacts facts;
  const HostPathRole roles[] = {
      HostPathRole::kDockerdBinary,        HostPathRole::kRunContainerd,
      HostPathRole::kDockerRootDir,        HostPathRole::kEtcDocker,
      HostPathRole::kDockerService,        HostPathRole::kContainerdSocket,
      HostPathRole::kDockerSocketUnit,     HostPathRole::kEtcDefaultDocker,
      HostPathRole::kDaemonJson,           HostPathRole::kContainerdConfig,
      HostPathRole::kSysconfigDocker,      HostPathRole::kContainerdBinary,
      HostPathRole::kContainerdShim,       HostPathRole::kContainerdShimRuncV1,
      HostPathRole::kContainerdShimRuncV2, HostPathRole::kRuncBinary};
  for (HostPathRole role : roles) {
    std::string path = HostPathCandidates(facts, role).front();
    Add(facts, File(path));
    paths->push_back(path);
  }
  return facts;
}

TEST(Section1Test, EveryAuditCheckPassesWithLoadedRulesAndWarnsWithout) {
  std::vector<std::string> paths;
  HostFacts facts = EveryAuditedPathPresent(&paths);
  std::vector<std::string> rules;
  for (const std::string& path : paths) rules.push_back("-w " + path + " -p wa -k docker");
  facts.audit = Loaded(rules);
  for (int i = 3; i <= 18; ++i) {
    std::string cis = "1.1." + std::to_string(i);
    const HostResult& r = Only(RunCheck(cis, facts));
    EXPECT_EQ(r.verdict, Verdict::kPass) << cis << ": " << r.message;
    EXPECT_EQ(r.subject.name, paths[i - 3]) << cis;
    EXPECT_EQ(r.evidence, "auditctl -l: -w " + paths[i - 3] + " -p wa -k docker") << cis;
  }
  facts.audit = Loaded({});
  for (int i = 3; i <= 18; ++i) {
    std::string cis = "1.1." + std::to_string(i);
    const HostResult& r = Only(RunCheck(cis, facts));
    EXPECT_EQ(r.verdict, Verdict::kWarn) << cis;
    EXPECT_EQ(r.message, "no audit rule watches " + paths[i - 3]) << cis;
  }
}

TEST(Section1Test, AuditRuleMustNameTheBinaryInUse) {
  HostFacts facts;
  Add(facts, File("/usr/sbin/dockerd"));
  // docker-bench's default path: present in the rules, but not the binary that runs here.
  facts.audit = Loaded({"-w /usr/bin/dockerd -k docker"});
  const HostResult& r = Only(RunCheck("1.1.3", facts));
  EXPECT_EQ(r.verdict, Verdict::kWarn);
  EXPECT_EQ(r.subject.name, "/usr/sbin/dockerd");

  // A rule on the symlink /usr/bin/runc does not audit /usr/sbin/runc.
  Add(facts, File("/usr/bin/runc", "symlink"));
  Add(facts, File("/usr/sbin/runc"));
  facts.audit = Loaded({"-w /usr/bin/runc -k docker"});
  const HostResult& alias = Only(RunCheck("1.1.18", facts));
  EXPECT_EQ(alias.verdict, Verdict::kWarn);
  EXPECT_NE(alias.message.find("names /usr/bin/runc"), std::string::npos) << alias.message;

  facts.audit = Loaded({"-a always,exit -F path=/usr/sbin/runc -F perm=x -k docker"});
  EXPECT_EQ(Only(RunCheck("1.1.18", facts)).verdict, Verdict::kPass);
}

TEST(Section1Test, AuditRuleSourcesLoadedVersusBootFiles) {
  HostFacts facts;
  Add(facts, File("/etc/docker", "directory"));
  // Only the boot rules were readable (no root): the file's rule passes.
  facts.audit.readable = true;
  facts.audit.sources = {"/etc/audit/rules.d/docker.rules"};
  facts.audit.rules = {
      "/etc/audit/rules.d/docker.rules: -a exit,always -F dir=/etc/docker -F perm=wa"};
  facts.audit.unreadable_reason = "the loaded rules (auditctl -l) need root";
  const HostResult& boot = Only(RunCheck("1.1.6", facts));
  EXPECT_EQ(boot.verdict, Verdict::kPass);
  EXPECT_EQ(boot.evidence,
            "/etc/audit/rules.d/docker.rules: -a exit,always -F dir=/etc/docker -F perm=wa");
  EXPECT_NE(boot.message.find("need root"), std::string::npos);

  // The kernel's rules were read and do not have it: written but not loaded.
  facts.audit.sources.insert(facts.audit.sources.begin(), "auditctl -l");
  facts.audit.unreadable_reason.clear();
  const HostResult& unloaded = Only(RunCheck("1.1.6", facts));
  EXPECT_EQ(unloaded.verdict, Verdict::kWarn);
  EXPECT_NE(unloaded.message.find("augenrules --load"), std::string::npos);
}

TEST(Section1Test, UnreadableRulesSkipAndAbsentPathsAreNotApplicable) {
  HostFacts facts;
  Add(facts, File("/usr/sbin/dockerd"));
  facts.audit.readable = false;
  facts.audit.unreadable_reason = "/etc/audit/rules.d is not readable without root";
  ResultSink skipped = RunCheck("1.1.3", facts);
  EXPECT_TRUE(skipped.results().empty());
  EXPECT_EQ(skipped.skip_reason(),
            "the audit rules could not be read: /etc/audit/rules.d is not readable without root");

  const HostResult& absent = Only(RunCheck("1.1.13", facts));
  EXPECT_EQ(absent.verdict, Verdict::kInfo);
  EXPECT_EQ(absent.message,
            "not applicable: /etc/sysconfig/docker does not exist on this host (looked in "
            "/etc/sysconfig/docker)");

  // auditd not installed: readable, no rules: a warn, as on any unaudited host.
  facts.audit = AuditRules{true, {}, {}, "auditd is not installed: no /etc/audit and no auditctl"};
  const HostResult& none = Only(RunCheck("1.1.3", facts));
  EXPECT_EQ(none.verdict, Verdict::kWarn);
  EXPECT_NE(none.message.find("auditd is not installed"), std::string::npos);
}

// ---- 1.2.x --------------------------------------------------------------------------------

TEST(Section1Test, HardeningNoteCarriesEvidence) {
  HostFacts facts;
  facts.engine.info = {
      {"KernelVersion", "6.1.0-18-amd64"},
      {"OperatingSystem", "Debian GNU/Linux 12 (bookworm)"},
      {"SecurityOptions", {"name=apparmor", "name=seccomp,profile=builtin", "name=cgroupns"}}};
  Add(facts, File("/sys/kernel/security/apparmor", "directory"));
  const HostResult& r = Only(RunCheck("1.2.1", facts));
  EXPECT_EQ(r.verdict, Verdict::kNote);
  EXPECT_EQ(r.evidence,
            "kernel 6.1.0-18-amd64, Debian GNU/Linux 12 (bookworm); security modules and options: "
            "apparmor, "
            "seccomp, cgroupns");
}

TEST(Section1Test, EngineVersionJudgedAgainstEndOfLife) {
  HostFacts facts;
  EXPECT_EQ(Only(RunCheck("1.2.2", facts)).verdict, Verdict::kInfo);  // no version
  facts.engine.version = {{"Version", "20.10.24+dfsg1"}};
  const HostResult& old = Only(RunCheck("1.2.2", facts));
  EXPECT_EQ(old.verdict, Verdict::kWarn);
  EXPECT_NE(old.message.find("2023-12-10"), std::string::npos) << old.message;
  EXPECT_NE(old.message.find("distribution build"), std::string::npos) << old.message;
  EXPECT_NE(old.evidence.find("Docker Engine 20.10.24+dfsg1"), std::string::npos);
}

TEST(EngineLifecycleTest, TableAndDates) {
  EXPECT_EQ(JudgeEngineVersion("20.10.24+dfsg1", "2023-12-09").support, EngineSupport::kMaintained);
  EXPECT_EQ(JudgeEngineVersion("20.10.24+dfsg1", "2023-12-10").support, EngineSupport::kEndOfLife);
  EXPECT_TRUE(JudgeEngineVersion("20.10.24+dfsg1", "2024-01-01").distribution);
  EXPECT_FALSE(JudgeEngineVersion("24.0.7", "2024-01-01").distribution);
  EXPECT_EQ(JudgeEngineVersion("27.3.1", "2025-03-01").support, EngineSupport::kMaintained);
  EXPECT_EQ(JudgeEngineVersion("27.3.1", "2026-06-01").support, EngineSupport::kStale);
  EXPECT_EQ(JudgeEngineVersion("v28.2.2", "2025-03-01").line, "28.x");
  EXPECT_EQ(JudgeEngineVersion("23.0.5", "2025-06-01").support, EngineSupport::kEndOfLife);
  EXPECT_EQ(JudgeEngineVersion("17.03.2-ce", "2025-01-01").support, EngineSupport::kEndOfLife);
  EXPECT_EQ(JudgeEngineVersion("1.13.1", "2025-01-01").support, EngineSupport::kEndOfLife);
  EXPECT_EQ(JudgeEngineVersion("22.1.0", "2025-01-01").support, EngineSupport::kUnknown);
  EXPECT_EQ(JudgeEngineVersion("master-dockerproject", "2025-01-01").support,
            EngineSupport::kUnknown);
  EXPECT_EQ(JudgeEngineVersion("", "2025-01-01").support, EngineSupport::kUnknown);
  EXPECT_EQ(TodayUtc().size(), 10u);
}

}  // namespace
}  // namespace bulwark::host
