#include "core/severity.hpp"

#include <cctype>
#include <string>

namespace bulwark::core {

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo: return "info";
    case Severity::kLow: return "low";
    case Severity::kMedium: return "medium";
    case Severity::kHigh: return "high";
    case Severity::kCritical: return "critical";
  }
  return "info";
}

std::string_view SeverityLabel(Severity severity) {
  switch (severity) {
    case Severity::kInfo: return "INFO";
    case Severity::kLow: return "LOW";
    case Severity::kMedium: return "MEDIUM";
    case Severity::kHigh: return "HIGH";
    case Severity::kCritical: return "CRITICAL";
  }
  return "INFO";
}

std::optional<Severity> ParseSeverity(std::string_view text) {
  std::string lower;
  for (char c : text) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (Severity s : kAllSeverities) {
    if (lower == SeverityName(s)) return s;
  }
  if (lower == "unknown" || lower == "note") return Severity::kInfo;
  return std::nullopt;
}

}  // namespace bulwark::core
