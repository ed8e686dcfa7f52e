// The latest audit, host audit and scan results `bulwark serve` shows, read
// from a results directory (.bulwark/, `--results DIR`) with the same
// reader and before/after pairing `bulwark report` uses (report/summary.hpp):
// per kind of run, the counts before and after by severity, what was fixed
// and added, and the findings that remain.
//
// The directory is re-read when the cached view is older than `max_age`
// (results appear while the server runs); a directory that cannot be read
// gives an empty view with the error in "error". The threat-model diagram
// (architecture_diagram.svg) is looked for beside the results unless a
// path is given.
//
// Thread-safe: one mutex guards the cached view; reading the directory
// happens under it (one reader at a time, others wait for its result).
#pragma once

#include <array>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

namespace bulwark::web {

// Indexed by static_cast<size_t>(core::Severity): info, low, medium, high, critical.
using SeverityCounts = std::array<uint64_t, 5>;

struct FindingTotals {
  SeverityCounts findings{};         // audit and host audit (warnings), after
  SeverityCounts vulnerabilities{};  // scans, after
};

class FindingsStore {
 public:
  // No directory: an empty view.
  explicit FindingsStore(std::optional<std::filesystem::path> dir,
                         std::optional<std::filesystem::path> diagram = std::nullopt,
                         std::chrono::seconds max_age = std::chrono::seconds(5));

  // {"dir", "error", "comparisons": [{"kind", "label", "target",
  //  "has_before", "before_time", "after_time", "before": {"total",
  //  "by_severity"}, "after": {...}, "fixed", "added", "remaining": [{"id",
  //  "title", "severity", "category", "where"}] (at most 50)}],
  //  "has_diagram"}; HTML-safe JSON.
  std::string Json();
  FindingTotals Totals();
  // The diagram file when it exists.
  std::optional<std::filesystem::path> Diagram() const;

 private:
  void RefreshLocked();

  const std::optional<std::filesystem::path> dir_;
  const std::optional<std::filesystem::path> diagram_;
  const std::chrono::seconds max_age_;
  std::mutex mu_;
  std::chrono::steady_clock::time_point loaded_at_;  // guarded by mu_
  bool loaded_ = false;                              // guarded by mu_
  std::string json_;                                 // guarded by mu_
  FindingTotals totals_;                             // guarded by mu_
};

}  // namespace bulwark::web
