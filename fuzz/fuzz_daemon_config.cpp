// libFuzzer target: the daemon.json reader and every daemon.json check on
// arbitrary bytes, through the analyzer the audit driver uses.
#include <cstddef>
#include <cstdint>
#include <string>

#include "audit/daemon_checks.hpp"
#include "core/check_registry.hpp"
#include "core/finding_sink.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bulwark::core::CheckRegistry* registry = [] {
    auto* r = new bulwark::core::CheckRegistry();
    if (!bulwark::audit::RegisterDaemonChecks(*r).ok()) __builtin_trap();
    return r;
  }();
  const std::string text(reinterpret_cast<const char*>(data), size);
  bulwark::core::FindingSink sink(*registry);
  auto analyzer = bulwark::audit::MakeDaemonAnalyzer();
  analyzer->Analyze(bulwark::core::SourceFile{"daemon.json", {}, text}, sink);
  analyzer->Finish(sink);
  return 0;
}
