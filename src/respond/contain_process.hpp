// One host process named with `contain --pid`: pinned when contain starts
// (a pidfd and a /proc/PID directory descriptor, so a PID reused later can
// never be confused with it), checked to belong to the container, its /proc
// facts saved as evidence (cmdline, status, exe and cwd links, maps, fd
// links, and a copy of the executable read through /proc/PID/exe, which
// works when the file was deleted), then killed with SIGKILL through the
// pidfd. Everything read from /proc is untrusted and bounded.
// Not thread-safe: one object per process, owned by one run.
#pragma once

#include <string>
#include <vector>

#include "core/status.hpp"
#include "respond/contain_evidence.hpp"
#include "respond/contain_types.hpp"

namespace bulwark::respond {

inline constexpr uint64_t kMaxExecutableCopy = uint64_t{1} << 30;

class TargetProcess {
 public:
  // kNotFound when no such process; `proc_root` is normally "/proc".
  static core::Result<TargetProcess> Open(int pid, const std::string& proc_root);

  int pid() const { return pid_; }
  // In the container when its PID is in the container's process list
  // (`top_pids`, host PIDs) or its cgroup names the container's full ID.
  // The reason in words either way.
  bool BelongsTo(const std::string& container_id, const std::vector<int>& top_pids,
                 std::string* why) const;
  // Saves the facts under process-<pid>/ in `evidence`; what could not be
  // read is listed in `problems` (the rest is still saved).
  std::vector<EvidenceFile> SaveEvidence(EvidenceDir& evidence, std::vector<std::string>& problems) const;
  // SIGKILL, then waits up to `wait_ms` for the process to be gone.
  core::Status Kill(int wait_ms) const;
  // The process name from status (untrusted), for messages.
  std::string Name() const;

 private:
  TargetProcess(int pid, UniqueFd pidfd, UniqueFd proc_dir)
      : pid_(pid), pidfd_(std::move(pidfd)), proc_dir_(std::move(proc_dir)) {}

  int pid_;
  UniqueFd pidfd_;
  UniqueFd proc_dir_;
};

}  // namespace bulwark::respond
