// The results directory (`.bulwark/` by default, `--results DIR`): every
// `audit`, `audit --host`, `scan`, `fix`, `model` and `watch` run leaves its
// JSON result there, and `bulwark report` reads them back to tell the story
// before and after. A saved result is
//
//   {"bulwark_result": 1,
//    "run": {"command": "audit", "target": "lab/vulnerable-app",
//            "time": "2026-11-23T10:00:00Z", "baseline": "", "tool_version": "…"},
//    "report": <the command's own JSON output, unchanged>}
//
// `fix --write` saves {"target", "written": true, "before": <audit report>,
// "after": <audit report>, "edits": [{"path", "created", "fixed": {"check
// ID": findings addressed}}]} as its report (the reader also accepts an
// edit as {"path", "line", "check", "description"});
// `model` saves threat_model.json. Users may also drop Trivy (`trivy image
// -f json`) and Grype (`grype -o json`) reports and plain bulwark JSON
// reports in the directory. Functions are stateless; thread-safe for
// distinct directories.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace bulwark::report {

inline constexpr std::string_view kDefaultResultsDir = ".bulwark";

struct RunInfo {
  std::string command;   // "audit", "audit-host", "scan", "fix", "model", "watch"
  std::string target;    // as the user named it
  std::string time;      // ISO 8601 UTC; empty: now
  std::string baseline;  // the --baseline file, when one was given
};

// Writes the result atomically (temp file + rename) as
// DIR/<command>-<target slug>-<UTC time>.json, creating DIR (mode 0700) when
// needed, and keeps at most `keep` results per command and target: the
// oldest (the "before") and the newest ones. Returns the file written.
core::Result<std::filesystem::path> SaveResult(const std::filesystem::path& dir, const RunInfo& run,
                                               std::string_view report_json, int keep = 20);

// "lab/vulnerable-app" -> "lab-vulnerable-app"; only [A-Za-z0-9._-], at
// most 80 characters, never empty, never "." or "..".
std::string TargetSlug(std::string_view target);

}  // namespace bulwark::report
