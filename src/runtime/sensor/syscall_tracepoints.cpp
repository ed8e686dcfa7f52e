#include "runtime/sensor/syscall_tracepoints.hpp"

#include <bpf/libbpf.h>
#include <errno.h>
#include <sys/mount.h>

#include <cstring>
#include <filesystem>
#include <set>
#include <thread>

#include "runtime/event/event.hpp"
#include "runtime/sensor/syscall_table.hpp"

namespace bulwark::runtime::sensor {
namespace {

namespace fs = std::filesystem;

// Where libbpf 1.x looks for tracepoint IDs: debugfs's copy first.
constexpr const char* kDebugfsTracing = "/sys/kernel/debug/tracing";
constexpr const char* kTracefs = "/sys/kernel/tracing";

// Closing a tracepoint's perf event waits for an RCU grace period (~70 ms
// here), and one after the other that is seconds at exit: closed together,
// they share the wait.
void DestroyTogether(const std::vector<bpf_link*>& links) {
  std::vector<std::thread> closers;
  closers.reserve(links.size());
  for (bpf_link* link : links) closers.emplace_back([link] { bpf_link__destroy(link); });
  for (std::thread& t : closers) t.join();
}

bool HasSyscallEvents(const std::string& tracing) {
  std::error_code ec;
  return fs::exists(tracing + "/events/syscalls/sys_exit_close/id", ec);
}

}  // namespace

std::string SyscallEventsDir(std::string& why) {
  std::error_code ec;
  if (fs::exists(kDebugfsTracing, ec)) {
    if (HasSyscallEvents(kDebugfsTracing)) return std::string(kDebugfsTracing) + "/events/syscalls";
    why = std::string(kDebugfsTracing) + " has no syscalls:sys_exit_* events (kernel without CONFIG_FTRACE_SYSCALLS?)";
    return "";
  }
  if (!fs::exists(std::string(kTracefs) + "/events", ec) &&
      mount("nodev", kTracefs, "tracefs", 0, nullptr) != 0) {
    why = std::string("tracefs is not mounted and mounting it on ") + kTracefs +
          " failed: " + std::strerror(errno);
    return "";
  }
  if (HasSyscallEvents(kTracefs)) return std::string(kTracefs) + "/events/syscalls";
  why = std::string(kTracefs) + " has no syscalls:sys_exit_* events (kernel without CONFIG_FTRACE_SYSCALLS?)";
  return "";
}

std::string TracepointSyscallName(uint16_t nr) {
  const SyscallSpec* spec = FindSyscall(nr);
  if (!spec) return "";
  std::string name(EventTypeName(spec->type));
  if (name == "umount2") return "umount";  // SYSCALL_DEFINE2(umount, ...)
  return name;
}

SyscallTracepoints::~SyscallTracepoints() {
  std::vector<bpf_link*> all;
  for (auto& [nr, link] : links_) all.push_back(link);
  DestroyTogether(all);
}

core::Status SyscallTracepoints::Sync(const std::vector<uint16_t>& wanted) {
  const std::set<uint16_t> want(wanted.begin(), wanted.end());
  std::vector<bpf_link*> unwanted;
  for (auto it = links_.begin(); it != links_.end();) {
    if (want.count(it->first)) {
      ++it;
      continue;
    }
    unwanted.push_back(it->second);
    it = links_.erase(it);
  }
  DestroyTogether(unwanted);
  untraced_.clear();
  for (uint16_t nr : want) {
    if (links_.count(nr)) continue;
    const std::string name = TracepointSyscallName(nr);
    std::error_code ec;
    if (name.empty() || !fs::exists(events_dir_ + "/sys_exit_" + name + "/id", ec)) {
      untraced_.push_back(name.empty() ? "syscall " + std::to_string(nr) : name);
      continue;
    }
    bpf_link* link = bpf_program__attach_tracepoint(program_, "syscalls", ("sys_exit_" + name).c_str());
    if (!link) {
      const int err = errno;
      return core::Error(core::ErrorCode::kUnavailable, "eBPF sensor: attaching to syscalls:sys_exit_" +
                                                            name + " failed: " + std::strerror(err));
    }
    links_[nr] = link;
  }
  return core::Status::Ok();
}

}  // namespace bulwark::runtime::sensor
