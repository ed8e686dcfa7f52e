// libFuzzer target: the gem, npm, Composer and .NET catalogers on arbitrary
// bytes as a gemspec, a node_modules package.json, a Composer installed.json
// and a deps.json (the gemspec reader is hand-written; the others wrap
// nlohmann::json and must survive any document shape).
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
       {"usr/lib/ruby/gems/3.1.0/specifications/a-1.gemspec", "app/node_modules/a/package.json",
        "app/vendor/composer/installed.json", "app/a.deps.json"}) {
    image::FileEntry entry;
    entry.path = path;
    entry.size = text.size();
    view.Add(entry, [&text](uint64_t) { return bulwark::core::Result<std::string>(text); });
  }
  view.Finish();
  sbom::CatalogOutput out;
  sbom::MakeGemCataloger()->Catalog(view, sbom::CatalogContext(), out);
  sbom::MakeNpmCataloger()->Catalog(view, sbom::CatalogContext(), out);
  sbom::MakeComposerCataloger()->Catalog(view, sbom::CatalogContext(), out);
  sbom::MakeDotnetCataloger()->Catalog(view, sbom::CatalogContext(), out);
  return 0;
}
