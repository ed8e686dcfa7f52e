// Threats: what can go wrong with each element and each flow that crosses a
// trust boundary, in STRIDE terms, tied to the evidence that makes it
// plausible, the MITRE ATT&CK for Containers techniques it enables and the
// NIST SP 800-53 rev5 controls that mitigate it. A threat that an audit or
// scan finding makes real is "confirmed"; one without is "potential".
// Plain value types; thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "model/system_model.hpp"

namespace bulwark::model {

enum class Stride {
  kSpoofing,
  kTampering,
  kRepudiation,
  kInformationDisclosure,
  kDenialOfService,
  kElevationOfPrivilege,
};
inline constexpr Stride kAllStride[] = {Stride::kSpoofing,
                                        Stride::kTampering,
                                        Stride::kRepudiation,
                                        Stride::kInformationDisclosure,
                                        Stride::kDenialOfService,
                                        Stride::kElevationOfPrivilege};
std::string_view StrideName(Stride s);    // "Spoofing", ..., "Elevation of Privilege"
std::string_view StrideLetter(Stride s);  // "S", "T", "R", "I", "D", "E"

// Likelihood and impact on a 1..3 scale (low, medium, high); risk is their
// product mapped back to a severity (OWASP risk rating, simplified).
enum class Level { kLow = 1, kMedium = 2, kHigh = 3 };
std::string_view LevelName(Level level);  // "low", "medium", "high"
core::Severity RiskOf(Level likelihood, Level impact);  // 9 -> critical, 6 -> high, 3-4 -> medium, else low

enum class ThreatStatus { kPotential, kConfirmed, kMitigated };
std::string_view ThreatStatusName(ThreatStatus s);  // "potential", "confirmed", "mitigated"

// A finding that makes a threat real (a compact copy: the report keeps the rest).
struct FindingRef {
  std::string id;  // check or vulnerability ID
  std::string title;
  core::Severity severity = core::Severity::kInfo;
  std::string path;
  int line = 0;
};

struct Threat {
  std::string id;       // stable: "<rule id>@<element or flow id>", e.g. "TM-EOP-001@service:web"
  std::string rule_id;  // "TM-EOP-001"
  Stride stride = Stride::kSpoofing;
  std::string target;          // element or flow id
  bool on_flow = false;
  std::string title;           // "Container escape through the mounted Docker socket"
  std::string rationale;       // why it applies here, in words, naming the evidence
  std::vector<Evidence> evidence;
  Level likelihood = Level::kMedium;
  Level impact = Level::kMedium;
  core::Severity risk = core::Severity::kMedium;
  std::vector<std::string> attack;  // ATT&CK technique IDs, e.g. "T1611"
  std::vector<std::string> nist;    // NIST SP 800-53 rev5 controls, e.g. "AC-6"
  std::string mitigation;           // what to do, in words
  ThreatStatus status = ThreatStatus::kPotential;
  std::vector<FindingRef> findings;  // the findings that confirm it
};

// A control and where the system stands on it: the table "vulnerability ->
// control -> status" of a threat model.
struct ControlStatus {
  std::string control;      // "AC-6"
  std::string title;        // "Least Privilege" (from the reference catalog; may be empty)
  std::vector<std::string> threats;   // threat ids it mitigates
  std::vector<std::string> findings;  // finding ids that show it missing
  std::string status;       // "missing" (findings open), "partial", "in place" (threats only potential)
};

struct ThreatModel {
  SystemModel system;
  std::vector<Threat> threats;  // sorted by risk (highest first), then id
  std::vector<ControlStatus> controls;  // sorted by control id
  std::vector<core::Finding> unattached;  // findings no threat rule claims (listed, never dropped)
  std::string attack_version;  // of the catalog used, e.g. "18.1"
};

}  // namespace bulwark::model
