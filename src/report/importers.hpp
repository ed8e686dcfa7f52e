// The converters behind ImportResultJson (results_dir.hpp): one per file
// shape, each reading an already parsed, depth-checked JSON document into
// plain values. Missing or mistyped members read as empty; lists are cut at
// kMaxEntriesPerResult with a warning. Internal to bulwark_report;
// thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "report/results_dir.hpp"

namespace bulwark::report::importers {

using nlohmann::json;

// "critical", "HIGH", "Negligible", "UNKNOWN", ... -> a severity; unknown
// words read as info.
core::Severity ParseSeverityWord(std::string_view word);

// bulwark's own JSON report (audit, audit --host, scan; core/render_json.cpp).
bool IsBulwarkReport(const json& doc);
core::Report ReadBulwarkReport(const json& doc, std::vector<std::string>& warnings);
// The kind of a plain bulwark report: host (findings with "status"), scan
// (summary.packages), else audit.
ResultKind ClassifyBulwarkReport(const json& doc);

// `fix`'s saved report: {"before", "after", "edits", "written"}.
FixResult ReadFix(const json& report, std::vector<std::string>& warnings);

// `watch`'s saved report: {"alerts": [...]} (or the array itself).
std::vector<Alert> ReadAlerts(const json& report, std::vector<std::string>& warnings);

// threat_model.json.
bool IsThreatModel(const json& doc);
ModelResult ReadThreatModel(const json& doc, std::vector<std::string>& warnings);

// Trivy (`-f json`) and Grype (`-o json`) reports.
bool IsTrivy(const json& doc);
void ReadTrivy(const json& doc, LoadedResult& out);
bool IsGrype(const json& doc);
void ReadGrype(const json& doc, LoadedResult& out);

// Appends the "cut at N" warning once when `count` reaches the limit.
bool AtLimit(size_t count, std::string_view what, std::vector<std::string>& warnings);

}  // namespace bulwark::report::importers
