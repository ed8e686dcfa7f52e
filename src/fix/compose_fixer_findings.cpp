// Which requested findings belong to which service. Findings carry only a
// position, and a position can be shared (keys merged from an anchor are
// reported where the anchor writes them), so the compose checks are run on
// each service alone and a requested finding belongs to every service whose
// own run reports it at the same place.
#include "audit/compose_checks.hpp"
#include "core/check_registry.hpp"
#include "core/finding_sink.hpp"
#include "fix/compose_fixer_internal.hpp"

namespace bulwark::fix::compose_fix {
namespace {

// Built once, read-only afterwards: safe to share between threads.
const core::CheckRegistry& ComposeRegistry() {
  static const core::CheckRegistry registry = [] {
    core::CheckRegistry made;
    (void)audit::RegisterComposeChecks(made);
    return made;
  }();
  return registry;
}

WantedFindings Matching(const std::vector<core::Finding>& found,
                        const std::set<FindingKey>& requested, bool networks) {
  WantedFindings out;
  for (const core::Finding& finding : found) {
    if ((finding.id == kBackendNetworkNotInternal) != networks) continue;
    const FindingKey key{finding.id, finding.location.line, finding.location.column};
    if (requested.count(key) == 0) continue;
    out[finding.id].push_back({finding.location.line, finding.location.column});
  }
  return out;
}

}  // namespace

WantedFindings ServiceFindings(const parse::ComposeFile& file, const parse::ComposeService& service,
                               const std::set<FindingKey>& requested) {
  parse::ComposeFile alone = file;
  alone.services = {service};
  alone.networks.clear();  // network findings are the document's (NetworkFindings)
  core::FindingSink sink(ComposeRegistry());
  audit::RunComposeChecks(alone, "", sink);
  return Matching(sink.findings(), requested, false);
}

WantedFindings NetworkFindings(const parse::ComposeFile& file,
                               const std::set<FindingKey>& requested) {
  core::FindingSink sink(ComposeRegistry());
  audit::RunComposeChecks(file, "", sink);
  return Matching(sink.findings(), requested, true);
}

}  // namespace bulwark::fix::compose_fix
