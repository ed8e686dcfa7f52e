// Reading an existing SBOM back into an Sbom (`bulwark scan --sbom FILE`):
// CycloneDX JSON 1.2-1.6 (components at any depth) and SPDX 2.2/2.3 JSON
// (packages with a purl external reference), as bulwark, Trivy and Syft
// write them. A package is only as useful as its purl: components without
// one are skipped and counted in Sbom::notes. The OS comes from the
// operating-system component / package, else from the deb/apk/rpm purls'
// "distro" qualifier. Untrusted input: bounded (256 MiB), never throws,
// every error names the file. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string_view>

#include "core/status.hpp"
#include "sbom/package.hpp"

namespace bulwark::sbom {

inline constexpr size_t kMaxSbomBytes = size_t{256} * 1024 * 1024;

// `name_for_errors` (usually the path) starts every error message and
// becomes Sbom::target when the document does not name its subject.
core::Result<Sbom> ReadSbom(std::string_view text, std::string_view name_for_errors);

// Reads the file (refusing more than kMaxSbomBytes before reading) and parses it.
core::Result<Sbom> ReadSbomFile(const std::filesystem::path& path);

}  // namespace bulwark::sbom
