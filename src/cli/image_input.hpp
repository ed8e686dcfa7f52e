// The image a `sbom` or `scan` run reads: IMAGE (docker-archive:, oci-dir:,
// dir:, or a daemon image) catalogued into an SBOM, or with --sbom an
// existing CycloneDX/SPDX document read back. Shared by both commands.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "core/status.hpp"
#include "sbom/package.hpp"

namespace bulwark::cli {

struct ImageInput {
  std::string image;        // the IMAGE argument
  std::string sbom_file;    // --sbom FILE (scan only)
  std::string docker_host;  // --docker-socket PATH
};

// Adds IMAGE and --docker-socket (and --sbom when `allow_sbom`).
void AddImageInput(CLI::App& command, ImageInput& input, bool allow_sbom);

// Catalogs the image (or reads the SBOM). Progress goes to stderr on a
// terminal unless `quiet`.
core::Result<sbom::Sbom> LoadSbom(const ImageInput& input, bool quiet);

}  // namespace bulwark::cli
