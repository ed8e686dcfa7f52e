// Dropping capabilities after the sensor is loaded: in a child process (the
// drop is process-wide), the effective and bounding sets shrink to the kept
// ones, the loaded sensor still reads events and changes its syscall table,
// and /proc of another user's process is still readable.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/capability.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "runtime/sensor/bpf_sensor.hpp"
#include "runtime/sensor/privileges.hpp"

namespace bulwark::runtime::sensor {
namespace {

uint64_t StatusMask(const std::string& key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return std::stoull(line.substr(key.size()), nullptr, 16);
  }
  return ~0ULL;
}

uint64_t MaskOf(const std::vector<std::string>& names) {
  uint64_t mask = 0;
  for (const std::string& n : names) {
    cap_value_t v = 0;
    if (cap_from_name(n.c_str(), &v) == 0) mask |= 1ULL << v;
  }
  return mask;
}

// Runs `body` in a child; its return value is the child's exit code.
int InChild(const std::function<int()>& body) {
  pid_t pid = fork();
  if (pid == 0) _exit(body());
  int st = 0;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 100;
}

TEST(DropPrivileges, KeepsOnlyTheSensorsCapabilities) {
  if (geteuid() != 0) GTEST_SKIP() << "*** NOT ROOT: capability drop test not run ***";
  // A process of another user whose /proc entries are 0400 / 0500.
  pid_t nobody = fork();
  if (nobody == 0) {
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(1);
    pause();
    _exit(0);
  }
  usleep(50000);
  int code = InChild([&]() -> int {
    auto kept = DropPrivileges();
    if (!kept.ok()) return 2;
    if (kept->empty()) return 3;
    uint64_t want = MaskOf(*kept);
    if (StatusMask("CapEff:") != want) return 4;
    if (StatusMask("CapPrm:") != want) return 5;
    if (StatusMask("CapBnd:") & ~want) return 6;
    if (StatusMask("CapEff:") & (1ULL << CAP_NET_ADMIN)) return 7;
    if (EffectiveCapabilities().size() != kept->size()) return 8;
    std::ifstream env("/proc/" + std::to_string(nobody) + "/environ");
    if (!env) return 9;  // needs CAP_DAC_READ_SEARCH + CAP_SYS_PTRACE
    std::string target(256, '\0');
    if (readlink(("/proc/" + std::to_string(nobody) + "/fd/0").c_str(), target.data(), target.size()) < 0) {
      return 10;
    }
    // Without them, the same read fails: the kept set is not too generous.
    auto fewer = DropPrivileges({"cap_bpf"});
    if (!fewer.ok()) return 11;
    std::ifstream env2("/proc/" + std::to_string(nobody) + "/environ");
    if (env2.good() && env2.peek() != EOF) return 12;
    return 0;
  });
  kill(nobody, SIGKILL);
  waitpid(nobody, nullptr, 0);
  EXPECT_EQ(code, 0) << "child failed at check " << code;
}

TEST(DropPrivileges, UnknownNamesAreRefusedBeforeAnythingIsDropped) {
  auto r = DropPrivileges({"cap_no_such_thing"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(StatusMask("CapEff:"), StatusMask("CapEff:"));
}

TEST(DropPrivileges, TheLoadedSensorKeepsWorking) {
  if (!CheckBpfSupport().ok()) {
    GTEST_SKIP() << "\n*** eBPF IS UNAVAILABLE HERE, TEST NOT RUN: " << CheckBpfSupport().message();
  }
  int code = InChild([]() -> int {
    SensorOptions options;
    options.own_tgid = 0;  // this child reads its own events
    options.event_types.set(static_cast<size_t>(EventType::kOpenat));
    auto sensor = BpfSensor::Open(options);
    if (!sensor.ok()) return 2;
    if (!DropPrivileges().ok()) return 3;
    if (StatusMask("CapEff:") & (1ULL << CAP_SYS_ADMIN)) return 4;
    EventTypeSet types;
    types.set(static_cast<size_t>(EventType::kOpenat));
    if (!(*sensor)->SetEventTypes(types).ok()) return 5;
    const char* marker = "/tmp/bw_priv_marker_never_exists";
    syscall(SYS_openat, AT_FDCWD, marker, O_RDONLY);
    Event evt;
    for (int i = 0; i < 2000; ++i) {
      auto next = (*sensor)->Next(evt, std::chrono::milliseconds(50));
      if (!next.ok()) return 6;
      if (*next != ReadOutcome::kEvent) continue;
      const EventArg* name = evt.Arg("name");
      if (evt.pid == getpid() && name && name->text == marker) return (*sensor)->Stats().ok() ? 0 : 7;
    }
    return 8;
  });
  EXPECT_EQ(code, 0) << "child failed at check " << code;
}

}  // namespace
}  // namespace bulwark::runtime::sensor
