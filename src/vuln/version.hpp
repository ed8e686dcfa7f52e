// Version comparison for every ecosystem the scanner matches, each following
// its reference implementation (dpkg, apk-tools, rpmvercmp, PEP 440,
// SemVer 2.0.0 / node-semver, Go modules, Maven ComparableVersion,
// RubyGems) and tested against the public vectors in
// ../shared/data/version-vectors. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bulwark::vuln {

enum class VersionScheme {
  kDebian,    // dpkg: [epoch:]upstream[-revision], '~' before everything
  kApk,       // apk-tools version.c, invalid versions compare as strings
  kRpm,       // [epoch:]version[-release], rpmvercmp
  kPep440,    // PyPI
  kSemver,    // npm, crates.io, NuGet, Hex, OSV "SEMVER" ranges
  kGo,        // SemVer with optional 'v', +incompatible, pseudo-versions
  kMaven,     // ComparableVersion
  kRubyGems,  // Gem::Version
  kPackagist, // Composer (version_compare-like)
};

std::string_view VersionSchemeName(VersionScheme scheme);

// <0 if a < b, 0 if equal, >0 if a > b. Never fails, and is antisymmetric
// for any bytes: a malformed version is ordered the way the scheme's
// reference orders it (dpkg compares any bytes; apk-tools falls back to
// string order; PEP 440 puts legacy versions below every valid one; SemVer
// and Go parse leniently, as OSV does). Each version_<scheme>.cpp says how.
int CompareVersions(VersionScheme scheme, std::string_view a, std::string_view b);

bool IsValidVersion(VersionScheme scheme, std::string_view version);

// The scheme for an OSV ecosystem name: "PyPI", "npm", "Go", "Maven",
// "RubyGems", "crates.io", "NuGet", "Packagist", "Debian:12", "Alpine:v3.19",
// "Ubuntu:22.04:LTS", "Red Hat:...", "Rocky Linux:9", ... nullopt if unknown.
std::optional<VersionScheme> SchemeForEcosystem(std::string_view ecosystem);

// node-semver range semantics ("^1.2.3 || >=2.0.0 <3", "~1.2", "1.x",
// "1.2.3 - 2.3.4"); false for an unparsable range.
bool SemverRangeSatisfies(std::string_view range, std::string_view version);

}  // namespace bulwark::vuln
