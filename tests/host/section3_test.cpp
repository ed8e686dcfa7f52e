// CIS section 3 (daemon configuration files) on HostFacts built by hand:
// every check gets a pass and a warn case, modes are compared bitwise (0640
// passes "644 or more restrictive", docker-bench #459), absent files are not
// applicable, stat failures skip, and certificates get one result each.
#include <gtest/gtest.h>

#include <map>

#include "host/collect_files.hpp"
#include "host/host_check.hpp"
#include "host_check_test_util.hpp"

namespace bulwark::host {
namespace {

using core::Verdict;

ResultSink RunCheck(const std::string& cis, const HostFacts& facts) {
  static const std::vector<HostCheck> checks = Section3DaemonFilesChecks();
  return host::RunCheck(checks, cis, facts);
}

FileFact File(const std::string& path, uint32_t mode, uint32_t uid = 0, uint32_t gid = 0,
              const std::string& type = "file") {
  FileFact f;
  f.path = path;
  f.exists = true;
  f.type = type;
  f.mode = mode;
  f.uid = uid;
  f.gid = gid;
  f.owner = uid == 0 ? "root" : "alice";
  f.group = gid == 0 ? "root" : (gid == 999 ? "docker" : "staff");
  return f;
}

void Add(HostFacts& facts, FileFact f) { facts.files[f.path] = std::move(f); }

// Facts with TLS configured, so 3.9 - 3.14 have files to judge.
HostFacts WithTls() {
  HostFacts facts;
  facts.daemon.Set("tlscacert",
                   DaemonOption{{"/etc/docker/tls/ca.pem"}, "/etc/docker/daemon.json"});
  facts.daemon.Set("tlscert",
                   DaemonOption{{"/etc/docker/tls/cert.pem"}, "/etc/docker/daemon.json"});
  facts.daemon.Set("tlskey", DaemonOption{{"/etc/docker/tls/key.pem"}, "/etc/docker/daemon.json"});
  facts.docker_group = GroupFact{true, 999, {}};
  return facts;
}

struct Case {
  const char* cis;
  const char* path;
  const char* type;
  uint32_t good_mode;
  uint32_t good_gid;
  uint32_t bad_mode;  // for owner checks: the good mode again (the owner is made bad)
  bool owner_check;
};

constexpr Case kCases[] = {
    {"3.1", "/lib/systemd/system/docker.service", "file", 0644, 0, 0644, true},
    {"3.2", "/lib/systemd/system/docker.service", "file", 0644, 0, 0664, false},
    {"3.3", "/lib/systemd/system/docker.socket", "file", 0644, 0, 0644, true},
    {"3.4", "/lib/systemd/system/docker.socket", "file", 0600, 0, 0646, false},
    {"3.5", "/etc/docker", "directory", 0755, 0, 0755, true},
    {"3.6", "/etc/docker", "directory", 0750, 0, 0775, false},
    {"3.9", "/etc/docker/tls/ca.pem", "file", 0444, 0, 0444, true},
    {"3.10", "/etc/docker/tls/ca.pem", "file", 0440, 0, 0644, false},
    {"3.11", "/etc/docker/tls/cert.pem", "file", 0444, 0, 0444, true},
    {"3.12", "/etc/docker/tls/cert.pem", "file", 0444, 0, 0445, false},
    {"3.13", "/etc/docker/tls/key.pem", "file", 0400, 0, 0400, true},
    {"3.14", "/etc/docker/tls/key.pem", "file", 0400, 0, 0600, false},
    {"3.15", "/var/run/docker.sock", "socket", 0660, 999, 0660, true},
    {"3.16", "/var/run/docker.sock", "socket", 0660, 999, 0666, false},
    {"3.17", "/etc/docker/daemon.json", "file", 0644, 0, 0644, true},
    {"3.18", "/etc/docker/daemon.json", "file", 0640, 0, 0654, false},
    {"3.19", "/etc/default/docker", "file", 0644, 0, 0644, true},
    {"3.20", "/etc/default/docker", "file", 0644, 0, 0666, false},
    {"3.21", "/etc/sysconfig/docker", "file", 0644, 0, 0744, false},
    {"3.22", "/etc/sysconfig/docker", "file", 0644, 0, 0644, true},
    {"3.23", "/run/containerd/containerd.sock", "socket", 0660, 0, 0660, true},
    {"3.24", "/run/containerd/containerd.sock", "socket", 0600, 0, 0662, false},
};

TEST(Section3Test, NumberingTitlesAndScoring) {
  std::vector<HostCheck> checks = Section3DaemonFilesChecks();
  ASSERT_EQ(checks.size(), 24u);
  for (size_t i = 0; i < checks.size(); ++i) {
    const HostCheck& c = checks[i];
    EXPECT_EQ(c.cis, "3." + std::to_string(i + 1));
    EXPECT_TRUE(c.scored) << c.cis;
    EXPECT_EQ(c.scope, HostScope::kHost);
    EXPECT_FALSE(c.rationale.empty());
    EXPECT_FALSE(c.remediation.empty());
    EXPECT_TRUE(c.references.cis.empty());
    EXPECT_FALSE(c.references.cwe.empty()) << c.cis;
    EXPECT_NE(c.run, nullptr);
  }
  EXPECT_EQ(checks[1].title, "Ensure that docker.service file permissions are appropriately set");
  EXPECT_EQ(checks[13].title,
            "Ensure that the Docker server certificate key file permissions are set to 400");
}

TEST(Section3Test, EveryFileCheckPassesAndWarns) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.cis);
    HostFacts good = WithTls();
    Add(good, File(c.path, c.good_mode, 0, c.good_gid, c.type));
    HostResult pass = Only(RunCheck(c.cis, good));
    EXPECT_EQ(pass.verdict, Verdict::kPass) << pass.message;
    EXPECT_EQ(pass.subject.kind, "file");
    EXPECT_EQ(pass.subject.name, c.path);

    HostFacts bad = WithTls();
    if (c.owner_check) {
      Add(bad, File(c.path, c.good_mode, 1000, 50, c.type));
    } else {
      Add(bad, File(c.path, c.bad_mode, 0, c.good_gid, c.type));
    }
    HostResult warn = Only(RunCheck(c.cis, bad));
    EXPECT_EQ(warn.verdict, Verdict::kWarn) << warn.message;
    EXPECT_EQ(warn.evidence, FileEvidence(bad.files[c.path]));
  }
}

TEST(Section3Test, ModesAreComparedBitwise) {
  HostFacts facts;
  Add(facts, File("/etc/docker/daemon.json", 0640));
  HostResult r = Only(RunCheck("3.18", facts));
  EXPECT_EQ(r.verdict, Verdict::kPass);  // within 0644 (docker-bench #459 got 640 wrong)
  EXPECT_EQ(r.evidence, "mode 0640 owner root:root (0:0)");
  Add(facts, File("/etc/docker/daemon.json", 0654));
  r = Only(RunCheck("3.18", facts));
  EXPECT_EQ(r.verdict, Verdict::kWarn);
  EXPECT_EQ(r.message, "/etc/docker/daemon.json has mode 0654: bits 0010 are beyond 0644");
  // 607 <= 644 as numbers, yet everyone may write it.
  Add(facts, File("/etc/docker/daemon.json", 0607));
  r = Only(RunCheck("3.18", facts));
  EXPECT_EQ(r.verdict, Verdict::kWarn);
  EXPECT_EQ(r.message, "/etc/docker/daemon.json has mode 0607: bits 0003 are beyond 0644");
  // 0600 is numerically above 0444 but has w for the owner: a warn for a certificate.
  HostFacts tls = WithTls();
  Add(tls, File("/etc/docker/tls/ca.pem", 0600));
  EXPECT_EQ(Only(RunCheck("3.10", tls)).verdict, Verdict::kWarn);
  Add(tls, File("/etc/docker/tls/ca.pem", 0400));
  EXPECT_EQ(Only(RunCheck("3.10", tls)).verdict, Verdict::kPass);
  Add(facts, File("/etc/docker", 0700, 0, 0, "directory"));
  EXPECT_EQ(Only(RunCheck("3.6", facts)).verdict, Verdict::kPass);
  EXPECT_TRUE(ModeWithin(0640, 0644));
  EXPECT_FALSE(ModeWithin(04755, 0755));  // setuid is a bit too
}

TEST(Section3Test, DockerSocketOwnership) {
  HostFacts facts;
  facts.docker_group = GroupFact{true, 999, {}};
  Add(facts, File("/var/run/docker.sock", 0660, 0, 0, "socket"));
  HostResult root_root = Only(RunCheck("3.15", facts));
  EXPECT_EQ(root_root.verdict, Verdict::kPass);
  EXPECT_NE(root_root.message.find("stricter"), std::string::npos);
  // A rootless daemon's socket belongs to its user.
  facts.daemon_process = DaemonProcess{77, {"dockerd"}, 1000};
  Add(facts, File("/var/run/docker.sock", 0660, 1000, 1000, "socket"));
  EXPECT_EQ(Only(RunCheck("3.15", facts)).verdict, Verdict::kPass);
  facts.daemon_process.reset();
  HostResult user = Only(RunCheck("3.15", facts));
  EXPECT_EQ(user.verdict, Verdict::kWarn);
  EXPECT_EQ(user.message, "/var/run/docker.sock is owned by alice:staff, not root:docker");
  // The engine's own socket path comes first.
  facts.engine.socket_path = "/run/user/1000/docker.sock";
  Add(facts, File("/run/user/1000/docker.sock", 0600, 0, 999, "socket"));
  EXPECT_EQ(Only(RunCheck("3.15", facts)).subject.name, "/run/user/1000/docker.sock");
}

TEST(Section3Test, AbsentFilesAreNotApplicableAndStatFailuresSkip) {
  HostFacts facts;
  HostResult sysconfig = Only(RunCheck("3.21", facts));
  EXPECT_EQ(sysconfig.verdict, Verdict::kInfo);
  EXPECT_EQ(
      sysconfig.message,
      "not applicable: /etc/sysconfig/docker does not exist (looked in /etc/sysconfig/docker)");
  HostResult tls = Only(RunCheck("3.9", facts));
  EXPECT_EQ(tls.verdict, Verdict::kInfo);
  EXPECT_NE(tls.message.find("TLS is not configured"), std::string::npos);
  HostResult unit = Only(RunCheck("3.1", facts));
  EXPECT_EQ(unit.verdict, Verdict::kInfo);
  EXPECT_NE(unit.message.find("/usr/lib/systemd/system/docker.service"), std::string::npos);

  FileFact denied;
  denied.path = "/run/containerd/containerd.sock";
  denied.error = "permission denied";
  Add(facts, denied);
  ResultSink skipped = RunCheck("3.23", facts);
  EXPECT_TRUE(skipped.results().empty());
  EXPECT_EQ(skipped.skip_reason(),
            "cannot stat /run/containerd/containerd.sock: permission denied; run bulwark as root");
  // dockerd's own containerd is the next candidate and is judged when present.
  Add(facts, File("/run/docker/containerd/containerd.sock", 0660, 0, 0, "socket"));
  EXPECT_EQ(Only(RunCheck("3.23", facts)).subject.name, "/run/docker/containerd/containerd.sock");

  // A symlink's own mode means nothing: said, not judged.
  Add(facts, File("/etc/default/docker", 0777, 0, 0, "symlink"));
  HostResult link = Only(RunCheck("3.20", facts));
  EXPECT_EQ(link.verdict, Verdict::kInfo);
  EXPECT_NE(link.message.find("symlink"), std::string::npos);
}

TEST(Section3Test, OneResultPerRegistryCertificate) {
  HostFacts facts;
  const std::string dir = "/etc/docker/certs.d";
  EXPECT_EQ(Only(RunCheck("3.7", facts)).verdict, Verdict::kInfo);  // no certs.d
  Add(facts, File(dir, 0755, 0, 0, "directory"));
  HostResult empty = Only(RunCheck("3.8", facts));
  EXPECT_EQ(empty.verdict, Verdict::kInfo);
  EXPECT_NE(empty.message.find("no registry certificate files"), std::string::npos);

  Add(facts, File(dir + "/reg:5000", 0755, 0, 0, "directory"));
  Add(facts, File(dir + "/reg:5000/ca.crt", 0444));
  Add(facts, File(dir + "/reg:5000/client.cert", 0644, 1000, 50));
  Add(facts, File(dir + "/reg:5000/client.key", 0444));
  Add(facts, File(dir + "/reg:5000/notes.txt", 0666));
  ResultSink owners = RunCheck("3.7", facts);
  ASSERT_EQ(owners.results().size(), 3u);
  int warns = 0;
  for (const HostResult& r : owners.results()) warns += r.verdict == Verdict::kWarn;
  EXPECT_EQ(warns, 1);  // client.cert owned by alice

  ResultSink modes = RunCheck("3.8", facts);
  ASSERT_EQ(modes.results().size(), 3u);
  std::map<std::string, Verdict> verdicts;
  for (const HostResult& r : modes.results()) verdicts[r.subject.name] = r.verdict;
  EXPECT_EQ(verdicts[dir + "/reg:5000/ca.crt"], Verdict::kPass);
  EXPECT_EQ(verdicts[dir + "/reg:5000/client.cert"], Verdict::kWarn);
  EXPECT_EQ(verdicts[dir + "/reg:5000/client.key"],
            Verdict::kWarn);  // a client key at 0444: all may read it

  // An incomplete listing is said alongside the verdicts.
  facts.files[dir].error = "listing stopped after 1000 entries";
  ResultSink partial = RunCheck("3.8", facts);
  EXPECT_EQ(partial.results().size(), 4u);
  EXPECT_NE(partial.results().back().message.find("incomplete"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::host
