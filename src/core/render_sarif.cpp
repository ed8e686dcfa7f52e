#include <map>
#include <nlohmann/json.hpp>

#include "core/escape.hpp"
#include "core/host_report.hpp"
#include "core/render.hpp"
#include "core/version.hpp"

namespace bulwark::core {
namespace {

using nlohmann::json;

const char* SarifLevel(Severity s) {
  switch (s) {
    case Severity::kCritical:
    case Severity::kHigh: return "error";
    case Severity::kMedium: return "warning";
    case Severity::kLow:
    case Severity::kInfo: return "note";
  }
  return "note";
}

// GitHub code scanning reads this 0.0-10.0 score to rank security results.
const char* SecuritySeverity(Severity s) {
  switch (s) {
    case Severity::kCritical: return "9.5";
    case Severity::kHigh: return "8.0";
    case Severity::kMedium: return "5.5";
    case Severity::kLow: return "3.0";
    case Severity::kInfo: return "1.0";
  }
  return "1.0";
}

std::string HelpMarkdown(const CheckInfo& c) {
  std::string md = "**" + EscapeMarkdown(c.title) + "**\n\n" + EscapeMarkdown(c.rationale) +
                   "\n\n**Remediation:** " + EscapeMarkdown(c.remediation) + "\n";
  const References& r = c.references;
  auto list = [&](const char* name, const std::vector<std::string>& items) {
    if (items.empty()) return;
    md += "\n- " + std::string(name) + ": ";
    for (size_t i = 0; i < items.size(); ++i) md += (i ? ", " : "") + EscapeMarkdown(items[i]);
  };
  list("CIS Docker Benchmark", r.cis);
  list("MITRE ATT&CK", r.attack);
  list("NIST SP 800-53", r.nist);
  list("CWE", r.cwe);
  return md;
}

json RuleJson(const CheckInfo& c) {
  json tags = json::array({"security", std::string(CategoryName(c.category))});
  for (const auto& v : c.references.cwe) tags.push_back(v);
  for (const auto& v : c.references.attack) tags.push_back("attack:" + v);
  for (const auto& v : c.references.cis) tags.push_back("cis:" + v);
  for (const auto& v : c.references.nist) tags.push_back("nist:" + v);
  json rule{{"id", c.id},
            {"name", c.id},
            {"shortDescription", {{"text", c.title}}},
            {"fullDescription", {{"text", c.rationale.empty() ? c.title : c.rationale}}},
            {"help", {{"text", c.title + ". " + c.rationale + " Remediation: " + c.remediation},
                      {"markdown", HelpMarkdown(c)}}},
            {"defaultConfiguration", {{"level", SarifLevel(c.severity)}}},
            {"properties", {{"tags", tags},
                            {"precision", "high"},
                            {"security-severity", SecuritySeverity(c.severity)}}}};
  if (!c.references.urls.empty()) rule["helpUri"] = c.references.urls.front();
  return rule;
}

json ResultLocation(const Location& l) {
  json physical{{"artifactLocation", {{"uri", PathToUri(l.path)}, {"uriBaseId", "SRCROOT"}}}};
  if (l.line > 0) {
    json region{{"startLine", l.line}};
    if (l.column > 0) region["startColumn"] = l.column;
    if (l.end_line >= l.line) {
      region["endLine"] = l.end_line;
      if (l.end_column > 0) region["endColumn"] = l.end_column;
    }
    physical["region"] = region;
  }
  return json{{"physicalLocation", physical}};
}

// SARIF's result kind for a CIS verdict; only "fail" may carry a level
// other than "none" (SARIF 2.1.0 §3.27.9).
const char* SarifKind(Verdict v) {
  switch (v) {
    case Verdict::kPass: return "pass";
    case Verdict::kInfo: return "informational";
    case Verdict::kNote: return "review";
    case Verdict::kWarn:
    case Verdict::kNone: return "fail";
  }
  return "fail";
}

// A host file is named by an absolute file: URI (no uriBaseId: it is not
// under the audited directory); containers, images, the daemon and the host
// are logical locations.
json SubjectLocation(const Finding& f) {
  if (f.subject.kind == "file") {
    const std::string& path = f.location.path.empty() ? f.subject.name : f.location.path;
    json artifact{{"uri", PathToUri(path)}};
    if (path.starts_with("/")) {
      artifact["uri"] = "file://" + PathToUri(path);
    } else {
      artifact["uriBaseId"] = "SRCROOT";
    }
    return json{{"physicalLocation", {{"artifactLocation", artifact}}}};
  }
  return json{{"logicalLocations", json::array({json{{"name", f.subject.name},
                                                      {"fullyQualifiedName", f.subject.kind + "/" + f.subject.name},
                                                      {"kind", "resource"}}})}};
}

json ResultJson(const Finding& f, int rule_index, bool has_baseline) {
  json result{{"ruleId", f.id},
              {"ruleIndex", rule_index},
              {"level", SarifLevel(f.severity)},
              {"message", {{"text", f.message}}},
              {"locations", json::array({ResultLocation(f.location)})},
              {"properties", {{"severity", SeverityName(f.severity)}, {"fixable", f.fixable}}}};
  if (f.verdict != Verdict::kNone) {
    result["kind"] = SarifKind(f.verdict);
    if (f.verdict != Verdict::kWarn) result["level"] = "none";
    if (f.subject.kind.empty() && f.subject.name.empty()) {
      result.erase("locations");
    } else {
      result["locations"] = json::array({SubjectLocation(f)});
    }
    result["properties"]["status"] = VerdictName(f.verdict);
    result["properties"]["subject"] = {{"kind", f.subject.kind}, {"name", f.subject.name}, {"id", f.subject.id}};
    result["properties"]["evidence"] = f.evidence;
  }
  if (f.category == Category::kVulnerability) {
    json& props = result["properties"];
    props["package"] = {{"name", f.package.name}, {"version", f.package.version},
                        {"type", f.package.type}, {"purl", f.package.purl}};
    props["installed"] = f.installed;
    props["fixed"] = f.fixed;
    props["aliases"] = f.aliases;
    // Code scanning groups alerts by fingerprint: one per package and vulnerability.
    result["partialFingerprints"] = {{"bulwarkVulnerability/v1", f.id + "|" + f.package.purl}};
  }
  if (has_baseline && !f.change.empty()) result["baselineState"] = f.change;  // "new" | "unchanged"
  return result;
}

// Fixed findings are not results: consumers that ignore baselineState
// "absent" (GitHub code scanning does) would show them as open alerts.
json BaselineProperties(const Report& report) {
  BaselineCounts counts = CountBaseline(report);
  json fixed = json::array();
  for (const Finding& f : report.fixed) {
    json entry{{"ruleId", f.id}, {"message", f.message}};
    if (f.verdict != Verdict::kNone) {
      entry["subject"] = {{"kind", f.subject.kind}, {"name", f.subject.name}, {"id", f.subject.id}};
    } else {
      entry["path"] = f.location.path;
    }
    fixed.push_back(entry);
  }
  return json{{"path", report.baseline_path},
              {"new", counts.added},
              {"unchanged", counts.unchanged},
              {"fixed", counts.fixed},
              {"fixed_findings", fixed}};
}

}  // namespace

std::string RenderSarif(const Report& report, const CheckRegistry& registry) {
  std::vector<const Finding*> reported;
  for (const Finding& f : report.findings) reported.push_back(&f);
  if (report.include_passed) {
    for (const Finding& f : report.passed) reported.push_back(&f);
  }
  // Rules: every check that produced a result, in a stable order.
  std::map<std::string, int> rule_index;
  json rules = json::array();
  for (const Finding* f : reported) {
    if (rule_index.count(f->id)) continue;
    const CheckInfo* info = registry.Find(f->id);
    CheckInfo fallback{f->id, f->title, f->severity, f->category, "", f->remediation, f->references};
    rule_index[f->id] = static_cast<int>(rules.size());
    rules.push_back(RuleJson(info ? *info : fallback));
  }
  json results = json::array();
  for (const Finding* f : reported) results.push_back(ResultJson(*f, rule_index[f->id], report.has_baseline));
  json notifications = json::array();
  for (const Diagnostic& d : report.diagnostics) {
    json n{{"level", "warning"}, {"message", {{"text", d.message}}}};
    if (!d.location.path.empty()) n["locations"] = json::array({ResultLocation(d.location)});
    notifications.push_back(n);
  }
  for (const SkippedCheck& s : report.skipped) {
    notifications.push_back(json{{"level", "warning"},
                                 {"message", {{"text", "CIS " + s.cis + " not checked: " + s.reason}}},
                                 {"associatedRule", {{"id", s.id}}}});
  }
  std::string root_text = HasVerdicts(report) ? "The audited host: "
                          : report.scan       ? "The root filesystem of the scanned image: "
                                              : "The audited directory: ";
  json run{{"tool", {{"driver", {{"name", "bulwark"},
                                 {"version", kVersion},
                                 {"semanticVersion", kVersion},
                                 {"rules", rules}}}}},
           {"originalUriBaseIds", {{"SRCROOT", {{"description", {{"text", root_text + report.target}}}}}}},
           {"invocations", json::array({json{{"executionSuccessful", true},
                                             {"toolExecutionNotifications", notifications}}})},
           {"results", results}};
  if (report.has_baseline) run["properties"] = {{"baseline", BaselineProperties(report)}};
  json root{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
            {"version", "2.1.0"},
            {"runs", json::array({run})}};
  return root.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace bulwark::core
