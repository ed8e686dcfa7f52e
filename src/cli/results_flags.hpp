// --results DIR / --no-results: where a run leaves its JSON result for
// `bulwark report` (report/result_store.hpp). The default is `.bulwark/` in
// the current directory; the BULWARK_RESULTS environment variable names
// another directory, or "off" to keep none (the test suite sets it).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "core/report.hpp"
#include "report/result_store.hpp"

namespace bulwark::cli {

struct ResultsFlags {
  std::string dir;  // --results; empty: BULWARK_RESULTS, then .bulwark
  bool disabled = false;
};

void AddResultsFlags(CLI::App& command, ResultsFlags& flags);

// The directory to keep results in, or nullopt when none is to be kept.
std::optional<std::filesystem::path> ResultsDir(const ResultsFlags& flags);

// Saves the result; a failure is a warning on stderr (a run never fails
// because its result could not be kept). Quiet runs warn too: data is lost.
void SaveRunResult(const ResultsFlags& flags, const report::RunInfo& run, std::string_view report_json);

// The same for a finished report: its JSON rendering, and its baseline.
void SaveReportResult(const ResultsFlags& flags, std::string_view command, const core::Report& report);

}  // namespace bulwark::cli
