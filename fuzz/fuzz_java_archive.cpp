// libFuzzer target: Java archive reading (zip through libarchive, nested
// archives, limits) and the java-archive cataloger (manifest and
// pom.properties parsing) on arbitrary bytes taken as a .jar file.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sbom/cataloger.hpp"
#include "sbom/java_archive.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bulwark;
  const std::string input(reinterpret_cast<const char*>(data), size);
  sbom::JavaArchiveLimits limits;
  limits.max_total_bytes = 8 << 20;  // keep each run short
  std::vector<std::string> notes;
  size_t manifests = 0;
  sbom::ScanJavaArchive(
      input, "/fuzz.war", limits,
      [&](const sbom::JavaArchive& archive) { manifests += archive.manifest.size(); }, notes);

  image::FileView view;
  image::FileEntry entry;
  entry.path = "app/fuzz.jar";
  entry.size = size;
  view.Add(entry, [&input](uint64_t) -> core::Result<std::string> { return input; });
  view.Finish();
  sbom::CatalogOutput out;
  sbom::MakeJavaArchiveCataloger()->Catalog(view, sbom::CatalogContext{}, out);
  return 0;
}
