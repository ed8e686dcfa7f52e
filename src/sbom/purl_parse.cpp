#include "sbom/purl_parse.hpp"

#include <cctype>
#include <vector>

namespace bulwark::sbom {
namespace {

constexpr size_t kMaxPurlLength = 64 * 1024;

core::Status ParseError(std::string_view text, std::string_view why) {
  std::string shown(text.substr(0, 200));
  return core::Error(core::ErrorCode::kParseError, "invalid purl \"" + shown + "\": " + std::string(why));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    int high = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
    int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// Decodes '/'-separated segments, dropping empty ones (and "." / ".." in a subpath).
std::optional<std::string> DecodeSegments(std::string_view text, bool is_subpath) {
  std::string out;
  for (std::string_view segment : Split(text, '/')) {
    if (segment.empty() || (is_subpath && (segment == "." || segment == ".."))) continue;
    std::optional<std::string> decoded = PercentDecode(segment);
    if (!decoded) return std::nullopt;
    out += (out.empty() ? "" : "/") + *decoded;
  }
  return out;
}

bool ValidType(std::string_view type) {
  if (type.empty() || std::isdigit(static_cast<unsigned char>(type[0]))) return false;
  for (char c : type) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '+' && c != '-') return false;
  }
  return true;
}

bool ValidKey(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') return false;
  }
  return true;
}

core::Status ParseQualifiers(std::string_view whole, std::string_view text, Purl& purl) {
  for (std::string_view pair : Split(text, '&')) {
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) return ParseError(whole, "qualifier without '='");
    std::string key = Lower(pair.substr(0, eq));
    if (!ValidKey(key)) return ParseError(whole, "bad qualifier key");
    std::optional<std::string> value = PercentDecode(pair.substr(eq + 1));
    if (!value) return ParseError(whole, "bad percent-encoding in a qualifier");
    if (value->empty()) continue;  // the spec: an empty value is no qualifier
    if (!purl.qualifiers.emplace(key, *value).second) return ParseError(whole, "repeated qualifier " + key);
  }
  return core::Status::Ok();
}

// Syft's upstream qualifier: deb "glibc@2.36-9", apk "busybox", rpm
// "bash-5.1.8-6.el9.src.rpm" (name-version-release of the source rpm).
void SetUpstream(std::string_view upstream, PackageType type, Package& p) {
  if (type == PackageType::kRpm && upstream.ends_with(".src.rpm")) {
    upstream.remove_suffix(8);
    size_t release = upstream.rfind('-');
    size_t version = release == std::string_view::npos ? release : upstream.rfind('-', release - 1);
    if (version != std::string_view::npos && version > 0) {
      p.source_name = std::string(upstream.substr(0, version));
      p.source_version = std::string(upstream.substr(version + 1));
      return;
    }
  }
  size_t at = upstream.find('@');
  p.source_name = std::string(upstream.substr(0, at));
  if (at != std::string_view::npos) p.source_version = std::string(upstream.substr(at + 1));
}

}  // namespace

core::Result<Purl> ParsePurl(std::string_view text) {
  if (text.size() > kMaxPurlLength) {
    return core::Error(core::ErrorCode::kTooLarge, "purl longer than 64 KiB");
  }
  std::string_view rest = text;
  if (rest.size() < 4 || Lower(rest.substr(0, 4)) != "pkg:") return ParseError(text, "no pkg: scheme");
  rest.remove_prefix(4);
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);  // tolerate "pkg://"
  Purl purl;
  if (size_t hash = rest.rfind('#'); hash != std::string_view::npos) {
    std::optional<std::string> subpath = DecodeSegments(rest.substr(hash + 1), true);
    if (!subpath) return ParseError(text, "bad percent-encoding in the subpath");
    purl.subpath = *subpath;
    rest = rest.substr(0, hash);
  }
  if (size_t question = rest.rfind('?'); question != std::string_view::npos) {
    RETURN_IF_ERROR(ParseQualifiers(text, rest.substr(question + 1), purl));
    rest = rest.substr(0, question);
  }
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return ParseError(text, "no name");
  purl.type = Lower(rest.substr(0, slash));
  if (!ValidType(purl.type)) return ParseError(text, "bad type");
  rest.remove_prefix(slash + 1);
  // The version follows the last '@', unless that '@' opens a segment (an
  // unencoded npm scope, "pkg:npm/@types/node").
  if (size_t at = rest.rfind('@'); at != std::string_view::npos && at > 0 && rest[at - 1] != '/') {
    std::optional<std::string> version = PercentDecode(rest.substr(at + 1));
    if (!version) return ParseError(text, "bad percent-encoding in the version");
    purl.version = *version;
    rest = rest.substr(0, at);
  }
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  size_t last = rest.rfind('/');
  std::optional<std::string> name = PercentDecode(last == std::string_view::npos ? rest : rest.substr(last + 1));
  if (!name) return ParseError(text, "bad percent-encoding in the name");
  if (name->empty()) return ParseError(text, "no name");
  purl.name = *name;
  if (last != std::string_view::npos) {
    std::optional<std::string> name_space = DecodeSegments(rest.substr(0, last), false);
    if (!name_space) return ParseError(text, "bad percent-encoding in the namespace");
    purl.name_space = *name_space;
  }
  return purl;
}

std::optional<PackageType> PackageTypeFromPurl(std::string_view purl_type) {
  static constexpr PackageType kTypes[] = {
      PackageType::kDeb, PackageType::kApk,  PackageType::kRpm, PackageType::kPython,
      PackageType::kNpm, PackageType::kGo,   PackageType::kJava, PackageType::kGem,
      PackageType::kComposer, PackageType::kCargo, PackageType::kNuget};
  for (PackageType type : kTypes) {
    if (PackageTypeName(type) == purl_type) return type;
  }
  return std::nullopt;
}

std::optional<Package> PackageFromPurl(const Purl& purl) {
  std::optional<PackageType> type = PackageTypeFromPurl(purl.type);
  if (!type) return std::nullopt;
  Package p;
  p.type = *type;
  p.name = purl.name;
  bool joined = *type == PackageType::kNpm || *type == PackageType::kGo || *type == PackageType::kComposer;
  if (joined && !purl.name_space.empty()) p.name = purl.name_space + "/" + purl.name;
  if (*type == PackageType::kJava) p.group = purl.name_space;
  p.version = purl.version;
  auto qualifier = [&purl](const std::string& key) {
    auto it = purl.qualifiers.find(key);
    return it == purl.qualifiers.end() ? std::string() : it->second;
  };
  std::string epoch = qualifier("epoch");
  bool epoch_type = *type == PackageType::kDeb || *type == PackageType::kRpm;
  if (epoch_type && !epoch.empty() && epoch != "0" && p.version.find(':') == std::string::npos) {
    p.version = epoch + ":" + p.version;
  }
  if (IsOsPackage(*type)) p.arch = qualifier("arch");
  if (std::string upstream = qualifier("upstream"); !upstream.empty()) SetUpstream(upstream, *type, p);
  if (p.source_version == p.version) p.source_version.clear();
  return p;
}

OsRelease OsFromNameVersion(std::string_view id, std::string_view version) {
  OsRelease os;
  os.id = Lower(id);
  if (os.id == "redhat") os.id = "rhel";  // Trivy's family name; os-release says "rhel"
  os.version_id = std::string(version);
  if (os.id == "debian" && version.find('.') != std::string_view::npos) {
    os.version_id = std::string(version.substr(0, version.find('.')));
    os.point_release = std::string(version);
  } else if (os.id == "alpine") {
    os.point_release = std::string(version);
  }
  return os;
}

OsRelease OsFromPurl(const Purl& purl) {
  auto it = purl.qualifiers.find("distro");
  if (it == purl.qualifiers.end()) return {};
  const std::string& distro = it->second;
  if (!distro.empty() && std::isdigit(static_cast<unsigned char>(distro[0]))) {
    // Trivy's apk purls carry the bare release: the namespace names the distro.
    return OsFromNameVersion(purl.name_space.empty() ? "alpine" : purl.name_space, distro);
  }
  for (size_t i = 0; i + 1 < distro.size(); ++i) {
    if (distro[i] == '-' && std::isdigit(static_cast<unsigned char>(distro[i + 1]))) {
      return OsFromNameVersion(distro.substr(0, i), std::string_view(distro).substr(i + 1));
    }
  }
  return OsFromNameVersion(distro, "");
}

}  // namespace bulwark::sbom
