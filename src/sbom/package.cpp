#include "sbom/package.hpp"

namespace bulwark::sbom {

std::string_view PackageTypeName(PackageType type) {
  switch (type) {
    case PackageType::kDeb: return "deb";
    case PackageType::kApk: return "apk";
    case PackageType::kRpm: return "rpm";
    case PackageType::kPython: return "pypi";
    case PackageType::kNpm: return "npm";
    case PackageType::kGo: return "golang";
    case PackageType::kJava: return "maven";
    case PackageType::kGem: return "gem";
    case PackageType::kComposer: return "composer";
    case PackageType::kCargo: return "cargo";
    case PackageType::kNuget: return "nuget";
  }
  return "unknown";
}

bool IsOsPackage(PackageType type) {
  return type == PackageType::kDeb || type == PackageType::kApk || type == PackageType::kRpm;
}

}  // namespace bulwark::sbom
