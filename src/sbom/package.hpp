// Package, OsRelease and Sbom: what the catalogers find in an image and what
// the SBOM writers and the vulnerability matcher consume. Plain value types.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark::sbom {

enum class PackageType {
  kDeb,       // dpkg
  kApk,       // Alpine apk
  kRpm,       // rpm
  kPython,    // purl type pypi
  kNpm,
  kGo,        // purl type golang
  kJava,      // purl type maven
  kGem,
  kComposer,  // PHP
  kCargo,     // Rust
  kNuget,     // .NET
};

// The purl type: "deb", "apk", "rpm", "pypi", "npm", "golang", "maven",
// "gem", "composer", "cargo", "nuget".
std::string_view PackageTypeName(PackageType type);
bool IsOsPackage(PackageType type);  // deb, apk, rpm

struct Package {
  // As the ecosystem spells it, whole: npm "@types/node", Go module path
  // "github.com/gorilla/mux", Composer "vendor/package". Maven: the
  // artifactId, with the groupId in `group`.
  std::string name;
  std::string version;  // deb/rpm with epoch as "1:2.3-4"; apk "1.2.3-r4"
  PackageType type = PackageType::kDeb;
  std::string purl;
  std::string group;                    // Maven groupId only
  std::vector<std::string> locations;   // absolute paths in the image, "/var/lib/dpkg/status"
  std::vector<std::string> licenses;    // SPDX IDs or expressions when declared, else as written
  std::string arch;                     // OS packages
  std::string source_name;              // OS packages: deb Source:, apk origin, rpm source rpm name
  std::string source_version;           // empty when equal to version
  // Language packages whose files an OS package installed (Debian's
  // python3-flask dist-info): "deb:python3-flask". Matched through the
  // distro's data, not the language advisories.
  std::string os_owner;
  int layer = -1;         // index into ImageInfo::layers of the first location
  std::string cataloger;  // which cataloger found it, e.g. "dpkg-status"
  std::map<std::string, std::string> metadata;  // e.g. "go.toolchain" -> "go1.21.4"
};

struct OsRelease {
  std::string id;                // os-release ID: "debian", "alpine", "rhel"
  std::string id_like;
  std::string version_id;        // "12", "3.19.1"
  std::string version_codename;  // "bookworm"
  std::string pretty_name;
  std::string point_release;     // /etc/debian_version "12.15", /etc/alpine-release "3.19.1"
  bool Empty() const { return id.empty(); }
};

struct Sbom {
  std::string target;   // the IMAGE argument as given
  std::string image_id;
  std::vector<std::string> repo_tags;
  std::vector<std::string> layer_diff_ids;
  OsRelease os;
  std::vector<Package> packages;  // sorted by type, name, version, first location
  std::vector<std::string> notes; // what could not be read, per file
};

}  // namespace bulwark::sbom
