#include "cli/results_flags.hpp"

#include <cstdio>
#include <cstdlib>

#include "core/render.hpp"

namespace bulwark::cli {

void AddResultsFlags(CLI::App& command, ResultsFlags& flags) {
  command.add_option("--results", flags.dir,
                     "Keep this run's JSON result in DIR for `bulwark report` (default .bulwark; env BULWARK_RESULTS)");
  command.add_flag("--no-results", flags.disabled, "Keep no result of this run");
}

std::optional<std::filesystem::path> ResultsDir(const ResultsFlags& flags) {
  if (flags.disabled) return std::nullopt;
  if (!flags.dir.empty()) return std::filesystem::path(flags.dir);
  if (const char* env = std::getenv("BULWARK_RESULTS"); env != nullptr && *env != '\0') {
    std::string_view value(env);
    if (value == "off" || value == "0" || value == "none") return std::nullopt;
    return std::filesystem::path(value);
  }
  return std::filesystem::path(report::kDefaultResultsDir);
}

void SaveRunResult(const ResultsFlags& flags, const report::RunInfo& run, std::string_view report_json) {
  std::optional<std::filesystem::path> dir = ResultsDir(flags);
  if (!dir) return;
  auto saved = report::SaveResult(*dir, run, report_json);
  if (!saved.ok()) {
    std::fprintf(stderr, "bulwark %s: result not kept in %s: %s (use --results DIR or --no-results)\n",
                 run.command.c_str(), dir->string().c_str(), saved.status().message().c_str());
  }
}

void SaveReportResult(const ResultsFlags& flags, std::string_view command, const core::Report& report) {
  if (!ResultsDir(flags)) return;
  report::RunInfo run;
  run.command = std::string(command);
  run.target = report.target;
  run.baseline = report.has_baseline ? report.baseline_path : "";
  SaveRunResult(flags, run, core::RenderJson(report));
}

}  // namespace bulwark::cli
