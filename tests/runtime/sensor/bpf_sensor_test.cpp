// The real eBPF sensor on this kernel: a child process does the syscalls the
// default rules care about and every one must come back as an Event with
// Falco's argument names, the right values, return value and pid. Also the
// in-kernel pre-filter and the drop counters. Runs as root in CI; skips only
// when this kernel or process cannot run BPF at all.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <string>

#include "runtime/sensor/bpf_sensor.hpp"
#include "sensor_test_util.hpp"

namespace bulwark::runtime::sensor {
namespace {

using testing::RunAndCollect;
using testing::Seen;

const Seen* Find(const std::vector<Seen>& seen, EventType type,
                 const std::function<bool(const Event&)>& match = nullptr) {
  for (const Seen& s : seen) {
    if (s.evt.type == type && (!match || match(s.evt))) return &s;
  }
  return nullptr;
}

std::string ArgText(const Event& e, std::string_view name) {
  const EventArg* a = e.Arg(name);
  return a ? a->text : "<missing " + std::string(name) + ">";
}
int64_t ArgNum(const Event& e, std::string_view name) {
  const EventArg* a = e.Arg(name);
  return a ? a->num : INT64_MIN;
}

class BpfSensorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("bw_sensor_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(BpfSensorTest, ReportsTheChildsSyscallsWithFalcoArguments) {
  SensorOptions options;
  options.own_tgid = static_cast<uint32_t>(getpid());
  for (EventType t : {EventType::kSymlink, EventType::kMemfdCreate, EventType::kPtrace}) {
    options.event_types.set(static_cast<size_t>(t));  // the rules' types; state types come anyway
  }
  BULWARK_OPEN_SENSOR_OR_SKIP(sensor, options);

  int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(listener, 4), 0);
  socklen_t len = sizeof(addr);
  getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  const uint16_t port = ntohs(addr.sin_port);
  const std::string file = (dir_ / "file").string();
  const std::string link = (dir_ / "link").string();
  const std::string dir = dir_.string();

  int status = 0;
  std::vector<Seen> seen = RunAndCollect(*sensor, [&]() -> int {
    if (chdir(dir.c_str()) != 0) return 10;
    int fd = static_cast<int>(syscall(SYS_open, file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0640));
    if (fd < 0) return 11;
    close(fd);
    int fd2 = static_cast<int>(syscall(SYS_openat, AT_FDCWD, file.c_str(), O_RDONLY));
    if (fd2 < 0) return 12;
    syscall(SYS_openat, AT_FDCWD, "/nonexistent/bw_sensor_missing", O_RDONLY);
    int sock = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(sock, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) return 13;
    if (syscall(SYS_dup2, sock, 100) != 100) return 14;
    if (syscall(SYS_symlink, "/etc/shadow", link.c_str()) != 0) return 15;
    if (setuid(getuid()) != 0) return 16;
    if (syscall(SYS_memfd_create, "bw_memfd", MFD_CLOEXEC) < 0) return 17;
    pid_t traced = fork();
    if (traced == 0) _exit(ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) == 0 ? 0 : 1);
    int st = 0;
    waitpid(traced, &st, 0);
    char missing[] = "/nonexistent/bw-no-such-binary";
    char* no_args[] = {missing, nullptr};
    execve(missing, no_args, no_args + 1);
    char arg0[] = "/bin/true", arg1[] = "--bw-arg1", arg2[] = "x y";
    char* argv[] = {arg0, arg1, arg2, nullptr};
    char env0[] = "BW_TEST=1";
    char* envp[] = {env0, nullptr};
    execve("/bin/true", argv, envp);
    return 18;
  }, &status);
  close(listener);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0) << "the child failed at step " << WEXITSTATUS(status);
  ASSERT_FALSE(seen.empty()) << "no event from the child at all";
  std::string types;
  for (const Seen& s : seen) types += std::string(EventTypeName(s.evt.type)) + " ";
  SCOPED_TRACE("events seen: " + types);
  const int64_t child = seen.front().evt.pid;

  const Seen* chdir_evt = Find(seen, EventType::kChdir);
  ASSERT_NE(chdir_evt, nullptr);
  EXPECT_EQ(ArgText(chdir_evt->evt, "path"), dir);
  EXPECT_EQ(chdir_evt->evt.res, 0);

  const Seen* open_evt = Find(seen, EventType::kOpen, [&](const Event& e) { return ArgText(e, "name") == file; });
  ASSERT_NE(open_evt, nullptr) << "open of " << file;
  EXPECT_GE(open_evt->evt.res, 0);
  EXPECT_EQ(open_evt->evt.fd, open_evt->evt.res);
  EXPECT_EQ(ArgNum(open_evt->evt, "flags"), O_WRONLY | O_CREAT | O_TRUNC);
  EXPECT_EQ(ArgNum(open_evt->evt, "mode"), 0640);
  struct stat file_stat{};
  ASSERT_EQ(stat(file.c_str(), &file_stat), 0);
  EXPECT_EQ(ArgNum(open_evt->evt, "ino"), static_cast<int64_t>(file_stat.st_ino));
  EXPECT_EQ(open_evt->evt.pid, child);
  EXPECT_EQ(open_evt->evt.Arg("fd")->kind, ArgKind::kFd);

  const Seen* close_evt = Find(seen, EventType::kClose, [&](const Event& e) { return e.fd == open_evt->evt.res; });
  ASSERT_NE(close_evt, nullptr);
  EXPECT_EQ(close_evt->evt.res, 0);

  const Seen* openat_evt = Find(seen, EventType::kOpenat, [&](const Event& e) { return ArgText(e, "name") == file; });
  ASSERT_NE(openat_evt, nullptr);
  EXPECT_EQ(ArgNum(openat_evt->evt, "dirfd"), AT_FDCWD);
  EXPECT_EQ(ArgNum(openat_evt->evt, "flags"), O_RDONLY);
  EXPECT_GE(openat_evt->evt.res, 0);

  const Seen* failed = Find(seen, EventType::kOpenat, [](const Event& e) {
    return ArgText(e, "name") == "/nonexistent/bw_sensor_missing";
  });
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->evt.res, -ENOENT);
  EXPECT_EQ(failed->evt.fd, -1);

  const Seen* sock_evt = Find(seen, EventType::kSocket);
  ASSERT_NE(sock_evt, nullptr);
  EXPECT_EQ(ArgNum(sock_evt->evt, "domain"), AF_INET);
  EXPECT_EQ(ArgNum(sock_evt->evt, "type"), SOCK_STREAM);
  EXPECT_GE(sock_evt->evt.fd, 0);

  const Seen* conn = Find(seen, EventType::kConnect);
  ASSERT_NE(conn, nullptr);
  EXPECT_EQ(conn->evt.res, 0);
  EXPECT_EQ(conn->evt.fd, sock_evt->evt.fd);
  EXPECT_EQ(ArgNum(conn->evt, "fd"), sock_evt->evt.fd);
  const EventArg* tuple = conn->evt.Arg("tuple");
  ASSERT_NE(tuple, nullptr);
  EXPECT_EQ(tuple->addr.family, AF_INET);
  EXPECT_EQ(tuple->addr.port, port);
  // Every byte of the addresses: the kernel side once copied only the first.
  const std::array<uint8_t, 4> loopback = {127, 0, 0, 1};
  EXPECT_TRUE(std::equal(loopback.begin(), loopback.end(), tuple->addr.ip.begin()));
  EXPECT_EQ(conn->facts.l4proto, L4Proto::kTcp);
  EXPECT_TRUE(std::equal(loopback.begin(), loopback.end(), conn->facts.local.ip.begin()));
  EXPECT_TRUE(std::equal(loopback.begin(), loopback.end(), conn->facts.remote.ip.begin()));
  EXPECT_NE(conn->facts.local.port, 0);
  EXPECT_EQ(conn->evt.Arg("addr")->addr.port, port);

  const Seen* dup_evt = Find(seen, EventType::kDup2);
  ASSERT_NE(dup_evt, nullptr);
  EXPECT_EQ(dup_evt->evt.res, 100);
  EXPECT_EQ(ArgNum(dup_evt->evt, "oldfd"), sock_evt->evt.fd);
  EXPECT_EQ(ArgNum(dup_evt->evt, "newfd"), 100);

  const Seen* sym = Find(seen, EventType::kSymlink);
  ASSERT_NE(sym, nullptr);
  EXPECT_EQ(ArgText(sym->evt, "target"), "/etc/shadow");
  EXPECT_EQ(ArgText(sym->evt, "linkpath"), link);
  EXPECT_EQ(sym->evt.res, 0);

  const Seen* setuid_evt = Find(seen, EventType::kSetuid);
  ASSERT_NE(setuid_evt, nullptr);
  EXPECT_EQ(ArgNum(setuid_evt->evt, "uid"), static_cast<int64_t>(getuid()));
  EXPECT_TRUE(setuid_evt->facts.has_creds);
  EXPECT_EQ(setuid_evt->facts.creds.euid, getuid());

  const Seen* memfd = Find(seen, EventType::kMemfdCreate);
  ASSERT_NE(memfd, nullptr);
  EXPECT_EQ(ArgText(memfd->evt, "name"), "bw_memfd");
  EXPECT_EQ(ArgNum(memfd->evt, "flags"), MFD_CLOEXEC);
  EXPECT_GE(memfd->evt.res, 0);

  const Seen* clone_evt = Find(seen, EventType::kClone, [&](const Event& e) { return e.pid == child; });
  ASSERT_NE(clone_evt, nullptr) << "the fork of the ptrace helper";
  const Seen* trace = Find(seen, EventType::kPtrace);
  ASSERT_NE(trace, nullptr);
  EXPECT_EQ(ArgNum(trace->evt, "request"), PTRACE_TRACEME);
  EXPECT_EQ(trace->evt.res, 0);
  EXPECT_EQ(trace->evt.pid, clone_evt->facts.fork.child_pid);
  EXPECT_EQ(clone_evt->facts.fork.child_ppid, child);

  const Seen* exec = Find(seen, EventType::kExecve, [](const Event& e) { return e.res == 0; });
  ASSERT_NE(exec, nullptr);
  EXPECT_EQ(exec->evt.pid, child);
  EXPECT_EQ(ArgText(exec->evt, "exe"), "/bin/true");
  EXPECT_EQ(ArgText(exec->evt, "args"), "--bw-arg1 x y");
  EXPECT_EQ(ArgText(exec->evt, "cwd"), dir);
  EXPECT_EQ(ArgNum(exec->evt, "ptid"), getpid());
  ASSERT_TRUE(exec->facts.has_exec);
  EXPECT_EQ(exec->facts.exec.comm, "true");
  EXPECT_EQ(exec->facts.exec.exepath, std::filesystem::canonical("/bin/true").string());
  EXPECT_EQ(exec->facts.exec.filename, "/bin/true");
  EXPECT_EQ(exec->facts.exec.info.uid, getuid());
  EXPECT_NE(exec->facts.exec.info.exe_ino, 0u);
  EXPECT_EQ(exec->facts.exec.info.exe_ino, [] { struct stat st{}; stat("/bin/true", &st); return st.st_ino; }());
  EXPECT_NE(std::find(exec->facts.exec.env.begin(), exec->facts.exec.env.end(), "BW_TEST=1"),
            exec->facts.exec.env.end());
  EXPECT_EQ(exec->facts.exec.info.flags & BW_EXEC_FROM_MEMFD, 0u);

  const Seen* failed_exec = Find(seen, EventType::kExecve, [](const Event& e) { return e.res != 0; });
  ASSERT_NE(failed_exec, nullptr);
  EXPECT_EQ(failed_exec->evt.res, -ENOENT);
  EXPECT_EQ(ArgText(failed_exec->evt, "filename"), "/nonexistent/bw-no-such-binary");
  EXPECT_FALSE(failed_exec->facts.has_exec);

  const Seen* exit_evt = Find(seen, EventType::kProcExit, [&](const Event& e) { return e.pid == child; });
  ASSERT_NE(exit_evt, nullptr);
  EXPECT_EQ(ArgNum(exit_evt->evt, "ret"), 0);

  // Every event is numbered, stamped with wall-clock time and in order.
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_GT(seen[i].evt.num, seen[i - 1].evt.num);
  auto now = std::chrono::system_clock::now().time_since_epoch();
  int64_t now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now).count();
  EXPECT_LT(std::llabs(now_ns - static_cast<int64_t>(seen.front().evt.ts_ns)), 60'000'000'000LL);
}

TEST_F(BpfSensorTest, UninterestingSyscallsNeverLeaveTheKernel) {
  SensorOptions options;
  options.own_tgid = static_cast<uint32_t>(getpid());
  options.state_types = false;
  options.event_types.set(static_cast<size_t>(EventType::kOpenat));
  options.event_types.set(static_cast<size_t>(EventType::kProcExit));
  BULWARK_OPEN_SENSOR_OR_SKIP(sensor, options);
  const std::string sub = (dir_ / "sub").string();
  const std::string marker = (dir_ / "marker").string();
  std::vector<Seen> seen = RunAndCollect(*sensor, [&]() -> int {
    mkdir(sub.c_str(), 0700);
    if (chdir(sub.c_str()) != 0) return 1;
    for (int i = 0; i < 50; ++i) (void)getppid();
    int fd = static_cast<int>(syscall(SYS_openat, AT_FDCWD, marker.c_str(), O_RDONLY | O_CREAT, 0600));
    return fd >= 0 ? 0 : 2;
  });
  ASSERT_NE(Find(seen, EventType::kOpenat, [&](const Event& e) { return ArgText(e, "name") == marker; }), nullptr);
  for (const Seen& s : seen) {
    EXPECT_TRUE(s.evt.type == EventType::kOpenat || s.evt.type == EventType::kProcExit)
        << "unexpected " << EventTypeName(s.evt.type);
  }
  EXPECT_EQ(Find(seen, EventType::kMkdir), nullptr);
  EXPECT_EQ(Find(seen, EventType::kClose), nullptr);
  // Narrowing the set at run time works too: now not even openat.
  EventTypeSet only_exit;
  only_exit.set(static_cast<size_t>(EventType::kProcExit));
  ASSERT_TRUE(sensor->SetEventTypes(only_exit).ok());
  seen = RunAndCollect(*sensor, [&]() -> int {
    return syscall(SYS_openat, AT_FDCWD, marker.c_str(), O_RDONLY) >= 0 ? 0 : 1;
  });
  ASSERT_EQ(seen.size(), 1u) << "only the procexit";
  EXPECT_EQ(seen[0].evt.type, EventType::kProcExit);
}

TEST_F(BpfSensorTest, NeverReportsItsOwnProcess) {
  SensorOptions options;  // own_tgid defaults to this process
  options.event_types.set(static_cast<size_t>(EventType::kOpenat));
  BULWARK_OPEN_SENSOR_OR_SKIP(sensor, options);
  const std::string mine = (dir_ / "mine").string(), theirs = (dir_ / "theirs").string();
  for (int i = 0; i < 5; ++i) close(static_cast<int>(syscall(SYS_openat, AT_FDCWD, mine.c_str(), O_RDONLY | O_CREAT, 0600)));
  pid_t child = fork();
  if (child == 0) _exit(syscall(SYS_openat, AT_FDCWD, theirs.c_str(), O_RDONLY | O_CREAT, 0600) >= 0 ? 0 : 1);
  bool saw_child = false;
  Event evt;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!saw_child && std::chrono::steady_clock::now() < deadline) {
    auto next = sensor->Next(evt, std::chrono::milliseconds(100));
    ASSERT_TRUE(next.ok());
    if (*next != ReadOutcome::kEvent) continue;
    EXPECT_NE(evt.pid, getpid()) << "the sensor reported itself: " << EventTypeName(evt.type);
    const EventArg* name = evt.Arg("name");
    if (evt.pid == child && name && name->text == theirs) saw_child = true;
  }
  waitpid(child, nullptr, 0);
  EXPECT_TRUE(saw_child);
}

TEST_F(BpfSensorTest, CountsDropsByCategoryWhenTheRingBufferIsFull) {
  SensorOptions options;
  options.own_tgid = static_cast<uint32_t>(getpid());
  options.ring_bytes = static_cast<size_t>(getpagesize());  // one page: fills at once
  BULWARK_OPEN_SENSOR_OR_SKIP(sensor, options);
  auto before = sensor->Stats();
  ASSERT_TRUE(before.ok()) << before.status().message();
  const std::string file = (dir_ / "f").string();
  pid_t pid = fork();
  if (pid == 0) {
    for (int i = 0; i < 500; ++i) close(open(file.c_str(), O_RDONLY | O_CREAT, 0600));
    _exit(0);
  }
  int st = 0;
  waitpid(pid, &st, 0);
  auto after = sensor->Stats();
  ASSERT_TRUE(after.ok());
  EXPECT_GT(after->n_evts, before->n_evts);
  EXPECT_GT(after->n_drops_buffer, 0u);
  EXPECT_GT(after->n_drops_category[BW_CAT_OPEN], 0u);
  EXPECT_GT(after->n_drops_category[BW_CAT_CLOSE], 0u);
  uint64_t by_category = 0;
  for (uint64_t n : after->n_drops_category) by_category += n;
  EXPECT_EQ(by_category, after->n_drops_buffer);
  EXPECT_EQ(DropCategoryName(BW_CAT_OPEN), "open");
  // What did fit is still readable.
  Event evt;
  auto next = sensor->Next(evt, std::chrono::milliseconds(100));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, ReadOutcome::kEvent);
}

TEST(BpfSensorOptions, RefusesARingBufferThatIsNotAPowerOfTwo) {
  if (!CheckBpfSupport().ok()) GTEST_SKIP() << "*** eBPF UNAVAILABLE: " << CheckBpfSupport().message();
  SensorOptions options;
  options.ring_bytes = 3 * 4096;
  auto opened = BpfSensor::Open(options);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), core::ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace bulwark::runtime::sensor
