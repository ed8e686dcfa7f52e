// npm cataloger: installed Node.js packages, the package.json of every
// package directory directly under a node_modules directory, scoped or not:
//   **/node_modules/<name>/package.json
//   **/node_modules/@<scope>/<name>/package.json
// which covers global installs (usr/lib/node_modules/npm/package.json,
// usr/local/lib/node_modules/...) and the packages bundled inside them.
// Lock files are not read: on an image the installed packages are the truth
// (sca.md §1). Trivy reads every package.json of the image, including an
// application's own; we list only installed dependencies.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sbom/cataloger.hpp"
#include "sbom/purl.hpp"

namespace bulwark::sbom {
namespace {

using nlohmann::json;

constexpr uint64_t kMaxManifest = 4ull << 20;
constexpr std::string_view kManifest = "/package.json";
constexpr std::string_view kNodeModules = "node_modules";

// The last component of `path` ("a/b/c" -> "c"), and `path` without it.
std::string_view Base(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}
std::string_view Parent(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

bool IsInstalledManifest(std::string_view path) {
  if (path.size() <= kManifest.size() || path.substr(path.size() - kManifest.size()) != kManifest)
    return false;
  std::string_view package_dir = path.substr(0, path.size() - kManifest.size());
  std::string_view parent = Parent(package_dir);
  if (Base(parent) == kNodeModules) return true;
  std::string_view scope = Base(parent);
  return !scope.empty() && scope.front() == '@' && Base(Parent(parent)) == kNodeModules;
}

// "license": "MIT" | {"type": "MIT"}; legacy "licenses": [{"type": ...}, "..."].
void AddLicense(const json& value, std::vector<std::string>& out) {
  if (value.is_string()) {
    std::string text = value.get<std::string>();
    if (!text.empty()) out.push_back(std::move(text));
  } else if (value.is_object()) {
    auto type = value.find("type");
    if (type != value.end() && type->is_string() && !type->get<std::string>().empty()) {
      out.push_back(type->get<std::string>());
    }
  }
}

std::vector<std::string> Licenses(const json& manifest) {
  std::vector<std::string> out;
  if (auto it = manifest.find("license"); it != manifest.end()) AddLicense(*it, out);
  if (auto it = manifest.find("licenses"); out.empty() && it != manifest.end() && it->is_array()) {
    for (const json& item : *it) AddLicense(item, out);
  }
  return out;
}

std::string StringField(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

class NpmCataloger final : public Cataloger {
 public:
  std::string_view Name() const override { return "npm-installed"; }

  std::vector<std::string> Paths() const override {
    return {"**/node_modules/*/package.json", "**/node_modules/@*/*/package.json"};
  }

  bool Wants(const image::FileEntry& entry) const override {
    return entry.size <= kMaxManifest && IsInstalledManifest(entry.path);
  }

  void Catalog(const image::FileView& files, const CatalogContext& context,
               CatalogOutput& out) const override {
    for (const image::FileEntry& entry : files.Entries()) {
      if (entry.type != image::FileType::kRegular && entry.type != image::FileType::kHardlink)
        continue;
      if (!IsInstalledManifest(entry.path)) continue;
      auto text = files.Read(entry, kMaxManifest);
      if (!text.ok()) {
        out.notes.push_back(entry.path + ": " + text.status().message());
        continue;
      }
      json manifest = json::parse(*text, nullptr, false);
      if (manifest.is_discarded() || !manifest.is_object()) {
        out.notes.push_back(entry.path + ": not a JSON object, skipped");
        continue;
      }
      CatalogManifest(entry, manifest, context, out);
    }
  }

 private:
  void CatalogManifest(const image::FileEntry& entry, const json& manifest,
                       const CatalogContext& context, CatalogOutput& out) const {
    Package package;
    package.name = StringField(manifest, "name");
    package.version = StringField(manifest, "version");
    if (package.name.empty() || package.version.empty()) {
      auto is_private = manifest.find("private");
      bool skip_quietly =
          is_private != manifest.end() && is_private->is_boolean() && is_private->get<bool>();
      if (!skip_quietly) out.notes.push_back(entry.path + ": no \"name\" or \"version\", skipped");
      return;
    }
    package.type = PackageType::kNpm;
    package.cataloger = std::string(Name());
    package.licenses = Licenses(manifest);
    package.locations.push_back("/" + entry.path);
    package.layer = entry.layer;
    package.purl = MakePurl(package, context.os);
    out.packages.push_back(std::move(package));
  }
};

}  // namespace

std::unique_ptr<Cataloger> MakeNpmCataloger() { return std::make_unique<NpmCataloger>(); }

}  // namespace bulwark::sbom
