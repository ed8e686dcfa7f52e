// Severity of a finding and its textual forms. Ordered: kInfo < kCritical.
#pragma once

#include <optional>
#include <string_view>

namespace bulwark::core {

enum class Severity { kInfo = 0, kLow = 1, kMedium = 2, kHigh = 3, kCritical = 4 };

inline constexpr Severity kAllSeverities[] = {Severity::kCritical, Severity::kHigh,
                                              Severity::kMedium, Severity::kLow, Severity::kInfo};

// "critical", "high", ... (lower case, as in the JSON report).
std::string_view SeverityName(Severity severity);
// "CRITICAL", "HIGH", ...
std::string_view SeverityLabel(Severity severity);
// Accepts any case; nullopt when the word is not a severity.
std::optional<Severity> ParseSeverity(std::string_view text);

}  // namespace bulwark::core
