// Composer cataloger: PHP packages Composer installed into a project,
// **/vendor/composer/installed.json (sca.md §1, Trivy's composer-vendor and
// Syft's php-composer-installed-cataloger). Composer 1 writes a JSON array
// of packages, Composer 2 an object {"packages": [...], "dev": ...}.
// Versions are kept as written ("v2.9.1"), as Composer recorded them and
// as Syft and Trivy report them; whoever compares them with Packagist
// advisories (which say "2.9.1") has to drop the leading "v".
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sbom/cataloger.hpp"
#include "sbom/purl.hpp"

namespace bulwark::sbom {
namespace {

using nlohmann::json;

constexpr uint64_t kMaxInstalled = 32ull << 20;
constexpr std::string_view kSuffix = "vendor/composer/installed.json";

bool IsInstalledJson(std::string_view path) {
  if (path.size() < kSuffix.size() || path.substr(path.size() - kSuffix.size()) != kSuffix)
    return false;
  return path.size() == kSuffix.size() || path[path.size() - kSuffix.size() - 1] == '/';
}

std::string StringField(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// "license": ["MIT"] (Composer's schema), also a single string.
std::vector<std::string> Licenses(const json& package) {
  std::vector<std::string> out;
  auto it = package.find("license");
  if (it == package.end()) return out;
  if (it->is_string() && !it->get<std::string>().empty()) out.push_back(it->get<std::string>());
  if (it->is_array()) {
    for (const json& item : *it) {
      if (item.is_string() && !item.get<std::string>().empty())
        out.push_back(item.get<std::string>());
    }
  }
  return out;
}

class ComposerCataloger final : public Cataloger {
 public:
  std::string_view Name() const override { return "composer-installed"; }

  std::vector<std::string> Paths() const override { return {"**/vendor/composer/installed.json"}; }

  bool Wants(const image::FileEntry& entry) const override {
    return entry.size <= kMaxInstalled && IsInstalledJson(entry.path);
  }

  void Catalog(const image::FileView& files, const CatalogContext& context,
               CatalogOutput& out) const override {
    for (const image::FileEntry& entry : files.Entries()) {
      if (entry.type != image::FileType::kRegular && entry.type != image::FileType::kHardlink)
        continue;
      if (!IsInstalledJson(entry.path)) continue;
      auto text = files.Read(entry, kMaxInstalled);
      if (!text.ok()) {
        out.notes.push_back(entry.path + ": " + text.status().message());
        continue;
      }
      json doc = json::parse(*text, nullptr, false);
      const json* list = &doc;
      if (doc.is_object()) {
        auto packages = doc.find("packages");
        list = packages != doc.end() ? &*packages : nullptr;
      }
      if (doc.is_discarded() || list == nullptr || !list->is_array()) {
        out.notes.push_back(entry.path +
                            ": neither a package array nor {\"packages\": [...]}, skipped");
        continue;
      }
      CatalogList(entry, *list, context, out);
    }
  }

 private:
  void CatalogList(const image::FileEntry& entry, const json& list, const CatalogContext& context,
                   CatalogOutput& out) const {
    size_t index = 0;
    for (const json& item : list) {
      ++index;
      if (!item.is_object()) continue;
      Package package;
      package.name = StringField(item, "name");
      package.version = StringField(item, "version");
      if (package.name.empty() || package.version.empty()) {
        out.notes.push_back(entry.path + ": package " + std::to_string(index) +
                            ": no \"name\" or \"version\", skipped");
        continue;
      }
      package.type = PackageType::kComposer;
      package.cataloger = std::string(Name());
      package.licenses = Licenses(item);
      package.locations.push_back("/" + entry.path);
      package.layer = entry.layer;
      package.purl = MakePurl(package, context.os);
      out.packages.push_back(std::move(package));
    }
  }
};

}  // namespace

std::unique_ptr<Cataloger> MakeComposerCataloger() { return std::make_unique<ComposerCataloger>(); }

}  // namespace bulwark::sbom
