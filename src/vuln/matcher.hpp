// Matching an SBOM's packages against the local DB: language packages by
// purl type -> OSV ecosystem and normalised name; OS packages by distro
// release and source package (Debian Source:, apk origin), so backported
// fixes count. Language packages an OS package owns are matched only
// through the distro. One result per (package, vulnerability): records from
// two sources about the same CVE are merged through their aliases.
#pragma once

#include <string>
#include <vector>

#include "core/status.hpp"
#include "sbom/package.hpp"
#include "vuln/vuln_db.hpp"

namespace bulwark::vuln {

struct VulnMatch {
  size_t package_index = 0;          // into Sbom::packages
  std::string id;                    // preferred ID: the CVE when there is one
  std::vector<std::string> aliases;  // every other ID (GHSA, PYSEC, DSA...), sorted
  std::string summary;
  std::string severity;              // "critical" | "high" | "medium" | "low" | "" (unknown)
  double cvss_score = 0;
  std::string cvss_vector;
  std::string installed;             // the package's version
  std::string fixed;                 // lowest fixed version above installed; "" = no fix
  std::string ecosystem;             // "PyPI", "Debian:12"
  std::string matched_name;          // the key matched ("werkzeug", source "openssl")
  std::vector<std::string> sources;  // "osv", "debian-tracker"
  std::vector<std::string> urls;
  std::vector<std::string> cwes;
};

// The OSV ecosystem a package is matched in ("PyPI", "Debian:12",
// "Alpine:v3.19"), and the name key; empty ecosystem = not matchable.
struct MatchKey {
  std::string ecosystem;
  std::string name;
};
MatchKey MatchKeyFor(const sbom::Package& package, const sbom::OsRelease& os);

// True when `version` is affected by the entry (OSV evaluation rules).
bool IsAffected(const AffectedPackage& affected, std::string_view version);

core::Result<std::vector<VulnMatch>> MatchSbom(const sbom::Sbom& sbom, const VulnDb& db);

}  // namespace bulwark::vuln
