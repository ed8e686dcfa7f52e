// `bulwark audit PATH`: the files of a service (Dockerfile, compose,
// daemon.json, Kubernetes, code, secrets).
#include <cstdio>
#include <filesystem>
#include <memory>

#include "audit/audit_runner.hpp"
#include "cli/commands.hpp"
#include "cli/report_flags.hpp"

namespace bulwark::cli {
namespace {

struct AuditFlags {
  std::string path = ".";
  ReportFlags report;
  std::vector<std::string> skip_dirs;
  std::vector<std::string> skip_files;
  bool no_inline_ignores = false;
  unsigned jobs = 0;  // 0: one per hardware thread (at most 8)
};

int RunAuditCommand(const AuditFlags& flags) {
  if (auto st = ValidateReportFlags(flags.report); !st.ok()) {
    std::fprintf(stderr, "bulwark audit: %s\n", st.message().c_str());
    return kExitUsage;
  }
  core::CheckRegistry registry;
  if (auto st = audit::RegisterAllChecks(registry); !st.ok()) {
    std::fprintf(stderr, "bulwark: internal error: %s\n", st.message().c_str());
    return 1;
  }
  auto factory = audit::MakeDefaultCheckSuiteFactory();
  if (!factory.ok()) {
    std::fprintf(stderr, "bulwark: %s\n", factory.status().message().c_str());
    return 1;
  }
  auto ignore = LoadIgnoreFile(flags.report, flags.path);
  if (!ignore.ok()) {
    std::fprintf(stderr, "bulwark audit: %s\n", ignore.status().message().c_str());
    return kExitUsage;
  }
  audit::AuditOptions options;
  options.root = flags.path;
  options.discovery.skip_dirs = flags.skip_dirs;
  options.discovery.skip_files = flags.skip_files;
  options.ignore_file = std::move(ignore).value();
  options.severities = *ParseSeverityList(flags.report.severity);
  options.honour_inline_ignores = !flags.no_inline_ignores;
  unsigned jobs = flags.jobs == 0 ? audit::DefaultJobs() : flags.jobs;
  auto outcome = audit::RunAuditParallel(options, registry, *factory, jobs);
  if (!outcome.ok()) {
    std::fprintf(stderr, "bulwark audit: %s\n", outcome.status().message().c_str());
    return kExitUnreadable;
  }
  const core::Report& report = outcome->report;
  if (!report.diagnostics.empty() && !flags.report.quiet && flags.report.format != "" &&
      flags.report.format != "table") {
    std::fprintf(stderr, "bulwark audit: %zu diagnostics (input that could not be fully read); see the report\n",
                 report.diagnostics.size());
  }
  return EmitReport(report, flags.report, registry);
}

}  // namespace

void AddAuditCommand(CLI::App& app, CommandRunner& run) {
  auto flags = std::make_shared<AuditFlags>();
  CLI::App* cmd = app.add_subcommand(
      "audit", "Audit a service's files: Dockerfile, compose, daemon.json, Kubernetes, code, secrets");
  cmd->add_option("path", flags->path, "Directory or file to audit (default: .)");
  AddReportFlags(*cmd, flags->report);
  cmd->add_option("--skip-dirs", flags->skip_dirs, "Directories to skip (gitignore-style globs)")->delimiter(',');
  cmd->add_option("--skip-files", flags->skip_files, "Files to skip (gitignore-style globs)")->delimiter(',');
  cmd->add_option("-j,--jobs", flags->jobs, "Worker threads (default: one per CPU, at most 8)");
  cmd->add_flag("--no-inline-ignores", flags->no_inline_ignores,
                "Ignore `# bulwark:ignore` comments (for audits of suppressions)");
  cmd->callback([flags, &run] { run = [flags] { return RunAuditCommand(*flags); }; });
}

}  // namespace bulwark::cli
