#include "vuln/vuln_findings.hpp"

#include "core/severity.hpp"

namespace bulwark::vuln {
namespace {

core::Severity SeverityOf(const std::string& severity) {
  if (auto parsed = core::ParseSeverity(severity)) return *parsed;
  return core::Severity::kMedium;
}

std::string RelativeLocation(const sbom::Package& package) {
  if (package.locations.empty()) return "";
  std::string path = package.locations.front();
  while (!path.empty() && path.front() == '/') path.erase(0, 1);
  return path;
}

std::string MessageFor(const sbom::Package& package, const VulnMatch& match) {
  std::string text = std::string(sbom::PackageTypeName(package.type)) + " package " + package.name + " " +
                     match.installed + " is affected by " + match.id;
  if (!match.summary.empty()) text += " (" + match.summary + ")";
  text += match.fixed.empty() ? "; no fixed version is known" : "; fixed in " + match.fixed;
  if (sbom::IsOsPackage(package.type) && match.matched_name != package.name && !match.matched_name.empty()) {
    text += "; matched through source package " + match.matched_name + " in " + match.ecosystem;
  }
  if (match.severity.empty()) text += "; severity not rated by the data source";
  return text;
}

std::string RemediationFor(const sbom::Package& package, const VulnMatch& match) {
  if (match.fixed.empty()) {
    return "No fix is published yet: remove " + package.name +
           " if the image does not need it, or record the accepted risk (VEX or .bulwarkignore)";
  }
  if (sbom::IsOsPackage(package.type)) {
    return "Upgrade " + package.name + " to " + match.fixed +
           " or later (rebuild the image on an updated base, or apt-get/apk upgrade in the Dockerfile)";
  }
  return "Upgrade " + package.name + " to " + match.fixed + " or later (pin it in the dependency file)";
}

}  // namespace

std::vector<core::Finding> MatchesToFindings(const sbom::Sbom& sbom, const std::vector<VulnMatch>& matches) {
  std::vector<core::Finding> findings;
  findings.reserve(matches.size());
  for (const VulnMatch& match : matches) {
    if (match.package_index >= sbom.packages.size()) continue;
    const sbom::Package& package = sbom.packages[match.package_index];
    core::Finding f;
    f.id = match.id;
    f.title = match.summary.empty() ? match.id + " in " + package.name : match.summary;
    f.severity = SeverityOf(match.severity);
    f.category = core::Category::kVulnerability;
    f.location.path = RelativeLocation(package);
    f.message = MessageFor(package, match);
    f.remediation = RemediationFor(package, match);
    f.references.cwe = match.cwes;
    f.references.urls = match.urls;
    f.fixable = !match.fixed.empty();
    f.package = {package.name, package.version, std::string(sbom::PackageTypeName(package.type)), package.purl};
    f.installed = match.installed;
    f.fixed = match.fixed;
    f.aliases = match.aliases;
    f.cvss_score = match.cvss_score;
    findings.push_back(std::move(f));
  }
  return findings;
}

}  // namespace bulwark::vuln
