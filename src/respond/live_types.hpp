// The facts `bulwark triage PID` gathers about one live process, as plain
// values: identity, command line, executable, parent chain, open files and
// sockets, a summary of its memory maps, its container and the signs that
// feed the verdict. Everything in here came from the process and is
// untrusted text (a process chooses its own name and argv); renderers
// escape it. Value types; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bulwark::respond {

// Real, effective, saved and filesystem IDs (/proc/PID/status Uid:/Gid:).
struct ProcIds {
  int64_t real = -1;
  int64_t effective = -1;
  int64_t saved = -1;
  int64_t fs = -1;
};

struct ParentLink {
  int pid = 0;
  std::string comm;
  std::string exe;  // empty for kernel threads or when unreadable
};

struct OpenFile {
  int fd = -1;
  std::string target;  // the fd's link text: a path, "pipe:[N]", "socket:[N]", ...
};

struct SocketInfo {
  int fd = -1;
  uint64_t inode = 0;
  std::string proto;   // tcp, tcp6, udp, udp6, unix; "socket" when not found in any table
  std::string local;   // "127.0.0.1:41234", "[::1]:80"; the path for unix sockets
  std::string remote;  // empty when not connected
  int local_port = 0;
  int remote_port = 0;
  std::string state;   // ESTABLISHED, LISTEN, ... (unix: CONNECTED, UNCONNECTED, ...)
};

// An executable or writable+executable memory region, or a file's
// executable regions grouped (count and total size).
struct ExecRegion {
  std::string path;   // file path, "[anon]", "memfd:NAME (deleted)", "[heap]", ...
  std::string perms;  // "r-xp", "rwxp"
  uint64_t start = 0;
  uint64_t size = 0;
  int regions = 1;
};

struct MapsSummary {
  size_t regions = 0;                   // mappings read
  size_t malformed = 0;                 // lines that did not parse
  bool truncated = false;               // stopped at the bound
  std::vector<ExecRegion> file_exec;    // executable file mappings, one per file
  std::vector<ExecRegion> anon_exec;    // anonymous executable regions (not [vdso] / [vsyscall])
  std::vector<ExecRegion> memfd_exec;   // executable regions backed by a memfd
  std::vector<ExecRegion> writable_exec;  // rwx regions of any kind
};

struct ContainerRef {
  std::string id;     // 64 hex digits, from the cgroup or the Engine API
  std::string name;   // from the Engine API; empty when not reachable
  std::string image;  // Config.Image
  int init_pid = 0;   // State.Pid (host PID namespace)
};

// A process-level observation that feeds the verdict: `signal` is an ID of
// the scoring table (verdict.cpp).
struct ProcessSign {
  std::string signal;
  std::string what;
  std::string where;
};

struct ProcessFacts {
  int pid = 0;
  int ppid = 0;
  std::string comm;
  char state = '?';
  std::vector<std::string> argv;
  bool argv_truncated = false;
  std::string exe;           // link text of /proc/PID/exe, " (deleted)" removed
  bool exe_deleted = false;
  bool has_exe = false;      // false for kernel threads (no exe link)
  std::string cwd;
  ProcIds uid;
  ProcIds gid;
  uint64_t start_ticks = 0;       // starttime of /proc/PID/stat, clock ticks after boot
  int64_t start_time_unix = 0;    // 0 when the boot time is unknown
  std::vector<ParentLink> parents;  // parent first, up to PID 1
  size_t fd_count = 0;
  bool fds_truncated = false;
  std::vector<OpenFile> files;      // every fd that is not a socket
  std::vector<SocketInfo> sockets;
  MapsSummary maps;
  std::optional<ContainerRef> container;
  std::vector<ProcessSign> signs;
  std::vector<std::string> notes;  // what could not be read, and why
};

}  // namespace bulwark::respond
