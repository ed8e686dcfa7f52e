// The flags every reporting subcommand shares (CLI.md "Common flags") and
// the step that renders a report, writes it and computes the exit code.
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "core/check_registry.hpp"
#include "core/report.hpp"
#include "core/severity.hpp"
#include "core/status.hpp"
#include "core/suppression.hpp"

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
};

void AddReportFlags(CLI::App& command, ReportFlags& flags);

// Checks the flag values (format, severities) before any work is done.
core::Status ValidateReportFlags(const ReportFlags& flags);

// "high,critical" -> set of severities; error on unknown words.
core::Result<std::set<core::Severity>> ParseSeverityList(const std::string& list);

// The ignore file: --ignorefile if given (must exist), else .bulwarkignore in
// the target directory, else in the current directory; none is fine.
core::Result<std::optional<core::IgnoreFile>> LoadIgnoreFile(const ReportFlags& flags, const std::string& target);

// Renders, writes to the output, and returns the process exit code.
int EmitReport(const core::Report& report, const ReportFlags& flags, const core::CheckRegistry& registry);

}  // namespace bulwark::cli
