// libFuzzer target: the apk cataloger on arbitrary bytes as
// lib/apk/db/installed.
#include <cstddef>
#include <cstdint>
#include <string>

#include "image/file_view.hpp"
#include "sbom/cataloger.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace image = bulwark::image;
  namespace sbom = bulwark::sbom;
  std::string text(reinterpret_cast<const char*>(data), size);
  image::FileView view;
  image::FileEntry entry;
  entry.path = "lib/apk/db/installed";
  entry.size = text.size();
  view.Add(entry, [&text](uint64_t) { return bulwark::core::Result<std::string>(text); });
  view.Finish();
  sbom::CatalogOutput out;
  sbom::CatalogContext context;
  context.os.id = "alpine";
  context.os.version_id = "3.19.1";
  sbom::MakeApkCataloger()->Catalog(view, context, out);
  return 0;
}
