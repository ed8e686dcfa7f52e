// .NET cataloger: the NuGet packages an application was built with, from
// its **/*.deps.json (sca.md §1, Trivy's dotnet-core deps analyzer). The
// "libraries" object maps "Name/Version" to {"type": "package" | "project"
// | "reference", ...}; only "package" entries came from NuGet.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sbom/cataloger.hpp"
#include "sbom/purl.hpp"

namespace bulwark::sbom {
namespace {

using nlohmann::json;

constexpr uint64_t kMaxDeps = 16ull << 20;
constexpr std::string_view kSuffix = ".deps.json";

bool IsDepsJson(std::string_view path) {
  if (path.size() <= kSuffix.size() || path.substr(path.size() - kSuffix.size()) != kSuffix)
    return false;
  return path[path.size() - kSuffix.size() - 1] != '/';  // "x.deps.json", not ".deps.json"
}

class DotnetCataloger final : public Cataloger {
 public:
  std::string_view Name() const override { return "dotnet-deps"; }

  std::vector<std::string> Paths() const override { return {"**/*.deps.json"}; }

  bool Wants(const image::FileEntry& entry) const override {
    return entry.size <= kMaxDeps && IsDepsJson(entry.path);
  }

  void Catalog(const image::FileView& files, const CatalogContext& context,
               CatalogOutput& out) const override {
    for (const image::FileEntry& entry : files.Entries()) {
      if (entry.type != image::FileType::kRegular && entry.type != image::FileType::kHardlink)
        continue;
      if (!IsDepsJson(entry.path)) continue;
      auto text = files.Read(entry, kMaxDeps);
      if (!text.ok()) {
        out.notes.push_back(entry.path + ": " + text.status().message());
        continue;
      }
      json doc = json::parse(*text, nullptr, false);
      if (doc.is_discarded() || !doc.is_object()) {
        out.notes.push_back(entry.path + ": not a JSON object, skipped");
        continue;
      }
      auto libraries = doc.find("libraries");
      if (libraries == doc.end() || !libraries->is_object()) {
        out.notes.push_back(entry.path + ": no \"libraries\" object, skipped");
        continue;
      }
      CatalogLibraries(entry, *libraries, context, out);
    }
  }

 private:
  void CatalogLibraries(const image::FileEntry& entry, const json& libraries,
                        const CatalogContext& context, CatalogOutput& out) const {
    for (const auto& [key, library] : libraries.items()) {
      if (!library.is_object()) continue;
      auto type = library.find("type");
      if (type == library.end() || !type->is_string() || type->get<std::string>() != "package")
        continue;
      size_t slash = key.find('/');
      if (slash == std::string::npos || slash == 0 || slash + 1 == key.size()) {
        out.notes.push_back(entry.path + ": library \"" + key +
                            "\" is not \"Name/Version\", skipped");
        continue;
      }
      Package package;
      package.type = PackageType::kNuget;
      package.cataloger = std::string(Name());
      package.name = key.substr(0, slash);
      package.version = key.substr(slash + 1);
      package.locations.push_back("/" + entry.path);
      package.layer = entry.layer;
      package.purl = MakePurl(package, context.os);
      out.packages.push_back(std::move(package));
    }
  }
};

}  // namespace

std::unique_ptr<Cataloger> MakeDotnetCataloger() { return std::make_unique<DotnetCataloger>(); }

}  // namespace bulwark::sbom
