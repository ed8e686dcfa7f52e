#include <map>
#include <nlohmann/json.hpp>

#include "core/escape.hpp"
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

}  // namespace

std::string RenderSarif(const Report& report, const CheckRegistry& registry) {
  // Rules: every check that produced a result, in a stable order.
  std::map<std::string, int> rule_index;
  json rules = json::array();
  for (const Finding& f : report.findings) {
    if (rule_index.count(f.id)) continue;
    const CheckInfo* info = registry.Find(f.id);
    CheckInfo fallback{f.id, f.title, f.severity, f.category, "", f.remediation, f.references};
    rule_index[f.id] = static_cast<int>(rules.size());
    rules.push_back(RuleJson(info ? *info : fallback));
  }
  json results = json::array();
  for (const Finding& f : report.findings) {
    results.push_back(json{{"ruleId", f.id},
                           {"ruleIndex", rule_index[f.id]},
                           {"level", SarifLevel(f.severity)},
                           {"message", {{"text", f.message}}},
                           {"locations", json::array({ResultLocation(f.location)})},
                           {"properties", {{"severity", SeverityName(f.severity)},
                                           {"fixable", f.fixable}}}});
  }
  json notifications = json::array();
  for (const Diagnostic& d : report.diagnostics) {
    json n{{"level", "warning"}, {"message", {{"text", d.message}}}};
    if (!d.location.path.empty()) n["locations"] = json::array({ResultLocation(d.location)});
    notifications.push_back(n);
  }
  json run{{"tool", {{"driver", {{"name", "bulwark"},
                                 {"version", kVersion},
                                 {"semanticVersion", kVersion},
                                 {"rules", rules}}}}},
           {"originalUriBaseIds", {{"SRCROOT", {{"description", {{"text", "The audited directory: " + report.target}}}}}}},
           {"invocations", json::array({json{{"executionSuccessful", true},
                                             {"toolExecutionNotifications", notifications}}})},
           {"results", results}};
  json root{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
            {"version", "2.1.0"},
            {"runs", json::array({run})}};
  return root.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace bulwark::core
