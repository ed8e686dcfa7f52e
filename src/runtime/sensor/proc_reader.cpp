#include "runtime/sensor/proc_reader.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "runtime/sensor/container_id.hpp"

namespace bulwark::runtime::sensor {
namespace {

std::string ReadBounded(const std::string& path, size_t max) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::string text(max, '\0');
  in.read(text.data(), static_cast<std::streamsize>(max));
  text.resize(static_cast<size_t>(in.gcount()));
  return text;
}

std::string ReadLink(const std::string& path) {
  char buf[4096];
  ssize_t n = readlink(path.c_str(), buf, sizeof(buf));
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

std::vector<std::string> SplitNul(const std::string& text, size_t max_entries) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size() && out.size() < max_entries) {
    size_t nul = text.find('\0', start);
    if (nul == std::string::npos) nul = text.size();
    out.push_back(text.substr(start, nul - start));
    start = nul + 1;
  }
  return out;
}

bool IsNumber(const char* s) {
  if (!*s) return false;
  for (; *s; ++s) {
    if (*s < '0' || *s > '9') return false;
  }
  return true;
}

uint64_t ParseHex(const std::string& s) { return std::strtoull(s.c_str(), nullptr, 16); }

}  // namespace

bool ParseProcStat(const std::string& text, Process& p, uint64_t& start_ticks) {
  size_t open = text.find('(');
  size_t close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return false;
  p.pid = std::atoll(text.c_str());
  p.comm = text.substr(open + 1, std::min<size_t>(close - open - 1, 64));
  std::istringstream rest(text.substr(close + 1));
  std::string state;
  int64_t ppid = 0, pgrp = 0, session = 0, tty = 0;
  if (!(rest >> state >> ppid >> pgrp >> session >> tty)) return false;
  p.ppid = ppid;
  p.pgid = pgrp;
  p.sid = session;
  p.tty = static_cast<uint32_t>(tty);
  // Fields 8..21 come before starttime (field 22).
  std::string skip;
  for (int i = 8; i <= 21; ++i) {
    if (!(rest >> skip)) return false;
  }
  return static_cast<bool>(rest >> start_ticks);
}

void ParseProcStatus(const std::string& text, Process& p) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string key;
    fields >> key;
    if (key == "Uid:") {
      fields >> p.uid >> p.euid;
    } else if (key == "Gid:") {
      fields >> p.gid >> p.egid;
    } else if (key == "CapInh:" || key == "CapPrm:" || key == "CapEff:") {
      std::string hex;
      fields >> hex;
      uint64_t v = ParseHex(hex);
      (key == "CapInh:" ? p.cap_inheritable : key == "CapPrm:" ? p.cap_permitted : p.cap_effective) = v;
    } else if (key == "NSpid:") {
      int64_t v = 0;
      while (fields >> v) p.vpid = v;  // the last is the innermost namespace
    }
  }
}

Fd FdFromLink(int64_t num, const std::string& link) {
  Fd fd;
  fd.num = num;
  if (!link.empty() && link[0] == '/') {
    fd.type = FdType::kFile;
    fd.name = link;
    fd.nameraw = link;
    return fd;
  }
  auto starts = [&](const char* prefix) { return link.rfind(prefix, 0) == 0; };
  if (starts("pipe:")) fd.type = FdType::kPipe;
  else if (starts("anon_inode:[eventfd]")) fd.type = FdType::kEventFd;
  else if (starts("anon_inode:[signalfd]")) fd.type = FdType::kSignalFd;
  else if (starts("anon_inode:[eventpoll]")) fd.type = FdType::kEventPoll;
  else if (starts("anon_inode:inotify")) fd.type = FdType::kInotify;
  else if (starts("anon_inode:[timerfd]")) fd.type = FdType::kTimerFd;
  else if (starts("anon_inode:bpf")) fd.type = FdType::kBpf;
  else if (starts("anon_inode:[userfaultfd]")) fd.type = FdType::kUserfaultFd;
  else if (starts("anon_inode:[io_uring]")) fd.type = FdType::kIoUring;
  // socket:[ino]: the family is not in the link; left unknown.
  fd.name = link;
  return fd;
}

std::optional<ProcSnapshot> ReadProc(int64_t pid, const ProcReadOptions& options) {
  const std::string dir = options.proc_root + "/" + std::to_string(pid);
  ProcSnapshot snap;
  Process& p = snap.proc;
  uint64_t start_ticks = 0;
  if (!ParseProcStat(ReadBounded(dir + "/stat", 4096), p, start_ticks)) return std::nullopt;
  long ticks = sysconf(_SC_CLK_TCK);
  if (ticks > 0) {
    uint64_t boot_ns = start_ticks * (1000000000ULL / static_cast<uint64_t>(ticks));
    p.start_ts_ns = boot_ns + static_cast<uint64_t>(options.boot_to_realtime_ns);
  }
  ParseProcStatus(ReadBounded(dir + "/status", 16384), p);
  std::vector<std::string> argv = SplitNul(ReadBounded(dir + "/cmdline", options.max_args_bytes), 256);
  if (!argv.empty()) {
    p.exe = argv[0];
    p.args.assign(argv.begin() + 1, argv.end());
  }
  p.env = SplitNul(ReadBounded(dir + "/environ", options.max_args_bytes), options.max_env_entries);
  p.exepath = ReadLink(dir + "/exe");
  if (p.exe.empty()) p.exe = p.exepath;
  p.cwd = ReadLink(dir + "/cwd");
  std::string loginuid = ReadBounded(dir + "/loginuid", 32);
  if (!loginuid.empty()) {
    uint64_t v = std::strtoull(loginuid.c_str(), nullptr, 10);
    if (v != 4294967295ULL) p.loginuid = static_cast<uint32_t>(v);
  }
  struct stat exe_stat {};
  if (stat((dir + "/exe").c_str(), &exe_stat) == 0) {
    p.exe_ino = exe_stat.st_ino;
    p.exe_ino_ctime_ns = static_cast<uint64_t>(exe_stat.st_ctim.tv_sec) * 1000000000ULL + exe_stat.st_ctim.tv_nsec;
    p.exe_ino_mtime_ns = static_cast<uint64_t>(exe_stat.st_mtim.tv_sec) * 1000000000ULL + exe_stat.st_mtim.tv_nsec;
  }
  snap.cgroup = CgroupPathFromProcFile(ReadBounded(dir + "/cgroup", 16384));
  if (auto ref = ContainerFromCgroupPath(snap.cgroup)) p.container_id = ref->id;
  if (DIR* d = opendir((dir + "/fd").c_str())) {
    while (dirent* e = readdir(d)) {
      if (!IsNumber(e->d_name) || snap.fds.size() >= options.max_fds) continue;
      int64_t num = std::atoll(e->d_name);
      snap.fds.push_back(FdFromLink(num, ReadLink(dir + "/fd/" + e->d_name)));
    }
    closedir(d);
  }
  return snap;
}

std::vector<int64_t> ListPids(const std::string& proc_root, size_t max) {
  std::vector<int64_t> pids;
  if (DIR* d = opendir(proc_root.c_str())) {
    while (dirent* e = readdir(d)) {
      if (pids.size() >= max) break;
      if (IsNumber(e->d_name)) pids.push_back(std::atoll(e->d_name));
    }
    closedir(d);
  }
  return pids;
}

}  // namespace bulwark::runtime::sensor
