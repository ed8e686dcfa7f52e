// Package URLs shaped as Trivy writes them (sca.md §2.2), checked against
// the Trivy binary in bench/peer on hand-made root filesystems:
//   - names and namespaces: every byte but A-Z a-z 0-9 . - _ ~ is
//     percent-encoded ("libstdc%2B%2B6", "%40types");
//   - versions and qualifier values additionally keep ':' and '+'
//     ("4.13+dfsg1-1+deb12u2"), as Go's url.PathEscape does in
//     packageurl-go. Other path-safe bytes that Go keeps ('@', '&', '=',
//     '$') we encode: they would make the purl ambiguous and never occur in
//     real versions;
//   - OS packages: the epoch leaves the version and becomes the qualifier
//     `epoch` (omitted when 0); qualifiers come in Trivy's order arch, epoch,
//     distro, modularitylabel. The purl spec's canonical form sorts them by
//     key (arch, distro, epoch); we keep Trivy's order so SBOMs and VEX
//     documents compare equal as strings with Trivy's.
#include "sbom/purl.hpp"

#include <cctype>
#include <utility>
#include <vector>

namespace bulwark::sbom {
namespace {

bool Unreserved(unsigned char c) {
  return std::isalnum(c) != 0 || c == '.' || c == '-' || c == '_' || c == '~';
}

std::string Encode(std::string_view text, std::string_view keep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (Unreserved(c) || keep.find(ch) != std::string_view::npos) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string EncodeValue(std::string_view text) { return Encode(text, ":+"); }

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "a/b/c" -> "a/b" + "c"; every namespace segment is encoded on its own.
std::pair<std::string, std::string> SplitLast(std::string_view name) {
  size_t slash = name.rfind('/');
  if (slash == std::string_view::npos) return {"", std::string(name)};
  return {std::string(name.substr(0, slash)), std::string(name.substr(slash + 1))};
}

std::string EncodeNamespace(std::string_view ns) {
  std::string out;
  size_t start = 0;
  while (start <= ns.size()) {
    size_t slash = ns.find('/', start);
    if (slash == std::string_view::npos) slash = ns.size();
    if (!out.empty()) out += '/';
    out += PurlEncode(ns.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

// "1:2.3-4" -> epoch "1", version "2.3-4". Epoch 0 is dropped as Trivy does.
std::pair<std::string, std::string> SplitEpoch(std::string_view version) {
  size_t colon = version.find(':');
  if (colon == std::string_view::npos || colon == 0) return {"", std::string(version)};
  std::string_view epoch = version.substr(0, colon);
  for (char c : epoch) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return {"", std::string(version)};
  }
  std::string rest(version.substr(colon + 1));
  if (epoch.find_first_not_of('0') == std::string_view::npos) return {"", rest};
  return {std::string(epoch), rest};
}

// Trivy's OS family names for rpm distributions (its purl namespace).
std::string RpmNamespace(std::string_view id) {
  if (id == "rhel") return "redhat";
  if (id == "almalinux") return "alma";
  if (id == "ol") return "oracle";
  if (id == "amzn") return "amazon";
  if (id == "opensuse-leap" || id == "opensuse") return "opensuse.leap";
  if (id == "opensuse-tumbleweed") return "opensuse.tumbleweed";
  if (id == "mariner") return "cbl-mariner";
  return std::string(id);
}

std::string DistroVersion(const OsRelease& os) {
  return os.point_release.empty() ? os.version_id : os.point_release;
}

struct Parts {
  std::string ns;  // already encoded
  std::string name;
  std::string version;
  std::vector<std::pair<std::string, std::string>> qualifiers;
};

void AddQualifier(Parts& parts, std::string key, std::string value) {
  if (!value.empty()) parts.qualifiers.emplace_back(std::move(key), std::move(value));
}

void OsParts(const Package& package, const OsRelease& os, Parts& parts) {
  auto [epoch, version] = SplitEpoch(package.version);
  std::string ns = Lower(os.id);
  std::string distro_prefix;
  if (package.type == PackageType::kDeb) {
    if (ns.empty()) ns = "debian";
    distro_prefix = ns + "-";
  } else if (package.type == PackageType::kRpm) {
    ns = RpmNamespace(ns);
    distro_prefix = ns + "-";
  } else {
    if (ns.empty()) ns = "alpine";
    version = package.version;  // apk versions carry no epoch
    epoch.clear();
  }
  parts.ns = PurlEncode(ns);
  parts.version = version;
  AddQualifier(parts, "arch", package.arch);
  AddQualifier(parts, "epoch", epoch);
  if (!os.Empty() && !DistroVersion(os).empty()) {
    AddQualifier(parts, "distro", distro_prefix + DistroVersion(os));
  }
  auto label = package.metadata.find("rpm.modularitylabel");
  if (label != package.metadata.end()) AddQualifier(parts, "modularitylabel", label->second);
}

void LanguageParts(const Package& package, Parts& parts) {
  std::string name = package.name;
  std::string ns;
  switch (package.type) {
    case PackageType::kPython:
      for (char& c : name) c = c == '_' ? '-' : c;
      name = Lower(name);
      break;
    case PackageType::kNpm:
      std::tie(ns, name) = SplitLast(Lower(name));
      break;
    case PackageType::kGo:
      std::tie(ns, name) = SplitLast(Lower(name));
      break;
    case PackageType::kComposer:
      std::tie(ns, name) = SplitLast(name);
      break;
    case PackageType::kJava:
      ns = package.group;
      break;
    default:
      break;
  }
  parts.ns = EncodeNamespace(ns);
  if (ns.empty()) parts.ns.clear();
  parts.name = name;
  parts.version = package.version;
}

}  // namespace

std::string PurlEncode(std::string_view text) { return Encode(text, ""); }

std::string MakePurl(const Package& package, const OsRelease& os) {
  Parts parts;
  if (IsOsPackage(package.type)) {
    parts.name = package.name;
    OsParts(package, os, parts);
  } else {
    LanguageParts(package, parts);
  }
  std::string purl = "pkg:";
  purl += PackageTypeName(package.type);
  purl += '/';
  if (!parts.ns.empty()) purl += parts.ns + "/";
  purl += PurlEncode(parts.name);
  if (!parts.version.empty()) purl += "@" + EncodeValue(parts.version);
  char separator = '?';
  for (const auto& [key, value] : parts.qualifiers) {
    purl += separator;
    purl += key + "=" + EncodeValue(value);
    separator = '&';
  }
  return purl;
}

}  // namespace bulwark::sbom
