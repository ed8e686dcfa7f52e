// The two ways syscall exits reach the sensor: per-syscall tracepoints (the
// default) and raw_syscalls (--raw-syscalls). Both must report the same
// events; the per-syscall hook attaches to the interesting syscalls only and
// names those it cannot see. Root and BPF are needed (CI has both).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "runtime/sensor/bpf_sensor.hpp"
#include "runtime/sensor/syscall_tracepoints.hpp"
#include "sensor_test_util.hpp"

namespace bulwark::runtime::sensor {
namespace {

using testing::RunAndCollect;
using testing::Seen;

constexpr int kNrFinitModule = 313;

bool SawOpenOf(const std::vector<Seen>& seen, const std::string& path) {
  for (const Seen& s : seen) {
    const EventArg* name = s.evt.Arg("name");
    if (s.evt.type == EventType::kOpenat && name && name->text == path) return true;
  }
  return false;
}

bool Saw(const std::vector<Seen>& seen, EventType type) {
  for (const Seen& s : seen) {
    if (s.evt.type == type) return true;
  }
  return false;
}

// The child's syscalls: an open, a close, and a module load that fails
// (fd -1: EBADF, or ENOSYS on a kernel built without modules).
int Workload(const std::string& path) {
  int fd = static_cast<int>(syscall(SYS_openat, AT_FDCWD, path.c_str(), O_RDONLY | O_CREAT, 0600));
  if (fd < 0) return 1;
  close(fd);
  (void)syscall(kNrFinitModule, -1, "", 0);
  return 0;
}

SensorOptions Options(SyscallHook hook) {
  SensorOptions options;
  options.own_tgid = static_cast<uint32_t>(getpid());
  options.hook = hook;
  options.event_types.set(static_cast<size_t>(EventType::kFinitModule));
  return options;
}

std::string TempPath(const char* what) {
  return (std::filesystem::temp_directory_path() / (std::string("bw_hook_") + what + "_" +
                                                    std::to_string(getpid())))
      .string();
}

bool KernelHasTracepoint(const std::string& name) {
  std::error_code ec;
  return std::filesystem::exists("/sys/kernel/tracing/events/syscalls/sys_exit_" + name, ec) ||
         std::filesystem::exists("/sys/kernel/debug/tracing/events/syscalls/sys_exit_" + name, ec);
}

TEST(SyscallHook, PerSyscallTracepointsReportTheInterestingSyscalls) {
  BULWARK_OPEN_SENSOR_OR_SKIP(sensor, Options(SyscallHook::kPerSyscall));
  EXPECT_EQ(sensor->Hook(), SyscallHook::kPerSyscall);
  EXPECT_TRUE(sensor->HookFallbackReason().empty());
  const std::string path = TempPath("per");
  std::vector<Seen> seen = RunAndCollect(*sensor, [&] { return Workload(path); });
  std::filesystem::remove(path);
  EXPECT_TRUE(SawOpenOf(seen, path));
  EXPECT_TRUE(Saw(seen, EventType::kClose));
  EXPECT_TRUE(Saw(seen, EventType::kProcExit));
  // Module loading is seen exactly when the kernel has its tracepoint, and
  // named as untraced otherwise.
  const bool traceable = KernelHasTracepoint("finit_module");
  EXPECT_EQ(Saw(seen, EventType::kFinitModule), traceable);
  const std::vector<std::string> untraced = sensor->UntracedSyscalls();
  EXPECT_EQ(std::find(untraced.begin(), untraced.end(), "finit_module") == untraced.end(), traceable);
}

TEST(SyscallHook, RawSyscallsReportTheSameAndWhatHasNoTracepoint) {
  BULWARK_OPEN_SENSOR_OR_SKIP(sensor, Options(SyscallHook::kRaw));
  EXPECT_EQ(sensor->Hook(), SyscallHook::kRaw);
  EXPECT_TRUE(sensor->UntracedSyscalls().empty());
  const std::string path = TempPath("raw");
  std::vector<Seen> seen = RunAndCollect(*sensor, [&] { return Workload(path); });
  std::filesystem::remove(path);
  EXPECT_TRUE(SawOpenOf(seen, path));
  EXPECT_TRUE(Saw(seen, EventType::kClose));
  EXPECT_TRUE(Saw(seen, EventType::kFinitModule));
}

TEST(SyscallHook, AutoChoosesPerSyscallTracepointsWhenTracefsHasThem) {
  BULWARK_OPEN_SENSOR_OR_SKIP(sensor, Options(SyscallHook::kAuto));
  std::string why;
  const bool available = !SyscallEventsDir(why).empty();
  EXPECT_EQ(sensor->Hook(), available ? SyscallHook::kPerSyscall : SyscallHook::kRaw) << why;
  EXPECT_EQ(sensor->HookFallbackReason().empty(), available);
}

// With no rule on fcntl or close, they are state-only: the kernel sends
// only the fcntl that duplicates (the tables ignore the rest), and no clock
// read; the decoder gives such records the previous record's time.
TEST(SyscallHook, StateOnlySyscallsSkipWhatTheTablesIgnore) {
  SensorOptions options;
  options.own_tgid = static_cast<uint32_t>(getpid());
  BULWARK_OPEN_SENSOR_OR_SKIP(sensor, options);
  std::vector<Seen> seen = RunAndCollect(*sensor, [] {
    if (fcntl(0, F_GETFL) < 0) return 1;
    int copy = fcntl(0, F_DUPFD, 40);
    if (copy < 0) return 2;
    close(copy);
    return 0;
  });
  int fcntls = 0;
  uint64_t last_ts = 0;
  for (const Seen& s : seen) {
    EXPECT_GE(s.evt.ts_ns, last_ts) << EventTypeName(s.evt.type);
    EXPECT_NE(s.evt.ts_ns, 0u);
    last_ts = s.evt.ts_ns;
    if (s.evt.type != EventType::kFcntl) continue;
    ++fcntls;
    const EventArg* cmd = s.evt.Arg("cmd");
    ASSERT_NE(cmd, nullptr);
    EXPECT_EQ(cmd->num, F_DUPFD);
    EXPECT_GE(s.evt.res, 40);
  }
  EXPECT_EQ(fcntls, 1);
  EXPECT_TRUE(Saw(seen, EventType::kClose));
}

TEST(SyscallHook, TracepointNamesFollowTheKernelsSyscallNames) {
  EXPECT_EQ(TracepointSyscallName(257), "openat");
  EXPECT_EQ(TracepointSyscallName(3), "close");
  EXPECT_EQ(TracepointSyscallName(166), "umount");  // umount2's tracepoint
  EXPECT_EQ(TracepointSyscallName(9999), "");
}

}  // namespace
}  // namespace bulwark::runtime::sensor
