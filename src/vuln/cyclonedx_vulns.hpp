// The CycloneDX 1.5 `vulnerabilities` array for `scan --format cyclonedx`:
// one entry per vulnerability ID, affecting every package it was matched
// in (by the package's bom-ref from sbom::PackageBomRefs). Pure functions;
// thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "sbom/package.hpp"
#include "vuln/matcher.hpp"

namespace bulwark::vuln {

// Adds (or replaces) bom["vulnerabilities"] in a document from
// sbom::CycloneDxDocument(sbom): id, source, ratings (CVSS method from the
// vector's version), cwes as numbers, description, "Upgrade NAME to FIXED"
// recommendations, advisory URLs, affects, and the aliases both as
// `references` and as "bulwark:vulnerability:alias" properties.
void AddVulnerabilities(nlohmann::json& bom, const std::vector<VulnMatch>& matches, const sbom::Sbom& sbom);

}  // namespace bulwark::vuln
