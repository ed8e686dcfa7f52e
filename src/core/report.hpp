// Report: the result of one run (audit, host audit, scan) as renderers see
// it. Plain value type; renderers never modify it.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "core/finding.hpp"

namespace bulwark::core {

struct Report {
  std::string target;  // what was examined, as the user named it
  std::vector<Finding> findings;
  std::vector<Diagnostic> diagnostics;
  int files_examined = 0;
  std::map<std::string, int> files_by_kind;  // e.g. "dockerfile" -> 3
  int suppressed = 0;  // findings hidden by .bulwarkignore or inline comments
};

// Counts by severity, indexed by static_cast<int>(Severity).
std::array<int, 5> CountBySeverity(const std::vector<Finding>& findings);

// "32 findings (critical: 2, high: 3, medium: 14, low: 12, info: 1)", the
// opening of every summary line.
std::string FindingCountsText(const std::vector<Finding>& findings);

// Sorts findings by path, line, column, then ID, so output is stable.
void SortFindings(std::vector<Finding>& findings);

}  // namespace bulwark::core
