// `bulwark watch` end to end, as root with the real Docker engine and the
// real eBPF sensor: start the sensor, act in containers the way an intruder
// would (docker exec ... cat /etc/shadow, plant a binary and run it, open a
// reverse shell, mount the host's file systems from a privileged container,
// talk to a mounted docker.sock, ...) and assert, for every rule bulwark
// ships, the exact alert with the container's name and image. A quiet
// container beside them must produce no alert at all.
//
// Everything is harmless: "public" addresses are from TEST-NET-2
// (198.51.100.0/24, never routed), the kernel-module loads read /dev/null and
// fail, core_pattern is opened but never written, and the mining-pool name
// resolves through an /etc/hosts bind-mounted for the sensor process only.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace bulwark::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kImage = "bulwark-lab/python-flask:bookworm";
constexpr const char* kBusy = "bw-watch-e2e-busy";    // an exploited web container
// Over-privileged, docker.sock mounted. Not --privileged: that needs every
// capability, and a sandboxed CI host may lack one (CAP_SYS_RESOURCE here);
// these are the ones an escape uses.
constexpr const char* kPriv = "bw-watch-e2e-priv";
constexpr const char* kMoved = "bw-watch-e2e-priv-moved";  // kPriv after `docker rename`
constexpr const char* kQuiet = "bw-watch-e2e-quiet";  // left alone: no alert
constexpr const char* kPoolDomain = "pool.supportxmr.com";
constexpr const char* kPoolAddress = "198.51.100.77";

// A user rule file, loaded after the defaults the way a user tunes them:
// the busy container is declared internal-only.
constexpr const char* kTuning =
    "- list: bulwark_internal_only_container_names\n"
    "  items: [bw-watch-e2e-busy]\n"
    "  override:\n"
    "    items: append\n";

// `bulwark watch` in the background, stderr to a file, alerts to a file, in
// a mount namespace of its own whose /etc/hosts names the mining pool.
class WatchProcess {
 public:
  bool Start(const fs::path& dir, std::string& why, const std::vector<std::string>& extra = {}) {
    alerts_ = dir / "alerts.jsonl";
    stderr_ = dir / "watch.err";
    const fs::path hosts = dir / "hosts";
    const fs::path tuning = dir / "tuning.yaml";
    WriteFile(hosts, "127.0.0.1 localhost\n" + std::string(kPoolAddress) + " " + kPoolDomain + "\n");
    WriteFile(tuning, kTuning);
    pid_ = fork();
    if (pid_ == 0) {
      int err = open(stderr_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(err, 2);
      int null = open("/dev/null", O_RDWR);
      dup2(null, 0);
      dup2(null, 1);
      if (unshare(CLONE_NEWNS) != 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
          mount(hosts.c_str(), "/etc/hosts", nullptr, MS_BIND, nullptr) != 0) {
        perror("private /etc/hosts for the sensor");
        _exit(126);
      }
      std::vector<std::string> args = {"bulwark", "watch", "-o", alerts_.string(), "-r", tuning.string(),
                                       "--no-results", "--rate", "1000", "--burst", "1000"};
      args.insert(args.end(), extra.begin(), extra.end());
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(BulwarkBinary().c_str(), argv.data());
      _exit(127);
    }
    for (int i = 0; i < 600; ++i) {  // loading and attaching takes a few seconds on a busy machine
      if (ReadFile(stderr_).find("ready\n") != std::string::npos) return true;
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        why = "bulwark watch exited before it was ready: " + ReadFile(stderr_);
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    why = "bulwark watch was not ready after 60 s: " + ReadFile(stderr_);
    return false;
  }
  // SIGTERM, then the exit status.
  int Stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  ~WatchProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  std::vector<json> Alerts() const {
    std::vector<json> out;
    std::istringstream lines(ReadFile(alerts_));
    for (std::string line; std::getline(lines, line);) {
      json j = json::parse(line, nullptr, false);
      EXPECT_FALSE(j.is_discarded()) << "not JSON: " << line;
      if (!j.is_discarded()) out.push_back(std::move(j));
    }
    return out;
  }
  std::string Stderr() const { return ReadFile(stderr_); }

 private:
  pid_t pid_ = -1;
  fs::path alerts_;
  fs::path stderr_;
};

std::string Field(const json& alert, const std::string& name) {
  const json& fields = alert.value("output_fields", json::object());
  auto it = fields.find(name);
  if (it == fields.end()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

void Sh(const char* container, const std::string& script) {
  RunCommand({"docker", "exec", container, "/bin/sh", "-c", script});
}
void Python(const char* container, const std::string& program) {
  RunCommand({"docker", "exec", container, "python3", "-c", program});
}

// What an intruder does with a shell in the web container.
void AttackBusyContainer() {
  Sh(kBusy, "cat /etc/shadow > /dev/null");
  Sh(kBusy, "echo 'bw' >> /etc/bw-e2e.conf");
  Sh(kBusy, "cp /bin/true /usr/local/bin/bw-planted && /usr/local/bin/bw-planted");
  Sh(kBusy, "mv /usr/local/bin/bw-planted /usr/local/bin/bw-renamed");
  Sh(kBusy, "cp /bin/true /tmp/xmrig && /tmp/xmrig --donate-level 1 -o stratum+tcp://127.0.0.1:3333");
  // A dropped program (hidden, in /tmp) reaching a stratum port on loopback,
  // as through a local stratum proxy.
  Sh(kBusy,
     "mkdir -p /tmp/.bw-miner && cp /usr/bin/python3 /tmp/.bw-miner/kworker && /tmp/.bw-miner/kworker -c "
     "'import socket; l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); "
     "l.bind((\"127.0.0.1\", 3333)); l.listen(1); socket.create_connection((\"127.0.0.1\", 3333)).close()'");
  Sh(kBusy, "echo ls > /root/.bash_history && rm /root/.bash_history");
  Sh(kBusy, "unset HISTFILE; true");
  Sh(kBusy, "echo x > /var/log/bw-e2e.log");
  Sh(kBusy, "touch /etc/ld.so.preload && rm /etc/ld.so.preload");
  Sh(kBusy, "apt-get --version > /dev/null");
  Sh(kBusy, "bash -c 'exec 3<>/dev/tcp/127.0.0.1/9' 2>/dev/null; true");
  // The web app runs a shell (command injection).
  Python(kBusy, "import os; os.system('id > /dev/null')");
  // A reverse shell's core: a socket duplicated onto stdout.
  Python(kBusy,
         "import socket, os\n"
         "l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(1)\n"
         "s = socket.create_connection(l.getsockname()); c, _ = l.accept()\n"
         "os.dup2(s.fileno(), 1)\n");
  // Outbound connections to never-routed public addresses (non-blocking:
  // the connect is in progress when the sensor sees it).
  Python(kBusy,
         "import socket\n"
         "def out(ip, port):\n"
         "    s = socket.socket(); s.setblocking(False); s.connect_ex((ip, port)); s.close()\n"
         "out('198.51.100.7', 3333)\n"
         "out('198.51.100.8', 9001)\n"
         "out('" + std::string(kPoolAddress) + "', 443)\n");
  // Fileless: a program run from an anonymous memory file.
  Python(kBusy,
         "import os\n"
         "fd = os.memfd_create('bw-memfd', 0)\n"
         "os.write(fd, open('/bin/true', 'rb').read())\n"
         "pid = os.fork()\n"
         "if pid == 0:\n"
         "    os.execv('/proc/self/fd/%d' % fd, ['bw-memfd'])\n"
         "os.waitpid(pid, 0)\n");
  Python(kBusy, "import os; os.setuid(0)");
  // Keep the capabilities across a switch to UID 1000, then raise them.
  Python(kBusy,
         "import ctypes, os\n"
         "libc = ctypes.CDLL(None, use_errno=True)\n"
         "class Header(ctypes.Structure):\n"
         "    _fields_ = [('version', ctypes.c_uint32), ('pid', ctypes.c_int)]\n"
         "class Data(ctypes.Structure):\n"
         "    _fields_ = [('effective', ctypes.c_uint32), ('permitted', ctypes.c_uint32),\n"
         "                ('inheritable', ctypes.c_uint32)]\n"
         "libc.prctl(8, 1, 0, 0, 0)\n"  // PR_SET_KEEPCAPS
         "os.setresuid(1000, 1000, 1000)\n"
         "header = Header(0x20080522, 0)\n"
         "data = (Data * 2)()\n"
         "libc.capget(ctypes.byref(header), data)\n"
         "for d in data: d.effective = d.permitted\n"
         "libc.capset(ctypes.byref(header), data)\n");
  // Hiding among kernel threads: PR_SET_NAME to kworker/0:1.
  Python(kBusy,
         "import ctypes\n"
         "libc = ctypes.CDLL(None, use_errno=True)\n"
         "libc.prctl(15, b'kworker/0:1', 0, 0, 0)\n");
  // PTRACE_ATTACH to a child, then let it go.
  Python(kBusy,
         "import ctypes, subprocess\n"
         "libc = ctypes.CDLL(None, use_errno=True)\n"
         "p = subprocess.Popen(['sleep', '5'])\n"
         "libc.ptrace(ctypes.c_long(16), p.pid, None, None)\n"
         "p.kill(); p.wait()\n");
  // A terminal: what `docker exec -it` gives a person (util-linux's script
  // supplies the pseudo-terminal).
  RunCommand({"script", "-qec", std::string("docker exec -it ") + kBusy + " /bin/sh -c true", "/dev/null"});
}

// Escape attempts from an over-privileged container with docker.sock mounted.
void AttackPrivilegedContainer() {
  // The image has no mount(8): the intruder's own code calls mount(2).
  Python(kPriv,
         "import ctypes\n"
         "libc = ctypes.CDLL(None, use_errno=True)\n"
         "libc.mount(b'none', b'/mnt', b'tmpfs', 0, None)\n");
  Sh(kPriv, "unshare -m true");
  Sh(kPriv, "nsenter -t 1 -m true");
  Python(kPriv,
         "import socket\n"
         "s = socket.socket(socket.AF_UNIX); s.connect('/var/run/docker.sock'); s.close()\n");
  Python(kPriv, "import os; os.close(os.open('/proc/sys/kernel/core_pattern', os.O_WRONLY))");
}

// finit_module(2) of an empty file from this test process, on the host.
void LoadModuleOnHost() {
  int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  syscall(SYS_finit_module, fd, "", 0);
  close(fd);
}

// finit_module(2) from a container (the kernel refuses the empty file, or
// has no module support at all: ENOSYS is still a load attempt).
void LoadModuleIn(const char* container) {
  Python(container,
         "import ctypes, os\n"
         "libc = ctypes.CDLL(None, use_errno=True)\n"
         "libc.syscall(313, os.open('/dev/null', os.O_RDONLY), b'', 0)\n");
}

// Whether the default hook (per-syscall tracepoints) can see module loads:
// a kernel built without modules has no tracepoint for them, and only
// --raw-syscalls sees the attempts (WatchDockerRawSyscalls below).
bool KernelTracesModuleLoads() {
  std::error_code ec;
  return fs::exists("/sys/kernel/tracing/events/syscalls/sys_exit_finit_module", ec) ||
         fs::exists("/sys/kernel/debug/tracing/events/syscalls/sys_exit_finit_module", ec);
}

bool IsModuleRule(const std::string& rule) { return rule.rfind("Kernel module loaded", 0) == 0; }

// What one `bulwark watch` run around a scenario leaves for its tests: one
// set per fixture (Tag), since a plain run of this program runs them all.
template <typename Tag>
struct WatchRun {
  static std::string Dump() {
    std::string out;
    for (const json& a : alerts_) out += a.value("rule", "") + ": " + a.value("output", "") + "\n";
    return out;
  }

  static inline std::string why_not_;
  static inline std::string failed_start_;
  static inline fs::path dir_;
  static inline WatchProcess* watch_ = nullptr;
  static inline int exit_code_ = -1;
  static inline std::vector<json> alerts_;
};

class WatchDocker : public ::testing::Test, protected WatchRun<WatchDocker> {
 protected:
  static void SetUpTestSuite() {
    if (geteuid() != 0) {
      why_not_ = "needs root (CAP_BPF) to load the sensor";
      return;
    }
    if (RunCommand({"docker", "info"}).exit_code != 0) {
      why_not_ = "dockerd is not reachable (make test starts it: scripts/ensure-dockerd.sh)";
      return;
    }
    if (RunCommand({"docker", "image", "inspect", kImage}).exit_code != 0) {
      why_not_ = std::string(kImage) + " is missing (scripts/build-base-images.sh builds it)";
      return;
    }
    const std::vector<std::vector<std::string>> runs = {
        {"docker", "run", "-d", "--name", kBusy, kImage, "sleep", "600"},
        {"docker", "run", "-d", "--name", kQuiet, kImage, "sleep", "600"},
        {"docker", "run", "-d", "--name", kPriv, "--cap-add", "SYS_ADMIN", "--cap-add", "SYS_MODULE",
         "--security-opt", "systempaths=unconfined", "--security-opt", "apparmor=unconfined", "-v",
         "/var/run/docker.sock:/var/run/docker.sock", kImage, "sleep", "600"}};
    RunCommand({"docker", "rm", "-f", kMoved});
    for (const auto& run : runs) {
      RunCommand({"docker", "rm", "-f", run[4]});
      auto started = RunCommand(run);
      if (started.exit_code != 0) {
        failed_start_ = "docker run failed: " + started.err;
        return;
      }
    }
    dir_ = MakeTempDir("bw-watch-e2e");
    watch_ = new WatchProcess();
    std::string why;
    if (!watch_->Start(dir_, why)) {
      failed_start_ = why;
      return;
    }
    AttackBusyContainer();
    AttackPrivilegedContainer();
    LoadModuleIn(kPriv);
    LoadModuleOnHost();
    // The sensor learns a rename from the engine's events, not in 5 minutes.
    RunCommand({"docker", "rename", kPriv, kMoved});
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    Sh(kMoved, "cat /etc/gshadow > /dev/null");
    std::this_thread::sleep_for(std::chrono::seconds(2));  // the last events reach the ring
    exit_code_ = watch_->Stop();
    alerts_ = watch_->Alerts();
  }
  static void TearDownTestSuite() {
    delete watch_;
    watch_ = nullptr;
    for (const char* name : {kBusy, kQuiet, kPriv, kMoved}) RunCommand({"docker", "rm", "-f", name});
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  void SetUp() override {
    if (!why_not_.empty()) GTEST_SKIP() << "SKIPPED: " << why_not_;
    ASSERT_TRUE(failed_start_.empty()) << failed_start_;
  }

  // The alerts of `rule` about `container` ("" for host processes).
  static std::vector<json> Of(const std::string& rule, const std::string& container) {
    std::vector<json> out;
    for (const json& a : alerts_) {
      if (a.value("rule", "") == rule && Field(a, "container.name") == container) out.push_back(a);
    }
    return out;
  }
  // An alert of `rule` about `container` whose output mentions `output_part`,
  // with the container's image and the alert's Falco shape.
  static void ExpectAlert(const std::string& rule, const std::string& output_part,
                          const std::string& container = kBusy) {
    std::vector<json> found = Of(rule, container);
    ASSERT_FALSE(found.empty()) << "no '" << rule << "' alert about " << container << "; all alerts:\n"
                                << Dump();
    bool matched = false;
    for (const json& a : found) {
      matched = matched || a.value("output", "").find(output_part) != std::string::npos;
      EXPECT_EQ(Field(a, "container.image.repository"), "bulwark-lab/python-flask") << a.dump();
      EXPECT_EQ(Field(a, "container.image.tag"), "bookworm") << a.dump();
      EXPECT_EQ(a.value("source", ""), "syscall");
      EXPECT_FALSE(a.value("hostname", "").empty());
      EXPECT_FALSE(a.value("time", "").empty());
      EXPECT_TRUE(a.value("tags", json::array()).is_array());
    }
    EXPECT_TRUE(matched) << "no '" << rule << "' alert mentions '" << output_part << "':\n" << Dump();
  }
  static void ExpectHostAlert(const std::string& rule, const std::string& output_part) {
    bool found = false;
    for (const json& a : alerts_) {
      found = found || (a.value("rule", "") == rule &&
                        a.value("output", "").find(output_part) != std::string::npos);
    }
    EXPECT_TRUE(found) << "no '" << rule << "' alert mentions '" << output_part << "':\n" << Dump();
  }
};

// One alert expected per scenario: the rule, a part of its output, and the
// container it is about ("" for this host test process).
struct Expected {
  const char* rule;
  std::string output_part;
  const char* container;
};

const std::vector<Expected>& ExpectedAlerts() {
  static const std::vector<Expected> expected = {
      {"Read sensitive file", "file=/etc/shadow", kBusy},
      {"Write below etc", "file=/etc/bw-e2e.conf", kBusy},
      {"Write below binary dir", "file=/usr/local/bin/bw-planted", kBusy},
      {"Binary renamed or removed", "bw-renamed", kBusy},
      {"Drop and execute new binary in container", "bw-planted", kBusy},
      {"Crypto miner launched", "xmrig", kBusy},
      {"Execution from temporary directory", "/tmp/xmrig", kBusy},
      {"Shell history deleted or truncated", ".bash_history", kBusy},
      {"Shell history disabled", "unset HISTFILE", kBusy},
      {"Log file cleared or deleted", "/var/log/bw-e2e.log", kBusy},
      {"Dynamic linker preload configured", "/etc/ld.so.preload", kBusy},
      {"Package manager launched in container", "apt-get", kBusy},
      {"Reverse shell command launched", "/dev/tcp/127.0.0.1/9", kBusy},
      {"Standard stream redirected to network socket", "python3", kBusy},
      {"Shell spawned by application in container", "parent=python3", kBusy},
      {"Interactive shell in container", "sh -c true", kBusy},
      {"Connection to crypto-mining pool port", "198.51.100.7:3333", kBusy},
      {"Mining pool port contacted by a dropped program", "exepath=/tmp/.bw-miner/kworker", kBusy},
      {"Connection to crypto-mining pool domain", std::string("pool=") + kPoolDomain, kBusy},
      {"Application interpreter connected out on unexpected port", "198.51.100.8:9001", kBusy},
      {"Internet connection from internal-only container", "198.51.100.8:9001", kBusy},
      {"Fileless execution via memfd", "exepath=memfd:bw-memfd", kBusy},
      {"Setuid to root by non-root process", "process=python3", kBusy},
      {"Dangerous capabilities set by non-root process", "user_uid=1000", kBusy},
      {"Ptrace attach to process", "request=PTRACE_ATTACH", kBusy},
      {"Process disguised as a kernel thread", "new_name=kworker/0:1", kBusy},
      {"Mount in container", "fstype=tmpfs", kPriv},
      {"Namespace change in container", "syscall=unshare", kPriv},
      {"Namespace change in container", "syscall=setns", kPriv},
      {"Container escape tool launched in container", "process=nsenter", kPriv},
      {"Container escape tool launched in container", "process=unshare", kPriv},
      {"Container engine socket accessed from container", "socket=/var/run/docker.sock", kPriv},
      {"Container escape file written", "file=/proc/sys/kernel/core_pattern", kPriv},
      {"Kernel module loaded from container", "syscall=finit_module", kPriv},
      // After `docker rename`: the new name, from the engine's events.
      {"Read sensitive file", "file=/etc/gshadow", kMoved},
      // The alert names this test's own executable (no container fields).
      {"Kernel module loaded by unexpected process", "e2e_watch_docker_test", ""},
  };
  return expected;
}

// One test for all scenarios: ctest runs each test in a process of its own,
// and every process would repeat the whole attack (and two at once would
// remove each other's containers).
TEST_F(WatchDocker, EveryShippedRuleAlertsWithItsContainerAndTheQuietOneNone) {
  const bool modules_traced = KernelTracesModuleLoads();
  if (!modules_traced) {
    EXPECT_NE(watch_->Stderr().find("no tracepoint for (init_module, finit_module)"), std::string::npos)
        << "the user is told which rules' syscalls cannot be seen:\n" << watch_->Stderr();
  }
  for (const Expected& e : ExpectedAlerts()) {
    SCOPED_TRACE(e.rule);
    if (IsModuleRule(e.rule) && !modules_traced) continue;  // WatchDockerRawSyscalls sees them
    if (*e.container == '\0') {
      ExpectHostAlert(e.rule, e.output_part);
    } else {
      ExpectAlert(e.rule, e.output_part, e.container);
    }
  }
  // The fields of one alert in detail.
  const std::vector<json> shadow = Of("Read sensitive file", kBusy);
  ASSERT_FALSE(shadow.empty());
  const json& a = shadow.front();
  EXPECT_EQ(a.value("priority", ""), "Warning");
  EXPECT_EQ(Field(a, "proc.name"), "cat");
  EXPECT_EQ(Field(a, "fd.name"), "/etc/shadow");
  EXPECT_EQ(Field(a, "user.name"), "root") << "named by the container's own /etc/passwd";

  // The container left alone raises nothing, and the sensor stops cleanly.
  for (const json& quiet : alerts_) {
    EXPECT_NE(Field(quiet, "container.name"), kQuiet) << quiet.dump();
  }
  EXPECT_EQ(exit_code_, 0) << watch_->Stderr();
  EXPECT_NE(watch_->Stderr().find(" 0 dropped"), std::string::npos) << watch_->Stderr();
}

// --raw-syscalls: every syscall through raw_syscalls:sys_exit, which also
// sees the syscalls that have no tracepoint of their own (module loading on
// a kernel built without modules). Module loads from a container and from
// the host, and one ordinary scenario to show the rest still works.
class WatchDockerRawSyscalls : public ::testing::Test, protected WatchRun<WatchDockerRawSyscalls> {
 protected:
  static constexpr const char* kLoader = "bw-watch-e2e-raw";

  static void SetUpTestSuite() {
    if (geteuid() != 0) {
      why_not_ = "needs root (CAP_BPF) to load the sensor";
      return;
    }
    if (RunCommand({"docker", "image", "inspect", kImage}).exit_code != 0) {
      why_not_ = std::string(kImage) + " is missing, or dockerd is not reachable";
      return;
    }
    RunCommand({"docker", "rm", "-f", kLoader});
    auto started = RunCommand({"docker", "run", "-d", "--name", kLoader, "--cap-add", "SYS_MODULE",
                               "--security-opt", "apparmor=unconfined", kImage, "sleep", "600"});
    if (started.exit_code != 0) {
      failed_start_ = "docker run failed: " + started.err;
      return;
    }
    dir_ = MakeTempDir("bw-watch-e2e-raw");
    watch_ = new WatchProcess();
    if (!watch_->Start(dir_, failed_start_, {"--raw-syscalls"})) return;
    LoadModuleIn(kLoader);
    LoadModuleOnHost();
    Sh(kLoader, "cat /etc/shadow > /dev/null");
    std::this_thread::sleep_for(std::chrono::seconds(2));
    exit_code_ = watch_->Stop();
    alerts_ = watch_->Alerts();
  }
  static void TearDownTestSuite() {
    delete watch_;
    watch_ = nullptr;
    RunCommand({"docker", "rm", "-f", kLoader});
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  void SetUp() override {
    if (!why_not_.empty()) GTEST_SKIP() << "SKIPPED: " << why_not_;
    ASSERT_TRUE(failed_start_.empty()) << failed_start_;
  }
  // An alert of `rule` about `container` ("" for any) mentioning `part`.
  static bool Has(const std::string& rule, const std::string& container, const std::string& part) {
    for (const json& a : alerts_) {
      if (a.value("rule", "") == rule && (container.empty() || Field(a, "container.name") == container) &&
          a.value("output", "").find(part) != std::string::npos) {
        return true;
      }
    }
    return false;
  }
};

TEST_F(WatchDockerRawSyscalls, SeesModuleLoadsFromContainersAndTheHost) {
  EXPECT_TRUE(Has("Kernel module loaded from container", kLoader, "syscall=finit_module")) << Dump();
  EXPECT_TRUE(Has("Kernel module loaded by unexpected process", "", "e2e_watch_docker_test")) << Dump();
  EXPECT_TRUE(Has("Read sensitive file", kLoader, "file=/etc/shadow")) << Dump();
  EXPECT_EQ(watch_->Stderr().find("no tracepoint"), std::string::npos) << watch_->Stderr();
  EXPECT_EQ(exit_code_, 0) << watch_->Stderr();
}

// Every shipped rule has a scenario above: a rule added to rules/ without
// one fails here (no Docker needed).
TEST(WatchScenarios, CoverEveryShippedRule) {
  std::set<std::string> covered;
  for (const Expected& e : ExpectedAlerts()) covered.insert(e.rule);
  std::istringstream rules(ReadFile(SourceDir() / "rules" / "bulwark_rules.yaml"));
  size_t count = 0;
  for (std::string line; std::getline(rules, line);) {
    if (line.rfind("- rule: ", 0) != 0) continue;
    ++count;
    EXPECT_TRUE(covered.count(line.substr(8))) << "no scenario for '" << line.substr(8) << "'";
  }
  EXPECT_EQ(count, 33u);
}

}  // namespace
}  // namespace bulwark::testing
