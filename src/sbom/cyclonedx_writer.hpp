// CycloneDX 1.5 JSON for an Sbom (`--format cyclonedx`): the image as the
// metadata component, an operating-system component, one library component
// per package with bulwark's facts as "bulwark:" properties (read back by
// sbom_reader), and a dependency graph. `scan` adds vulnerabilities with
// vuln/cyclonedx_vulns.hpp. 1.5 is what Trivy emits too (notes/sca.md §5).
// Pure functions of their input; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sbom/package.hpp"

namespace bulwark::sbom {

struct CycloneDxOptions {
  std::string serial_number;  // "urn:uuid:..."; "" = a random UUID
  std::string timestamp;      // RFC 3339; "" = now
};

nlohmann::json CycloneDxDocument(const Sbom& sbom, const CycloneDxOptions& options = {});
std::string WriteCycloneDx(const Sbom& sbom, const CycloneDxOptions& options = {});
// A document (with vulnerabilities added) as text: 2-space indent, invalid UTF-8 replaced.
std::string DumpCycloneDx(const nlohmann::json& bom);

// The bom-ref of each package, index for index: its purl, with Syft's
// "package-id" qualifier appended when an earlier package (or the image or
// OS component) already took that ref.
std::vector<std::string> PackageBomRefs(const Sbom& sbom);

}  // namespace bulwark::sbom
