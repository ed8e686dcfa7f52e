// `bulwark audit --host`: the live Docker host against the CIS Docker
// Benchmark (sections 1-7), rendered like every report or in docker-bench's
// JSON layout.
#include <algorithm>
#include <cstdio>

#include "cli/host_flags.hpp"
#include "host/host_audit.hpp"
#include "host/render_docker_bench.hpp"

namespace bulwark::cli {
namespace {

constexpr const char* kDockerBenchJson = "docker-bench-json";

}  // namespace

void AddHostFlags(CLI::App& command, HostFlags& flags, ReportFlags& report) {
  command.add_flag("--host", flags.enabled,
                   "Audit the live Docker host against the CIS Docker Benchmark instead of files");
  command.add_option("--host-root", flags.root,
                     "Where the host's filesystem is mounted (default /; e.g. /host inside a container)");
  command.add_option("--containers", flags.containers, "With --host: only these running containers (names or IDs)")
      ->delimiter(',');
  command.add_option("--images", flags.images, "With --host: only these images (name:tag or ID)")->delimiter(',');
  command.add_option("--only", flags.only, "With --host: only these CIS checks or sections, e.g. 2,5.4")
      ->delimiter(',');
  command.add_option("--skip", flags.skip, "With --host: skip these CIS checks or sections, e.g. 1.1,7")
      ->delimiter(',');
  command.add_flag("--include-pass", report.include_pass, "With --host: list passing checks too");
}

int RunHostAuditCommand(const HostFlags& flags, const ReportFlags& report_flags) {
  if (auto st = ValidateReportFlags(report_flags, {kDockerBenchJson}); !st.ok()) {
    std::fprintf(stderr, "bulwark audit --host: %s\n", st.message().c_str());
    return kExitUsage;
  }
  const std::vector<host::HostCheck> checks = host::AllHostChecks();
  core::CheckRegistry registry;
  if (auto st = host::RegisterHostChecks(registry, checks); !st.ok()) {
    std::fprintf(stderr, "bulwark: internal error: %s\n", st.message().c_str());
    return 1;
  }
  host::HostAuditOptions options;
  options.root = flags.root;
  options.scope.containers = flags.containers;
  options.scope.images = flags.images;
  options.scope.jobs = flags.jobs;
  options.only = flags.only;
  options.skip = flags.skip;
  for (const std::vector<std::string>* list : {&flags.only, &flags.skip}) {
    for (const std::string& pattern : *list) {
      bool known = std::any_of(checks.begin(), checks.end(), [&](const host::HostCheck& c) {
        return host::CisSelected(c.cis, {pattern}, {});
      });
      if (!known) {
        std::fprintf(stderr, "bulwark audit --host: '%s' is not a CIS check or section (e.g. 2, 5.4, 1.1)\n",
                     pattern.c_str());
        return kExitUsage;
      }
    }
  }
  auto ignore = LoadIgnoreFile(report_flags, ".");
  if (!ignore.ok()) {
    std::fprintf(stderr, "bulwark audit --host: %s\n", ignore.status().message().c_str());
    return kExitUnreadable;
  }
  options.ignore_file = std::move(*ignore);
  auto severities = ParseSeverityList(report_flags.severity);
  options.severities = *severities;  // validated above

  host::HostAudit audit = host::RunHostAudit(options, checks);
  core::Report& report = audit.report;
  report.include_passed = report_flags.include_pass;
  for (const std::string& word : audit.unmatched) {
    std::fprintf(stderr, "bulwark audit --host: warning: %s matches nothing on this host\n", word.c_str());
  }
  if (auto st = ApplyBaselineFlag(report, report_flags); !st.ok()) {
    std::fprintf(stderr, "bulwark audit --host: %s\n", st.message().c_str());
    return kExitUnreadable;
  }
  if (!report.skipped.empty() && !report_flags.quiet && !report_flags.format.empty() &&
      report_flags.format != "table") {
    std::fprintf(stderr, "bulwark audit --host: %zu checks could not run; the report says why\n",
                 report.skipped.size());
  }
  SaveReportResult(report_flags.results, "audit-host", report);
  if (report_flags.format == kDockerBenchJson) {
    return EmitText(host::RenderDockerBenchJson(report, checks, audit.start_epoch, audit.end_epoch),
                    report, report_flags);
  }
  return EmitReport(report, report_flags, registry);
}

}  // namespace bulwark::cli
