// libFuzzer target: one condition string (untrusted) through the parser,
// then as the condition of a rule (after textual list substitution and
// macro resolution, with a few lists and macros defined) compiled and
// evaluated against an exec event.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "runtime/rules/condition_parser.hpp"
#include "runtime/rules/engine.hpp"

namespace {

using namespace bulwark::runtime;

// A YAML double-quoted scalar holding arbitrary bytes.
std::string YamlString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

class World : public StateView {
 public:
  World() {
    proc.pid = 100;
    proc.ppid = 1;
    proc.comm = "bash";
    proc.args = {"-c", "echo"};
    init.pid = 1;
    init.comm = "systemd";
  }
  const Process* FindProcess(int64_t pid) const override { return pid == 100 ? &proc : pid == 1 ? &init : nullptr; }
  const Container* FindContainer(std::string_view) const override { return nullptr; }
  std::string_view Hostname() const override { return "fuzz"; }
  Process proc, init;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string condition(reinterpret_cast<const char*>(data), size);
  rules::ParseResult parsed = rules::ParseCondition(condition);
  if (parsed.expr) (void)parsed.expr->ToString();
  std::string yaml =
      "- list: shells\n  items: [sh, bash, 'a b']\n"
      "- list: empty\n  items: []\n"
      "- macro: spawned\n  condition: evt.type in (execve, execveat)\n"
      "- macro: shell\n  condition: proc.name in (shells, empty)\n"
      "- rule: fuzz\n  desc: fuzz\n  condition: " +
      YamlString(condition) + "\n  output: \"%proc.name %evt.type %proc.aname[1]\"\n  priority: INFO\n";
  rules::LoadResult result;
  auto engine = rules::Engine::Load({{"fuzz.yaml", yaml}}, result);
  static World world;
  Event evt;
  evt.type = EventType::kExecve;
  EventContext ctx{&evt, &world.proc, nullptr, nullptr, &world};
  std::vector<Alert> alerts;
  engine->Evaluate(ctx, alerts);
  return 0;
}
