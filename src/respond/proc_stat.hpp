// Parsers of the small per-process files of procfs: /proc/PID/stat,
// /proc/PID/status, /proc/PID/cmdline and /proc/PID/cgroup, and the boot
// time in /proc/stat. Each takes the file's text, so tests and the fuzzer
// feed them crafted input; each is bounded and never trusts a field (a
// process names itself: comm may hold spaces, parentheses and bytes that
// are not UTF-8). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "respond/live_types.hpp"

namespace bulwark::respond {

inline constexpr size_t kMaxArgs = 1024;
inline constexpr size_t kMaxArgBytes = 4096;     // one argument, then cut
inline constexpr size_t kMaxCmdlineBytes = 128 * 1024;

struct ProcStat {
  int pid = 0;
  std::string comm;
  char state = '?';
  int ppid = 0;
  uint64_t start_ticks = 0;
};

// "PID (COMM) STATE PPID ... STARTTIME ...". comm is everything between the
// first '(' and the last ')', so "a) (b" survives. kParseError when the
// line has no pid, no parentheses or too few fields.
core::Result<ProcStat> ParseProcStat(std::string_view text);

struct ProcStatus {
  std::string name;
  int tgid = 0;
  int ppid = 0;
  ProcIds uid;
  ProcIds gid;
};

// Name:, Tgid:, PPid:, Uid:, Gid:. Missing or bad fields stay at their
// defaults (-1 for IDs).
ProcStatus ParseProcStatus(std::string_view text);

// NUL-separated arguments; a trailing NUL ends the list, and empty trailing
// arguments (an argv area blanked to rewrite it) are dropped. At most kMaxArgs
// arguments of kMaxArgBytes each; `truncated` says when a bound cut it.
std::vector<std::string> ParseCmdline(std::string_view bytes, bool& truncated);

// The 64-hex container ID in a /proc/PID/cgroup file (cgroup v1 or v2,
// cgroupfs or systemd driver: "/docker/ID", "docker-ID.scope",
// "cri-containerd-ID.scope", "crio-ID", "libpod-ID"); nullopt when none.
std::optional<std::string> ContainerIdFromCgroup(std::string_view text);

// "btime N" of /proc/stat.
std::optional<int64_t> ParseBootTime(std::string_view proc_stat);

}  // namespace bulwark::respond
