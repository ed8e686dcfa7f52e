// Parsing package URLs (github.com/package-url/purl-spec) from SBOMs and VEX
// documents written by bulwark, Trivy or Syft, and turning one into the
// Package and OsRelease fields it implies. Untrusted input: every malformed
// purl is an error value, never a crash. Pure functions; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.hpp"
#include "sbom/package.hpp"

namespace bulwark::sbom {

struct Purl {
  std::string type;        // lower case: "deb", "pypi", "npm"
  std::string name_space;  // decoded segments joined by '/': "debian", "@types", "github.com/x"
  std::string name;        // decoded
  std::string version;     // decoded; "" when absent
  std::map<std::string, std::string> qualifiers;  // keys lower case, values decoded
  std::string subpath;     // decoded segments joined by '/'
};

// pkg:type/namespace/name@version?qualifiers#subpath. Errors (kParseError):
// no "pkg:" scheme, bad type, no name, bad percent-encoding, a qualifier
// without '=' or with a bad or repeated key. Longer than 64 KiB: kTooLarge.
core::Result<Purl> ParsePurl(std::string_view text);

// The PackageType for a purl type; nullopt for types bulwark does not model
// ("oci", "generic", "github").
std::optional<PackageType> PackageTypeFromPurl(std::string_view purl_type);

// What the purl says about a package: type, name (npm, golang and composer
// joined with the namespace; Maven's namespace is the group), version (a
// deb/rpm "epoch" qualifier folded back in as "E:V", Trivy's shape), arch,
// and Syft's "upstream=NAME[@VERSION]" (rpm: the .src.rpm file name) as the
// source package. `purl` is left empty: the caller keeps the original text.
std::optional<Package> PackageFromPurl(const Purl& purl);

// The distro a purl's "distro" qualifier names (shapes in notes/sca.md §2.2):
// Trivy "debian-12.15", Syft "debian-12", Trivy's apk "3.19.1" (Alpine),
// Syft "alpine-3.19.1", "redhat-9.2" (-> "rhel"). Empty when there is none.
OsRelease OsFromPurl(const Purl& purl);

// An OsRelease from an OS name and version as SBOM tools write them:
// Debian "12.15" is version_id "12" with point_release "12.15"; Alpine's
// "3.19.1" is both; others keep the version as version_id.
OsRelease OsFromNameVersion(std::string_view id, std::string_view version);

}  // namespace bulwark::sbom
