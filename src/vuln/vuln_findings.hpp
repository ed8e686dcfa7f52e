// Vulnerability matches as report findings (category "vulnerability"),
// the shape every renderer of CLI.md understands.
#pragma once

#include <vector>

#include "core/finding.hpp"
#include "sbom/package.hpp"
#include "vuln/matcher.hpp"

namespace bulwark::vuln {

// One finding per match. The location is the package's first location in
// the image, relative to the image root ("usr/lib/.../METADATA"); an
// unrated vulnerability is reported as medium and says so.
std::vector<core::Finding> MatchesToFindings(const sbom::Sbom& sbom, const std::vector<VulnMatch>& matches);

}  // namespace bulwark::vuln
