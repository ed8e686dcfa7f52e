// Test helpers for the rule engine: an in-memory StateView (processes,
// containers, hostname) and a Scene that holds one event with its process,
// descriptor and container, ready to hand to Engine::Evaluate.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/event/alert.hpp"
#include "runtime/event/state.hpp"
#include "runtime/rules/engine.hpp"

namespace bulwark::runtime::rules::testing {

class FakeState : public StateView {
 public:
  const Process* FindProcess(int64_t pid) const override {
    auto it = procs.find(pid);
    return it == procs.end() ? nullptr : &it->second;
  }
  const Container* FindContainer(std::string_view id) const override {
    auto it = containers.find(std::string(id));
    return it == containers.end() ? nullptr : &it->second;
  }
  std::string_view Hostname() const override { return hostname; }

  // Adds a process; args are argv[1..].
  Process& Add(int64_t pid, int64_t ppid, const std::string& comm, std::vector<std::string> args = {},
               const std::string& exepath = "") {
    Process& p = procs[pid];
    p.pid = pid;
    p.ppid = ppid;
    p.vpid = pid;
    p.sid = pid;
    p.pgid = pid;
    p.comm = comm;
    p.exepath = exepath.empty() ? "/usr/bin/" + comm : exepath;
    p.exe = p.exepath;
    p.args = std::move(args);
    p.cwd = "/";
    p.user_name = "root";
    p.group_name = "root";
    p.start_ts_ns = 1'700'000'000'000'000'000ULL;
    return p;
  }

  Container& AddContainer(const std::string& id, const std::string& repository) {
    Container& c = containers[id];
    c.id = id;
    c.full_id = id + std::string(52, '0');
    c.name = "c-" + id.substr(0, 4);
    c.image_repository = repository;
    c.image_tag = "latest";
    c.image = repository + ":latest";
    return c;
  }

  std::map<int64_t, Process> procs;
  std::map<std::string, Container> containers;
  std::string hostname = "test-host";
};

// One event in a process tree: init(1) <- ... Build, then Context().
struct Scene {
  FakeState state;
  Event evt;
  Fd fd;
  bool has_fd = false;
  int64_t pid = 0;

  Scene() {
    state.Add(1, 0, "systemd");
    evt.ts_ns = 1'700'000'010'000'000'000ULL;  // 10 s after the processes started
    evt.num = 1;
  }

  EventContext Context() const {
    EventContext ctx;
    ctx.evt = &evt;
    ctx.proc = state.FindProcess(pid);
    ctx.fd = has_fd ? &fd : nullptr;
    if (ctx.proc != nullptr && !ctx.proc->container_id.empty()) ctx.container = state.FindContainer(ctx.proc->container_id);
    ctx.state = &state;
    return ctx;
  }

  // The event is `type` by process `p`, returning `res`.
  // Starts a new event (arguments cleared).
  void Start(EventType type, int64_t p, int64_t res = 0) {
    evt.nargs = 0;
    evt.type = type;
    evt.pid = evt.tid = pid = p;
    evt.res = res;
  }
  EventArg& Arg(std::string_view name, ArgKind kind) { return *evt.AddArg(name, kind); }

  // An exec of `p` (already added): execve with its filename.
  void Exec(int64_t p) {
    Start(EventType::kExecve, p);
    Arg("filename", ArgKind::kPath).text = state.procs[p].exepath;
  }

  // openat of `path` with Linux O_* `flags`, returning fd `res` (or -errno).
  void Open(int64_t p, const std::string& path, int64_t flags, int64_t res = 3, const std::string& raw = "") {
    Start(EventType::kOpenat, p, res);
    Arg("dirfd", ArgKind::kFd).num = -100;
    Arg("name", ArgKind::kPath).text = raw.empty() ? path : raw;
    Arg("flags", ArgKind::kOpenFlags).num = flags;
    Arg("mode", ArgKind::kMode).num = 0644;
    evt.fd = res;
    has_fd = true;
    fd.num = res >= 0 ? res : -1;
    fd.type = FdType::kFile;
    fd.name = path;
    fd.nameraw = raw.empty() ? path : raw;
    fd.open_flags = static_cast<uint32_t>(flags);
  }

  // An IPv4 TCP socket from local a.b.c.d:lport to remote:rport (client side).
  void Socket4(const std::array<uint8_t, 4>& local, uint16_t lport, const std::array<uint8_t, 4>& remote,
               uint16_t rport, int64_t num = 3) {
    has_fd = true;
    fd.num = num;
    fd.type = FdType::kIpv4;
    fd.l4proto = L4Proto::kTcp;
    fd.local.family = 2;
    fd.remote.family = 2;
    std::copy(local.begin(), local.end(), fd.local.ip.begin());
    std::copy(remote.begin(), remote.end(), fd.remote.ip.begin());
    fd.local.port = lport;
    fd.remote.port = rport;
    fd.local_is_server = false;
    fd.connected = true;
    auto ip = [](const std::array<uint8_t, 4>& a) {
      return std::to_string(a[0]) + "." + std::to_string(a[1]) + "." + std::to_string(a[2]) + "." + std::to_string(a[3]);
    };
    fd.name = ip(local) + ":" + std::to_string(lport) + "->" + ip(remote) + ":" + std::to_string(rport);
  }
};

// Rule names among the alerts.
inline std::vector<std::string> Fired(Engine& engine, const Scene& scene) {
  std::vector<Alert> alerts;
  engine.Evaluate(scene.Context(), alerts);
  std::vector<std::string> names;
  for (const auto& a : alerts) names.push_back(a.rule);
  return names;
}

inline bool Fires(Engine& engine, const Scene& scene, const std::string& rule) {
  for (const auto& n : Fired(engine, scene)) {
    if (n == rule) return true;
  }
  return false;
}

// YAML single-quoted scalar.
inline std::string YamlQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// A rule file with one rule (no event-type warning).
inline std::string OneRule(const std::string& condition, const std::string& output = "matched",
                           const std::string& name = "r") {
  return "- rule: " + name + "\n  desc: test\n  condition: " + YamlQuote(condition) + "\n  output: " +
         YamlQuote(output) + "\n  priority: WARNING\n  warn_evttypes: false\n";
}

inline std::string Errors(const LoadResult& r) {
  std::string s;
  for (const auto& d : r.diagnostics) s += FormatDiagnostic(d) + "\n";
  return s;
}

// Loads `yaml` as "test.yaml"; `dns` may be null.
inline std::unique_ptr<Engine> LoadYaml(const std::string& yaml, LoadResult& result, const DnsCache* dns = nullptr) {
  return Engine::Load({{"test.yaml", yaml}}, result, dns);
}

}  // namespace bulwark::runtime::rules::testing
