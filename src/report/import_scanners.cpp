// Reports of other scanners a user drops in the results directory, turned
// into bulwark findings so they count before and after like bulwark's own:
// Trivy (`trivy image|fs|config -f json`) and Grype (`grype -o json`).
#include <string>

#include "report/importers.hpp"
#include "core/json_read.hpp"

namespace bulwark::report::importers {
namespace {

using namespace core::json_read;  // NOLINT(google-build-using-namespace): local helpers

std::string UpgradeAdvice(const std::string& package, const std::string& fixed) {
  if (fixed.empty()) return "";
  return "Upgrade " + package + " to " + fixed + " or later";
}

// Trivy names the kind of file a misconfiguration was found in.
core::Category TrivyConfigCategory(const std::string& type) {
  if (type == "dockerfile") return core::Category::kDockerfile;
  if (type == "kubernetes" || type == "helm") return core::Category::kKubernetes;
  if (type.find("compose") != std::string::npos) return core::Category::kCompose;
  return core::Category::kCode;
}

core::Finding TrivyVulnerability(const json& v, const json& result) {
  core::Finding f;
  f.id = Str(v, "VulnerabilityID");
  f.title = Str(v, "Title").empty() ? f.id : Str(v, "Title");
  f.severity = ParseSeverityWord(Str(v, "Severity"));
  f.category = core::Category::kVulnerability;
  f.location.path = Str(result, "Target");
  f.package.name = Str(v, "PkgName");
  f.package.version = Str(v, "InstalledVersion");
  f.package.type = Str(result, "Type");
  f.package.purl = Str(Member(v, "PkgIdentifier"), "PURL");
  f.installed = f.package.version;
  f.fixed = Str(v, "FixedVersion");
  f.remediation = UpgradeAdvice(f.package.name, f.fixed);
  f.fixable = !f.fixed.empty();
  if (!Str(v, "PrimaryURL").empty()) f.references.urls.push_back(Str(v, "PrimaryURL"));
  return f;
}

core::Finding TrivyMisconfiguration(const json& m, const json& result) {
  core::Finding f;
  f.id = Str(m, "ID").empty() ? Str(m, "AVDID") : Str(m, "ID");
  f.title = Str(m, "Title").empty() ? f.id : Str(m, "Title");
  f.severity = ParseSeverityWord(Str(m, "Severity"));
  f.category = TrivyConfigCategory(Str(result, "Type"));
  f.location.path = Str(result, "Target");
  f.location.line = Int(Member(m, "CauseMetadata"), "StartLine");
  f.message = Str(m, "Message");
  f.remediation = Str(m, "Resolution");
  if (!Str(m, "PrimaryURL").empty()) f.references.urls.push_back(Str(m, "PrimaryURL"));
  return f;
}

core::Finding TrivySecret(const json& s, const json& result) {
  core::Finding f;
  f.id = Str(s, "RuleID");
  f.title = Str(s, "Title").empty() ? f.id : Str(s, "Title");
  f.severity = ParseSeverityWord(Str(s, "Severity"));
  f.category = core::Category::kSecret;
  f.location.path = Str(result, "Target");
  f.location.line = Int(s, "StartLine");
  f.remediation = "Remove the secret from the file and rotate it";
  return f;
}

// Adds one Results[] entry's findings; false once the limit is reached.
bool ReadTrivyResult(const json& result, LoadedResult& out, bool& has_vulnerabilities) {
  std::vector<core::Finding>& findings = out.report.findings;
  for (const json& v : Array(result, "Vulnerabilities")) {
    if (AtLimit(findings.size(), "findings", out.warnings)) return false;
    if (!v.is_object() || Str(v, "VulnerabilityID").empty()) continue;
    findings.push_back(TrivyVulnerability(v, result));
    has_vulnerabilities = true;
  }
  for (const json& m : Array(result, "Misconfigurations")) {
    if (AtLimit(findings.size(), "findings", out.warnings)) return false;
    std::string status = Str(m, "Status");
    if (!m.is_object() || (!status.empty() && status != "FAIL")) continue;
    findings.push_back(TrivyMisconfiguration(m, result));
    if (findings.back().id.empty()) findings.pop_back();
  }
  for (const json& s : Array(result, "Secrets")) {
    if (AtLimit(findings.size(), "findings", out.warnings)) return false;
    if (!s.is_object() || Str(s, "RuleID").empty()) continue;
    findings.push_back(TrivySecret(s, result));
  }
  return true;
}

std::string GrypeTarget(const json& doc) {
  const json& target = Member(Member(doc, "source"), "target");
  if (target.is_string()) return target.get<std::string>();
  if (!Str(target, "userInput").empty()) return Str(target, "userInput");
  return Str(target, "name");
}

core::Finding GrypeMatch(const json& match) {
  const json& vuln = Member(match, "vulnerability");
  const json& artifact = Member(match, "artifact");
  core::Finding f;
  f.id = Str(vuln, "id");
  f.title = Str(vuln, "description").empty() ? f.id : Str(vuln, "description");
  if (f.title.size() > 200) f.title = f.title.substr(0, 197) + "...";
  f.severity = ParseSeverityWord(Str(vuln, "severity"));
  f.category = core::Category::kVulnerability;
  f.package = core::PackageRef{Str(artifact, "name"), Str(artifact, "version"),
                               Str(artifact, "type"), Str(artifact, "purl")};
  f.installed = f.package.version;
  const json& fix = Member(vuln, "fix");
  std::vector<std::string> versions = Strings(Member(fix, "versions"), 10);
  if (Str(fix, "state") == "fixed" && !versions.empty()) f.fixed = versions.front();
  f.remediation = UpgradeAdvice(f.package.name, f.fixed);
  f.fixable = !f.fixed.empty();
  const json& locations = Array(artifact, "locations");
  if (!locations.empty()) f.location.path = Str(locations[0], "path");
  for (const json& related : Array(match, "relatedVulnerabilities")) {
    if (f.aliases.size() >= 20) break;
    std::string id = Str(related, "id");
    if (!id.empty() && id != f.id) f.aliases.push_back(id);
  }
  f.references.urls = Strings(Member(vuln, "urls"), 10);
  return f;
}

}  // namespace

bool IsTrivy(const json& doc) {
  return Has(doc, "SchemaVersion") &&
         (Member(doc, "Results").is_array() || Member(doc, "ArtifactName").is_string());
}

void ReadTrivy(const json& doc, LoadedResult& out) {
  out.tool = "trivy";
  out.report.target = Str(doc, "ArtifactName");
  out.run.target = out.report.target;
  out.run.time = Str(doc, "CreatedAt");
  bool has_vulnerabilities = false;
  for (const json& result : Array(doc, "Results")) {
    if (result.is_object() && !ReadTrivyResult(result, out, has_vulnerabilities)) break;
  }
  // An image report is a scan even when it is clean: Trivy names its type.
  std::string type = Str(doc, "ArtifactType");
  bool image = type.find("image") != std::string::npos;
  out.kind = has_vulnerabilities || image ? ResultKind::kScan : ResultKind::kAudit;
  out.report.scan = out.kind == ResultKind::kScan;
}

bool IsGrype(const json& doc) {
  return Str(Member(doc, "descriptor"), "name") == "grype" && Member(doc, "matches").is_array();
}

void ReadGrype(const json& doc, LoadedResult& out) {
  out.tool = "grype";
  out.kind = ResultKind::kScan;
  out.report.scan = true;
  out.report.target = GrypeTarget(doc);
  out.run.target = out.report.target;
  out.run.time = Str(Member(doc, "descriptor"), "timestamp");
  for (const json& match : Array(doc, "matches")) {
    if (AtLimit(out.report.findings.size(), "findings", out.warnings)) break;
    if (!match.is_object() || Str(Member(match, "vulnerability"), "id").empty()) continue;
    out.report.findings.push_back(GrypeMatch(match));
  }
}

}  // namespace bulwark::report::importers
