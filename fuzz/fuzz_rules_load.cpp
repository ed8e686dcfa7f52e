// libFuzzer target: a whole rule file (untrusted YAML) through the rule
// engine's loader (read, collect, lists, macros, exceptions, compile), then
// every compiled rule evaluated against a few synthetic events (exec, open,
// connect) so the field extractors, operators and output rendering run too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/rules/engine.hpp"

namespace {

using namespace bulwark::runtime;

class World : public StateView {
 public:
  World() {
    parent.pid = 50;
    parent.ppid = 0;
    parent.comm = "nginx";
    parent.exepath = "/usr/sbin/nginx";
    proc.pid = 100;
    proc.ppid = 50;
    proc.comm = "sh";
    proc.exe = "/bin/sh";
    proc.exepath = "/bin/sh";
    proc.args = {"-c", "id"};
    proc.env = {"HOME=/root"};
    proc.container_id = "abcdef012345";
    proc.cap_effective = 0xffffffffffULL;
    container.id = "abcdef012345";
    container.image_repository = "nginx";
    container.mounts.push_back({"/var/run/docker.sock", "/var/run/docker.sock", "", true, ""});
  }
  const Process* FindProcess(int64_t pid) const override {
    return pid == 100 ? &proc : pid == 50 ? &parent : nullptr;
  }
  const Container* FindContainer(std::string_view id) const override {
    return id == container.id ? &container : nullptr;
  }
  std::string_view Hostname() const override { return "fuzz"; }

  Process proc, parent;
  Container container;
};

void EvaluateAll(rules::Engine& engine) {
  static World world;
  std::vector<Alert> alerts;
  Event evt;
  Fd fd;
  EventContext ctx{&evt, &world.proc, nullptr, &world.container, &world};
  evt.type = EventType::kExecve;
  evt.AddArg("filename", ArgKind::kPath)->text = "/bin/sh";
  engine.Evaluate(ctx, alerts);
  evt.Clear();
  evt.type = EventType::kOpenat;
  evt.res = 3;
  evt.AddArg("name", ArgKind::kPath)->text = "/etc/shadow";
  evt.AddArg("flags", ArgKind::kOpenFlags)->num = 01 | 0100 | 01000;
  fd.num = 3;
  fd.type = FdType::kFile;
  fd.name = "/etc/shadow";
  ctx.fd = &fd;
  engine.Evaluate(ctx, alerts);
  evt.Clear();
  evt.type = EventType::kConnect;
  evt.res = -115;
  fd.type = FdType::kIpv4;
  fd.l4proto = L4Proto::kTcp;
  fd.remote.family = 2;
  fd.remote.ip = {93, 184, 216, 34};
  fd.remote.port = 443;
  fd.local.family = 2;
  fd.name = "10.0.0.1:4000->93.184.216.34:443";
  engine.Evaluate(ctx, alerts);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rules::LoadResult result;
  auto engine = rules::Engine::Load({{"fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size)}}, result);
  for (const auto& d : result.diagnostics) (void)rules::FormatDiagnostic(d);
  (void)engine->Rules();
  (void)engine->EventTypes();
  EvaluateAll(*engine);
  engine->SetMatchMode(rules::MatchMode::kFirst);
  engine->SetRuleEnabled("*", true);
  EvaluateAll(*engine);
  return 0;
}
