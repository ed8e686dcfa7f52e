// bulwark's own reports read back: the JSON of audit, audit --host and scan
// (core/render_json.cpp), and the reports `fix` and `watch` save.
#include <cctype>

#include "report/importers.hpp"
#include "core/finding_json.hpp"
#include "core/json_read.hpp"

namespace bulwark::report::importers {
namespace {

using namespace core::json_read;  // NOLINT(google-build-using-namespace): local helpers

std::string Lower(std::string_view text) {
  std::string out;
  for (char c : text) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

// Findings need an ID to be compared before and after; others are skipped.
std::vector<core::Finding> ReadFindings(const json& doc, const char* key,
                                        std::vector<std::string>& warnings) {
  std::vector<core::Finding> out;
  for (const json& item : Array(doc, key)) {
    if (AtLimit(out.size(), key, warnings)) break;
    if (!item.is_object() || Str(item, "id").empty()) continue;
    out.push_back(core::FindingFromJson(item));
  }
  return out;
}

std::vector<core::SuppressedFinding> ReadSuppressed(const json& doc,
                                                    std::vector<std::string>& warnings) {
  std::vector<core::SuppressedFinding> out;
  for (const json& item : Array(doc, "suppressed")) {
    if (AtLimit(out.size(), "suppressed", warnings)) break;
    if (!item.is_object() || Str(item, "id").empty()) continue;
    out.push_back(
        core::SuppressedFinding{core::FindingFromJson(item), Str(item, "source"), Str(item, "reason")});
  }
  return out;
}

bool AnyHasStatus(const json& list) {
  if (!list.is_array()) return false;
  for (const json& item : list) {
    if (Has(item, "status")) return true;
  }
  return false;
}

FixEdit ReadEdit(const json& j) {
  FixEdit e;
  e.path = Str(j, "path");
  e.line = Int(j, "line");
  e.created = Bool(j, "created");
  e.description = Str(j, "description");
  if (!Str(j, "check").empty()) e.checks.push_back(Str(j, "check"));
  const json& fixed = Member(j, "fixed");  // {"check ID": findings addressed}
  if (fixed.is_object()) {
    for (auto it = fixed.begin(); it != fixed.end() && e.checks.size() < 100; ++it)
      e.checks.push_back(it.key());
  }
  return e;
}

core::Severity PrioritySeverity(std::string_view priority) {
  std::string p = Lower(priority);
  if (p == "emergency" || p == "alert" || p == "critical") return core::Severity::kCritical;
  if (p == "error") return core::Severity::kHigh;
  if (p == "warning" || p == "warn") return core::Severity::kMedium;
  if (p == "notice") return core::Severity::kLow;
  return core::Severity::kInfo;
}

}  // namespace

bool AtLimit(size_t count, std::string_view what, std::vector<std::string>& warnings) {
  if (count < kMaxEntriesPerResult) return false;
  warnings.push_back("only the first " + std::to_string(kMaxEntriesPerResult) + " " +
                     std::string(what) + " were read");
  return true;
}

// Grype's "Negligible" and Trivy's "UNKNOWN" read as info, like any other
// word ParseSeverity does not know.
core::Severity ParseSeverityWord(std::string_view word) {
  return core::ParseSeverity(word).value_or(core::Severity::kInfo);
}

bool IsBulwarkReport(const json& doc) {
  return Str(Member(doc, "tool"), "name") == "bulwark" && Member(doc, "findings").is_array();
}

ResultKind ClassifyBulwarkReport(const json& doc) {
  const json& summary = Member(doc, "summary");
  if (AnyHasStatus(Member(doc, "findings")) || AnyHasStatus(Member(doc, "passed")) ||
      Has(summary, "checks")) {
    return ResultKind::kHostAudit;
  }
  if (Has(summary, "packages")) return ResultKind::kScan;
  return ResultKind::kAudit;
}

core::Report ReadBulwarkReport(const json& doc, std::vector<std::string>& warnings) {
  core::Report report;
  report.target = Str(doc, "target");
  report.findings = ReadFindings(doc, "findings", warnings);
  report.suppressed_findings = ReadSuppressed(doc, warnings);
  const json& summary = Member(doc, "summary");
  report.suppressed = Int(summary, "suppressed");
  report.files_examined = Int(summary, "files");
  const json& kinds = Member(summary, "files_by_kind");
  if (kinds.is_object()) {
    for (auto it = kinds.begin(); it != kinds.end() && report.files_by_kind.size() < 64; ++it) {
      if (it.value().is_number_integer()) report.files_by_kind[it.key()] = Int(kinds, it.key().c_str());
    }
  }
  report.scan = Has(summary, "packages");
  report.packages_examined = Int(summary, "packages");
  const json& baseline = Member(doc, "baseline");
  if (baseline.is_object()) {
    report.has_baseline = true;
    report.baseline_path = Str(baseline, "path");
    report.fixed = ReadFindings(baseline, "fixed_findings", warnings);
  }
  return report;
}

FixResult ReadFix(const json& report, std::vector<std::string>& warnings) {
  FixResult fix;
  fix.written = Bool(report, "written");
  if (Member(report, "before").is_object())
    fix.before = ReadBulwarkReport(Member(report, "before"), warnings);
  if (Member(report, "after").is_object())
    fix.after = ReadBulwarkReport(Member(report, "after"), warnings);
  for (const json& item : Array(report, "edits")) {
    if (AtLimit(fix.edits.size(), "edits", warnings)) break;
    if (item.is_object()) fix.edits.push_back(ReadEdit(item));
  }
  return fix;
}

std::vector<Alert> ReadAlerts(const json& report, std::vector<std::string>& warnings) {
  const json& list = report.is_array() ? report : Array(report, "alerts");
  std::vector<Alert> out;
  for (const json& item : list) {
    if (AtLimit(out.size(), "alerts", warnings)) break;
    if (!item.is_object() || Str(item, "rule").empty()) continue;
    Alert a;
    a.time = Str(item, "time");
    a.rule = Str(item, "rule");
    a.priority = Str(item, "priority");
    a.output = Str(item, "output");
    a.container = Str(Member(item, "output_fields"), "container.name");
    a.severity = PrioritySeverity(a.priority);
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace bulwark::report::importers
