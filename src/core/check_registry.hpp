// The one registry of checks: stable ID, title, severity, rationale,
// remediation and references. `bulwark checks`, docs/checks.md and every
// finding's metadata come from here. Filled once at start-up by explicit
// Register*Checks(registry) calls, read-only afterwards (then thread-safe).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/status.hpp"

namespace bulwark::core {

struct CheckInfo {
  std::string id;  // stable, e.g. "BW-DF-001"
  std::string title;
  Severity severity = Severity::kMedium;
  Category category = Category::kCode;
  std::string rationale;    // why it matters, one or two sentences
  std::string remediation;  // what to do, concrete
  References references;
  bool fixable = false;  // `bulwark fix` can repair it
  std::vector<std::string> peers;  // equivalent peer rule IDs: "hadolint DL3002", "trivy DS002"
};

class CheckRegistry {
 public:
  // Refuses duplicate or empty IDs.
  Status Add(CheckInfo info);
  const CheckInfo* Find(std::string_view id) const;
  // Sorted by ID.
  std::vector<const CheckInfo*> All() const;
  size_t size() const { return checks_.size(); }

 private:
  std::map<std::string, CheckInfo, std::less<>> checks_;
};

}  // namespace bulwark::core
