// Compose checks (BW-CO-001...): the CIS Docker Benchmark section 5 runtime
// recommendations, the KICS / DockSec compose rules and a few more, applied
// to every service of a Docker Compose file. Each finding points at the key
// or value that causes it; a finding about something missing points at the
// service's name. RegisterComposeChecks() adds the metadata to the registry;
// MakeComposeAnalyzer() returns the analyzer the audit driver runs on files
// of kind kCompose. The analyzer keeps no state between files; one per run,
// not thread-safe.
#pragma once

#include <memory>
#include <string>

#include "audit/analyzer.hpp"
#include "core/check_registry.hpp"
#include "core/finding_sink.hpp"
#include "core/status.hpp"
#include "parse/compose.hpp"

namespace bulwark::audit {

core::Status RegisterComposeChecks(core::CheckRegistry& registry);

std::unique_ptr<Analyzer> MakeComposeAnalyzer();

// Runs every compose check on one parsed document (the analyzer's core, for
// tests and for `bulwark model`). `path` is the display path for locations.
void RunComposeChecks(const parse::ComposeFile& file, const std::string& path,
                      core::FindingSink& sink);

}  // namespace bulwark::audit
