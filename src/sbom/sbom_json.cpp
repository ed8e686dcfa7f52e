#include "sbom/sbom_json.hpp"

#include <openssl/rand.h>

#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <random>

namespace bulwark::sbom {
namespace {

using Json = nlohmann::ordered_json;

Json OsJson(const OsRelease& os) {
  Json out{{"id", os.id}, {"version", os.version_id}};
  if (!os.version_codename.empty()) out["codename"] = os.version_codename;
  if (!os.point_release.empty()) out["point_release"] = os.point_release;
  if (!os.pretty_name.empty()) out["pretty_name"] = os.pretty_name;
  return out;
}

Json PackageJson(const Package& p) {
  Json out{{"name", p.name},           {"version", p.version},     {"type", PackageTypeName(p.type)},
           {"purl", p.purl},           {"locations", p.locations}, {"licenses", p.licenses}};
  if (!p.arch.empty()) out["arch"] = p.arch;
  if (!p.source_name.empty() || !p.source_version.empty()) {
    out["source"] = Json{{"name", p.source_name}, {"version", p.source_version}};
  }
  if (!p.os_owner.empty()) out["os_owner"] = p.os_owner;
  if (!p.group.empty()) out["group"] = p.group;
  if (p.layer >= 0) out["layer"] = p.layer;
  if (!p.cataloger.empty()) out["cataloger"] = p.cataloger;
  if (!p.metadata.empty()) {
    Json metadata = Json::object();  // std::map: already sorted by key
    for (const auto& [key, value] : p.metadata) metadata[key] = value;
    out["metadata"] = metadata;
  }
  return out;
}

}  // namespace

std::string WriteSbomJson(const Sbom& sbom) {
  Json packages = Json::array();
  for (const Package& p : sbom.packages) packages.push_back(PackageJson(p));
  Json root{{"target", sbom.target},
            {"os", OsJson(sbom.os)},
            {"image", Json{{"id", sbom.image_id}, {"repo_tags", sbom.repo_tags}, {"layers", sbom.layer_diff_ids}}},
            {"packages", std::move(packages)},
            {"notes", sbom.notes}};
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string RandomUuidV4() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    std::random_device device;  // OpenSSL's generator failed: the OS one will do
    for (unsigned char& b : bytes) b = static_cast<unsigned char>(device());
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string out;
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0x0f];
  }
  return out;
}

std::string UtcNowRfc3339() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 32> buffer{};
  std::strftime(buffer.data(), buffer.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer.data();
}

std::string UriEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0f];
    }
  }
  return out;
}

std::string OciImagePurl(const Sbom& sbom) {
  if (sbom.repo_tags.empty()) return "";
  std::string repo = sbom.repo_tags.front();
  repo = repo.substr(0, repo.find('@'));  // a digest reference
  size_t slash = repo.rfind('/');
  size_t colon = repo.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) repo.resize(colon);
  if (repo.empty()) return "";
  // Docker Hub short names ("nginx", "bitnami/redis") get their registry,
  // as Trivy spells it, so purls from both tools compare equal.
  std::string first = repo.substr(0, repo.find('/'));
  bool has_registry = repo.find('/') != std::string::npos &&
                      (first.find_first_of(".:") != std::string::npos || first == "localhost");
  if (!has_registry) repo = (repo.find('/') == std::string::npos ? "index.docker.io/library/" : "index.docker.io/") + repo;
  std::string name = repo.substr(repo.rfind('/') + 1);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string purl = "pkg:oci/" + UriEncode(name);
  if (!sbom.image_id.empty()) purl += "@" + UriEncode(sbom.image_id);
  return purl + "?repository_url=" + UriEncode(repo);
}

}  // namespace bulwark::sbom
