// Reads what the state tables need about one process from procfs: stat,
// status, cmdline, environ, exe, cwd, loginuid, cgroup and the fd links.
// Used to build the tables at start and to fill in a process the sensor
// missed (rate-limited by the caller). Every file read is bounded; a process
// that vanishes half-way yields what was read or nothing. `proc_root` is
// "/proc" except in tests. Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/event/state.hpp"

namespace bulwark::runtime::sensor {

struct ProcSnapshot {
  Process proc;
  std::string cgroup;    // memory controller (v1) or unified (v2) path
  std::vector<Fd> fds;   // bounded by the caller's limit
};

struct ProcReadOptions {
  std::string proc_root = "/proc";
  size_t max_fds = 4096;
  size_t max_args_bytes = 4096;
  size_t max_env_entries = 128;
  int64_t boot_to_realtime_ns = 0;  // to turn start times into wall-clock ns
};

// nullopt when the process does not exist (or its stat cannot be read).
std::optional<ProcSnapshot> ReadProc(int64_t pid, const ProcReadOptions& options);

// Thread-group IDs under proc_root, at most `max`.
std::vector<int64_t> ListPids(const std::string& proc_root, size_t max);

// Parses /proc/<pid>/stat into `p` (pid, comm, ppid, pgid, sid, tty); the
// start time in clock ticks goes to `start_ticks`. False when malformed.
bool ParseProcStat(const std::string& text, Process& p, uint64_t& start_ticks);

// Fills uid/gid/euid/egid, capabilities and vpid from /proc/<pid>/status.
void ParseProcStatus(const std::string& text, Process& p);

// An fd from its /proc/<pid>/fd link text ("/etc/passwd", "socket:[123]").
Fd FdFromLink(int64_t num, const std::string& link);

}  // namespace bulwark::runtime::sensor
