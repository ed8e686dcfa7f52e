// daemon.json checks (BW-DJ-001...): CIS Docker Benchmark 1.6.0 section 2
// (daemon configuration) applied to a daemon.json file. A setting that is
// present but wrong is reported at its key (or at the offending list item);
// a recommended setting that is absent is reported at the file's opening
// brace, since there is no line to point at. RegisterDaemonChecks() adds the
// metadata; MakeDaemonAnalyzer() returns the analyzer for files of kind
// kDaemonJson. Stateless between files; not thread-safe.
#pragma once

#include <memory>
#include <string>

#include "audit/analyzer.hpp"
#include "core/check_registry.hpp"
#include "core/finding_sink.hpp"
#include "core/status.hpp"
#include "parse/daemon_config.hpp"

namespace bulwark::audit {

core::Status RegisterDaemonChecks(core::CheckRegistry& registry);

std::unique_ptr<Analyzer> MakeDaemonAnalyzer();

// Runs every daemon.json check on a parsed file; `path` is the display path.
void RunDaemonChecks(const parse::DaemonConfig& config, const std::string& path,
                     core::FindingSink& sink);

}  // namespace bulwark::audit
