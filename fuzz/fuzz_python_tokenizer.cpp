// libFuzzer target: the Python tokenizer and the Python code checks on
// arbitrary bytes. Checks the tokenizer's invariants (tokens are views into
// the input, in order, ending with ENDMARKER) and that analysis never
// crashes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "audit/python_checks.hpp"
#include "core/check_registry.hpp"
#include "core/finding_sink.hpp"
#include "parse/python_tokenizer.hpp"

namespace {

const bulwark::core::CheckRegistry& Registry() {
  static const bulwark::core::CheckRegistry* registry = [] {
    auto* r = new bulwark::core::CheckRegistry();
    if (!bulwark::audit::RegisterPythonChecks(*r).ok()) std::abort();
    return r;
  }();
  return *registry;
}

void CheckInvariants(std::string_view src, const bulwark::parse::PyTokenStream& stream) {
  if (stream.tokens.empty() ||
      stream.tokens.back().kind != bulwark::parse::PyTokenKind::kEndMarker) {
    std::abort();
  }
  size_t last = 0;
  for (const bulwark::parse::PyToken& t : stream.tokens) {
    if (t.offset < last || t.offset + t.text.size() > src.size()) std::abort();
    if (!t.text.empty() && t.text.data() != src.data() + t.offset) std::abort();
    if (t.line < 1 || t.column < 1) std::abort();
    last = t.offset;
    if (t.kind == bulwark::parse::PyTokenKind::kString) (void)bulwark::parse::PyStringValue(t);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string src(reinterpret_cast<const char*>(data), size);
  bulwark::parse::PyTokenStream stream = bulwark::parse::TokenizePython(src);
  CheckInvariants(src, stream);
  bulwark::core::FindingSink sink(Registry());
  bulwark::core::SourceFile file{"fuzz.py", {}, std::move(src)};
  bulwark::audit::MakePythonAnalyzer()->Analyze(file, sink);
  return 0;
}
