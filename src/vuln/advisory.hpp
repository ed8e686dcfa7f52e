// Advisory: one vulnerability record as the local DB stores it, normalised
// from OSV, Alpine secdb and the Debian security tracker. Plain value types.
#pragma once

#include <string>
#include <vector>

namespace bulwark::vuln {

struct RangeEvent {
  enum class Kind { kIntroduced, kFixed, kLastAffected, kLimit };
  Kind kind = Kind::kIntroduced;
  std::string version;  // "0" introduced = before everything; "*" limit = none
};

// An OSV range of type ECOSYSTEM or SEMVER (GIT ranges are not stored: they
// need the repository graph; their `versions` list is kept instead).
struct VersionRange {
  std::string type;  // "ECOSYSTEM" | "SEMVER"
  std::vector<RangeEvent> events;
};

struct AffectedPackage {
  std::string ecosystem;  // OSV name: "PyPI", "npm", "Debian:12", "Alpine:v3.11"
  std::string name;       // matching key: PEP 503 for PyPI; source package for distros
  std::vector<VersionRange> ranges;
  std::vector<std::string> versions;  // explicit affected versions
  // Distro trackers: the package is "not affected" in this release (Debian
  // fixed_version "0", Alpine secfixes "0"); such records suppress a match.
  bool not_affected = false;
  std::string severity;   // per-release severity (Debian urgency), overrides the advisory's
};

struct Advisory {
  std::string id;                    // "GHSA-...", "PYSEC-...", "CVE-...", "DSA-..."
  std::vector<std::string> aliases;  // other IDs for the same vulnerability
  std::string summary;
  std::string details;
  std::string severity;              // "critical" | "high" | "medium" | "low" | "" (unknown)
  double cvss_score = 0;             // from a CVSS vector when present, else 0
  std::string cvss_vector;
  std::string published;
  std::string modified;
  bool withdrawn = false;
  std::vector<std::string> urls;
  std::vector<std::string> cwes;
  std::string source;                // "osv", "alpine-secdb", "debian-tracker"
  std::vector<AffectedPackage> affected;
};

}  // namespace bulwark::vuln
