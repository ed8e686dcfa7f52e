#include "cli/target_flags.hpp"

namespace bulwark::cli {

void AddTargetFlags(CLI::App& command, TargetFlags& flags, const std::string& verb) {
  command.add_option("path", flags.path, "Directory or file to " + verb + " (default: .)");
  command.add_option("--skip-dirs", flags.skip_dirs, "Directories to skip (gitignore-style globs)")->delimiter(',');
  command.add_option("--skip-files", flags.skip_files, "Files to skip (gitignore-style globs)")->delimiter(',');
  command.add_option("-j,--jobs", flags.jobs, "Worker threads (default: one per CPU, at most 8)");
  command.add_flag("--no-inline-ignores", flags.no_inline_ignores,
                   "Ignore `# bulwark:ignore` comments (for audits of suppressions)");
}

core::Result<audit::AuditOptions> MakeAuditOptions(const TargetFlags& target, const ReportFlags& report) {
  audit::AuditOptions options;
  options.root = target.path;
  options.discovery.skip_dirs = target.skip_dirs;
  options.discovery.skip_files = target.skip_files;
  options.honour_inline_ignores = !target.no_inline_ignores;
  ASSIGN_OR_RETURN(options.ignore_file, LoadIgnoreFile(report, target.path));
  ASSIGN_OR_RETURN(options.severities, ParseSeverityList(report.severity));
  return options;
}

}  // namespace bulwark::cli
