// The flags that say which files an audit reads — PATH, --skip-dirs,
// --skip-files, --no-inline-ignores, -j — shared by `audit` and `fix`
// (fix audits first), and the AuditOptions they make.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "audit/audit_runner.hpp"
#include "cli/report_flags.hpp"
#include "core/status.hpp"

namespace bulwark::cli {

struct TargetFlags {
  std::string path = ".";
  std::vector<std::string> skip_dirs;
  std::vector<std::string> skip_files;
  bool no_inline_ignores = false;
  unsigned jobs = 0;  // 0: one per hardware thread (at most 8)

  unsigned Jobs() const { return jobs == 0 ? audit::DefaultJobs() : jobs; }
};

// `verb` completes the PATH help: "audit", "fix".
void AddTargetFlags(CLI::App& command, TargetFlags& flags, const std::string& verb);

// Root, discovery globs, inline ignores, the ignore file (loaded here) and
// the --severity filter of `report`. Fails when the ignore file cannot be read.
core::Result<audit::AuditOptions> MakeAuditOptions(const TargetFlags& target, const ReportFlags& report);

}  // namespace bulwark::cli
