// java-archive cataloger: Maven packages from Java archives in the image
// (*.jar, *.war, *.ear, *.par, *.sar, *.nar, *.jpi, *.hpi) and from the
// archives nested in them (see java_archive.hpp for reading and limits).
//
// Per archive, one package per META-INF/maven/**/pom.properties (groupId,
// artifactId, version: a shaded jar lists every artifact it bundles), and
// one from META-INF/MANIFEST.MF unless a pom.properties already describes
// the archive itself (see Identify), with Trivy's field order
// (pkg/dependency/parser/java/jar/parse.go, manifest.determine*):
//   group    Implementation-Vendor-Id, Bundle-SymbolicName minus its last
//            dot-element, Implementation-Vendor, Specification-Vendor
//   name     Implementation-Title, Specification-Title, Bundle-Name
//   version  Implementation-Version, Specification-Version, Bundle-Version
// and, where the manifest is silent, the file name "name-1.2.3.jar" (split
// at the last '-' before a digit, as Trivy's jar file-name pattern does). A
// title with spaces ("Apache Commons Lang") is a display name, not an
// artifactId: the file name's is preferred then; a vendor with spaces is no
// groupId and is left out (Trivy keeps it). Licences come from the
// manifest's Bundle-License, given to the archive's own package.
// Metadata "java.evidence" says which of the three identified the package.
#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <optional>

#include "sbom/cataloger.hpp"
#include "sbom/java_archive.hpp"
#include "sbom/purl.hpp"

namespace bulwark::sbom {
namespace {

constexpr std::string_view kCatalogerName = "java-archive";
constexpr uint64_t kMaxArchiveBytes = 512ull << 20;

struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const {
    size_t n = std::min(a.size(), b.size());
    for (size_t i = 0; i < n; ++i) {
      int x = std::tolower(static_cast<unsigned char>(a[i]));
      int y = std::tolower(static_cast<unsigned char>(b[i]));
      if (x != y) return x < y;
    }
    return a.size() < b.size();
  }
};
using Attributes = std::map<std::string, std::string, CaseInsensitiveLess>;

std::string_view Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    bool crlf = text.substr(end, 2) == "\r\n";
    start = end + (crlf ? 2 : 1);
  }
  return lines;
}

// The main section of a manifest: "Name: value", continuation lines start
// with one space, a blank line ends the section.
Attributes ParseManifest(std::string_view text) {
  Attributes attributes;
  std::string key;
  for (std::string_view line : Lines(text)) {
    if (line.empty()) break;
    if (line[0] == ' ') {
      if (!key.empty()) attributes[key] += std::string(line.substr(1));
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      key.clear();
      continue;
    }
    key = std::string(line.substr(0, colon));
    std::string_view value = line.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
    attributes[key] = std::string(value);
  }
  for (auto& [name, value] : attributes) value = std::string(Trim(value));
  return attributes;
}

// Java .properties: "key=value", "key: value" or "key value"; '#'/'!' comments.
std::map<std::string, std::string> ParseProperties(std::string_view text) {
  std::map<std::string, std::string> properties;
  for (std::string_view line : Lines(text)) {
    line = Trim(line);
    if (line.empty() || line[0] == '#' || line[0] == '!') continue;
    size_t split = line.find_first_of("=: \t");
    std::string_view key = line.substr(0, split);
    std::string_view value = split == std::string_view::npos ? "" : Trim(line.substr(split + 1));
    if (!value.empty() && (value[0] == '=' || value[0] == ':')) value = Trim(value.substr(1));
    properties[std::string(key)] = std::string(value);
  }
  return properties;
}

std::string First(const Attributes& attributes, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    auto it = attributes.find(key);
    if (it != attributes.end() && !it->second.empty()) return it->second;
  }
  return "";
}

// "commons-lang3-3.12.0.jar" -> {"commons-lang3", "3.12.0"}; "guava.jar" ->
// {"guava", ""}.
std::pair<std::string, std::string> NameFromFile(std::string_view location) {
  std::string_view file = location.substr(location.find_last_of(":/") + 1);
  size_t dot = file.rfind('.');
  std::string_view stem = file.substr(0, dot);
  for (size_t i = stem.size(); i-- > 1;) {
    if (stem[i - 1] == '-' && stem[i] >= '0' && stem[i] <= '9') {
      return {std::string(stem.substr(0, i - 1)), std::string(stem.substr(i))};
    }
  }
  return {std::string(stem), ""};
}

bool HasSpace(const std::string& text) { return text.find_first_of(" \t") != std::string::npos; }

// `"Apache-2.0";link="https://..."` -> Apache-2.0.
std::string ClauseName(std::string_view clause) {
  clause = Trim(clause.substr(0, clause.find(';')));
  if (clause.size() >= 2 && clause.front() == '"' && clause.back() == '"') {
    clause = clause.substr(1, clause.size() - 2);
  }
  return std::string(clause);
}

// OSGi Bundle-License: "Apache-2.0", a URL, or a comma-separated list of
// clauses `name;link="..."` (commas inside quotes do not split). A name with
// a space ("Apache License, Version 2.0") owns its commas: kept whole.
std::vector<std::string> BundleLicenses(std::string_view value) {
  std::vector<std::string> names;
  bool quoted = false;
  size_t start = 0;
  for (size_t i = 0; i <= value.size(); ++i) {
    if (i < value.size() && value[i] == '"') quoted = !quoted;
    if (i < value.size() && (quoted || value[i] != ',')) continue;
    std::string name = ClauseName(value.substr(start, i - start));
    if (HasSpace(name)) {
      std::string whole = ClauseName(value);
      return whole.empty() ? std::vector<std::string>{} : std::vector<std::string>{whole};
    }
    if (!name.empty()) names.push_back(std::move(name));
    start = i + 1;
  }
  return names;
}

// A groupId never has spaces; a vendor's display name ("The Apache Software
// Foundation"), which Trivy would take, is left out.
std::string ManifestGroup(const Attributes& manifest) {
  std::string group = First(manifest, {"Implementation-Vendor-Id"});
  if (group.empty()) {
    std::string bundle = First(manifest, {"Bundle-SymbolicName"});
    bundle = std::string(Trim(bundle.substr(0, bundle.find(';'))));  // "org.x.y;singleton:=true"
    size_t dot = bundle.rfind('.');
    group = dot != std::string::npos && dot > 0 ? bundle.substr(0, dot) : bundle;
  }
  if (group.empty()) group = First(manifest, {"Implementation-Vendor", "Specification-Vendor"});
  return HasSpace(group) ? "" : group;
}

struct Identity {
  std::string group, name, version, evidence;
  bool own = false;  // describes the archive itself (gets the manifest's licences)
};

// The archive's own identity from its manifest, completed from its file name.
std::optional<Identity> FromManifest(const JavaArchive& archive, const Attributes& manifest) {
  auto [file_name, file_version] = NameFromFile(archive.location);
  std::string name =
      First(manifest, {"Implementation-Title", "Specification-Title", "Bundle-Name"});
  std::string version =
      First(manifest, {"Implementation-Version", "Specification-Version", "Bundle-Version"});
  bool from_manifest = !name.empty() || !version.empty();
  if (name.empty() || (HasSpace(name) && !file_name.empty())) name = file_name;
  if (version.empty()) version = file_version;
  if (name.empty() || version.empty()) return std::nullopt;
  return Identity{ManifestGroup(manifest), name, version, from_manifest ? "manifest" : "filename",
                  true};
}

// Every pom.properties, plus the manifest's package unless a pom.properties
// already names the archive itself: same artifactId as the file name, or
// same version as the manifest (Trivy compares with the file name only,
// which Debian's unversioned /usr/share/java names never match). Debian's
// guice.jar carries only the pom.properties of the cglib it shades.
std::vector<Identity> Identify(const JavaArchive& archive, const Attributes& manifest) {
  std::vector<Identity> found;
  std::optional<Identity> self = FromManifest(archive, manifest);
  std::string file_name = NameFromFile(archive.location).first;
  bool covered = false;
  for (const auto& [path, text] : archive.pom_properties) {
    std::map<std::string, std::string> pom = ParseProperties(text);
    Identity id{pom["groupId"], pom["artifactId"], pom["version"], "pom.properties"};
    if (id.name.empty() || id.version.empty()) continue;
    id.own = id.name == file_name || (self && self->version == id.version);
    covered |= id.own;
    found.push_back(std::move(id));
  }
  if (!covered && self) found.push_back(std::move(*self));
  return found;
}

class JavaArchiveCataloger : public Cataloger {
 public:
  std::string_view Name() const override { return kCatalogerName; }
  std::vector<std::string> Paths() const override {
    return {"**/*.jar",
            "**/*.war",
            "**/*.ear",
            "**/*.par",
            "**/*.sar",
            "**/*.nar",
            "**/*.jpi",
            "**/*.hpi",
            "<archive>:META-INF/MANIFEST.MF",
            "<archive>:META-INF/maven/**/pom.properties",
            "<archive>:<nested archive, same extensions, 4 levels deep>"};
  }
  bool Wants(const image::FileEntry& entry) const override {
    return entry.type == image::FileType::kRegular && entry.size > 0 &&
           entry.size <= kMaxArchiveBytes && IsJavaArchivePath(entry.path);
  }

  void Catalog(const image::FileView& files, const CatalogContext& context,
               CatalogOutput& out) const override {
    JavaArchiveLimits limits;
    for (const image::FileEntry& entry : files.Entries()) {
      if (!Wants(entry) || !files.HasContent(entry)) continue;
      core::Result<std::string> content = files.Read(entry, kMaxArchiveBytes);
      if (!content.ok()) {
        out.notes.push_back("/" + entry.path + ": " + content.status().message());
        continue;
      }
      auto visit = [&](const JavaArchive& archive) { AddPackages(archive, entry, context, out); };
      ScanJavaArchive(*content, "/" + entry.path, limits, visit, out.notes);
    }
  }

 private:
  static void AddPackages(const JavaArchive& archive, const image::FileEntry& entry,
                          const CatalogContext& context, CatalogOutput& out) {
    Attributes manifest = ParseManifest(archive.manifest);
    std::vector<Identity> ids = Identify(archive, manifest);
    std::vector<std::string> licenses = BundleLicenses(First(manifest, {"Bundle-License"}));
    for (const Identity& id : ids) {
      Package package;
      package.group = id.group;
      package.name = id.name;
      package.version = id.version;
      package.type = PackageType::kJava;
      package.locations.push_back(archive.location);
      package.layer = entry.layer;
      package.cataloger = std::string(kCatalogerName);
      package.metadata["java.evidence"] = id.evidence;
      // The manifest speaks for the archive itself, not for what it shades.
      if (id.own) package.licenses = licenses;
      package.purl = MakePurl(package, context.os);
      out.packages.push_back(std::move(package));
    }
  }
};

}  // namespace

std::unique_ptr<Cataloger> MakeJavaArchiveCataloger() {
  return std::make_unique<JavaArchiveCataloger>();
}

}  // namespace bulwark::sbom
