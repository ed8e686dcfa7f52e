// Distro detection (sca.md §2.1). os-release gives ID / VERSION_ID; the
// distro's own release file gives the point release that Trivy puts in its
// purls: etc/debian_version ("12.15"), etc/alpine-release ("3.19.1") and
// etc/redhat-release ("CentOS Linux release 7.9.2009 (Core)" -> "7.9.2009").
// etc/os-release is usually a symlink to ../usr/lib/os-release; Resolve
// follows it inside the image root.
#include <cctype>
#include <string>
#include <string_view>

#include "sbom/cataloger.hpp"

namespace bulwark::sbom {
namespace {

constexpr uint64_t kMaxReleaseFile = 64 << 10;

constexpr std::string_view kOsReleasePaths[] = {"etc/os-release", "usr/lib/os-release"};
constexpr std::string_view kDebianVersion = "etc/debian_version";
constexpr std::string_view kAlpineRelease = "etc/alpine-release";
constexpr std::string_view kRedhatRelease = "etc/redhat-release";
// etc/redhat-release is often a symlink to one of these; capture the targets.
constexpr std::string_view kRedhatReleaseTargets[] = {"etc/centos-release", "etc/rocky-release",
                                                      "etc/almalinux-release", "etc/fedora-release",
                                                      "etc/oracle-release"};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return s;
}

// os-release values follow shell quoting: "..." with \-escapes, '...', or bare.
std::string Unquote(std::string_view value) {
  value = Trim(value);
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front()) {
    char quote = value.front();
    value = value.substr(1, value.size() - 2);
    std::string out;
    for (size_t i = 0; i < value.size(); ++i) {
      if (quote == '"' && value[i] == '\\' && i + 1 < value.size()) ++i;
      out += value[i];
    }
    return out;
  }
  return std::string(value);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void ParseOsRelease(std::string_view text, OsRelease& os) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = Trim(text.substr(start, end - start));
    start = end + 1;
    size_t eq = line.find('=');
    if (line.empty() || line.front() == '#' || eq == std::string_view::npos) continue;
    std::string_view key = Trim(line.substr(0, eq));
    std::string value = Unquote(line.substr(eq + 1));
    if (key == "ID") {
      os.id = Lower(value);
    } else if (key == "ID_LIKE") {
      os.id_like = Lower(value);
    } else if (key == "VERSION_ID") {
      os.version_id = value;
    } else if (key == "VERSION_CODENAME") {
      os.version_codename = value;
    } else if (key == "PRETTY_NAME") {
      os.pretty_name = value;
    }
  }
}

// First line of a small release file, or "" when absent or unreadable.
// Resolve follows symlinks; Find still finds the file when an archive
// left out a parent directory entry.
const image::FileEntry* Lookup(const image::FileView& files, std::string_view path) {
  const image::FileEntry* entry = files.Resolve(path);
  return entry != nullptr ? entry : files.Find(path);
}

std::string FirstLine(const image::FileView& files, std::string_view path) {
  const image::FileEntry* entry = Lookup(files, path);
  if (entry == nullptr) return "";
  auto text = files.Read(*entry, kMaxReleaseFile);
  if (!text.ok()) return "";
  std::string_view all = *text;
  return std::string(Trim(all.substr(0, all.find('\n'))));
}

// "Rocky Linux release 9.3 (Blue Onyx)" -> "9.3".
std::string RedhatReleaseVersion(std::string_view line) {
  size_t at = line.find(" release ");
  if (at == std::string_view::npos) return "";
  std::string_view rest = line.substr(at + 9);
  size_t end = 0;
  while (end < rest.size() &&
         (std::isdigit(static_cast<unsigned char>(rest[end])) != 0 || rest[end] == '.')) {
    ++end;
  }
  return std::string(rest.substr(0, end));
}

std::string MajorOf(std::string_view version) {
  return std::string(version.substr(0, version.find('.')));
}

bool IsRedhatFamily(const OsRelease& os) {
  return os.id == "rhel" || os.id == "centos" || os.id == "rocky" || os.id == "almalinux" ||
         os.id == "ol" || os.id == "fedora";
}

void AddPointRelease(const image::FileView& files, OsRelease& os) {
  if (os.id.empty() || os.id == "debian") {
    std::string debian = FirstLine(files, kDebianVersion);
    if (!debian.empty()) {
      os.point_release = debian;
      if (os.id.empty()) {
        os.id = "debian";
        if (std::isdigit(static_cast<unsigned char>(debian[0])) != 0)
          os.version_id = MajorOf(debian);
      }
      return;
    }
  }
  if (os.id.empty() || os.id == "alpine") {
    std::string alpine = FirstLine(files, kAlpineRelease);
    if (!alpine.empty()) {
      os.point_release = alpine;
      if (os.id.empty()) os.id = "alpine";
      if (os.version_id.empty()) os.version_id = alpine;
      return;
    }
  }
  if (IsRedhatFamily(os)) os.point_release = RedhatReleaseVersion(FirstLine(files, kRedhatRelease));
}

}  // namespace

bool WantsOsReleaseFile(const image::FileEntry& entry) {
  if (entry.size > kMaxReleaseFile) return false;
  for (std::string_view path : kOsReleasePaths) {
    if (entry.path == path) return true;
  }
  for (std::string_view path : kRedhatReleaseTargets) {
    if (entry.path == path) return true;
  }
  return entry.path == kDebianVersion || entry.path == kAlpineRelease ||
         entry.path == kRedhatRelease;
}

OsRelease DetectOsRelease(const image::FileView& files) {
  OsRelease os;
  for (std::string_view path : kOsReleasePaths) {
    const image::FileEntry* entry = Lookup(files, path);
    if (entry == nullptr) continue;
    auto text = files.Read(*entry, kMaxReleaseFile);
    if (!text.ok()) continue;
    ParseOsRelease(*text, os);
    if (!os.id.empty()) break;
  }
  AddPointRelease(files, os);
  return os;
}

}  // namespace bulwark::sbom
