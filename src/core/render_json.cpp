#include <nlohmann/json.hpp>

#include "core/escape.hpp"
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

}  // namespace

std::optional<ReportFormat> ParseReportFormat(std::string_view name) {
  if (name == "table") return ReportFormat::kTable;
  if (name == "json") return ReportFormat::kJson;
  if (name == "sarif") return ReportFormat::kSarif;
  if (name == "markdown" || name == "md") return ReportFormat::kMarkdown;
  return std::nullopt;
}

std::string RenderJson(const Report& report) {
  json findings = json::array();
  for (const Finding& f : report.findings) {
    findings.push_back(json{{"id", f.id},
                            {"title", f.title},
                            {"severity", SeverityName(f.severity)},
                            {"category", CategoryName(f.category)},
                            {"location", LocationJson(f.location)},
                            {"message", f.message},
                            {"remediation", f.remediation},
                            {"references", ReferencesJson(f.references)},
                            {"fixable", f.fixable}});
  }
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
  summary["files_by_kind"] = report.files_by_kind;
  json root{{"tool", {{"name", "bulwark"}, {"version", kVersion}}},
            {"target", report.target},
            {"findings", std::move(findings)},
            {"diagnostics", std::move(diagnostics)},
            {"summary", std::move(summary)}};
  // Input may hold invalid UTF-8 (file names, file content): replace, never throw.
  return root.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace bulwark::core
