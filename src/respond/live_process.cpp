#include "respond/live_process.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <cstring>
#include <map>

#include "respond/proc_maps.hpp"
#include "respond/proc_net.hpp"
#include "respond/proc_stat.hpp"

namespace bulwark::respond {
namespace {

constexpr std::string_view kDeleted = " (deleted)";

std::string PidDir(const ProcReadOptions& o, int pid) { return o.proc_root + "/" + std::to_string(pid); }

// Link text of exe with " (deleted)" taken off; has_exe false when none.
void ReadExe(const std::string& dir, ProcessFacts& p) {
  auto exe = ReadLink(dir + "/exe");
  if (!exe) return;
  p.has_exe = true;
  if (exe->size() > kDeleted.size() && exe->compare(exe->size() - kDeleted.size(), kDeleted.size(), kDeleted) == 0) {
    exe->resize(exe->size() - kDeleted.size());
    p.exe_deleted = true;
  }
  p.exe = std::move(*exe);
}

void ReadIdentity(const std::string& dir, const ProcStat& st, ProcessFacts& p, const ProcReadOptions& o) {
  p.pid = st.pid;
  p.ppid = st.ppid;
  p.comm = st.comm;
  p.state = st.state;
  p.start_ticks = st.start_ticks;
  if (auto status = ReadProcFile(dir + "/status", 64 * 1024)) {
    ProcStatus s = ParseProcStatus(*status);
    p.uid = s.uid;
    p.gid = s.gid;
  } else {
    p.notes.push_back("status unreadable: no uid/gid");
  }
  if (auto cmdline = ReadProcFile(dir + "/cmdline", kMaxCmdlineBytes + 1)) {
    p.argv = ParseCmdline(*cmdline, p.argv_truncated);
  }
  ReadExe(dir, p);
  if (auto cwd = ReadLink(dir + "/cwd")) p.cwd = *cwd;
  long ticks = ::sysconf(_SC_CLK_TCK);
  auto stat = ReadProcFile(o.proc_root + "/stat", 1 << 20);
  auto btime = stat ? ParseBootTime(*stat) : std::nullopt;
  if (btime && ticks > 0) p.start_time_unix = *btime + static_cast<int64_t>(p.start_ticks / static_cast<uint64_t>(ticks));
}

void ReadParents(int ppid, const ProcReadOptions& o, ProcessFacts& p) {
  int next = ppid;
  while (next > 0 && p.parents.size() < kMaxParents) {
    std::string dir = PidDir(o, next);
    auto text = ReadProcFile(dir + "/stat", 4096);
    auto st = text ? ParseProcStat(*text) : core::Result<ProcStat>(core::Error(core::ErrorCode::kNotFound, ""));
    if (!st.ok()) {
      p.notes.push_back("parent " + std::to_string(next) + " vanished or unreadable");
      return;
    }
    ParentLink link{next, st->comm, ReadLink(dir + "/exe").value_or("")};
    p.parents.push_back(std::move(link));
    if (next == 1) return;
    if (st->ppid == next) return;  // a loop in a crafted tree
    next = st->ppid;
  }
}

// The process's socket tables, by inode.
std::map<uint64_t, SocketInfo> SocketTables(const std::string& dir) {
  std::map<uint64_t, SocketInfo> out;
  struct Table { const char* name; bool v6; bool udp; };
  for (const Table& t : {Table{"tcp", false, false}, Table{"tcp6", true, false}, Table{"udp", false, true},
                         Table{"udp6", true, true}}) {
    auto text = ReadProcFile(dir + "/net/" + t.name);
    if (!text) continue;
    for (auto& e : ParseNetInet(*text, t.v6, t.udp)) {
      out[e.inode] = SocketInfo{-1, e.inode, t.name, e.local, e.remote, e.local_port, e.remote_port, e.state};
    }
  }
  if (auto text = ReadProcFile(dir + "/net/unix")) {
    for (auto& e : ParseNetUnix(*text)) {
      out.emplace(e.inode, SocketInfo{-1, e.inode, "unix", e.path, "", 0, 0, e.state + " " + e.type});
    }
  }
  return out;
}

std::vector<int> FdNumbers(const std::string& dir, bool& truncated, bool& readable) {
  std::vector<int> fds;
  DIR* d = ::opendir((dir + "/fd").c_str());
  readable = d != nullptr;
  if (!d) return fds;
  while (struct dirent* ent = ::readdir(d)) {
    int fd = -1;
    std::string_view name = ent->d_name;
    auto [ptr, ec] = std::from_chars(name.data(), name.data() + name.size(), fd);
    if (ec != std::errc() || ptr != name.data() + name.size() || fd < 0) continue;
    if (fds.size() == kMaxFds) {
      truncated = true;
      break;
    }
    fds.push_back(fd);
  }
  ::closedir(d);
  std::sort(fds.begin(), fds.end());
  return fds;
}

void ReadFds(const std::string& dir, ProcessFacts& p) {
  bool readable = false;
  std::vector<int> fds = FdNumbers(dir, p.fds_truncated, readable);
  if (!readable) {
    p.notes.push_back("fd directory unreadable: no open files or sockets");
    return;
  }
  p.fd_count = fds.size();
  std::map<uint64_t, SocketInfo> tables;
  bool tables_read = false;
  for (int fd : fds) {
    auto link = ReadLink(dir + "/fd/" + std::to_string(fd));
    if (!link) continue;  // closed meanwhile
    auto inode = SocketInode(*link);
    if (!inode) {
      p.files.push_back({fd, std::move(*link)});
      continue;
    }
    if (!tables_read) {
      tables = SocketTables(dir);
      tables_read = true;
    }
    auto it = tables.find(*inode);
    SocketInfo s = it != tables.end() ? it->second : SocketInfo{-1, *inode, "socket", "", "", 0, 0, ""};
    s.fd = fd;
    p.sockets.push_back(std::move(s));
  }
}

}  // namespace

std::optional<std::string> ReadProcFile(const std::string& path, size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return std::nullopt;
  std::string out;
  char buf[16384];
  while (out.size() < max_bytes) {
    ssize_t n = ::read(fd, buf, std::min(sizeof(buf), max_bytes - out.size()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

std::optional<std::string> ReadLink(const std::string& path) {
  char buf[4097];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof(buf) - 1);
  if (n < 0) return std::nullopt;
  return std::string(buf, static_cast<size_t>(n));
}

core::Result<ProcessFacts> ReadProcess(int pid, const ProcReadOptions& options) {
  if (pid <= 0) return core::Error(core::ErrorCode::kInvalidArgument, "PID must be positive");
  std::string dir = PidDir(options, pid);
  int saved = 0;
  auto text = ReadProcFile(dir + "/stat", 4096);
  if (!text) saved = errno;
  if (!text) {
    return core::Error(saved == ENOENT ? core::ErrorCode::kNotFound : core::ErrorCode::kPermissionDenied,
                       "process " + std::to_string(pid) + ": " +
                           (saved == ENOENT ? "no such process" : std::strerror(saved)));
  }
  ASSIGN_OR_RETURN(ProcStat st, ParseProcStat(*text));
  ProcessFacts p;
  ReadIdentity(dir, st, p, options);
  ReadParents(st.ppid, options, p);
  ReadFds(dir, p);
  if (auto maps = ReadProcFile(dir + "/maps")) {
    p.maps = SummariseMaps(ParseMaps(*maps));
    if (maps->size() >= kMaxProcFileBytes) p.maps.truncated = true;
  } else {
    p.notes.push_back("maps unreadable: no memory summary");
  }
  if (auto cgroup = ReadProcFile(dir + "/cgroup", 64 * 1024)) {
    if (auto id = ContainerIdFromCgroup(*cgroup)) p.container = ContainerRef{*id, "", "", 0};
  }
  return p;
}

}  // namespace bulwark::respond
