// One JSON text -> one LoadedResult: bound it, parse it, recognise its shape
// and hand it to the converter for that shape (importers.hpp).
#include <algorithm>

#include "report/importers.hpp"
#include "core/json_read.hpp"
#include "report/result_time.hpp"
#include "report/results_dir.hpp"

namespace bulwark::report {
namespace {

using nlohmann::json;
using namespace core::json_read;  // NOLINT(google-build-using-namespace): local helpers

// Deeper JSON is no result; refusing it before parsing keeps a nesting bomb
// from costing memory in the DOM.
constexpr int kMaxDepth = 64;

constexpr std::pair<ResultKind, std::string_view> kKindNames[] = {
    {ResultKind::kAudit, "audit"}, {ResultKind::kHostAudit, "audit-host"},
    {ResultKind::kScan, "scan"},   {ResultKind::kFix, "fix"},
    {ResultKind::kModel, "model"}, {ResultKind::kWatch, "watch"},
};

core::Status ReadSaved(const json& doc, LoadedResult& out) {
  const json& run = Member(doc, "run");
  const json& report = Member(doc, "report");
  auto kind = ParseResultKind(Str(run, "command"));
  if (!kind) {
    return core::Error(core::ErrorCode::kParseError,
                       "a saved result of an unknown command '" + Str(run, "command") + "'");
  }
  out.saved = true;
  out.kind = *kind;
  out.run = RunInfo{std::string(ResultKindName(*kind)), Str(run, "target"), Str(run, "time"),
                    Str(run, "baseline")};
  switch (*kind) {
    case ResultKind::kAudit:
    case ResultKind::kHostAudit:
    case ResultKind::kScan:
      if (!report.is_object()) {
        return core::Error(core::ErrorCode::kParseError,
                           "the saved " + out.run.command + " result has no report");
      }
      out.report = importers::ReadBulwarkReport(report, out.warnings);
      if (out.run.target.empty()) out.run.target = out.report.target;
      if (out.run.baseline.empty()) out.run.baseline = out.report.baseline_path;
      break;
    case ResultKind::kFix:
      out.fix = importers::ReadFix(report, out.warnings);
      if (out.run.target.empty()) out.run.target = Str(report, "target");
      break;
    case ResultKind::kModel:
      out.model = importers::ReadThreatModel(report, out.warnings);
      if (out.run.target.empty()) out.run.target = out.model.name;
      break;
    case ResultKind::kWatch:
      out.alerts = importers::ReadAlerts(report, out.warnings);
      break;
  }
  return core::Status::Ok();
}

void ReadPlainReport(const json& doc, LoadedResult& out) {
  out.kind = importers::ClassifyBulwarkReport(doc);
  out.report = importers::ReadBulwarkReport(doc, out.warnings);
  out.run = RunInfo{std::string(ResultKindName(out.kind)), out.report.target, "",
                    out.report.baseline_path};
}

void ReadPlainModel(const json& doc, LoadedResult& out) {
  out.kind = ResultKind::kModel;
  out.model = importers::ReadThreatModel(doc, out.warnings);
  out.run = RunInfo{"model", out.model.name, "", ""};
}

// Times come in several forms (Trivy's offsets, Grype's nanoseconds): one
// UTC form makes them comparable; an unreadable time is no time.
void NormaliseTime(LoadedResult& out) {
  auto seconds = ParseIsoTime(out.run.time);
  out.time_seconds = seconds.value_or(0);
  out.run.time = seconds ? FormatIsoTime(*seconds) : "";
}

}  // namespace

std::string_view ResultKindName(ResultKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "audit";
}

std::optional<ResultKind> ParseResultKind(std::string_view command) {
  for (const auto& [k, name] : kKindNames) {
    if (name == command) return k;
  }
  if (command == "host" || command == "audit --host") return ResultKind::kHostAudit;
  return std::nullopt;
}

core::Result<LoadedResult> ImportResultJson(std::string_view text, const std::string& file_name) {
  if (text.size() > kMaxResultFileBytes) {
    return core::Error(
        core::ErrorCode::kTooLarge,
        file_name + " is larger than " + std::to_string(kMaxResultFileBytes >> 20) + " MiB");
  }
  if (NestingDepth(text) > kMaxDepth) {
    return core::Error(core::ErrorCode::kTooLarge, file_name + " nests JSON deeper than " +
                                                       std::to_string(kMaxDepth) + " levels");
  }
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded())
    return core::Error(core::ErrorCode::kParseError, file_name + " is not valid JSON");
  if (!doc.is_object()) {
    return core::Error(core::ErrorCode::kParseError,
                       file_name + " is not a result (a JSON object was expected)");
  }
  LoadedResult out;
  out.file = file_name;
  if (Has(doc, "bulwark_result")) {
    if (core::Status st = ReadSaved(doc, out); !st.ok()) {
      return core::Error(st.code(), file_name + ": " + st.message());
    }
  } else if (importers::IsBulwarkReport(doc)) {
    ReadPlainReport(doc, out);
  } else if (importers::IsThreatModel(doc)) {
    ReadPlainModel(doc, out);
  } else if (importers::IsTrivy(doc)) {
    importers::ReadTrivy(doc, out);
    out.run.command = std::string(ResultKindName(out.kind));
  } else if (importers::IsGrype(doc)) {
    importers::ReadGrype(doc, out);
    out.run.command = std::string(ResultKindName(out.kind));
  } else {
    return core::Error(core::ErrorCode::kParseError,
                       file_name + " is not a result bulwark knows (bulwark, Trivy or Grype JSON)");
  }
  NormaliseTime(out);
  return out;
}

}  // namespace bulwark::report
