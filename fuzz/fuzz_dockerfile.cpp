// libFuzzer target: the Dockerfile parser, the shell tokenizer it feeds and
// every Dockerfile check on arbitrary bytes, through the analyzer the audit
// driver uses. Also checks the parser's own invariants (offsets inside the
// input, instructions in order) so silent corruption shows up as a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "audit/dockerfile_checks.hpp"
#include "core/check_registry.hpp"
#include "core/finding_sink.hpp"
#include "parse/dockerfile.hpp"
#include "parse/shell_words.hpp"

namespace {

void CheckInvariants(const std::string& text, const bulwark::parse::Dockerfile& df) {
  size_t previous_end = 0;
  for (const bulwark::parse::Instruction& inst : df.instructions) {
    if (inst.begin_offset < previous_end || inst.end_offset > text.size() ||
        inst.begin_offset > inst.end_offset || inst.start_line > inst.end_line) {
      __builtin_trap();
    }
    for (const bulwark::parse::Word& word : inst.args) {
      if (word.end_offset > text.size() || word.offset > word.end_offset) __builtin_trap();
    }
    for (const bulwark::parse::Flag& flag : inst.flags) {
      if (flag.end_offset > text.size() || flag.offset >= flag.end_offset) __builtin_trap();
    }
    for (const bulwark::parse::KeyValue& kv : inst.pairs) {
      if (kv.end_offset > text.size() || kv.offset > kv.end_offset) __builtin_trap();
    }
    for (size_t i = 0; i <= inst.args_text.size(); i += 1 + inst.args_text.size() / 8) {
      if (inst.FileOffset(i) > text.size()) __builtin_trap();
    }
    previous_end = inst.end_offset;
  }
  for (const bulwark::parse::Stage& stage : df.stages) {
    if (stage.from_index >= df.instructions.size() || stage.end_index > df.instructions.size() ||
        stage.parent_stage >= stage.index) {
      __builtin_trap();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bulwark::core::CheckRegistry* registry = [] {
    auto* r = new bulwark::core::CheckRegistry();
    if (!bulwark::audit::RegisterDockerfileChecks(*r).ok()) __builtin_trap();
    return r;
  }();
  const std::string text(reinterpret_cast<const char*>(data), size);
  CheckInvariants(text, bulwark::parse::ParseDockerfile(text));
  bulwark::core::FindingSink sink(*registry);
  auto analyzer = bulwark::audit::MakeDockerfileAnalyzer();
  analyzer->Analyze(bulwark::core::SourceFile{"Dockerfile", {}, text}, sink);
  analyzer->Finish(sink);
  // The tokenizer on its own, as a RUN body or heredoc would hold it.
  (void)bulwark::parse::SplitShell(text);
  return 0;
}
