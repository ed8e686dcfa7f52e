// libFuzzer target: the dpkg cataloger on arbitrary bytes as the status
// file, a distroless status.d entry, a package's md5sums file list and its
// copyright file, all at once.
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
  for (const char* path :
       {"var/lib/dpkg/status", "var/lib/dpkg/status.d/a", "var/lib/dpkg/status.d/a.md5sums",
        "var/lib/dpkg/info/a.md5sums", "usr/share/doc/a/copyright"}) {
    image::FileEntry entry;
    entry.path = path;
    entry.size = text.size();
    view.Add(entry, [&text](uint64_t) { return bulwark::core::Result<std::string>(text); });
  }
  view.Finish();
  sbom::CatalogOutput out;
  sbom::MakeDpkgCataloger()->Catalog(view, sbom::CatalogContext(), out);
  return 0;
}
