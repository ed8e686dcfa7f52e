// StateTables: the process, descriptor and container tables of the sensor,
// kept the way libsinsp keeps its thread table. Built from /proc at start
// (LoadFromProc), then kept by the events: fork/clone create a process as a
// copy of its parent, exec replaces its image, procexit ends it (kept a
// short grace time so late events and children still resolve it), open,
// socket, connect, accept, dup, pipe, memfd_create, close keep the fd table,
// chdir keeps the cwd, set*id/capset keep the credentials. A process the
// sensor never saw is read from /proc on its first event (rate-limited).
//
// Apply() updates the tables from one event and returns the EventContext the
// rule engine evaluates: the process, the fd the event is about (for a failed
// open a temporary Fd built from the path, so fd.name works) and the
// container. Every table is bounded (processes, fds per process,
// containers, user databases); what did not fit is counted.
//
// Not thread-safe: one thread applies events and evaluates rules. Pointers
// handed out stay valid until the next Apply() or Purge().
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "runtime/event/state.hpp"
#include "runtime/sensor/container_meta.hpp"
#include "runtime/sensor/proc_reader.hpp"
#include "runtime/sensor/record_decoder.hpp"
#include "runtime/sensor/user_db.hpp"

namespace bulwark::runtime::sensor {

struct StateOptions {
  size_t max_processes = 65536;
  size_t max_fds_per_process = 4096;    // libsinsp's MAX_FD_TABLE_SIZE
  uint64_t dead_grace_ns = 5'000'000'000ULL;
  uint64_t purge_interval_ns = 1'000'000'000ULL;
  size_t proc_lookups_per_second = 200;  // /proc reads for processes seen first in an event
  bool resolve_users = true;
  std::string hostname;                  // empty: gethostname()
  ProcReadOptions proc;                  // proc_root, bounds, boot-to-realtime offset
  ContainerCacheOptions containers;
};

struct StateCounters {
  uint64_t n_added_fds = 0, n_removed_fds = 0;
  uint64_t n_proc_lookups = 0, n_failed_proc_lookups = 0;
  uint64_t n_drops_full_process_table = 0, n_drops_full_fd_table = 0;
  uint64_t n_purged = 0;
};

// "/a/./b/../c" -> "/a/c" (lexical, as libsinsp does for fd.name).
std::string NormalizePath(std::string_view path);
// `path` as seen from `base` (a cwd or directory fd); absolute paths ignore it.
std::string ResolvePath(std::string_view base, std::string_view path);
// "10.0.0.1:4000->10.0.0.2:80" (client first); "" for unknown families.
std::string SocketName(const SockAddr& client, const SockAddr& server);

class StateTables : public StateView {
 public:
  // `containers` may be null (no engine): container.id still resolves.
  explicit StateTables(StateOptions options = {}, ContainerSource* containers = nullptr);
  ~StateTables() override;

  // Reads every process under proc_root; returns how many were added.
  size_t LoadFromProc();
  // Updates the tables from `evt` (and the kernel's facts, when the event
  // came from the eBPF sensor) and resolves the context for rule evaluation.
  EventContext Apply(Event& evt, const KernelFacts* facts = nullptr);
  // Drops processes that exited more than the grace time before `now_ns`.
  void Purge(uint64_t now_ns);
  // Refreshes container metadata from the engine's lifecycle events
  // (start, rename, destroy, ...); `now_ns` is wall-clock time.
  void PollContainerChanges(uint64_t now_ns) { containers_.PollChanges(now_ns); }

  const Process* FindProcess(int64_t pid) const override;
  const Container* FindContainer(std::string_view id) const override;
  std::string_view Hostname() const override { return hostname_; }

  const Fd* FindFd(int64_t pid, int64_t fd) const;
  size_t process_count() const { return procs_.size(); }
  size_t fd_count(int64_t pid) const;
  const StateCounters& counters() const { return counters_; }
  size_t container_lookups() const { return containers_.lookups(); }

 private:
  struct Entry {
    Process proc;
    std::unordered_map<int64_t, Fd> fds;
    uint64_t exit_ts_ns = 0;  // 0 while alive
    bool from_proc = false;   // filled from /proc (or an exec), not a bare placeholder
  };

  Entry* Lookup(int64_t pid, uint64_t now_ns);
  Entry* Insert(int64_t pid);
  void AddSnapshot(ProcSnapshot&& snap);
  bool TakeProcLookup(uint64_t now_ns);
  void ResolveNames(Entry& e, uint64_t now_ns);
  void SetContainer(Entry& e, const std::string& cgroup, uint64_t now_ns);
  void ReparentOrphans();

  // Process events (state_process.cpp).
  void OnFork(const Event& evt, const KernelFacts* facts, Entry* parent);
  void OnExec(const Event& evt, const KernelFacts* facts, Entry& e);
  void OnCreds(const Event& evt, const KernelFacts* facts, Entry& e);
  // Descriptor events (state_fds.cpp); return the fd the context shows.
  const Fd* OnFdEvent(Event& evt, const KernelFacts* facts, Entry& e);
  const Fd* OnOpen(const Event& evt, const KernelFacts* facts, Entry& e);
  const Fd* OnSocketEvent(const Event& evt, const KernelFacts* facts, Entry& e);
  const Fd* OnDup(const Event& evt, Entry& e);
  const Fd* OnClose(const Event& evt, Entry& e);
  Fd* PutFd(Entry& e, Fd&& fd);  // moves fd in only when it fits

  StateOptions options_;
  std::string hostname_;
  std::unordered_map<int64_t, Entry> procs_;
  ContainerCache containers_;
  UserDb users_;
  StateCounters counters_;
  Fd scratch_fd_;  // a closed fd or a failed open's path, valid until the next event
  uint64_t last_purge_ns_ = 0;
  uint64_t lookup_window_ns_ = 0;
  size_t lookups_in_window_ = 0;
};

}  // namespace bulwark::runtime::sensor
