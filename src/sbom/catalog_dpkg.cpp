// dpkg cataloger: Debian and Ubuntu packages from var/lib/dpkg/status and,
// for distroless images, every file in var/lib/dpkg/status.d/ (sca.md §1,
// Trivy's dpkg analyzer and Syft's dpkg-db-cataloger read the same files).
// Each package's installed-file list (info/<pkg>[:<arch>].md5sums, or
// status.d/<pkg>.md5sums on distroless) goes into owned_files, so language
// packages that Debian installed are recognised; licences come from the
// DEP-5 `License:` fields of usr/share/doc/<pkg>/copyright.
#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sbom/cataloger.hpp"
#include "sbom/purl.hpp"

namespace bulwark::sbom {
namespace {

constexpr std::string_view kStatus = "var/lib/dpkg/status";
constexpr std::string_view kStatusDir = "var/lib/dpkg/status.d/";
constexpr std::string_view kInfoDir = "var/lib/dpkg/info/";
constexpr std::string_view kDocDir = "usr/share/doc/";
constexpr std::string_view kMd5sums = ".md5sums";
constexpr uint64_t kMaxStatus = 64ull << 20;
constexpr uint64_t kMaxMd5sums = 16ull << 20;
constexpr uint64_t kMaxCopyright = 4ull << 20;
constexpr size_t kMaxLicenses = 16;
constexpr int kMaxNotesPerFile = 20;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// One deb822 paragraph: lower-cased field name -> first-line value.
// Continuation lines (Description, Conffiles) are not needed and skipped.
struct Stanza {
  std::map<std::string, std::string> fields;
  int line = 0;
};

class StanzaReader {
 public:
  StanzaReader(std::string_view text, std::string path, CatalogOutput& out)
      : text_(text), path_(std::move(path)), out_(out) {}

  std::vector<Stanza> ReadAll() {
    std::vector<Stanza> stanzas;
    Stanza current;
    int line_no = 0;
    size_t start = 0;
    while (start < text_.size()) {
      size_t end = text_.find('\n', start);
      if (end == std::string_view::npos) end = text_.size();
      std::string_view line = text_.substr(start, end - start);
      start = end + 1;
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (Trim(line).empty()) {
        if (!current.fields.empty()) stanzas.push_back(std::move(current));
        current = Stanza();
        continue;
      }
      if (line.front() == ' ' || line.front() == '\t' || line.front() == '#') continue;
      size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0) {
        Note(line_no, "not a \"Field: value\" line");
        continue;
      }
      if (current.fields.empty()) current.line = line_no;
      current.fields[Lower(line.substr(0, colon))] = std::string(Trim(line.substr(colon + 1)));
    }
    if (!current.fields.empty()) stanzas.push_back(std::move(current));
    return stanzas;
  }

  void Note(int line_no, std::string_view message) {
    if (++notes_ > kMaxNotesPerFile) return;
    out_.notes.push_back(path_ + ": line " + std::to_string(line_no) + ": " + std::string(message));
  }

 private:
  std::string_view text_;
  std::string path_;
  CatalogOutput& out_;
  int notes_ = 0;
};

std::string Field(const Stanza& stanza, const std::string& key) {
  auto it = stanza.fields.find(key);
  return it == stanza.fields.end() ? "" : it->second;
}

// "install ok installed" (want, flag, status): only the third word counts.
// status.d paragraphs (distroless) carry no Status and are all installed.
bool Installed(const Stanza& stanza) {
  auto it = stanza.fields.find("status");
  if (it == stanza.fields.end()) return true;
  std::string_view status = Trim(it->second);
  size_t last_space = status.find_last_of(" \t");
  std::string_view word =
      last_space == std::string_view::npos ? status : status.substr(last_space + 1);
  return word == "installed";
}

// "gcc-12 (12.2.0-14)" -> name and version; "shadow" -> name only.
void ParseSource(std::string_view source, Package& package) {
  size_t paren = source.find('(');
  package.source_name = std::string(Trim(source.substr(0, paren)));
  if (paren != std::string_view::npos) {
    std::string_view version = source.substr(paren + 1);
    version = Trim(version.substr(0, version.find(')')));
    if (version != package.version) package.source_version = std::string(version);
  }
}

void AddOwnedFiles(std::string_view text, const std::string& owner, CatalogOutput& out) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    size_t space = line.find(' ');  // "<md5>  <path>"
    if (space == std::string_view::npos) continue;
    std::string path = image::NormalisePath(Trim(line.substr(space)));
    if (!path.empty()) out.owned_files.emplace(std::move(path), owner);
  }
}

// DEP-5 "License: GPL-2+" fields and references to common-licenses files.
std::vector<std::string> CopyrightLicenses(std::string_view text) {
  std::vector<std::string> licenses;
  auto add = [&](std::string_view name) {
    name = Trim(name);
    if (name.empty() || licenses.size() >= kMaxLicenses) return;
    if (std::find(licenses.begin(), licenses.end(), name) == licenses.end())
      licenses.emplace_back(name);
  };
  constexpr std::string_view kCommon = "/usr/share/common-licenses/";
  size_t start = 0;
  while (start < text.size() && licenses.size() < kMaxLicenses) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (StartsWith(line, "License:")) {
      add(line.substr(8));
      continue;
    }
    size_t at = line.find(kCommon);
    if (at == std::string_view::npos) continue;
    std::string_view rest = line.substr(at + kCommon.size());
    size_t len = 0;
    while (len < rest.size() &&
           (std::isalnum(static_cast<unsigned char>(rest[len])) != 0 || rest[len] == '-' ||
            rest[len] == '.' || rest[len] == '+' || rest[len] == '_')) {
      ++len;
    }
    std::string_view name = rest.substr(0, len);
    while (!name.empty() && name.back() == '.') name.remove_suffix(1);  // end of a sentence
    add(name);
  }
  return licenses;
}

class DpkgCataloger final : public Cataloger {
 public:
  std::string_view Name() const override { return "dpkg-status"; }

  std::vector<std::string> Paths() const override {
    return {"var/lib/dpkg/status", "var/lib/dpkg/status.d/*", "var/lib/dpkg/info/*.md5sums",
            "usr/share/doc/*/copyright"};
  }

  bool Wants(const image::FileEntry& entry) const override {
    std::string_view path = entry.path;
    if (path == kStatus) return entry.size <= kMaxStatus;
    if (StartsWith(path, kStatusDir)) {
      return path.find('/', kStatusDir.size()) == std::string_view::npos &&
             entry.size <= kMaxStatus;
    }
    if (StartsWith(path, kInfoDir)) {
      return EndsWith(path, kMd5sums) &&
             path.find('/', kInfoDir.size()) == std::string_view::npos && entry.size <= kMaxMd5sums;
    }
    if (StartsWith(path, kDocDir) && EndsWith(path, "/copyright")) {
      size_t slash = path.find('/', kDocDir.size());
      return slash + 10 == path.size() && entry.size <= kMaxCopyright;
    }
    return false;
  }

  void Catalog(const image::FileView& files, const CatalogContext& context,
               CatalogOutput& out) const override {
    if (const image::FileEntry* status = files.Find(kStatus)) {
      CatalogStatusFile(files, *status, context, out);
    }
    for (const image::FileEntry* entry : files.Under(kStatusDir.substr(0, kStatusDir.size() - 1))) {
      if (entry->path.find('/', kStatusDir.size()) != std::string::npos) continue;
      if (EndsWith(entry->path, kMd5sums)) continue;  // a file list, read per package
      if (entry->type != image::FileType::kRegular && entry->type != image::FileType::kHardlink)
        continue;
      CatalogStatusFile(files, *entry, context, out);
    }
  }

 private:
  void CatalogStatusFile(const image::FileView& files, const image::FileEntry& file,
                         const CatalogContext& context, CatalogOutput& out) const {
    auto text = files.Read(file, kMaxStatus);
    if (!text.ok()) {
      out.notes.push_back(file.path + ": " + text.status().message());
      return;
    }
    StanzaReader reader(*text, file.path, out);
    for (const Stanza& stanza : reader.ReadAll()) {
      if (!Installed(stanza)) continue;
      Package package;
      package.name = Field(stanza, "package");
      package.version = Field(stanza, "version");
      if (package.name.empty() || package.version.empty()) {
        reader.Note(stanza.line, "paragraph without Package or Version, skipped");
        continue;
      }
      package.type = PackageType::kDeb;
      package.cataloger = std::string(Name());
      package.arch = Field(stanza, "architecture");
      package.locations.push_back("/" + file.path);
      package.layer = file.layer;
      std::string source = Field(stanza, "source");
      ParseSource(source.empty() ? package.name : source, package);
      ReadFileList(files, file, package, out);
      ReadLicenses(files, package, out);
      package.purl = MakePurl(package, context.os);
      out.packages.push_back(std::move(package));
    }
  }

  // The md5sums file was written when the package was installed, so its
  // layer says where the package came in (the status file is rewritten by
  // every layer that installs anything).
  void ReadFileList(const image::FileView& files, const image::FileEntry& status_file,
                    Package& package, CatalogOutput& out) const {
    std::vector<std::string> candidates;
    if (!package.arch.empty())
      candidates.push_back(std::string(kInfoDir) + package.name + ":" + package.arch);
    candidates.push_back(std::string(kInfoDir) + package.name);
    if (status_file.path != kStatus) candidates.push_back(std::string(kStatusDir) + package.name);
    for (const std::string& candidate : candidates) {
      const image::FileEntry* entry = files.Find(candidate + std::string(kMd5sums));
      if (entry == nullptr) continue;
      auto text = files.Read(*entry, kMaxMd5sums);
      if (!text.ok()) {
        out.notes.push_back(entry->path + ": " + text.status().message());
        return;
      }
      AddOwnedFiles(*text, "deb:" + package.name, out);
      if (entry->layer >= 0) package.layer = entry->layer;
      return;
    }
  }

  void ReadLicenses(const image::FileView& files, Package& package, CatalogOutput& out) const {
    std::string path = std::string(kDocDir) + package.name + "/copyright";
    const image::FileEntry* entry = files.Resolve(path);  // doc dirs are often symlinks
    if (entry == nullptr) entry = files.Find(path);
    if (entry == nullptr || !files.HasContent(*entry)) return;
    auto text = files.Read(*entry, kMaxCopyright);
    if (!text.ok()) {
      out.notes.push_back(entry->path + ": " + text.status().message());
      return;
    }
    package.licenses = CopyrightLicenses(*text);
  }
};

}  // namespace

std::unique_ptr<Cataloger> MakeDpkgCataloger() { return std::make_unique<DpkgCataloger>(); }

}  // namespace bulwark::sbom
