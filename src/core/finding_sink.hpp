// FindingSink: what checks report into. A check names its ID, a location and
// a message; the sink fills title, severity, remediation and references from
// the registry so metadata lives in one place. Not thread-safe: one sink per
// worker, merged afterwards.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/check_registry.hpp"
#include "core/finding.hpp"

namespace bulwark::core {

class FindingSink {
 public:
  explicit FindingSink(const CheckRegistry& registry) : registry_(registry) {}

  // Reports a finding of a registered check. An unknown ID is a bug in
  // bulwark: it becomes a diagnostic rather than a crash.
  void Report(std::string_view check_id, Location location, std::string message);
  // Same, with an explicit severity (e.g. a secret whose kind is critical).
  void ReportWithSeverity(std::string_view check_id, Severity severity, Location location,
                          std::string message);
  void Diagnose(Location location, std::string message);

  std::vector<Finding>& findings() { return findings_; }
  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }
  const CheckRegistry& registry() const { return registry_; }

 private:
  const CheckRegistry& registry_;
  std::vector<Finding> findings_;
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace bulwark::core
