// apk cataloger: Alpine (and Wolfi/Chainguard) packages from the apk
// database, lib/apk/db/installed or usr/lib/apk/db/installed (sca.md §1.2,
// Trivy's apk analyzer). The database is a list of paragraphs of "X:value"
// lines (apk-tools' "installed" format): P name, V version, A arch,
// o origin (the source package advisories are keyed by), L licence, and the
// file list as F: directory followed by R: file lines.
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "sbom/cataloger.hpp"
#include "sbom/purl.hpp"

namespace bulwark::sbom {
namespace {

constexpr std::string_view kDbPaths[] = {"lib/apk/db/installed", "usr/lib/apk/db/installed"};
constexpr uint64_t kMaxDb = 64ull << 20;
constexpr int kMaxNotesPerFile = 20;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return s;
}

// "MIT AND BSD-2-Clause" is one SPDX expression; older databases list
// several licences separated by spaces ("MIT BSD GPL2+").
std::vector<std::string> SplitLicenses(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return {};
  for (std::string_view op : {" AND ", " OR ", " WITH ", " and ", " or "}) {
    if (text.find(op) != std::string_view::npos) return {std::string(text)};
  }
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// One database paragraph being read.
struct Record {
  Package package;
  std::vector<std::string> files;
  std::string dir;
  int line = 0;
};

class ApkDbParser {
 public:
  ApkDbParser(const image::FileEntry& file, const CatalogContext& context, std::string name,
              CatalogOutput& out)
      : file_(file), context_(context), cataloger_(std::move(name)), out_(out) {}

  void Parse(std::string_view text) {
    int line_no = 0;
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(start, end - start);
      start = end + 1;
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (Trim(line).empty()) {
        Flush();
        continue;
      }
      if (line.size() < 2 || line[1] != ':') {
        Note(line_no, "not an \"X:value\" line");
        continue;
      }
      if (record_.line == 0) record_.line = line_no;
      Field(line[0], line.substr(2));
    }
    Flush();
  }

 private:
  void Field(char key, std::string_view value) {
    Package& package = record_.package;
    switch (key) {
      case 'P':
        package.name = std::string(value);
        break;
      case 'V':
        package.version = std::string(value);
        break;
      case 'A':
        package.arch = std::string(value);
        break;
      case 'o':
        package.source_name = std::string(value);
        break;
      case 'L':
        package.licenses = SplitLicenses(value);
        break;
      case 'F':
        record_.dir = image::NormalisePath(value);
        break;
      case 'R': {
        std::string path = image::NormalisePath(record_.dir + "/" + std::string(value));
        if (!path.empty()) record_.files.push_back(std::move(path));
        break;
      }
      default:
        break;
    }
  }

  void Flush() {
    Record record = std::move(record_);
    record_ = Record();
    if (record.line == 0) return;
    Package& package = record.package;
    if (package.name.empty() || package.version.empty()) {
      Note(record.line, "package without P: or V:, skipped");
      return;
    }
    package.type = PackageType::kApk;
    package.cataloger = cataloger_;
    package.locations.push_back("/" + file_.path);
    package.layer = file_.layer;
    if (package.source_name.empty()) package.source_name = package.name;
    package.purl = MakePurl(package, context_.os);
    std::string owner = "apk:" + package.name;
    for (std::string& path : record.files) out_.owned_files.emplace(std::move(path), owner);
    out_.packages.push_back(std::move(package));
  }

  void Note(int line_no, std::string_view message) {
    if (++notes_ > kMaxNotesPerFile) return;
    out_.notes.push_back(file_.path + ": line " + std::to_string(line_no) + ": " +
                         std::string(message));
  }

  const image::FileEntry& file_;
  const CatalogContext& context_;
  std::string cataloger_;
  CatalogOutput& out_;
  Record record_;
  int notes_ = 0;
};

class ApkCataloger final : public Cataloger {
 public:
  std::string_view Name() const override { return "apk-db"; }

  std::vector<std::string> Paths() const override {
    return {std::string(kDbPaths[0]), std::string(kDbPaths[1])};
  }

  bool Wants(const image::FileEntry& entry) const override {
    return (entry.path == kDbPaths[0] || entry.path == kDbPaths[1]) && entry.size <= kMaxDb;
  }

  void Catalog(const image::FileView& files, const CatalogContext& context,
               CatalogOutput& out) const override {
    for (std::string_view path : kDbPaths) {
      const image::FileEntry* entry = files.Find(path);
      // lib/apk/db may be a symlink to usr/lib/apk/db: read the file once.
      if (entry == nullptr || entry->type == image::FileType::kSymlink) continue;
      auto text = files.Read(*entry, kMaxDb);
      if (!text.ok()) {
        out.notes.push_back(entry->path + ": " + text.status().message());
        continue;
      }
      ApkDbParser(*entry, context, std::string(Name()), out).Parse(*text);
    }
  }
};

}  // namespace

std::unique_ptr<Cataloger> MakeApkCataloger() { return std::make_unique<ApkCataloger>(); }

}  // namespace bulwark::sbom
