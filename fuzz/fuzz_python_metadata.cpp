// libFuzzer target: the Python cataloger on arbitrary bytes as a wheel's
// METADATA, an egg-info PKG-INFO and a single-file .egg-info.
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
  for (const char* path : {"usr/lib/python3/dist-packages/a-1.dist-info/METADATA",
                           "usr/lib/python3/dist-packages/b-1.egg-info/PKG-INFO",
                           "usr/lib/python3/dist-packages/c-1.egg-info"}) {
    image::FileEntry entry;
    entry.path = path;
    entry.size = text.size();
    view.Add(entry, [&text](uint64_t) { return bulwark::core::Result<std::string>(text); });
  }
  view.Finish();
  sbom::CatalogOutput out;
  sbom::MakePythonCataloger()->Catalog(view, sbom::CatalogContext(), out);
  return 0;
}
