// Dispatch from a VersionScheme (or an OSV ecosystem name) to the scheme's
// comparison in version_<scheme>.cpp. Ecosystem names follow the OSV schema's
// ecosystems list; distro ecosystems carry a release after ':'.
#include "vuln/version.hpp"

#include "vuln/version_schemes.hpp"

namespace bulwark::vuln {
namespace {

struct EcosystemEntry {
  std::string_view name;  // the part before the first ':'
  VersionScheme scheme;
};

// NuGet is ordered as SemVer: its four-part legacy versions ("1.0.0.1") are
// rare in advisories and order the same way unless the fourth part differs.
constexpr EcosystemEntry kEcosystems[] = {
    {"PyPI", VersionScheme::kPep440},
    {"npm", VersionScheme::kSemver},
    {"crates.io", VersionScheme::kSemver},
    {"NuGet", VersionScheme::kSemver},
    {"Hex", VersionScheme::kSemver},
    {"Bitnami", VersionScheme::kSemver},
    {"Go", VersionScheme::kGo},
    {"Maven", VersionScheme::kMaven},
    {"RubyGems", VersionScheme::kRubyGems},
    {"Packagist", VersionScheme::kPackagist},
    {"Debian", VersionScheme::kDebian},
    {"Ubuntu", VersionScheme::kDebian},
    {"Alpine", VersionScheme::kApk},
    {"Wolfi", VersionScheme::kApk},
    {"Chainguard", VersionScheme::kApk},
    {"Alpaquita", VersionScheme::kApk},
    {"BellSoft Hardened Containers", VersionScheme::kApk},
    {"MinimOS", VersionScheme::kApk},
    {"Red Hat", VersionScheme::kRpm},
    {"Rocky Linux", VersionScheme::kRpm},
    {"AlmaLinux", VersionScheme::kRpm},
    {"openSUSE", VersionScheme::kRpm},
    {"SUSE", VersionScheme::kRpm},
    {"Mageia", VersionScheme::kRpm},
    {"openEuler", VersionScheme::kRpm},
    {"Azure Linux", VersionScheme::kRpm},
};

}  // namespace

std::string_view VersionSchemeName(VersionScheme scheme) {
  switch (scheme) {
    case VersionScheme::kDebian:
      return "debian";
    case VersionScheme::kApk:
      return "apk";
    case VersionScheme::kRpm:
      return "rpm";
    case VersionScheme::kPep440:
      return "pep440";
    case VersionScheme::kSemver:
      return "semver";
    case VersionScheme::kGo:
      return "go";
    case VersionScheme::kMaven:
      return "maven";
    case VersionScheme::kRubyGems:
      return "rubygems";
    case VersionScheme::kPackagist:
      return "packagist";
  }
  return "unknown";
}

int CompareVersions(VersionScheme scheme, std::string_view a, std::string_view b) {
  using namespace internal;
  switch (scheme) {
    case VersionScheme::kDebian:
      return CompareDebian(a, b);
    case VersionScheme::kApk:
      return CompareApk(a, b);
    case VersionScheme::kRpm:
      return CompareRpm(a, b);
    case VersionScheme::kPep440:
      return ComparePep440(a, b);
    case VersionScheme::kSemver:
      return CompareSemver(a, b);
    case VersionScheme::kGo:
      return CompareGo(a, b);
    case VersionScheme::kMaven:
      return CompareMaven(a, b);
    case VersionScheme::kRubyGems:
      return CompareRubyGems(a, b);
    case VersionScheme::kPackagist:
      return ComparePackagist(a, b);
  }
  return CompareBytes(a, b);
}

bool IsValidVersion(VersionScheme scheme, std::string_view version) {
  using namespace internal;
  switch (scheme) {
    case VersionScheme::kDebian:
      return IsValidDebian(version);
    case VersionScheme::kApk:
      return IsValidApk(version);
    case VersionScheme::kRpm:
      return IsValidRpm(version);
    case VersionScheme::kPep440:
      return IsValidPep440(version);
    case VersionScheme::kSemver:
      return IsValidSemver(version);
    case VersionScheme::kGo:
      return IsValidGo(version);
    case VersionScheme::kMaven:
      return IsValidMaven(version);
    case VersionScheme::kRubyGems:
      return IsValidRubyGems(version);
    case VersionScheme::kPackagist:
      return IsValidPackagist(version);
  }
  return false;
}

// "Debian:12", "Alpine:v3.19", "Ubuntu:22.04:LTS", "Red Hat:enterprise_linux:9"
// all name their ecosystem before the first ':'. Matched case-insensitively.
std::optional<VersionScheme> SchemeForEcosystem(std::string_view ecosystem) {
  std::string_view base = ecosystem.substr(0, ecosystem.find(':'));
  while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
  for (const EcosystemEntry& entry : kEcosystems) {
    if (internal::EqualsIgnoreCase(base, entry.name)) return entry.scheme;
  }
  return std::nullopt;
}

}  // namespace bulwark::vuln
