#include "core/report.hpp"

#include <algorithm>
#include <string>
#include <tuple>

namespace bulwark::core {

std::array<int, 5> CountBySeverity(const std::vector<Finding>& findings) {
  std::array<int, 5> counts{};
  for (const Finding& f : findings) ++counts[static_cast<size_t>(f.severity)];
  return counts;
}

std::string FindingCountsText(const std::vector<Finding>& findings) {
  auto counts = CountBySeverity(findings);
  std::string out = std::to_string(findings.size()) + " findings (";
  bool first = true;
  for (Severity s : kAllSeverities) {
    out += (first ? "" : ", ") + std::string(SeverityName(s)) + ": " + std::to_string(counts[static_cast<size_t>(s)]);
    first = false;
  }
  return out + ")";
}

void SortFindings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    // A total order, so parallel runs print exactly what sequential ones do.
    return std::tie(a.location.path, a.location.line, a.location.column, a.id, a.message) <
           std::tie(b.location.path, b.location.line, b.location.column, b.id, b.message);
  });
}

}  // namespace bulwark::core
