// Report: the result of one run (audit, host audit, scan) as renderers see
// it. Plain value type; renderers never modify it.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "core/finding.hpp"

namespace bulwark::core {

// A check that could not run (`audit --host` without root, without the
// engine, or out of scope), and why.
struct SkippedCheck {
  std::string id;
  std::string cis;
  std::string reason;
};

// A finding a user chose to hide, and why: `bulwark report` lists these as
// accepted risk.
struct SuppressedFinding {
  Finding finding;
  std::string source;  // "ignorefile" (with its path and line) or "inline"
  std::string reason;  // as the user wrote it; may be empty
};

struct Report {
  std::string target;  // what was examined, as the user named it
  std::vector<Finding> findings;
  std::vector<Diagnostic> diagnostics;
  int files_examined = 0;
  std::map<std::string, int> files_by_kind;  // e.g. "dockerfile" -> 3
  int suppressed = 0;  // findings hidden by .bulwarkignore or inline comments
  std::vector<SuppressedFinding> suppressed_findings;  // the same, with reasons
  // Image scans (`scan`): packages matched, and findings a VEX document
  // marked not_affected or fixed.
  bool scan = false;
  int packages_examined = 0;
  int vex_suppressed = 0;
  // Host audits: checks that passed (rendered only on request, always
  // counted) and checks that could not run.
  std::vector<Finding> passed;
  bool include_passed = false;
  std::vector<SkippedCheck> skipped;
  // With --baseline: findings of the earlier run that are gone now.
  bool has_baseline = false;
  std::string baseline_path;
  std::vector<Finding> fixed;
};

// Counts by severity, indexed by static_cast<int>(Severity).
std::array<int, 5> CountBySeverity(const std::vector<Finding>& findings);

// "32 findings (critical: 2, high: 3, medium: 14, low: 12, info: 1)", the
// opening of every summary line.
std::string FindingCountsText(const std::vector<Finding>& findings);

// Sorts findings by path, line, column, then ID, so output is stable.
void SortFindings(std::vector<Finding>& findings);

}  // namespace bulwark::core
