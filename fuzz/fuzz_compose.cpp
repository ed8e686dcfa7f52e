// libFuzzer target: the compose parser and every compose check on arbitrary
// bytes, through the analyzer the audit driver uses.
#include <cstddef>
#include <cstdint>
#include <string>

#include "audit/compose_checks.hpp"
#include "core/check_registry.hpp"
#include "core/finding_sink.hpp"
#include "parse/compose.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bulwark::core::CheckRegistry* registry = [] {
    auto* r = new bulwark::core::CheckRegistry();
    if (!bulwark::audit::RegisterComposeChecks(*r).ok()) __builtin_trap();
    return r;
  }();
  const std::string text(reinterpret_cast<const char*>(data), size);
  bulwark::core::FindingSink sink(*registry);
  auto analyzer = bulwark::audit::MakeComposeAnalyzer();
  analyzer->Analyze(bulwark::core::SourceFile{"compose.yaml", {}, text}, sink);
  analyzer->Finish(sink);
  // The short syntaxes on their own, as a compose value could hold them.
  bulwark::parse::ComposePort port;
  bulwark::parse::ComposeVolume volume;
  std::string error;
  (void)bulwark::parse::ParsePortShortSyntax(text, port, error);
  (void)bulwark::parse::ParseVolumeShortSyntax(text, volume, error);
  (void)bulwark::parse::InterpolationDefault(text);
  return 0;
}
