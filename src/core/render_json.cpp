#include <nlohmann/json.hpp>

#include "core/escape.hpp"
#include "core/host_report.hpp"
#include "core/render.hpp"
#include "core/version.hpp"

namespace bulwark::core {
namespace {

using nlohmann::json;

json ReferencesJson(const References& r) {
  return json{{"cis", r.cis}, {"attack", r.attack}, {"nist", r.nist}, {"cwe", r.cwe}, {"urls", r.urls}};
}

json LocationJson(const Location& l) {
  json out{{"path", l.path}, {"line", l.line}, {"column", l.column}};
  if (l.end_line > 0) {
    out["end_line"] = l.end_line;
    out["end_column"] = l.end_column;
  }
  return out;
}

// The CLI.md finding shape; host findings add status, subject and evidence,
// and with a baseline every finding says whether it is new.
json FindingJson(const Finding& f, bool has_baseline) {
  json out{{"id", f.id},
           {"title", f.title},
           {"severity", SeverityName(f.severity)},
           {"category", CategoryName(f.category)},
           {"location", LocationJson(f.location)},
           {"message", f.message},
           {"remediation", f.remediation},
           {"references", ReferencesJson(f.references)},
           {"fixable", f.fixable}};
  if (f.verdict != Verdict::kNone) {
    out["status"] = VerdictName(f.verdict);
    out["subject"] = json{{"kind", f.subject.kind}, {"name", f.subject.name}, {"id", f.subject.id}};
    out["evidence"] = f.evidence;
  }
  if (f.category == Category::kVulnerability) {
    out["package"] = json{{"name", f.package.name}, {"version", f.package.version},
                          {"type", f.package.type}, {"purl", f.package.purl}};
    out["installed"] = f.installed;
    out["fixed"] = f.fixed;
    out["aliases"] = f.aliases;
    if (f.cvss_score > 0) out["cvss_score"] = f.cvss_score;
    if (!f.vex_status.empty()) out["vex_status"] = f.vex_status;
  }
  if (has_baseline && !f.change.empty()) out["change"] = f.change;
  return out;
}

json FindingsJson(const std::vector<Finding>& findings, bool has_baseline) {
  json out = json::array();
  for (const Finding& f : findings) out.push_back(FindingJson(f, has_baseline));
  return out;
}

json SkippedJson(const std::vector<SkippedCheck>& skipped) {
  json out = json::array();
  for (const SkippedCheck& s : skipped) out.push_back(json{{"id", s.id}, {"cis", s.cis}, {"reason", s.reason}});
  return out;
}

json BaselineJson(const Report& report) {
  BaselineCounts counts = CountBaseline(report);
  json fixed = FindingsJson(report.fixed, false);
  for (json& f : fixed) f["change"] = "fixed";
  return json{{"path", report.baseline_path},
              {"new", counts.added},
              {"unchanged", counts.unchanged},
              {"fixed", counts.fixed},
              {"fixed_findings", std::move(fixed)}};
}

json SuppressedJson(const std::vector<SuppressedFinding>& suppressed) {
  json out = json::array();
  for (const SuppressedFinding& s : suppressed) {
    out.push_back(json{{"id", s.finding.id},
                       {"title", s.finding.title},
                       {"severity", SeverityName(s.finding.severity)},
                       {"category", CategoryName(s.finding.category)},
                       {"location", {{"path", s.finding.location.path}, {"line", s.finding.location.line}}},
                       {"source", s.source},
                       {"reason", s.reason}});
  }
  return out;
}

json ChecksJson(const Report& report) {
  CheckCounts c = CountChecks(report);
  return json{{"pass", c.pass}, {"warn", c.warn}, {"info", c.info}, {"note", c.note}, {"skipped", c.skipped}};
}

}  // namespace

std::optional<ReportFormat> ParseReportFormat(std::string_view name) {
  if (name == "table") return ReportFormat::kTable;
  if (name == "json") return ReportFormat::kJson;
  if (name == "sarif") return ReportFormat::kSarif;
  if (name == "markdown" || name == "md") return ReportFormat::kMarkdown;
  return std::nullopt;
}

std::string RenderJson(const Report& report) {
  json diagnostics = json::array();
  for (const Diagnostic& d : report.diagnostics) {
    diagnostics.push_back(json{{"path", d.location.path},
                               {"line", d.location.line},
                               {"column", d.location.column},
                               {"message", d.message}});
  }
  json summary = json::object();
  auto counts = CountBySeverity(report.findings);
  for (Severity s : kAllSeverities) summary[std::string(SeverityName(s))] = counts[static_cast<size_t>(s)];
  summary["suppressed"] = report.suppressed;
  summary["files"] = report.files_examined;
  if (report.scan) {
    summary["packages"] = report.packages_examined;
    summary["vex_suppressed"] = report.vex_suppressed;
  }
  summary["files_by_kind"] = report.files_by_kind;
  json root{{"tool", {{"name", "bulwark"}, {"version", kVersion}}},
            {"target", report.target},
            {"findings", FindingsJson(report.findings, report.has_baseline)},
            {"diagnostics", std::move(diagnostics)}};
  // Host audits only (file audits keep the shape they always had).
  if (HasVerdicts(report)) summary["checks"] = ChecksJson(report);
  if (report.include_passed) root["passed"] = FindingsJson(report.passed, report.has_baseline);
  if (!report.skipped.empty()) root["skipped"] = SkippedJson(report.skipped);
  if (report.has_baseline) root["baseline"] = BaselineJson(report);
  if (!report.suppressed_findings.empty()) root["suppressed"] = SuppressedJson(report.suppressed_findings);
  root["summary"] = std::move(summary);
  // Input may hold invalid UTF-8 (file names, file content): replace, never throw.
  return root.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace bulwark::core
