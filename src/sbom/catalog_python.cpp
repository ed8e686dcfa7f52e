// Python cataloger: installed distributions, wherever an interpreter put
// them (every python's site-packages / dist-packages, virtualenvs, /opt):
// the core-metadata file of each one (sca.md §1, Trivy's python-pkg and
// Syft's python-installed-package-cataloger read the same files):
//   **/*.dist-info/METADATA               wheels, pip installs
//   **/*.egg-info/PKG-INFO, **/*.egg-info/METADATA   setuptools directories
//   **/*.egg-info                         setuptools' single-file form
//   **/EGG-INFO/PKG-INFO                  unpacked .egg directories
// The metadata is RFC 822 headers (packaging.python.org "Core metadata");
// only the header block before the first blank line is read.
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "sbom/cataloger.hpp"
#include "sbom/purl.hpp"

namespace bulwark::sbom {
namespace {

constexpr uint64_t kMaxMetadata = 4ull << 20;
constexpr size_t kMaxLicenseField = 128;  // longer License: fields hold the whole licence text
constexpr std::string_view kSuffixes[] = {".dist-info/METADATA", ".egg-info/PKG-INFO",
                                          ".egg-info/METADATA", "EGG-INFO/PKG-INFO", ".egg-info"};

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

bool IsMetadataPath(std::string_view path) {
  for (std::string_view suffix : kSuffixes) {
    if (!EndsWith(path, suffix)) continue;
    // The suffix must start a path component ("x.dist-info/METADATA" yes,
    // "dist-info/METADATA" as a directory name alone no).
    size_t start = path.size() - suffix.size();
    if (suffix.front() == '.') return start > 0 && path[start - 1] != '/';
    return start == 0 || path[start - 1] == '/';
  }
  return false;
}

struct Metadata {
  std::string name;
  std::string version;
  std::string license;
  std::string license_expression;
  std::vector<std::string> classifiers;
};

Metadata ParseHeaders(std::string_view text) {
  Metadata meta;
  std::string* last = nullptr;  // continuation lines extend the previous header
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // Only an empty line ends the headers (as Python's email parser sees
    // it); a line of spaces continues a folded License text.
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') {
      if (last != nullptr) *last += "\n" + std::string(Trim(line));
      continue;
    }
    last = nullptr;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string key = Lower(Trim(line.substr(0, colon)));
    std::string value(Trim(line.substr(colon + 1)));
    if (key == "name") {
      last = &(meta.name = value);
    } else if (key == "version") {
      last = &(meta.version = value);
    } else if (key == "license") {
      last = &(meta.license = value);
    } else if (key == "license-expression") {
      last = &(meta.license_expression = value);
    } else if (key == "classifier") {
      meta.classifiers.push_back(value);
    }
  }
  return meta;
}

// Trove classifier names that name one SPDX licence. Unversioned ones
// ("Apache Software License", "BSD License") stay as written.
std::string SpdxFromClassifier(std::string_view name) {
  static constexpr std::pair<std::string_view, std::string_view> kMap[] = {
      {"MIT License", "MIT"},
      {"ISC License (ISCL)", "ISC"},
      {"Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0"},
      {"GNU General Public License v2 (GPLv2)", "GPL-2.0-only"},
      {"GNU General Public License v2 or later (GPLv2+)", "GPL-2.0-or-later"},
      {"GNU General Public License v3 (GPLv3)", "GPL-3.0-only"},
      {"GNU General Public License v3 or later (GPLv3+)", "GPL-3.0-or-later"},
      {"GNU Lesser General Public License v2 (LGPLv2)", "LGPL-2.0-only"},
      {"GNU Lesser General Public License v2 or later (LGPLv2+)", "LGPL-2.0-or-later"},
      {"GNU Lesser General Public License v3 (LGPLv3)", "LGPL-3.0-only"},
      {"GNU Lesser General Public License v3 or later (LGPLv3+)", "LGPL-3.0-or-later"},
      {"GNU Affero General Public License v3", "AGPL-3.0-only"},
      {"The Unlicense (Unlicense)", "Unlicense"},
      {"Boost Software License 1.0 (BSL-1.0)", "BSL-1.0"},
      {"Eclipse Public License 2.0 (EPL-2.0)", "EPL-2.0"},
  };
  for (const auto& [trove, spdx] : kMap) {
    if (name == trove) return std::string(spdx);
  }
  return std::string(name);
}

// License-Expression (PEP 639) wins, then a short License field, then the
// "License :: OSI Approved :: MIT License" classifiers.
std::vector<std::string> Licenses(const Metadata& meta) {
  if (!meta.license_expression.empty()) return {meta.license_expression};
  std::string_view license = Trim(meta.license);
  if (!license.empty() && license != "UNKNOWN" && license.size() <= kMaxLicenseField &&
      license.find('\n') == std::string_view::npos) {
    return {std::string(license)};
  }
  std::vector<std::string> out;
  for (const std::string& classifier : meta.classifiers) {
    if (classifier.rfind("License ::", 0) != 0) continue;
    size_t last = classifier.rfind("::");
    std::string_view name = Trim(std::string_view(classifier).substr(last + 2));
    if (name.empty() || name == "OSI Approved") continue;
    std::string spdx = SpdxFromClassifier(name);
    if (std::find(out.begin(), out.end(), spdx) == out.end()) out.push_back(std::move(spdx));
  }
  return out;
}

class PythonCataloger final : public Cataloger {
 public:
  std::string_view Name() const override { return "python-installed"; }

  std::vector<std::string> Paths() const override {
    return {"**/*.dist-info/METADATA", "**/*.egg-info/PKG-INFO", "**/*.egg-info/METADATA",
            "**/*.egg-info", "**/EGG-INFO/PKG-INFO"};
  }

  bool Wants(const image::FileEntry& entry) const override {
    return entry.size <= kMaxMetadata && IsMetadataPath(entry.path);
  }

  void Catalog(const image::FileView& files, const CatalogContext& context,
               CatalogOutput& out) const override {
    for (const image::FileEntry& entry : files.Entries()) {
      if (entry.type != image::FileType::kRegular && entry.type != image::FileType::kHardlink)
        continue;
      if (!IsMetadataPath(entry.path)) continue;
      auto text = files.Read(entry, kMaxMetadata);
      if (!text.ok()) {
        out.notes.push_back(entry.path + ": " + text.status().message());
        continue;
      }
      Metadata meta = ParseHeaders(*text);
      if (meta.name.empty() || meta.version.empty()) {
        out.notes.push_back(entry.path + ": line 1: no Name: or Version: header, skipped");
        continue;
      }
      Package package;
      package.type = PackageType::kPython;
      package.cataloger = std::string(Name());
      package.name = meta.name;
      package.version = meta.version;
      package.licenses = Licenses(meta);
      package.locations.push_back("/" + entry.path);
      package.layer = entry.layer;
      package.purl = MakePurl(package, context.os);
      out.packages.push_back(std::move(package));
    }
  }
};

}  // namespace

std::unique_ptr<Cataloger> MakePythonCataloger() { return std::make_unique<PythonCataloger>(); }

}  // namespace bulwark::sbom
