#include "runtime/sensor/state_tables.hpp"

#include <unistd.h>

#include <vector>

namespace bulwark::runtime::sensor {
namespace {

std::string LocalHostname() {
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return {};
  return buf;
}

bool IsProcessEvent(EventType t) {
  switch (t) {
    case EventType::kClone: case EventType::kClone3: case EventType::kFork: case EventType::kVfork:
    case EventType::kExecve: case EventType::kExecveat: case EventType::kProcExit:
      return true;
    default:
      return false;
  }
}

}  // namespace

StateTables::StateTables(StateOptions options, ContainerSource* containers)
    : options_(std::move(options)),
      hostname_(options_.hostname.empty() ? LocalHostname() : options_.hostname),
      containers_(containers, options_.containers) {}

StateTables::~StateTables() = default;

size_t StateTables::LoadFromProc() {
  size_t added = 0;
  for (int64_t pid : ListPids(options_.proc.proc_root, options_.max_processes)) {
    if (procs_.count(pid)) continue;
    auto snap = ReadProc(pid, options_.proc);
    if (!snap) continue;
    AddSnapshot(std::move(*snap));
    ++added;
  }
  return added;
}

void StateTables::AddSnapshot(ProcSnapshot&& snap) {
  Entry* e = Insert(snap.proc.pid);
  if (!e) return;
  e->proc = std::move(snap.proc);
  e->from_proc = true;
  e->fds.clear();
  for (Fd& fd : snap.fds) PutFd(*e, std::move(fd));
  SetContainer(*e, snap.cgroup, e->proc.start_ts_ns);
  ResolveNames(*e, e->proc.start_ts_ns);
}

StateTables::Entry* StateTables::Insert(int64_t pid) {
  auto it = procs_.find(pid);
  if (it != procs_.end()) {
    it->second = Entry{};
    it->second.proc.pid = pid;
    return &it->second;
  }
  if (procs_.size() >= options_.max_processes) {
    Purge(UINT64_MAX);  // only the dead go, whatever their age
    if (procs_.size() >= options_.max_processes) {
      ++counters_.n_drops_full_process_table;
      return nullptr;
    }
  }
  Entry& e = procs_[pid];
  e.proc.pid = pid;
  return &e;
}

bool StateTables::TakeProcLookup(uint64_t now_ns) {
  if (now_ns - lookup_window_ns_ >= 1'000'000'000ULL || now_ns < lookup_window_ns_) {
    lookup_window_ns_ = now_ns;
    lookups_in_window_ = 0;
  }
  if (lookups_in_window_ >= options_.proc_lookups_per_second) return false;
  ++lookups_in_window_;
  return true;
}

StateTables::Entry* StateTables::Lookup(int64_t pid, uint64_t now_ns) {
  auto it = procs_.find(pid);
  if (it != procs_.end() && it->second.from_proc) return &it->second;
  if (TakeProcLookup(now_ns)) {
    ++counters_.n_proc_lookups;
    if (auto snap = ReadProc(pid, options_.proc)) {
      AddSnapshot(std::move(*snap));
      it = procs_.find(pid);
      return it == procs_.end() ? nullptr : &it->second;
    }
    ++counters_.n_failed_proc_lookups;
  }
  if (it != procs_.end()) return &it->second;
  // A bare entry: the pid is known, nothing else until a lookup succeeds.
  return Insert(pid);
}

void StateTables::SetContainer(Entry& e, const std::string& cgroup, uint64_t now_ns) {
  if (cgroup.empty()) return;
  auto ref = ContainerFromCgroupPath(cgroup);
  e.proc.container_id = ref ? ref->id : std::string();
  if (ref) containers_.Resolve(*ref, now_ns);
}

void StateTables::ResolveNames(Entry& e, uint64_t now_ns) {
  if (!options_.resolve_users) return;
  const std::string& key = e.proc.container_id;
  // The process's own root first; a short-lived process may be gone when
  // its event arrives, so for a container a few of its other processes too.
  auto roots = [&] {
    auto root_of = [&](int64_t pid) { return options_.proc.proc_root + "/" + std::to_string(pid) + "/root"; };
    std::vector<std::string> out{root_of(e.proc.pid)};
    if (key.empty()) return out;
    for (const auto& [pid, other] : procs_) {
      if (out.size() >= 4) break;
      if (pid != e.proc.pid && other.proc.container_id == key) out.push_back(root_of(pid));
    }
    return out;
  };
  e.proc.user_name = users_.UserName(key, roots, e.proc.uid, now_ns);
  e.proc.group_name = users_.GroupName(key, roots, e.proc.gid, now_ns);
  e.proc.login_name = e.proc.loginuid ? users_.UserName(key, roots, *e.proc.loginuid, now_ns) : "";
}

EventContext StateTables::Apply(Event& evt, const KernelFacts* facts) {
  const uint64_t now = evt.ts_ns;
  if (now - last_purge_ns_ >= options_.purge_interval_ns && now > last_purge_ns_) {
    Purge(now);
    last_purge_ns_ = now;
  }
  EventContext ctx;
  ctx.evt = &evt;
  ctx.state = this;
  Entry* e = Lookup(evt.pid, now);
  if (IsProcessEvent(evt.type)) {
    if (evt.type == EventType::kProcExit) {
      if (e && !e->exit_ts_ns) e->exit_ts_ns = now ? now : 1;
    } else if (evt.type == EventType::kExecve || evt.type == EventType::kExecveat) {
      if (e && evt.res == 0) OnExec(evt, facts, *e);
    } else {
      OnFork(evt, facts, e);
      e = procs_.count(evt.pid) ? &procs_[evt.pid] : nullptr;  // the insert may rehash
    }
  } else if (e) {
    OnCreds(evt, facts, *e);
    ctx.fd = OnFdEvent(evt, facts, *e);
  }
  if (e) {
    ctx.proc = &e->proc;
    if (!e->proc.container_id.empty()) ctx.container = containers_.Find(e->proc.container_id);
  }
  return ctx;
}

void StateTables::Purge(uint64_t now_ns) {
  size_t before = procs_.size();
  for (auto it = procs_.begin(); it != procs_.end();) {
    const uint64_t exit = it->second.exit_ts_ns;
    if (exit && (now_ns == UINT64_MAX || now_ns - exit >= options_.dead_grace_ns)) {
      it = procs_.erase(it);
    } else {
      ++it;
    }
  }
  if (procs_.size() != before) {
    counters_.n_purged += before - procs_.size();
    ReparentOrphans();
  }
}

// Children of purged processes were re-parented by the kernel (to a
// subreaper or init); /proc says to whom. Bounded per purge.
void StateTables::ReparentOrphans() {
  size_t budget = 64;
  for (auto& [pid, e] : procs_) {
    if (e.proc.ppid <= 0 || procs_.count(e.proc.ppid) || e.exit_ts_ns || budget == 0) continue;
    --budget;
    Process fresh;
    uint64_t ticks = 0;
    std::string stat_path = options_.proc.proc_root + "/" + std::to_string(pid) + "/stat";
    std::string text;
    if (FILE* f = fopen(stat_path.c_str(), "re")) {
      char buf[1024];
      size_t n = fread(buf, 1, sizeof(buf), f);
      fclose(f);
      text.assign(buf, n);
    }
    e.proc.ppid = ParseProcStat(text, fresh, ticks) ? fresh.ppid : 0;
  }
}

const Process* StateTables::FindProcess(int64_t pid) const {
  auto it = procs_.find(pid);
  return it == procs_.end() ? nullptr : &it->second.proc;
}

const Container* StateTables::FindContainer(std::string_view id) const { return containers_.Find(id); }

const Fd* StateTables::FindFd(int64_t pid, int64_t fd) const {
  auto it = procs_.find(pid);
  if (it == procs_.end()) return nullptr;
  auto f = it->second.fds.find(fd);
  return f == it->second.fds.end() ? nullptr : &f->second;
}

size_t StateTables::fd_count(int64_t pid) const {
  auto it = procs_.find(pid);
  return it == procs_.end() ? 0 : it->second.fds.size();
}

}  // namespace bulwark::runtime::sensor
