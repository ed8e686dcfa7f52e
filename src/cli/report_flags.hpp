// The flags every reporting subcommand shares (CLI.md "Common flags") and
// the step that renders a report, writes it and computes the exit code.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/check_registry.hpp"
#include "core/report.hpp"
#include "core/severity.hpp"
#include "core/status.hpp"
#include "core/suppression.hpp"
#include "cli/results_flags.hpp"

namespace bulwark::cli {

inline constexpr int kExitUsage = 2;
inline constexpr int kExitUnreadable = 3;

struct ReportFlags {
  std::string format;  // empty: table
  std::string output;  // empty: stdout
  std::string severity;
  int exit_code = 0;
  bool exit_code_set = false;
  std::string fail_on;
  std::string ignorefile = ".bulwarkignore";
  bool ignorefile_set = false;
  bool quiet = false;
  bool no_color = false;
  std::string baseline;       // an earlier run's JSON report: mark new / unchanged / fixed
  bool include_pass = false;  // host audits: render passing checks too
  ResultsFlags results;       // where the run's JSON result is kept for `bulwark report`
};

void AddReportFlags(CLI::App& command, ReportFlags& flags);

// Checks the flag values (format, severities) before any work is done.
// `extra_formats` are formats this command renders itself
// ("docker-bench-json" for `audit --host`).
core::Status ValidateReportFlags(const ReportFlags& flags, const std::vector<std::string>& extra_formats = {});

// "high,critical" -> set of severities; error on unknown words.
core::Result<std::set<core::Severity>> ParseSeverityList(const std::string& list);

// The ignore file: --ignorefile if given (must exist), else .bulwarkignore in
// the target directory, else in the current directory; none is fine.
core::Result<std::optional<core::IgnoreFile>> LoadIgnoreFile(const ReportFlags& flags, const std::string& target);

// Marks the report against --baseline when given (error: the file cannot be
// read or is not a report).
core::Status ApplyBaselineFlag(core::Report& report, const ReportFlags& flags);

// Renders, writes to the output, and returns the process exit code.
int EmitReport(const core::Report& report, const ReportFlags& flags, const core::CheckRegistry& registry);
// Writes already rendered text (formats a command renders itself) and
// returns the exit code of the gate over `report`.
int EmitText(const std::string& text, const core::Report& report, const ReportFlags& flags);

}  // namespace bulwark::cli
