// The host-filesystem collectors, on a temp dir used as the host's root:
// root confinement (symlinks that try to escape, ".."), bounded reads,
// accounts, mountinfo, /proc/net/tcp, audit rules and the certs.d walk;
// and once on this machine's real root.
#include "host/collect_files.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bit>
#include <chrono>
#include <filesystem>
#include <set>

#include "host/host_check.hpp"
#include "test_support.hpp"

namespace bulwark::host {
namespace {

namespace fs = std::filesystem;
using testing::MakeTempDir;
using testing::WriteFile;

class CollectFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = MakeTempDir("bulwark-hostroot");
    fs::permissions(root_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                               fs::perms::others_read | fs::perms::others_exec);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  void Write(const std::string& host_path, const std::string& content, mode_t mode = 0644) {
    fs::path path = root_ / host_path.substr(1);
    WriteFile(path, content);
    ASSERT_EQ(chmod(path.c_str(), mode), 0);
  }
  void Symlink(const std::string& host_path, const std::string& target) {
    fs::path path = root_ / host_path.substr(1);
    fs::create_directories(path.parent_path());
    fs::create_symlink(target, path);
  }
  std::string Root() const { return root_.string(); }

  fs::path root_;
};

// ---- Root confinement --------------------------------------------------------------

TEST_F(CollectFilesTest, ResolveRefusesRelativeAndDotDot) {
  EXPECT_EQ(ResolveHostPath(Root(), "etc/passwd", false).status().code(),
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(ResolveHostPath(Root(), "/etc/../../passwd", false).status().code(),
            core::ErrorCode::kInvalidArgument);
  FileFact fact = StatHostFile(Root(), "/etc/docker/../../../etc/shadow", HostAccounts{});
  EXPECT_FALSE(fact.exists);
  EXPECT_NE(fact.error.find(".."), std::string::npos) << fact.error;
}

TEST_F(CollectFilesTest, AbsoluteSymlinkIsFollowedInsideTheRoot) {
  Write("/etc/passwd", "inside:x:0:0::/root:/bin/sh\n");
  Symlink("/etc/docker/daemon.json",
          "/etc/passwd");  // points at the host's real /etc/passwd if followed outside
  core::Result<std::string> text = ReadHostFile(Root(), "/etc/docker/daemon.json", 1024);
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_EQ(*text, "inside:x:0:0::/root:/bin/sh\n");
  // lstat never follows the final component.
  FileFact fact = StatHostFile(Root(), "/etc/docker/daemon.json", HostAccounts{});
  EXPECT_TRUE(fact.exists);
  EXPECT_EQ(fact.type, "symlink");
}

TEST_F(CollectFilesTest, RelativeSymlinkCannotClimbAboveTheRoot) {
  Write("/etc/passwd", "fake:x:0:0::/:/bin/sh\n");
  Symlink("/escape", "../../../../../../../../..");
  core::Result<std::string> text = ReadHostFile(Root(), "/escape/etc/passwd", 1024);
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_EQ(*text, "fake:x:0:0::/:/bin/sh\n");
  // An intermediate absolute symlink to a directory is re-rooted too.
  Symlink("/var/run", "/run");
  Write("/run/docker.pid", "42");
  core::Result<std::string> real = ResolveHostPath(Root(), "/var/run/docker.pid", false);
  ASSERT_TRUE(real.ok());
  EXPECT_EQ(*real, Root() + "/run/docker.pid");
}

TEST_F(CollectFilesTest, SymlinkLoopIsAnErrorNotAHang) {
  Symlink("/a", "/b");
  Symlink("/b", "/a");
  core::Result<std::string> text = ReadHostFile(Root(), "/a/x", 1024);
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.status().message().find("too many"), std::string::npos) << text.status().message();
}

TEST_F(CollectFilesTest, OversizedFileAndFifoAreRefused) {
  Write("/etc/big", std::string(2048, 'x'));
  EXPECT_EQ(ReadHostFile(Root(), "/etc/big", 1024).status().code(), core::ErrorCode::kTooLarge);
  EXPECT_TRUE(ReadHostFile(Root(), "/etc/big", 4096).ok());
  ASSERT_EQ(mkfifo((root_ / "fifo").c_str(), 0644), 0);
  core::Result<std::string> fifo = ReadHostFile(Root(), "/fifo", 1024);  // must not block
  EXPECT_FALSE(fifo.ok());
}

// ---- Accounts and stat --------------------------------------------------------------

TEST(HostAccountsTest, DockerGroupHasExplicitAndPrimaryMembers) {
  HostAccounts accounts = ParseHostAccounts(
      "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n"
      "ci:x:1001:999::/home/ci:/bin/sh\nbroken-line\nbad:x:abc:1:::\n",
      "root:x:0:\ndocker:x:999:alice,bob,alice\nalice:x:1000:\n");
  EXPECT_EQ(accounts.UserName(1000), "alice");
  EXPECT_EQ(accounts.UserName(4242), "");
  EXPECT_EQ(accounts.GroupName(999), "docker");
  GroupFact docker = accounts.Group("docker");
  EXPECT_TRUE(docker.exists);
  EXPECT_EQ(docker.gid, 999u);
  EXPECT_EQ(docker.members, (std::vector<std::string>{"alice", "bob", "ci"}));
  EXPECT_FALSE(accounts.Group("podman").exists);
}

TEST_F(CollectFilesTest, StatGivesModeTypeAndNamesFromTheRootsAccounts) {
  Write("/etc/passwd",
        "me:x:" + std::to_string(getuid()) + ":" + std::to_string(getgid()) + "::/:/bin/sh\n");
  Write("/etc/group", "mine:x:" + std::to_string(getgid()) + ":\n");
  Write("/etc/docker/daemon.json", "{}", 0640);
  HostAccounts accounts = ReadHostAccounts(Root());
  FileFact fact = StatHostFile(Root(), "/etc/docker/daemon.json", accounts);
  EXPECT_TRUE(fact.exists);
  EXPECT_EQ(fact.type, "file");
  EXPECT_EQ(fact.mode, 0640u);
  EXPECT_EQ(fact.owner, "me");
  EXPECT_EQ(fact.group, "mine");
  EXPECT_EQ(FileEvidence(fact), "mode 0640 owner me:mine (" + std::to_string(getuid()) + ":" +
                                    std::to_string(getgid()) + ")");
  FileFact dir = StatHostFile(Root(), "/etc/docker", accounts);
  EXPECT_EQ(dir.type, "directory");
  FileFact absent = StatHostFile(Root(), "/etc/sysconfig/docker", accounts);
  EXPECT_FALSE(absent.exists);
  EXPECT_TRUE(absent.error.empty());
}

TEST_F(CollectFilesTest, StatSeesRealOwnership) {
  if (geteuid() != 0) {
    GTEST_SKIP() << "SKIPPED LOUDLY: chown to another user needs root (CI runs as root)";
  }
  Write("/etc/passwd", "root:x:0:0::/root:/bin/sh\nalice:x:1234:1234::/home/alice:/bin/sh\n");
  Write("/etc/group", "root:x:0:\ndocker:x:4321:alice\n");
  Write("/etc/docker/daemon.json", "{}", 0644);
  ASSERT_EQ(chown((root_ / "etc/docker/daemon.json").c_str(), 1234, 4321), 0);
  FileFact fact = StatHostFile(Root(), "/etc/docker/daemon.json", ReadHostAccounts(Root()));
  EXPECT_EQ(FileEvidence(fact), "mode 0644 owner alice:docker (1234:4321)");
  ASSERT_EQ(chown((root_ / "etc/docker/daemon.json").c_str(), 5555, 6666), 0);
  fact = StatHostFile(Root(), "/etc/docker/daemon.json", ReadHostAccounts(Root()));
  EXPECT_EQ(FileEvidence(fact), "mode 0644 owner 5555:6666 (5555:6666)");
}

// ---- Mounts and sockets ---------------------------------------------------------------

constexpr const char* kMountInfo =
    "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
    "42 27 254:16 / /var/lib/docker rw,relatime shared:1 - xfs /dev/vdb rw\n"
    "43 27 0:50 / /mnt/my\\040disk\\011tab rw - ext4 /dev/disk\\134x rw\n"
    "garbage line without separator\n"
    "44 27 0:51 / /var/lib/docker2 rw - tmpfs tmpfs rw\n";

TEST(MountInfoTest, ParsesAndDecodesEscapes) {
  std::vector<MountEntry> mounts = ParseMountInfo(kMountInfo);
  ASSERT_EQ(mounts.size(), 4u);
  EXPECT_EQ(mounts[1].mount_point, "/var/lib/docker");
  EXPECT_EQ(mounts[1].fstype, "xfs");
  EXPECT_EQ(mounts[1].source, "/dev/vdb");
  EXPECT_EQ(mounts[2].mount_point, "/mnt/my disk\ttab");
  EXPECT_EQ(mounts[2].source, "/dev/disk\\x");
  EXPECT_EQ(MountFor(mounts, "/var/lib/docker/overlay2")->mount_point, "/var/lib/docker");
  EXPECT_EQ(MountFor(mounts, "/var/lib/docker")->mount_point, "/var/lib/docker");
  EXPECT_EQ(MountFor(mounts, "/var/lib/dockerx")->mount_point, "/");
  EXPECT_EQ(MountFor(mounts, "/var/lib/docker2/x")->mount_point, "/var/lib/docker2");
}

TEST_F(CollectFilesTest, MountTableFromProcOneElseSelf) {
  Write("/proc/self/mountinfo", "27 1 254:0 / / rw - ext4 /dev/vda rw\n");
  core::Result<std::vector<MountEntry>> mounts = ReadMountTable(Root());
  ASSERT_TRUE(mounts.ok());
  ASSERT_EQ(mounts->size(), 1u);
  Write("/proc/1/mountinfo", kMountInfo);
  mounts = ReadMountTable(Root());
  ASSERT_TRUE(mounts.ok());
  EXPECT_EQ(mounts->size(), 4u);
}

constexpr const char* kTcp =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
    "inode\n"
    "   0: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000   999        0 1 "
    "1\n"
    "   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 "
    "1\n"
    "   2: 0100007F:0CEA 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000   999        0 3 "
    "1\n"
    "   3: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4 "
    "1\n";
constexpr const char* kTcp6 =
    "  sl  local_address                         remote_address                        st\n"
    "   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 0\n"
    "   1: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 0\n"
    "   2: 0000000000000000FFFF00000100007F:0277 00000000000000000000000000000000:0000 0A 0\n"
    "   3: zzzz:0050 0 0A 0\n";

TEST_F(CollectFilesTest, ListeningSocketsDecodedAndUnique) {
  if constexpr (std::endian::native != std::endian::little) {
    GTEST_SKIP() << "SKIPPED: the samples were written by a little-endian kernel";
  }
  Write("/proc/net/tcp", kTcp);
  Write("/proc/net/tcp6", kTcp6);
  std::vector<ListeningSocket> sockets = ReadListeningSockets(Root());
  std::set<std::string> seen;
  for (const ListeningSocket& s : sockets) seen.insert(s.address + " " + std::to_string(s.port));
  EXPECT_EQ(seen, (std::set<std::string>{"127.0.0.1 3306", "0.0.0.0 22", ":: 80", "::1 8080",
                                         "::ffff:127.0.0.1 631"}));
  EXPECT_EQ(sockets.size(), 5u);  // the second 0.0.0.0:22 listener is folded
}

// ---- Running a host tool -----------------------------------------------------------------

TEST(RunProgramTest, CapturesOutputAndExitCode) {
  ProgramOutput echo = RunProgram("/bin/echo", {"echo", "hi there"}, 1024, 5000);
  EXPECT_EQ(echo.failure, "");
  EXPECT_EQ(echo.exit_code, 0);
  EXPECT_EQ(echo.out, "hi there\n");
  ProgramOutput fail = RunProgram("/bin/sh", {"sh", "-c", "echo oops >&2; exit 3"}, 1024, 5000);
  EXPECT_EQ(fail.exit_code, 3);
  EXPECT_EQ(fail.err, "oops\n");
  ProgramOutput missing = RunProgram("/nonexistent/auditctl", {"auditctl", "-l"}, 1024, 5000);
  EXPECT_NE(missing.failure.find("cannot run"), std::string::npos) << missing.failure;
}

TEST(RunProgramTest, OutputAndTimeAreBounded) {
  ProgramOutput yes = RunProgram("/usr/bin/yes", {"yes"}, 64 * 1024, 5000);
  EXPECT_NE(yes.failure.find("output larger than 65536 bytes"), std::string::npos) << yes.failure;
  EXPECT_EQ(yes.exit_code, -1);
  auto start = std::chrono::steady_clock::now();
  ProgramOutput slow = RunProgram("/bin/sleep", {"sleep", "10"}, 1024, 200);
  EXPECT_EQ(slow.failure, "timed out after 200 ms");
  // A child that closes its pipes and lingers is reaped at the deadline too.
  ProgramOutput quiet = RunProgram("/bin/sh", {"sh", "-c", "exec >&- 2>&-; sleep 10"}, 1024, 200);
  EXPECT_EQ(quiet.failure, "timed out after 200 ms");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

// ---- Audit rules ------------------------------------------------------------------------

TEST(AuditRuleTest, MatchesTheExactPathOnly) {
  EXPECT_TRUE(AuditRuleCovers("-w /usr/sbin/dockerd -p rwxa -k docker", "/usr/sbin/dockerd"));
  EXPECT_TRUE(AuditRuleCovers("-w /etc/docker/ -k docker", "/etc/docker"));
  EXPECT_TRUE(AuditRuleCovers("-a always,exit -F path=/usr/sbin/runc -F perm=x -k docker",
                              "/usr/sbin/runc"));
  EXPECT_TRUE(
      AuditRuleCovers("-a exit,always -F dir=/var/lib/docker -F perm=wa", "/var/lib/docker"));
  // docker-bench greps, so these would pass there.
  EXPECT_FALSE(AuditRuleCovers("-w /usr/sbin/dockerd-ce -k docker", "/usr/sbin/dockerd"));
  EXPECT_FALSE(AuditRuleCovers("-w /etc/docker/daemon.json -k docker", "/etc/docker"));
  EXPECT_FALSE(AuditRuleCovers("-a never,exit -F path=/usr/sbin/runc", "/usr/sbin/runc"));
  EXPECT_FALSE(AuditRuleCovers("-W /usr/sbin/dockerd", "/usr/sbin/dockerd"));
  EXPECT_FALSE(AuditRuleCovers("-a always,exit -F key=/usr/sbin/runc", "/usr/sbin/runc"));
}

TEST(AuditRuleTest, LoadedRulesWinAndSourcesAreKept) {
  AuditRules audit;
  audit.readable = true;
  audit.sources = {"auditctl -l", "/etc/audit/rules.d/docker.rules"};
  audit.rules = {"/etc/audit/rules.d/docker.rules: -w /usr/sbin/runc -k docker",
                 "auditctl -l: -w /usr/sbin/runc -p rwxa -k docker",
                 "/etc/audit/rules.d/docker.rules: -w /etc/docker -k docker"};
  AuditMatch runc = FindAuditRule(audit, "/usr/sbin/runc");
  ASSERT_TRUE(runc.found);
  EXPECT_TRUE(runc.loaded);
  EXPECT_EQ(runc.entry.rule, "-w /usr/sbin/runc -p rwxa -k docker");
  AuditMatch etc = FindAuditRule(audit, "/etc/docker");
  ASSERT_TRUE(etc.found);
  EXPECT_FALSE(etc.loaded);
  EXPECT_EQ(etc.entry.source, "/etc/audit/rules.d/docker.rules");
  EXPECT_FALSE(FindAuditRule(audit, "/usr/bin/containerd").found);
  EXPECT_TRUE(AuditRulesLoadedKnown(audit));
  EXPECT_EQ(SplitAuditEntry("-w /x").source, "");
}

TEST_F(CollectFilesTest, AuditRulesFromRulesDAndAuditRules) {
  Write("/etc/audit/rules.d/10-base.rules", "# base\n-D\n-b 8192\n\n");
  Write("/etc/audit/rules.d/docker.rules",
        "-w /usr/sbin/dockerd -k docker\n  -w /etc/docker -k docker  \n");
  Write("/etc/audit/rules.d/README", "-w /not/a/rule -k x\n");
  Write("/etc/audit/audit.rules", "## generated\n-w /usr/sbin/dockerd -k docker\n");
  AuditRules audit = ReadAuditRules(Root(), /*run_auditctl=*/true);  // not "/": auditctl never runs
  EXPECT_TRUE(audit.readable);
  EXPECT_EQ(audit.sources, (std::vector<std::string>{"/etc/audit/rules.d/10-base.rules",
                                                     "/etc/audit/rules.d/docker.rules",
                                                     "/etc/audit/audit.rules"}));
  EXPECT_EQ(audit.rules.size(), 5u);
  AuditMatch match = FindAuditRule(audit, "/etc/docker");
  ASSERT_TRUE(match.found);
  EXPECT_EQ(match.entry.source, "/etc/audit/rules.d/docker.rules");
  EXPECT_EQ(match.entry.rule, "-w /etc/docker -k docker");
  EXPECT_FALSE(FindAuditRule(audit, "/not/a/rule").found);
}

TEST_F(CollectFilesTest, AuditOversizedRulesFileIsSaidAndSkipped) {
  Write("/etc/audit/rules.d/docker.rules", "-w /etc/docker -k docker\n");
  Write("/etc/audit/rules.d/huge.rules", std::string(kMaxRulesFileBytes + 1, '#'));
  AuditRules audit = ReadAuditRules(Root(), false);
  EXPECT_TRUE(audit.readable);
  EXPECT_TRUE(FindAuditRule(audit, "/etc/docker").found);
  EXPECT_NE(audit.unreadable_reason.find("huge.rules"), std::string::npos)
      << audit.unreadable_reason;
}

TEST_F(CollectFilesTest, AuditNotInstalledMeansNoRules) {
  AuditRules audit = ReadAuditRules(Root(), false);
  EXPECT_TRUE(audit.readable);
  EXPECT_TRUE(audit.rules.empty());
  EXPECT_EQ(audit.unreadable_reason, "auditd is not installed: no /etc/audit and no auditctl");
}

// rules.d readable only by root: as a user the rules are unreadable. When
// the test runs as root, a child drops to nobody to see what a user sees.
TEST_F(CollectFilesTest, AuditRulesUnreadableWithoutRoot) {
  // Mode 0: unreadable for the owner too when the test itself is not root.
  Write("/etc/audit/rules.d/docker.rules", "-w /etc/docker -k docker\n", 0);
  Write("/etc/audit/audit.rules", "-w /etc/docker -k docker\n", 0);
  ASSERT_EQ(chmod((root_ / "etc/audit/rules.d").c_str(), 0), 0);
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(pipe_fds[0]);
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(3);
    AuditRules audit = ReadAuditRules(Root(), false);
    std::string report = (audit.readable ? "readable|" : "unreadable|") + audit.unreadable_reason;
    ssize_t written = write(pipe_fds[1], report.data(), report.size());
    _exit(written == static_cast<ssize_t>(report.size()) ? 0 : 4);
  }
  close(pipe_fds[1]);
  std::string report;
  char buffer[4096];
  ssize_t n;
  while ((n = read(pipe_fds[0], buffer, sizeof buffer)) > 0)
    report.append(buffer, static_cast<size_t>(n));
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  chmod((root_ / "etc/audit/rules.d").c_str(), 0755);  // so TearDown can remove it
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child failed: " << status;
  EXPECT_EQ(report.rfind("unreadable|", 0), 0u) << report;
  EXPECT_NE(report.find("/etc/audit/rules.d is not readable without root"), std::string::npos)
      << report;
}

// ---- The collector ---------------------------------------------------------------------

TEST_F(CollectFilesTest, CollectorFindsRealBinariesUnitsCertsAndGroup) {
  Write("/etc/passwd", "root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n");
  Write("/etc/group", "root:x:0:\ndocker:x:999:alice\n");
  Write("/usr/sbin/dockerd", "ELF", 0755);
  Write("/usr/sbin/runc", "ELF", 0755);
  Symlink("/usr/bin/runc", "../sbin/runc");
  Write("/usr/bin/containerd", "ELF", 0755);
  Write("/lib/systemd/system/docker.service", "[Unit]\n");
  Write("/etc/docker/certs.d/reg:5000/ca.crt", "CERT", 0444);
  Write("/etc/docker/certs.d/reg:5000/client.key", "KEY", 0600);
  Write("/etc/docker/certs.d/other/ca.crt", "CERT", 0644);
  Write("/proc/1/mountinfo", kMountInfo);
  HostFacts facts;
  facts.root = Root();
  facts.daemon_process = DaemonProcess{0, {"dockerd", "--ip=127.0.0.1"}, 0};
  CollectHostFiles(facts);

  EXPECT_EQ(FindHostPath(facts, HostPathRole::kDockerdBinary).fact->path, "/usr/sbin/dockerd");
  EXPECT_EQ(FindHostPath(facts, HostPathRole::kRuncBinary).fact->path,
            "/usr/sbin/runc");  // not the symlink
  EXPECT_EQ(FindHostPath(facts, HostPathRole::kContainerdBinary).fact->path, "/usr/bin/containerd");
  EXPECT_EQ(FindHostPath(facts, HostPathRole::kDockerService).fact->path,
            "/lib/systemd/system/docker.service");
  EXPECT_EQ(FindHostPath(facts, HostPathRole::kSysconfigDocker).fact, nullptr);
  EXPECT_TRUE(HostPathCandidates(facts, HostPathRole::kTlsKey).empty());  // no TLS configured
  EXPECT_EQ(LookedIn(HostPathCandidates(facts, HostPathRole::kDockerSocketUnit)),
            "looked in /etc/systemd/system/docker.socket, /lib/systemd/system/docker.socket, "
            "/usr/lib/systemd/system/docker.socket");
  ASSERT_NE(facts.File("/etc/docker/certs.d/reg:5000/client.key"), nullptr);
  EXPECT_EQ(facts.File("/etc/docker/certs.d/reg:5000/client.key")->mode, 0600u);
  ASSERT_NE(facts.File("/etc/docker/certs.d/other/ca.crt"), nullptr);
  EXPECT_TRUE(facts.File("/etc/docker/certs.d")->error.empty());
  EXPECT_EQ(facts.docker_group.members, (std::vector<std::string>{"alice"}));
  EXPECT_EQ(facts.mounts.size(), 4u);
  EXPECT_TRUE(facts.audit.readable);  // auditd not installed: no rules
}

TEST_F(CollectFilesTest, DockerdFoundThroughProcExe) {
  Write("/opt/docker/bin/dockerd", "ELF", 0755);
  Write("/usr/bin/dockerd", "an old copy", 0755);
  Symlink("/proc/4242/exe", "/opt/docker/bin/dockerd");
  HostFacts facts;
  facts.root = Root();
  facts.daemon_process = DaemonProcess{4242, {"dockerd"}, 0};
  CollectHostFiles(facts);
  EXPECT_EQ(FindHostPath(facts, HostPathRole::kDockerdBinary).fact->path,
            "/opt/docker/bin/dockerd");
}

TEST_F(CollectFilesTest, TlsAndSocketPathsFromTheDaemonConfig) {
  Write("/etc/docker/tls/key.pem", "KEY", 0400);
  HostFacts facts;
  facts.root = Root();
  facts.daemon.Set("tlskey", DaemonOption{{"/etc/docker/tls/key.pem"}, "daemon.json"});
  facts.daemon.Set(
      "hosts", DaemonOption{{"unix:///run/alt/docker.sock", "tcp://0.0.0.0:2376"}, "daemon.json"});
  facts.engine.socket_path = "/run/alt/docker.sock";
  CollectHostFiles(facts);
  EXPECT_EQ(FindHostPath(facts, HostPathRole::kTlsKey).fact->path, "/etc/docker/tls/key.pem");
  EXPECT_EQ(HostPathCandidates(facts, HostPathRole::kDockerSocket),
            (std::vector<std::string>{"/run/alt/docker.sock", "/var/run/docker.sock"}));
  facts.daemon = DaemonConfig{};
  facts.daemon.Set("tlsverify", DaemonOption{{"true"}, "dockerd --tlsverify"});
  EXPECT_EQ(HostPathCandidates(facts, HostPathRole::kTlsCaCert),
            (std::vector<std::string>{"/root/.docker/ca.pem"}));
}

TEST_F(CollectFilesTest, CertificateWalkIsBounded) {
  fs::create_directories(root_ / "etc/docker/certs.d/big");
  for (size_t i = 0; i < kMaxCertFiles + 5; ++i) {
    WriteFile(root_ / "etc/docker/certs.d/big" / ("c" + std::to_string(i) + ".crt"), "");
  }
  HostFacts facts;
  facts.root = Root();
  CollectHostFiles(facts);
  size_t certs = 0;
  for (const auto& [path, fact] : facts.files)
    certs += path.rfind("/etc/docker/certs.d/big/", 0) == 0;
  EXPECT_LT(certs, kMaxCertFiles);
  EXPECT_NE(facts.File("/etc/docker/certs.d")->error.find("stopped"), std::string::npos);
}

// ---- This machine --------------------------------------------------------------------------

TEST(CollectFilesLiveTest, RealRootGivesSaneResults) {
  HostFacts facts;
  facts.root = "/";
  facts.is_root = geteuid() == 0;
  CollectHostFiles(facts);
  EXPECT_FALSE(facts.mounts.empty()) << "the mount table of this machine could not be read";
  EXPECT_NE(MountFor(facts.mounts, "/"), nullptr);
  ASSERT_NE(facts.File("/etc/docker"), nullptr);
  std::vector<HostCheck> checks = Section1HostConfigurationChecks();
  for (HostCheck& c : Section3DaemonFilesChecks()) checks.push_back(std::move(c));
  for (const HostCheck& check : checks) {
    ResultSink sink;
    check.run(facts, sink);
    EXPECT_TRUE(!sink.results().empty() || !sink.skip_reason().empty())
        << check.cis << " gave nothing";
    for (const HostResult& r : sink.results()) {
      EXPECT_FALSE(r.message.empty()) << check.cis;
      EXPECT_NE(r.verdict, core::Verdict::kNone) << check.cis;
    }
  }
  if (facts.File("/etc/docker")->exists) {
    for (const char* cis : {"3.5", "3.6"}) {
      ResultSink sink;
      for (const HostCheck& check : checks) {
        if (check.cis == cis) check.run(facts, sink);
      }
      ASSERT_EQ(sink.results().size(), 1u) << cis;
      EXPECT_EQ(sink.results()[0].subject.name, "/etc/docker");
      EXPECT_TRUE(sink.results()[0].verdict == core::Verdict::kPass ||
                  sink.results()[0].verdict == core::Verdict::kWarn);
      EXPECT_EQ(sink.results()[0].evidence.rfind("mode ", 0), 0u) << sink.results()[0].evidence;
    }
  }
}

}  // namespace
}  // namespace bulwark::host
