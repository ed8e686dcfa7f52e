#include "model/threat.hpp"

namespace bulwark::model {

std::string_view StrideName(Stride s) {
  switch (s) {
    case Stride::kSpoofing: return "Spoofing";
    case Stride::kTampering: return "Tampering";
    case Stride::kRepudiation: return "Repudiation";
    case Stride::kInformationDisclosure: return "Information Disclosure";
    case Stride::kDenialOfService: return "Denial of Service";
    case Stride::kElevationOfPrivilege: return "Elevation of Privilege";
  }
  return "Spoofing";
}

std::string_view StrideLetter(Stride s) {
  switch (s) {
    case Stride::kSpoofing: return "S";
    case Stride::kTampering: return "T";
    case Stride::kRepudiation: return "R";
    case Stride::kInformationDisclosure: return "I";
    case Stride::kDenialOfService: return "D";
    case Stride::kElevationOfPrivilege: return "E";
  }
  return "S";
}

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kLow: return "low";
    case Level::kMedium: return "medium";
    case Level::kHigh: return "high";
  }
  return "medium";
}

// OWASP's risk rating, cut to a 3x3 grid: high x high is critical, high x
// medium high, anything with a medium or a single high medium, low x low low.
core::Severity RiskOf(Level likelihood, Level impact) {
  int score = static_cast<int>(likelihood) * static_cast<int>(impact);
  if (score >= 9) return core::Severity::kCritical;
  if (score >= 6) return core::Severity::kHigh;
  if (score >= 3) return core::Severity::kMedium;
  return core::Severity::kLow;
}

std::string_view ThreatStatusName(ThreatStatus s) {
  switch (s) {
    case ThreatStatus::kPotential: return "potential";
    case ThreatStatus::kConfirmed: return "confirmed";
    case ThreatStatus::kMitigated: return "mitigated";
  }
  return "potential";
}

}  // namespace bulwark::model
