// The state tables on synthetic events over a fake /proc: process lineage
// through fork/exec/exit, fd lifecycle, failed opens, dup of a socket,
// bounds and purging, user names from the process's root, containers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "runtime/sensor/state_tables.hpp"
#include "test_support.hpp"

namespace bulwark::runtime::sensor {
namespace {

namespace fs = std::filesystem;
constexpr uint64_t kSec = 1'000'000'000ULL;

// A /proc tree with hand-written stat, status, cmdline, cwd and root.
class FakeProc {
 public:
  FakeProc() : root_(bulwark::testing::MakeTempDir("bw_fakeproc")) {}
  ~FakeProc() { fs::remove_all(root_); }
  void Add(int64_t pid, const std::string& comm, int64_t ppid, uint32_t uid, const std::string& cmdline,
           const std::string& cwd = "/", const std::string& cgroup = "0::/") {
    fs::path d = root_ / std::to_string(pid);
    fs::create_directories(d / "root/etc");
    fs::create_directories(d / "fd");
    Write(d / "stat", std::to_string(pid) + " (" + comm + ") S " + std::to_string(ppid) +
                          " 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 500 0 0\n");
    Write(d / "status", "Name:\t" + comm + "\nUid:\t" + std::to_string(uid) + "\t" + std::to_string(uid) +
                            "\t0\t0\nGid:\t0\t0\t0\t0\nCapEff:\t000001ffffffffff\nNSpid:\t" +
                            std::to_string(pid) + "\n");
    Write(d / "cmdline", cmdline);
    Write(d / "cgroup", cgroup + "\n");
    Write(d / "root/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\n");
    Write(d / "root/etc/group", "root:x:0:\n");
    fs::create_symlink(cwd, d / "cwd");
  }
  void AddFd(int64_t pid, int fd, const std::string& target) {
    fs::create_symlink(target, root_ / std::to_string(pid) / "fd" / std::to_string(fd));
  }
  std::string root() const { return root_.string(); }

 private:
  static void Write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }
  fs::path root_;
};

Event Make(EventType type, int64_t pid, int64_t res, uint64_t ts) {
  Event e;
  e.type = type;
  e.pid = e.tid = pid;
  e.res = res;
  e.ts_ns = ts;
  return e;
}
void AddNum(Event& e, std::string_view name, ArgKind kind, int64_t v) { e.AddArg(name, kind)->num = v; }
void AddText(Event& e, std::string_view name, ArgKind kind, const std::string& t) {
  e.AddArg(name, kind)->text = t;
}

Event Fork(int64_t parent, int64_t child, uint64_t ts) {
  Event e = Make(EventType::kClone, parent, child, ts);
  AddNum(e, "res", ArgKind::kPid, child);
  AddNum(e, "flags", ArgKind::kCloneFlags, 0x11);
  AddNum(e, "pid", ArgKind::kPid, child);
  AddNum(e, "ptid", ArgKind::kPid, parent);
  return e;
}
Event Exec(int64_t pid, const std::string& exe, const std::string& args, uint64_t ts) {
  Event e = Make(EventType::kExecve, pid, 0, ts);
  AddText(e, "exe", ArgKind::kPath, exe);
  AddText(e, "args", ArgKind::kString, args);
  return e;
}
Event Open(int64_t pid, int64_t res, const std::string& path, int64_t flags, uint64_t ts, int64_t dirfd = -100) {
  Event e = Make(EventType::kOpenat, pid, res, ts);
  e.fd = res >= 0 ? res : -1;
  AddNum(e, "fd", ArgKind::kFd, res);
  AddNum(e, "dirfd", ArgKind::kFd, dirfd);
  AddText(e, "name", ArgKind::kPath, path);
  AddNum(e, "flags", ArgKind::kOpenFlags, flags);
  return e;
}

class StateTablesTest : public ::testing::Test {
 protected:
  StateOptions Options() {
    StateOptions o;
    o.proc.proc_root = proc_.root();
    o.hostname = "testhost";
    return o;
  }
  FakeProc proc_;
};

TEST_F(StateTablesTest, ForkExecExitChainKeepsAncestors) {
  proc_.Add(1, "init", 0, 0, std::string("/sbin/init\0", 11));
  proc_.Add(100, "bash", 1, 0, std::string("bash\0-l\0", 8), "/root");
  StateTables state(Options());
  EXPECT_EQ(state.LoadFromProc(), 2u);
  EXPECT_EQ(state.Hostname(), "testhost");
  const Process* bash = state.FindProcess(100);
  ASSERT_NE(bash, nullptr);
  EXPECT_EQ(bash->comm, "bash");
  EXPECT_EQ(bash->args, std::vector<std::string>{"-l"});
  EXPECT_EQ(bash->cwd, "/root");
  EXPECT_EQ(bash->user_name, "root");

  Event e = Fork(100, 200, 1 * kSec);
  EventContext ctx = state.Apply(e);
  EXPECT_EQ(ctx.proc, state.FindProcess(100)) << "a clone's context is the parent";
  e = Exec(200, "/usr/sbin/nginx", "-g daemon off;", 2 * kSec);
  ctx = state.Apply(e);
  ASSERT_NE(ctx.proc, nullptr);
  EXPECT_EQ(ctx.proc->comm, "nginx");
  EXPECT_EQ(ctx.proc->exepath, "/usr/sbin/nginx");
  EXPECT_EQ(ctx.proc->ppid, 100);
  EXPECT_EQ(ctx.proc->cwd, "/root") << "inherited at fork";
  EXPECT_EQ(ctx.proc->args, (std::vector<std::string>{"-g", "daemon", "off;"}));
  e = Fork(200, 300, 3 * kSec);
  state.Apply(e);
  e = Exec(300, "/bin/sh", "-c id", 4 * kSec);
  ctx = state.Apply(e);
  // Ancestors, as proc.aname[1..3] walks them.
  std::vector<std::string> names;
  for (const Process* p = ctx.proc; p; p = state.FindProcess(p->ppid)) names.push_back(p->comm);
  EXPECT_EQ(names, (std::vector<std::string>{"sh", "nginx", "bash", "init"}));

  // procexit keeps the process through the grace time, then purges it.
  e = Make(EventType::kProcExit, 200, 0, 5 * kSec);
  state.Apply(e);
  EXPECT_NE(state.FindProcess(200), nullptr);
  state.Purge(5 * kSec + 1);
  EXPECT_NE(state.FindProcess(200), nullptr) << "still in its grace time";
  state.Purge(11 * kSec);
  EXPECT_EQ(state.FindProcess(200), nullptr);
  EXPECT_EQ(state.counters().n_purged, 1u);
  // The orphan's parent comes from /proc now (no /proc/300 here: unknown).
  EXPECT_EQ(state.FindProcess(300)->ppid, 0);
}

TEST_F(StateTablesTest, ThreadsDoNotBecomeProcesses) {
  proc_.Add(100, "java", 1, 0, std::string("java\0", 5));
  StateTables state(Options());
  Event e = Fork(100, 101, kSec);
  e.Arg("flags");
  e.args[1].num = 0x10000 | 0x100;  // CLONE_THREAD | CLONE_VM
  state.Apply(e);
  EXPECT_EQ(state.FindProcess(101), nullptr);
}

TEST_F(StateTablesTest, FdLifecycleAndFailedOpen) {
  proc_.Add(100, "app", 1, 33, std::string("app\0", 4), "/srv");
  StateTables state(Options());
  Event e = Open(100, 5, "../etc/./shadow", 0, kSec);
  EventContext ctx = state.Apply(e);
  ASSERT_NE(ctx.fd, nullptr);
  EXPECT_EQ(ctx.fd->num, 5);
  EXPECT_EQ(ctx.fd->name, "/etc/shadow");
  EXPECT_EQ(ctx.fd->nameraw, "../etc/./shadow");
  EXPECT_EQ(ctx.fd->type, FdType::kFile);
  EXPECT_EQ(ctx.proc->user_name, "www-data");
  EXPECT_NE(state.FindFd(100, 5), nullptr);

  // openat relative to a directory fd.
  e = Open(100, 6, "/var/log", 0200000, kSec);
  ctx = state.Apply(e);
  EXPECT_EQ(ctx.fd->type, FdType::kDirectory);
  e = Open(100, 7, "syslog", 01 | 01000, kSec, 6);
  ctx = state.Apply(e);
  EXPECT_EQ(ctx.fd->name, "/var/log/syslog");

  Event close = Make(EventType::kClose, 100, 0, 2 * kSec);
  close.fd = 5;
  AddNum(close, "fd", ArgKind::kFd, 5);
  ctx = state.Apply(close);
  ASSERT_NE(ctx.fd, nullptr) << "close shows the fd it closed";
  EXPECT_EQ(ctx.fd->name, "/etc/shadow");
  EXPECT_EQ(state.FindFd(100, 5), nullptr);

  e = Open(100, -13, "/root/.ssh/id_rsa", 0, 3 * kSec);
  ctx = state.Apply(e);
  ASSERT_NE(ctx.fd, nullptr);
  EXPECT_EQ(ctx.fd->num, -1);
  EXPECT_EQ(ctx.fd->name, "/root/.ssh/id_rsa");
  EXPECT_EQ(state.fd_count(100), 2u);

  // chdir then a relative open resolves against the new cwd.
  Event cd = Make(EventType::kChdir, 100, 0, 4 * kSec);
  AddText(cd, "path", ArgKind::kPath, "tmp");
  state.Apply(cd);
  EXPECT_EQ(state.FindProcess(100)->cwd, "/srv/tmp");
}

TEST_F(StateTablesTest, DupOfAConnectedSocket) {
  proc_.Add(100, "bash", 1, 0, std::string("bash\0", 5));
  StateTables state(Options());
  Event s = Make(EventType::kSocket, 100, 3, kSec);
  s.fd = 3;
  AddNum(s, "fd", ArgKind::kFd, 3);
  AddNum(s, "domain", ArgKind::kSocketDomain, 2);
  AddNum(s, "type", ArgKind::kSocketType, 1);
  AddNum(s, "proto", ArgKind::kInt, 0);
  EventContext ctx = state.Apply(s);
  ASSERT_NE(ctx.fd, nullptr);
  EXPECT_EQ(ctx.fd->type, FdType::kIpv4);
  EXPECT_EQ(ctx.fd->l4proto, L4Proto::kTcp);

  Event c = Make(EventType::kConnect, 100, 0, kSec);
  c.fd = 3;
  AddNum(c, "fd", ArgKind::kFd, 3);
  KernelFacts facts;
  facts.has_tuple = true;
  facts.sock_family = 2;
  facts.l4proto = L4Proto::kTcp;
  facts.local.family = facts.remote.family = 2;
  facts.local.ip = {10, 0, 0, 5};
  facts.local.port = 40000;
  facts.remote.ip = {203, 0, 113, 9};
  facts.remote.port = 4444;
  ctx = state.Apply(c, &facts);
  EXPECT_EQ(ctx.fd->name, "10.0.0.5:40000->203.0.113.9:4444");
  EXPECT_TRUE(ctx.fd->connected);
  EXPECT_FALSE(ctx.fd->local_is_server);

  Event d = Make(EventType::kDup2, 100, 1, 2 * kSec);
  d.fd = 1;
  AddNum(d, "res", ArgKind::kErrno, 1);
  AddNum(d, "oldfd", ArgKind::kFd, 3);
  AddNum(d, "newfd", ArgKind::kFd, 1);
  ctx = state.Apply(d);
  ASSERT_NE(ctx.fd, nullptr);
  EXPECT_EQ(ctx.fd->num, 1);
  EXPECT_EQ(ctx.fd->type, FdType::kIpv4);
  EXPECT_EQ(ctx.fd->remote.port, 4444);
  EXPECT_EQ(state.FindFd(100, 1)->name, "10.0.0.5:40000->203.0.113.9:4444");
}

// fd.name_changed (Falco's `outbound` macro for UDP) is true for the event
// that names an unconnected datagram socket, also its first name, and false
// for a later datagram to the same peer.
TEST_F(StateTablesTest, FirstSendtoOfAUdpSocketChangesItsName) {
  proc_.Add(100, "dig", 1, 0, std::string("dig\0", 4));
  StateTables state(Options());
  Event s = Make(EventType::kSocket, 100, 3, kSec);
  s.fd = 3;
  s.num = 1;
  AddNum(s, "fd", ArgKind::kFd, 3);
  AddNum(s, "domain", ArgKind::kSocketDomain, 2);
  AddNum(s, "type", ArgKind::kSocketType, 2);
  AddNum(s, "proto", ArgKind::kInt, 0);
  EventContext ctx = state.Apply(s);
  ASSERT_NE(ctx.fd, nullptr);
  EXPECT_EQ(ctx.fd->name_changed_evt, 0u);

  auto send = [&](uint64_t num) {
    Event e = Make(EventType::kSendto, 100, 32, kSec);
    e.fd = 3;
    e.num = num;
    AddNum(e, "fd", ArgKind::kFd, 3);
    EventArg* addr = e.AddArg("addr", ArgKind::kSockaddr);
    addr->addr.family = 2;
    addr->addr.ip = {198, 51, 100, 7};
    addr->addr.port = 53;
    return state.Apply(e);
  };
  ctx = send(2);
  ASSERT_NE(ctx.fd, nullptr);
  EXPECT_EQ(ctx.fd->name_changed_evt, 2u);
  EXPECT_NE(ctx.fd->name.find("198.51.100.7:53"), std::string::npos) << ctx.fd->name;
  ctx = send(3);
  EXPECT_EQ(ctx.fd->name_changed_evt, 2u);  // same peer: not renamed by event 3
}

TEST_F(StateTablesTest, ExecClosesCloexecFdsAndForkCopiesTheTable) {
  proc_.Add(100, "sh", 1, 0, std::string("sh\0", 3));
  StateTables state(Options());
  Event o = Open(100, 4, "/etc/hosts", 02000000, kSec);  // O_CLOEXEC
  state.Apply(o);
  o = Open(100, 5, "/etc/passwd", 0, kSec);
  state.Apply(o);
  Event f = Fork(100, 101, kSec);
  state.Apply(f);
  EXPECT_EQ(state.fd_count(101), 2u);
  Event x = Exec(101, "/bin/cat", "/etc/passwd", 2 * kSec);
  state.Apply(x);
  EXPECT_EQ(state.FindFd(101, 4), nullptr);
  EXPECT_NE(state.FindFd(101, 5), nullptr);
  EXPECT_EQ(state.fd_count(100), 2u) << "the parent keeps its own";
}

TEST_F(StateTablesTest, BoundsAreKeptAndCounted) {
  StateOptions o = Options();
  o.max_processes = 3;
  o.max_fds_per_process = 2;
  proc_.Add(100, "a", 1, 0, std::string("a\0", 2));
  StateTables state(o);
  for (int64_t child = 201; child <= 205; ++child) {
    Event f = Fork(100, child, kSec);
    state.Apply(f);
  }
  EXPECT_LE(state.process_count(), 3u);
  EXPECT_GT(state.counters().n_drops_full_process_table, 0u);
  for (int fd = 3; fd < 8; ++fd) {
    Event e = Open(100, fd, "/tmp/x" + std::to_string(fd), 0, kSec);
    EventContext ctx = state.Apply(e);
    ASSERT_NE(ctx.fd, nullptr) << "even a dropped fd has a context";
  }
  EXPECT_EQ(state.fd_count(100), 2u);
  EXPECT_EQ(state.counters().n_drops_full_fd_table, 3u);
  // The dead make room.
  Event exit = Make(EventType::kProcExit, 201, 0, 2 * kSec);
  state.Apply(exit);
  state.Purge(UINT64_MAX);
  Event f = Fork(100, 300, 3 * kSec);
  state.Apply(f);
  EXPECT_NE(state.FindProcess(300), nullptr);
}

TEST_F(StateTablesTest, UnknownProcessIsReadFromProcOnce) {
  proc_.Add(500, "late", 1, 33, std::string("late\0--x\0", 9), "/tmp");
  StateTables state(Options());
  Event e = Open(500, 3, "f", 0, kSec);
  EventContext ctx = state.Apply(e);
  ASSERT_NE(ctx.proc, nullptr);
  EXPECT_EQ(ctx.proc->comm, "late");
  EXPECT_EQ(ctx.fd->name, "/tmp/f");
  EXPECT_EQ(state.counters().n_proc_lookups, 1u);
  state.Apply(e);
  EXPECT_EQ(state.counters().n_proc_lookups, 1u);
  // A pid /proc does not know gets a bare entry with empty facts.
  Event ghost = Open(9999, 3, "/x", 0, kSec);
  ctx = state.Apply(ghost);
  ASSERT_NE(ctx.proc, nullptr);
  EXPECT_TRUE(ctx.proc->comm.empty());
  EXPECT_EQ(state.counters().n_failed_proc_lookups, 1u);
}

class FakeEngine : public ContainerSource {
 public:
  core::Result<Container> Inspect(const std::string& full_id) override {
    ++calls;
    if (fail) return core::Error(core::ErrorCode::kUnavailable, "down");
    Container c;
    c.full_id = full_id;
    c.name = "lab-web";
    c.image = "lab-web:latest";
    c.image_repository = "lab-web";
    c.privileged = true;
    if (!names.empty()) c.name = names.front();
    return c;
  }
  core::Result<std::vector<ContainerChange>> Changes(int64_t since_s, int64_t until_s) override {
    windows.emplace_back(since_s, until_s);
    return std::move(pending);
  }
  int calls = 0;
  bool fail = false;
  std::vector<std::string> names;  // the name Inspect answers, when set
  std::vector<ContainerChange> pending;
  std::vector<std::pair<int64_t, int64_t>> windows;
};

TEST_F(StateTablesTest, ExecInAContainerResolvesItsMetadataOnce) {
  const std::string id(64, 'c');
  proc_.Add(100, "containerd-shim", 1, 0, std::string("shim\0", 5));
  FakeEngine engine;
  StateTables state(Options(), &engine);
  Event f = Fork(100, 700, kSec);
  state.Apply(f);
  KernelFacts facts;
  facts.has_exec = true;
  facts.exec.comm = "sh";
  facts.exec.argv = {"sh", "-c", "id"};
  facts.exec.exepath = "/bin/dash";
  facts.exec.cgroup = "/docker/" + id;
  facts.exec.info.ppid = 100;
  facts.exec.info.loginuid = 4294967295u;
  facts.exec.exe_flags = kExeUpperLayer;
  Event x = Exec(700, "sh", "-c id", 2 * kSec);
  EventContext ctx = state.Apply(x, &facts);
  ASSERT_NE(ctx.container, nullptr);
  EXPECT_EQ(ctx.container->id, id.substr(0, 12));
  EXPECT_EQ(ctx.container->name, "lab-web");
  EXPECT_TRUE(ctx.container->privileged);
  EXPECT_EQ(ctx.proc->container_id, id.substr(0, 12));
  EXPECT_TRUE(ctx.proc->exe_upper_layer);
  EXPECT_FALSE(ctx.proc->loginuid.has_value());
  EXPECT_EQ(ctx.proc->args, (std::vector<std::string>{"-c", "id"}));
  Event again = Exec(700, "sh", "-c id", 3 * kSec);
  state.Apply(again, &facts);
  EXPECT_EQ(engine.calls, 1) << "cached";
  EXPECT_EQ(state.FindContainer(id.substr(0, 12))->name, "lab-web");
}

// The engine's lifecycle events refresh the cache without waiting for the
// 5-minute refresh: a rename is seen at once, a destroy forgotten, a start
// inspected before the container's first event.
TEST(ContainerCacheTest, LifecycleEventsRefreshForgetAndPreload) {
  FakeEngine engine;
  ContainerCache cache(&engine);
  const std::string full(64, 'b');
  ContainerRef ref{full.substr(0, 12), full, "docker"};
  ASSERT_EQ(cache.Resolve(ref, 100 * kSec)->name, "lab-web");

  cache.PollChanges(100 * kSec);  // the first call only marks the time
  EXPECT_TRUE(engine.windows.empty());
  engine.names = {"renamed-web"};
  engine.pending = {{full, "rename"}};
  cache.PollChanges(102 * kSec);
  ASSERT_EQ(engine.windows.size(), 1u);
  EXPECT_EQ(engine.windows[0], std::make_pair(int64_t{100}, int64_t{102}));
  EXPECT_EQ(cache.Find(ref.id)->name, "renamed-web");
  EXPECT_EQ(engine.calls, 2);

  const std::string started(64, 'c');
  engine.pending = {{started, "start"}, {std::string(64, 'd'), "die"}};
  cache.PollChanges(103 * kSec);
  ASSERT_NE(cache.Find(started.substr(0, 12)), nullptr) << "inspected before its first event";
  EXPECT_EQ(cache.Find(std::string(12, 'd')), nullptr) << "a die of an unknown container is ignored";

  engine.pending = {{full, "destroy"}};
  cache.PollChanges(104 * kSec);
  EXPECT_EQ(cache.Find(ref.id), nullptr);
  cache.PollChanges(104 * kSec + kSec / 2);  // same second: no call
  EXPECT_EQ(engine.windows.size(), 3u);
}

TEST(ContainerCacheTest, ParsesTheEnginesEventLines) {
  const std::string id(64, 'e');
  const std::string body =
      "{\"status\":\"start\",\"id\":\"" + id + "\",\"Type\":\"container\",\"Action\":\"start\","
      "\"Actor\":{\"ID\":\"" + id + "\",\"Attributes\":{\"name\":\"web\"}},\"time\":1}\n"
      "{\"Type\":\"network\",\"Action\":\"connect\",\"Actor\":{\"ID\":\"" + id + "\"}}\n"
      "not json\n"
      "{\"Type\":\"container\",\"Action\":\"rename\",\"Actor\":{\"ID\":\"short\"}}\n"
      "{\"Type\":\"container\",\"Action\":\"destroy\",\"Actor\":{\"ID\":\"" + id + "\"}}";
  std::vector<ContainerChange> changes = ParseContainerEvents(body);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].action, "start");
  EXPECT_EQ(changes[0].full_id, id);
  EXPECT_EQ(changes[1].action, "destroy");
  EXPECT_EQ(ParseContainerEvents(body, 1).size(), 1u);
}

TEST(ContainerCacheTest, FailedLookupsAreRetriedOnlyAfterTheDelay) {
  FakeEngine engine;
  engine.fail = true;
  ContainerCache cache(&engine);
  ContainerRef ref{std::string(12, 'a'), std::string(64, 'a'), "docker"};
  const Container* c = cache.Resolve(ref, kSec);
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->name.empty()) << "no placeholder";
  EXPECT_EQ(c->id, ref.id);
  cache.Resolve(ref, 2 * kSec);
  EXPECT_EQ(engine.calls, 1);
  engine.fail = false;
  c = cache.Resolve(ref, 12 * kSec);
  EXPECT_EQ(engine.calls, 2);
  EXPECT_EQ(c->name, "lab-web");
  ContainerCache none(nullptr);
  EXPECT_EQ(none.Resolve(ref, kSec)->type, "docker");
}

TEST(StateTablesReal, LoadsThisMachinesProc) {
  StateOptions o;
  o.proc.boot_to_realtime_ns = BootToRealtimeOffsetNs();
  StateTables state(o);
  EXPECT_GT(state.LoadFromProc(), 1u);
  const Process* self = state.FindProcess(getpid());
  ASSERT_NE(self, nullptr);
  EXPECT_EQ(self->exepath, fs::read_symlink("/proc/self/exe").string());
  EXPECT_EQ(self->cwd, fs::current_path().string());
  EXPECT_EQ(self->uid, getuid());
  EXPECT_GT(state.fd_count(getpid()), 2u);
  auto now = std::chrono::system_clock::now().time_since_epoch();
  uint64_t now_ns = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count());
  EXPECT_LE(self->start_ts_ns, now_ns);
  EXPECT_GT(self->start_ts_ns, now_ns - 3600 * kSec);
}

TEST(Paths, NormalizeAndResolve) {
  EXPECT_EQ(NormalizePath("/a/./b/../c//d/"), "/a/c/d");
  EXPECT_EQ(NormalizePath("/../.."), "/");
  EXPECT_EQ(ResolvePath("/home/u", "../../etc/passwd"), "/etc/passwd");
  EXPECT_EQ(ResolvePath("/home/u", "/abs"), "/abs");
  EXPECT_EQ(ResolvePath("", "rel/x"), "rel/x") << "no base: left as passed";
  SockAddr a, b;
  a.family = b.family = 10;
  a.ip[15] = 1;
  b.ip[15] = 1;
  a.port = 1;
  b.port = 2;
  EXPECT_EQ(SocketName(a, b), "::1:1->::1:2");
}

}  // namespace
}  // namespace bulwark::runtime::sensor
