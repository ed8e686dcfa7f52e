// The verdict of a triage: every signal of the scoring table (verdict.cpp,
// the one place weights live; docs/triage.md shows it) that the facts
// raise becomes a reason with its weight and ATT&CK technique; the sum
// decides the verdict. Pure function; thread-safe.
#pragma once

#include <span>
#include <string_view>

#include "respond/triage_types.hpp"

namespace bulwark::respond {

struct Signal {
  std::string_view id;
  int weight;
  std::string_view attack;  // ATT&CK technique, or empty
  std::string_view meaning;
};

// The scoring table, for docs and `--format json` consumers.
std::span<const Signal> ScoringTable();

// Thresholds on the summed weight.
inline constexpr int kMaliciousScore = 70;
inline constexpr int kSuspiciousScore = 30;

// Fills report.assessment from the other fields of `report`.
void Assess(TriageReport& report);

}  // namespace bulwark::respond
