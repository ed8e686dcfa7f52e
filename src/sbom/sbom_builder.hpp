// BuildSbom: opens an image, lets every cataloger pick the files it reads,
// runs them over the merged filesystem and assembles the Sbom. Language
// packages whose metadata file an OS package installed are marked with that
// owner (Package::os_owner): they stay in the SBOM (an inventory should say
// what is there) but the matcher leaves them to the distro's data, so a
// backported fix is not reported as open. Trivy drops them; Syft keeps
// them; see docs/sbom.md.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "image/image_source.hpp"
#include "sbom/cataloger.hpp"
#include "sbom/package.hpp"

namespace bulwark::sbom {

struct BuildOptions {
  image::OpenOptions open;  // `wants` is filled in by BuildSbom
};

// Catalogs an already opened view (tests, dir: sources). `image` may be
// null; its layer list fills Sbom::layer_diff_ids.
Sbom CatalogFiles(const image::FileView& files, const image::ImageInfo* info,
                  const std::vector<std::unique_ptr<Cataloger>>& catalogers);

// True when any cataloger (or the distro detection) wants the entry.
bool AnyCatalogerWants(const std::vector<std::unique_ptr<Cataloger>>& catalogers,
                       const image::FileEntry& entry);

// Opens `spec` (see image_source.hpp) and catalogs it with AllCatalogers().
core::Result<Sbom> BuildSbom(std::string_view spec, BuildOptions options);

}  // namespace bulwark::sbom
