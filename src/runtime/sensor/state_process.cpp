// Process lifecycle in the state tables: fork/clone, exec, credentials.
#include <string>
#include <vector>

#include "runtime/sensor/state_tables.hpp"

namespace bulwark::runtime::sensor {
namespace {

constexpr int64_t kCloneThread = 0x10000;
constexpr uint32_t kOCloexec = 02000000;
constexpr int64_t kPrSetName = 15;
constexpr uint32_t kNoLoginUid = 4294967295u;

int64_t NumArg(const Event& evt, std::string_view name, int64_t fallback) {
  const EventArg* a = evt.Arg(name);
  return a ? a->num : fallback;
}

std::string TextArg(const Event& evt, std::string_view name) {
  const EventArg* a = evt.Arg(name);
  return a ? a->text : std::string();
}

std::string Basename(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// argv[1..] from a replayed event's "args" text (the kernel's argv is exact).
std::vector<std::string> SplitArgs(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size() && out.size() < kMaxArgvEntries) {
    size_t space = text.find(' ', start);
    if (space == std::string::npos) space = text.size();
    if (space > start) out.push_back(text.substr(start, space - start));
    start = space + 1;
  }
  return out;
}

}  // namespace

void StateTables::OnFork(const Event& evt, const KernelFacts* facts, Entry* parent) {
  if (evt.res <= 0) return;  // failed, or the child's side
  const bool kernel = facts && facts->has_fork;
  const int64_t child_pid = kernel ? facts->fork.child_pid : NumArg(evt, "pid", evt.res);
  const int64_t flags = kernel ? static_cast<int64_t>(facts->fork.clone_flags) : NumArg(evt, "flags", 0);
  if ((flags & kCloneThread) || child_pid == evt.pid || child_pid <= 0) return;  // a thread
  // Copy what the child inherits before inserting (the insert may purge).
  Process inherited;
  std::unordered_map<int64_t, Fd> fds;
  bool known = false;
  if (parent) {
    inherited = parent->proc;
    fds = parent->fds;
    known = parent->from_proc;
  }
  Entry* child = Insert(child_pid);
  if (!child) return;
  child->proc = std::move(inherited);
  child->proc.pid = child_pid;
  child->proc.ppid = kernel ? facts->fork.child_ppid : NumArg(evt, "ptid", evt.pid);
  child->proc.vpid = kernel ? facts->fork.child_vpid : NumArg(evt, "vpid", child_pid);
  child->proc.start_ts_ns = kernel && facts->fork.start_time_ns
                                ? facts->fork.start_time_ns + static_cast<uint64_t>(options_.proc.boot_to_realtime_ns)
                                : evt.ts_ns;
  child->fds = std::move(fds);
  child->from_proc = known;
  counters_.n_added_fds += child->fds.size();
}

void StateTables::OnExec(const Event& evt, const KernelFacts* facts, Entry& e) {
  Process& p = e.proc;
  const uint64_t now = evt.ts_ns;
  if (facts && facts->has_exec) {
    const ExecFacts& x = facts->exec;
    p.comm = x.comm;
    p.exe = x.argv.empty() ? x.filename : x.argv[0];
    p.args.assign(x.argv.size() > 1 ? x.argv.begin() + 1 : x.argv.end(), x.argv.end());
    p.env = x.env;
    p.exepath = x.exepath;
    p.cwd = x.cwd;
    p.uid = x.info.uid;
    p.gid = x.info.gid;
    p.euid = x.info.euid;
    p.egid = x.info.egid;
    p.loginuid = x.info.loginuid == kNoLoginUid ? std::nullopt : std::optional<uint32_t>(x.info.loginuid);
    p.tty = x.info.tty;
    p.ppid = x.info.ppid;
    p.sid = x.info.sid;
    p.pgid = x.info.pgid;
    p.vpid = x.info.vpid;
    p.cap_inheritable = x.info.cap_inheritable;
    p.cap_permitted = x.info.cap_permitted;
    p.cap_effective = x.info.cap_effective;
    p.exe_ino = x.info.exe_ino;
    p.exe_ino_ctime_ns = x.info.exe_ctime_ns;
    p.exe_ino_mtime_ns = x.info.exe_mtime_ns;
    p.exe_upper_layer = (x.exe_flags & kExeUpperLayer) != 0;
    p.exe_from_memfd = (x.exe_flags & kExeFromMemfd) != 0;
    p.exe_writable = (x.exe_flags & kExeWritable) != 0;
    const uint64_t offset = static_cast<uint64_t>(options_.proc.boot_to_realtime_ns);
    if (x.info.start_time_ns) p.start_ts_ns = x.info.start_time_ns + offset;
    if (x.info.pidns_init_start_ns) p.pidns_init_start_ts_ns = x.info.pidns_init_start_ns + offset;
    SetContainer(e, x.cgroup, now);
  } else {
    // A replayed or synthetic event: what the arguments say.
    p.exe = TextArg(evt, "exe");
    p.args = SplitArgs(TextArg(evt, "args"));
    if (std::string cwd = TextArg(evt, "cwd"); !cwd.empty()) p.cwd = cwd;
    if (!p.exe.empty() && p.exe[0] == '/') p.exepath = p.exe;
    p.comm = Basename(p.exe).substr(0, 15);
    if (int64_t ptid = NumArg(evt, "ptid", 0); ptid > 0) p.ppid = ptid;
    uint32_t flags = static_cast<uint32_t>(NumArg(evt, "flags", 0));
    p.exe_upper_layer = (flags & kExeUpperLayer) != 0;
    p.exe_from_memfd = (flags & kExeFromMemfd) != 0;
    p.exe_writable = (flags & kExeWritable) != 0;
  }
  e.from_proc = true;
  // Descriptors opened with O_CLOEXEC do not survive the exec.
  for (auto it = e.fds.begin(); it != e.fds.end();) {
    if (it->second.open_flags & kOCloexec) {
      it = e.fds.erase(it);
      ++counters_.n_removed_fds;
    } else {
      ++it;
    }
  }
  ResolveNames(e, now);
}

void StateTables::OnCreds(const Event& evt, const KernelFacts* facts, Entry& e) {
  Process& p = e.proc;
  switch (evt.type) {
    case EventType::kSetuid: case EventType::kSetgid: case EventType::kSetreuid:
    case EventType::kSetregid: case EventType::kSetresuid: case EventType::kSetresgid:
    case EventType::kCapset:
      break;
    case EventType::kPrctl:
      if (evt.res == 0 && NumArg(evt, "option", -1) == kPrSetName) {
        p.comm = facts && facts->has_comm ? facts->comm : TextArg(evt, "arg2_str").substr(0, 15);
      }
      return;
    default:
      return;
  }
  if (evt.res != 0) return;
  if (facts && facts->has_creds) {
    p.uid = facts->creds.uid;
    p.gid = facts->creds.gid;
    p.euid = facts->creds.euid;
    p.egid = facts->creds.egid;
    p.cap_inheritable = facts->creds.cap_inheritable;
    p.cap_permitted = facts->creds.cap_permitted;
    p.cap_effective = facts->creds.cap_effective;
  } else if (evt.type == EventType::kSetuid) {
    p.uid = p.euid = static_cast<uint32_t>(NumArg(evt, "uid", p.uid));
  } else if (evt.type == EventType::kSetgid) {
    p.gid = p.egid = static_cast<uint32_t>(NumArg(evt, "gid", p.gid));
  } else if (evt.type == EventType::kSetresuid || evt.type == EventType::kSetreuid) {
    int64_t ruid = NumArg(evt, "ruid", -1), euid = NumArg(evt, "euid", -1);
    if (ruid >= 0 && ruid != kNoLoginUid) p.uid = static_cast<uint32_t>(ruid);
    if (euid >= 0 && euid != kNoLoginUid) p.euid = static_cast<uint32_t>(euid);
  }
  ResolveNames(e, evt.ts_ns);
}

}  // namespace bulwark::runtime::sensor
