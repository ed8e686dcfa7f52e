// Throughput of the rule engine (issue 7 goal: >= 1,000,000 events/s per
// core with Falco's default rules plus a second file loaded).
//
// The stream: 4,096 synthetic events drawn (fixed seed) from a realistic
// mix of the event types the loaded rules listen to, as the sensor would
// pass them after in-kernel filtering by Engine::EventTypes(): opens of
// library, config, proc and log files (a fifth for writing), execs of
// common tools with their arguments, connects and sends to private and
// public addresses, socket/accept, dup2, unlink/rename/mkdir/chmod,
// setuid and the odd ptrace, by processes in a 6-level tree on the host and
// in three containers. Almost all events are benign, as in production; one
// exec in 50 is nginx spawning a shell, so a few match (alert rendering is
// part of the cost).
//
// Rules: Falco's falco_rules.yaml (+ falco-incubating_rules.yaml, + the
// sandbox file, or + bulwark's shipped rules/bulwark_rules.yaml) from
// $BULWARK_BENCH_FALCO_RULES, else ../shared/data/falco-rules beside the
// checkout (compiled in); skipped loudly when absent.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/rules/engine.hpp"

namespace bulwark::bench {
namespace {

namespace fs = std::filesystem;
using runtime::Container;
using runtime::Event;
using runtime::EventContext;
using runtime::EventType;
using runtime::Fd;
using runtime::FdType;
using runtime::Process;
using namespace runtime::rules;

fs::path RulesDir() {
  if (const char* env = std::getenv("BULWARK_BENCH_FALCO_RULES"); env != nullptr && *env != '\0') return env;
#ifdef BULWARK_BENCH_FALCO_RULES
  return BULWARK_BENCH_FALCO_RULES;
#else
  return {};
#endif
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class World : public runtime::StateView {
 public:
  const Process* FindProcess(int64_t pid) const override {
    auto it = procs.find(pid);
    return it == procs.end() ? nullptr : &it->second;
  }
  const Container* FindContainer(std::string_view id) const override {
    auto it = containers.find(std::string(id));
    return it == containers.end() ? nullptr : &it->second;
  }
  std::string_view Hostname() const override { return "bench-host"; }

  Process& Add(int64_t pid, int64_t ppid, const std::string& comm, std::vector<std::string> args,
               const std::string& container = "") {
    Process& p = procs[pid];
    p.pid = p.vpid = p.sid = p.pgid = pid;
    p.ppid = ppid;
    p.comm = comm;
    p.exepath = "/usr/bin/" + comm;
    p.exe = comm;
    p.args = std::move(args);
    p.cwd = "/srv";
    // Services in containers run as www-data; the host's processes as root.
    p.user_name = container.empty() ? "root" : "www-data";
    p.euid = container.empty() ? 0 : 33;
    p.group_name = "root";
    p.start_ts_ns = 1'700'000'000'000'000'000ULL;
    p.container_id = container;
    p.cap_effective = container.empty() ? ~uint64_t{0} >> 23 : 0xa80425fb;
    return p;
  }

  std::map<int64_t, Process> procs;
  std::map<std::string, Container> containers;
};

struct Sample {
  Event evt;
  Fd fd;
  bool has_fd = false;
  int64_t pid = 0;
};

// The process tree: systemd -> {sshd -> bash -> {python3, make -> cc},
// containerd-shim -> 3 containers x {nginx -> {php-fpm, sh}, node}}.
struct Actors {
  std::vector<int64_t> all;      // any process may open, exec, touch files
  std::vector<int64_t> network;  // the services that talk on the network
};

void BuildWorld(World& w, Actors& actors) {
  w.Add(1, 0, "systemd", {});
  w.Add(10, 1, "sshd", {"-D"});
  w.Add(11, 10, "sshd", {});
  w.Add(12, 11, "bash", {"-l"});
  w.Add(13, 12, "python3", {"manage.py", "runserver"});
  w.Add(14, 12, "make", {"-j8"});
  w.Add(15, 14, "cc", {"-O2", "-c", "main.c"});
  w.Add(20, 1, "containerd", {});
  actors.all = {12, 13, 14, 15, 20};
  actors.network = {13};
  for (int c = 0; c < 3; ++c) {
    std::string id = "c0ffee00000" + std::to_string(c);
    Container& ct = w.containers[id];
    ct.id = id;
    ct.name = "svc-" + std::to_string(c);
    ct.image_repository = c == 0 ? "docker.io/library/nginx" : "ghcr.io/acme/api";
    ct.image_tag = "1.25";
    ct.image = ct.image_repository + ":1.25";
    int64_t base = 100 + c * 10;
    w.Add(base, 20, "containerd-shim", {"-namespace", "moby"});
    w.Add(base + 1, base, "nginx", {"-g", "daemon off;"}, id);
    w.Add(base + 2, base + 1, "php-fpm", {}, id);
    w.Add(base + 3, base + 1, "node", {"server.js"}, id);
    w.Add(base + 4, base + 3, "sh", {"-c", "node worker.js"}, id);
    for (int64_t p : {base + 1, base + 2, base + 3, base + 4}) actors.all.push_back(p);
    for (int64_t p : {base + 1, base + 2, base + 3}) actors.network.push_back(p);
  }
}

void SetIp4(runtime::SockAddr& a, uint32_t ip, uint16_t port) {
  a.family = 2;
  a.ip = {static_cast<uint8_t>(ip >> 24), static_cast<uint8_t>(ip >> 16), static_cast<uint8_t>(ip >> 8),
          static_cast<uint8_t>(ip)};
  a.port = port;
}

void MakeOpen(Sample& s, std::mt19937& rng) {
  static const char* kPaths[] = {"/etc/hosts", "/usr/lib/x86_64-linux-gnu/libc.so.6", "/proc/self/stat",
                                 "/srv/app/config.json", "/etc/ld.so.cache", "/usr/share/zoneinfo/UTC",
                                 "/var/lib/app/data.db", "/tmp/upload-1234", "/etc/passwd", "/dev/null"};
  static const char* kWritePaths[] = {"/var/log/app/access.log", "/tmp/cache-77", "/srv/app/tmp/session",
                                      "/var/lib/app/data.db-journal"};
  bool write = rng() % 5 == 0;
  std::string path = write ? kWritePaths[rng() % 4] : kPaths[rng() % 10];
  s.evt.type = EventType::kOpenat;
  s.evt.res = 3 + static_cast<int64_t>(rng() % 20);
  s.evt.AddArg("dirfd", runtime::ArgKind::kFd)->num = -100;
  s.evt.AddArg("name", runtime::ArgKind::kPath)->text = path;
  s.evt.AddArg("flags", runtime::ArgKind::kOpenFlags)->num = write ? (01 | 0100 | 02000) : 02000000;
  s.evt.AddArg("mode", runtime::ArgKind::kMode)->num = 0644;
  s.has_fd = true;
  s.fd.num = s.evt.res;
  s.fd.type = FdType::kFile;
  s.fd.name = s.fd.nameraw = path;
}

void MakeExec(World& w, Sample& s, std::mt19937& rng) {
  static const std::vector<std::vector<std::string>> kCommands = {
      {"ls", "-la", "/srv"}, {"cat", "/srv/app/config.json"}, {"grep", "-r", "TODO", "src"}, {"git", "status"},
      {"python3", "-m", "pip", "list"}, {"curl", "-s", "http://10.0.0.7/health"}, {"date"}, {"ps", "aux"},
      {"find", ".", "-name", "*.o"}, {"node", "-v"}};
  static const std::vector<std::string> kShellFromWebServer = {"sh", "-c", "id"};
  // One exec in 50 is a web server spawning a shell ("Run shell untrusted").
  bool suspicious = rng() % 50 == 0;
  const auto& cmd = suspicious ? kShellFromWebServer : kCommands[rng() % kCommands.size()];
  // A fresh pid per exec: processes in the world are re-exec'd copies.
  int64_t parent = suspicious ? 101 : s.pid;
  int64_t pid = 1000 + static_cast<int64_t>(w.procs.size());
  const Process& pp = w.procs[parent];
  w.Add(pid, parent, cmd[0], std::vector<std::string>(cmd.begin() + 1, cmd.end()), pp.container_id);
  s.pid = pid;
  s.evt.type = EventType::kExecve;
  s.evt.AddArg("filename", runtime::ArgKind::kPath)->text = "/usr/bin/" + cmd[0];
}

void MakeNet(Sample& s, std::mt19937& rng, EventType type) {
  s.evt.type = type;
  s.evt.res = type == EventType::kConnect ? (rng() % 4 == 0 ? -115 : 0) : 64;
  s.evt.AddArg("fd", runtime::ArgKind::kFd)->num = 5;
  s.has_fd = true;
  s.fd.num = 5;
  s.fd.type = FdType::kIpv4;
  bool dns = rng() % 5 == 0;  // UDP: name lookups
  s.fd.l4proto = dns ? runtime::L4Proto::kUdp : runtime::L4Proto::kTcp;
  bool pub = !dns && rng() % 3 == 0;
  SetIp4(s.fd.local, 0xac110002, static_cast<uint16_t>(40000 + rng() % 2000));
  SetIp4(s.fd.remote, pub ? 0x5db8d822 : dns ? 0x0a000002 : 0x0a000007, dns ? 53 : pub ? 443 : 5432);
  s.fd.connected = true;
  s.fd.name = pub ? "172.17.0.2:40000->93.184.216.34:443"
              : dns ? "172.17.0.2:40000->10.0.0.2:53" : "172.17.0.2:40000->10.0.0.7:5432";
}

void MakeFileOp(Sample& s, std::mt19937& rng) {
  static const EventType kTypes[] = {EventType::kUnlinkat, EventType::kRenameat2, EventType::kMkdirat,
                                     EventType::kFchmodat};
  s.evt.type = kTypes[rng() % 4];
  s.evt.AddArg("dirfd", runtime::ArgKind::kFd)->num = -100;
  std::string path = "/tmp/work-" + std::to_string(rng() % 100);
  if (s.evt.type == EventType::kRenameat2) {
    s.evt.AddArg("oldpath", runtime::ArgKind::kPath)->text = path;
    s.evt.AddArg("newpath", runtime::ArgKind::kPath)->text = path + ".done";
  } else {
    s.evt.AddArg(s.evt.type == EventType::kFchmodat ? "filename" : "name", runtime::ArgKind::kPath)->text = path;
    if (s.evt.type == EventType::kFchmodat) s.evt.AddArg("mode", runtime::ArgKind::kMode)->num = 0644;
  }
}

// One event of the mix, by one of the actors.
void MakeEvent(World& w, Sample& s, std::mt19937& rng, const Actors& actors, uint64_t n) {
  s.pid = actors.all[rng() % actors.all.size()];
  s.evt.Clear();
  s.evt.num = n;
  s.evt.ts_ns = 1'700'000'100'000'000'000ULL + n * 1000;
  unsigned roll = rng() % 100;
  if (roll < 45) {
    MakeOpen(s, rng);
  } else if (roll < 57) {
    MakeExec(w, s, rng);
  } else if (roll < 69) {
    s.pid = actors.network[rng() % actors.network.size()];
    MakeNet(s, rng, EventType::kConnect);
  } else if (roll < 77) {
    s.pid = actors.network[rng() % actors.network.size()];
    MakeNet(s, rng, EventType::kSendto);
  } else if (roll < 82) {
    s.pid = actors.network[rng() % actors.network.size()];
    MakeNet(s, rng, EventType::kAccept4);
  } else if (roll < 86) {
    s.evt.type = EventType::kSocket;
    s.evt.res = 5;
    s.evt.AddArg("domain", runtime::ArgKind::kSocketDomain)->num = 2;
    s.evt.AddArg("type", runtime::ArgKind::kSocketType)->num = 1;
    s.evt.AddArg("proto", runtime::ArgKind::kInt)->num = 0;
  } else if (roll < 88) {
    s.pid = actors.network[rng() % actors.network.size()];
    MakeNet(s, rng, EventType::kDup2);
    s.evt.res = 7;
  } else if (roll < 97) {
    MakeFileOp(s, rng);
  } else if (roll < 99) {
    s.pid = 10;  // sshd dropping privileges
    s.evt.type = EventType::kSetuid;
    s.evt.AddArg("uid", runtime::ArgKind::kUid)->num = 33;
  } else {
    s.evt.type = EventType::kPtrace;
    s.evt.AddArg("request", runtime::ArgKind::kPtraceRequest)->num = 2;
  }
  s.evt.pid = s.evt.tid = s.pid;
}

struct Stream {
  World world;
  std::vector<Sample> samples;
  std::vector<EventContext> contexts;
};

std::unique_ptr<Stream> MakeStream(size_t n) {
  auto stream = std::make_unique<Stream>();
  Actors actors;
  BuildWorld(stream->world, actors);
  std::mt19937 rng(42);
  stream->samples.resize(n);
  for (size_t i = 0; i < n; ++i) MakeEvent(stream->world, stream->samples[i], rng, actors, i + 1);
  // Contexts point into the finished world (no more insertions).
  for (const auto& s : stream->samples) {
    EventContext ctx;
    ctx.evt = &s.evt;
    ctx.proc = stream->world.FindProcess(s.pid);
    ctx.fd = s.has_fd ? &s.fd : nullptr;
    ctx.container = ctx.proc != nullptr && !ctx.proc->container_id.empty()
                        ? stream->world.FindContainer(ctx.proc->container_id)
                        : nullptr;
    ctx.state = &stream->world;
    stream->contexts.push_back(ctx);
  }
  return stream;
}

// The shipped defaults (rules/bulwark_rules.yaml in the source tree).
fs::path BulwarkRules() {
#ifdef BULWARK_BENCH_BULWARK_RULES
  return BULWARK_BENCH_BULWARK_RULES;
#else
  return {};
#endif
}

// `files` are names in the falco-rules folder, or absolute paths.
std::unique_ptr<Engine> LoadRules(const std::vector<std::string>& files, benchmark::State& state) {
  fs::path dir = RulesDir();
  std::vector<RuleSource> sources;
  for (const auto& f : files) {
    fs::path path = fs::path(f).is_absolute() ? fs::path(f) : dir / f;
    if (path.empty() || !fs::exists(path)) {
      state.SkipWithError(("SKIPPED: " + path.string() +
                           " not found (set BULWARK_BENCH_FALCO_RULES to the falco-rules folder)")
                              .c_str());
      return nullptr;
    }
    sources.push_back({path.filename().string(), ReadAll(path)});
  }
  LoadResult result;
  auto engine = Engine::Load(sources, result);
  if (result.ErrorCount() != 0) {
    state.SkipWithError("rule files did not load without errors");
    return nullptr;
  }
  return engine;
}

void RunStream(benchmark::State& state, const std::vector<std::string>& files) {
  auto engine = LoadRules(files, state);
  if (engine == nullptr) return;
  auto stream = MakeStream(4096);
  std::vector<runtime::Alert> alerts;
  size_t i = 0, fired = 0;
  constexpr size_t kBatch = 1024;
  for (auto _ : state) {
    for (size_t k = 0; k < kBatch; ++k) {
      alerts.clear();
      fired += engine->Evaluate(stream->contexts[i++ & 4095], alerts);
    }
    benchmark::DoNotOptimize(alerts.data());
  }
  auto events = static_cast<int64_t>(state.iterations() * kBatch);
  state.SetItemsProcessed(events);
  state.counters["alerts_per_1k_events"] = events > 0 ? 1000.0 * static_cast<double>(fired) / static_cast<double>(events) : 0;
  state.counters["rules"] = static_cast<double>(engine->ActiveRuleCount());
  // BULWARK_BENCH_VERBOSE=1: which rules the stream makes fire (once).
  static bool printed = false;
  if (const char* v = std::getenv("BULWARK_BENCH_VERBOSE"); v != nullptr && *v == '1' && !printed) {
    printed = true;
    std::map<std::string, size_t> counts;
    for (const auto& ctx : stream->contexts) {
      alerts.clear();
      engine->Evaluate(ctx, alerts);
      for (const auto& a : alerts) ++counts[a.rule];
    }
    for (const auto& [rule, n] : counts) std::fprintf(stderr, "  %5zu  %s\n", n, rule.c_str());
  }
}

void BM_StableRules(benchmark::State& state) { RunStream(state, {"falco_rules.yaml"}); }
void BM_StablePlusIncubating(benchmark::State& state) {
  RunStream(state, {"falco_rules.yaml", "falco-incubating_rules.yaml"});
}
void BM_StablePlusBulwarkDefaults(benchmark::State& state) {
  RunStream(state, {"falco_rules.yaml", BulwarkRules().string()});
}
void BM_AllThreeFiles(benchmark::State& state) {
  RunStream(state, {"falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"});
}

void BM_LoadStableRules(benchmark::State& state) {
  fs::path file = RulesDir() / "falco_rules.yaml";
  if (!fs::exists(file)) {
    state.SkipWithError("SKIPPED: falco_rules.yaml not found (set BULWARK_BENCH_FALCO_RULES)");
    return;
  }
  std::string text = ReadAll(file);
  for (auto _ : state) {
    LoadResult result;
    auto engine = Engine::Load({{"falco_rules.yaml", text}}, result);
    benchmark::DoNotOptimize(engine.get());
  }
}

BENCHMARK(BM_StableRules);
BENCHMARK(BM_StablePlusIncubating);
BENCHMARK(BM_StablePlusBulwarkDefaults);
BENCHMARK(BM_AllThreeFiles);
BENCHMARK(BM_LoadStableRules)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bulwark::bench

BENCHMARK_MAIN();
