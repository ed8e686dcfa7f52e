#include "respond/contain_process.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>

namespace bulwark::respond {
namespace {

constexpr size_t kMaxProcText = size_t{16} << 20;  // maps of a big process
constexpr int kMaxFds = 4096;

int PidfdOpen(int pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }

int PidfdSendSignal(int pidfd, int sig) {
  return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0));
}

// Reads a /proc file relative to the process directory, bounded.
core::Result<std::string> ReadProcFile(int dir, const char* name) {
  UniqueFd fd(openat(dir, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd.valid()) return ErrnoError(name, errno);
  std::string text;
  char buffer[8192];
  for (;;) {
    ssize_t n = read(fd.get(), buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError(name, errno);
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > kMaxProcText) return core::Error(core::ErrorCode::kTooLarge, std::string(name) + ": too large");
  }
  return text;
}

core::Result<std::string> ReadLink(int dir, const char* name) {
  char target[4096];
  ssize_t n = readlinkat(dir, name, target, sizeof(target) - 1);
  if (n < 0) return ErrnoError(std::string(name) + " link", errno);
  return std::string(target, static_cast<size_t>(n));
}

// "0 -> /dev/null" lines for every open descriptor.
core::Result<std::string> FdLinks(int proc_dir) {
  UniqueFd fd_dir(openat(proc_dir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd_dir.valid()) return ErrnoError("fd", errno);
  DIR* dir = fdopendir(fd_dir.get());
  if (dir == nullptr) return ErrnoError("fd", errno);
  int dir_fd = fd_dir.Release();  // closedir owns it now
  std::vector<std::pair<long, std::string>> entries;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.' || static_cast<int>(entries.size()) >= kMaxFds) continue;
    auto target = ReadLink(dir_fd, entry->d_name);
    entries.emplace_back(std::strtol(entry->d_name, nullptr, 10), target.ok() ? *target : "?");
  }
  closedir(dir);
  std::sort(entries.begin(), entries.end());
  std::string text;
  for (const auto& [number, target] : entries) text += std::to_string(number) + " -> " + target + "\n";
  return text;
}

}  // namespace

core::Result<TargetProcess> TargetProcess::Open(int pid, const std::string& proc_root) {
  if (pid <= 0) return core::Error(core::ErrorCode::kInvalidArgument, "PID must be positive");
  UniqueFd pidfd(PidfdOpen(pid));
  if (!pidfd.valid()) {
    if (errno == ESRCH) return core::Error(core::ErrorCode::kNotFound, "no process " + std::to_string(pid));
    return ErrnoError("pidfd_open " + std::to_string(pid), errno);
  }
  std::string dir_path = proc_root + "/" + std::to_string(pid);
  UniqueFd dir(open(dir_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid()) return ErrnoError(dir_path, errno);
  // The directory was opened after the pidfd: if the PID was reused in
  // between, the pidfd's process is gone and signalling it says so.
  if (PidfdSendSignal(pidfd.get(), 0) != 0) return core::Error(core::ErrorCode::kNotFound, "process " + std::to_string(pid) + " exited");
  return TargetProcess(pid, std::move(pidfd), std::move(dir));
}

bool TargetProcess::BelongsTo(const std::string& container_id, const std::vector<int>& top_pids,
                              std::string* why) const {
  if (std::find(top_pids.begin(), top_pids.end(), pid_) != top_pids.end()) {
    *why = "listed by the container's top";
    return true;
  }
  auto cgroup = ReadProcFile(proc_dir_.get(), "cgroup");
  if (cgroup.ok() && container_id.size() == 64 && cgroup->find(container_id) != std::string::npos) {
    *why = "its cgroup names the container";
    return true;
  }
  *why = "PID " + std::to_string(pid_) + " is not a process of this container (not in its top, not in its cgroup)";
  return false;
}

std::string TargetProcess::Name() const {
  auto status = ReadProcFile(proc_dir_.get(), "status");
  if (!status.ok() || status->compare(0, 5, "Name:") != 0) return "";
  size_t start = status->find_first_not_of(" \t", 5);
  size_t end = status->find('\n');
  if (start == std::string::npos || end == std::string::npos || start > end) return "";
  return status->substr(start, end - start);
}

std::vector<EvidenceFile> TargetProcess::SaveEvidence(EvidenceDir& evidence,
                                                      std::vector<std::string>& problems) const {
  std::vector<EvidenceFile> saved;
  std::string dir = "process-" + std::to_string(pid_);
  if (core::Status made = evidence.MakeDir(dir); !made.ok()) {
    problems.push_back(made.message());
    return saved;
  }
  auto keep = [&](const std::string& name, const core::Result<std::string>& text) {
    if (!text.ok()) {
      problems.push_back(text.status().message());
      return;
    }
    auto file = evidence.WriteFile(dir + "/" + name, *text);
    if (file.ok()) saved.push_back(*file);
    else problems.push_back(file.status().message());
  };
  keep("cmdline", ReadProcFile(proc_dir_.get(), "cmdline"));
  keep("status", ReadProcFile(proc_dir_.get(), "status"));
  keep("exe.link", ReadLink(proc_dir_.get(), "exe"));
  keep("cwd.link", ReadLink(proc_dir_.get(), "cwd"));
  keep("maps", ReadProcFile(proc_dir_.get(), "maps"));
  keep("fd.links", FdLinks(proc_dir_.get()));
  UniqueFd exe(openat(proc_dir_.get(), "exe", O_RDONLY | O_CLOEXEC));
  if (!exe.valid()) {
    problems.push_back(ErrnoError("exe", errno).message());
  } else {
    auto copy = evidence.CopyFrom(exe.get(), dir + "/exe", kMaxExecutableCopy);
    if (copy.ok()) saved.push_back(*copy);
    else problems.push_back("exe copy: " + copy.status().message());
  }
  return saved;
}

core::Status TargetProcess::Kill(int wait_ms) const {
  if (PidfdSendSignal(pidfd_.get(), SIGKILL) != 0) {
    if (errno == ESRCH) return core::Error(core::ErrorCode::kNotFound, "the process had already exited");
    return ErrnoError("SIGKILL", errno);
  }
  // A pidfd turns readable when its process has exited.
  pollfd pfd{pidfd_.get(), POLLIN, 0};
  int ready = poll(&pfd, 1, wait_ms);
  if (ready <= 0) {
    return core::Error(core::ErrorCode::kUnavailable,
                       "SIGKILL sent but the process still runs after " + std::to_string(wait_ms) + " ms (frozen?)");
  }
  return core::Status::Ok();
}

}  // namespace bulwark::respond
