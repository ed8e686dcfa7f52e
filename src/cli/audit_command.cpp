// `bulwark audit PATH`: the files of a service (Dockerfile, compose,
// daemon.json, Kubernetes, code, secrets).
#include <cstdio>
#include <memory>

#include "audit/audit_runner.hpp"
#include "cli/commands.hpp"
#include "cli/host_flags.hpp"
#include "cli/report_flags.hpp"
#include "cli/target_flags.hpp"

namespace bulwark::cli {
namespace {

struct AuditFlags {
  TargetFlags target;
  ReportFlags report;
  HostFlags host;
};

int RunAuditCommand(const AuditFlags& flags) {
  if (flags.host.enabled) return RunHostAuditCommand(flags.host, flags.report);
  if (flags.report.include_pass || !flags.host.containers.empty() || !flags.host.images.empty() ||
      !flags.host.only.empty() || !flags.host.skip.empty() || flags.host.root != "/") {
    std::fprintf(stderr,
                 "bulwark audit: --include-pass, --containers, --images, --only, --skip and --host-root "
                 "need --host\n");
    return kExitUsage;
  }
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
  auto options = MakeAuditOptions(flags.target, flags.report);
  if (!options.ok()) {
    std::fprintf(stderr, "bulwark audit: %s\n", options.status().message().c_str());
    return kExitUsage;
  }
  auto outcome = audit::RunAuditParallel(*options, registry, *factory, flags.target.Jobs());
  if (!outcome.ok()) {
    std::fprintf(stderr, "bulwark audit: %s\n", outcome.status().message().c_str());
    return kExitUnreadable;
  }
  core::Report& report = outcome->report;
  if (auto st = ApplyBaselineFlag(report, flags.report); !st.ok()) {
    std::fprintf(stderr, "bulwark audit: %s\n", st.message().c_str());
    return kExitUnreadable;
  }
  if (!report.diagnostics.empty() && !flags.report.quiet && flags.report.format != "" &&
      flags.report.format != "table") {
    std::fprintf(stderr, "bulwark audit: %zu diagnostics (input that could not be fully read); see the report\n",
                 report.diagnostics.size());
  }
  SaveReportResult(flags.report.results, "audit", report);
  return EmitReport(report, flags.report, registry);
}

}  // namespace

void AddAuditCommand(CLI::App& app, CommandRunner& run) {
  auto flags = std::make_shared<AuditFlags>();
  CLI::App* cmd = app.add_subcommand(
      "audit",
      "Audit a service's files (Dockerfile, compose, daemon.json, Kubernetes, code, secrets), or with --host "
      "the live Docker host against the CIS Docker Benchmark");
  AddTargetFlags(*cmd, flags->target, "audit");
  AddReportFlags(*cmd, flags->report);
  AddHostFlags(*cmd, flags->host, flags->report);
  cmd->callback([flags, &run] { run = [flags] { return RunAuditCommand(*flags); }; });
}

}  // namespace bulwark::cli
