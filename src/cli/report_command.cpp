// `bulwark report`: the summary report — steps taken, findings and
// vulnerabilities before and after, what remains and why, the architecture
// and the lessons — from the results that earlier runs left in the results
// directory (and any Trivy or Grype JSON reports dropped there).
#include <cstdio>
#include <memory>

#include "cli/commands.hpp"
#include "cli/incident_report.hpp"
#include "cli/model_steps.hpp"
#include "cli/report_flags.hpp"
#include "cli/results_flags.hpp"
#include "fix/atomic_write.hpp"
#include "report/render_summary.hpp"
#include "report/results_dir.hpp"
#include "report/summary.hpp"

namespace bulwark::cli {
namespace {

struct SummaryFlags {
  ResultsFlags results;
  std::string output_dir;
  std::string output;
  std::string format = "markdown";
  bool quiet = false;
  IncidentFlags incident;
};

// --incident: the incident report, beside the summary when an output
// directory is given (and the results directory exists), alone otherwise.
int RunIncident(const SummaryFlags& flags, int (*summary)(const SummaryFlags&)) {
  ResultsFlags source = flags.results;
  source.disabled = false;
  std::filesystem::path dir = ResultsDir(source).value_or(report::kDefaultResultsDir);
  bool have_results = std::filesystem::is_directory(dir);
  if (have_results && flags.output.empty() && !flags.output_dir.empty()) {
    if (int rc = summary(flags); rc != 0) return rc;
  }
  return WriteIncidentReport(flags.incident, have_results ? dir.string() : "", flags.output, flags.output_dir,
                             flags.quiet);
}

int RunReportCommand(const SummaryFlags& flags) {
  if (flags.format != "markdown" && flags.format != "md" && flags.format != "html") {
    std::fprintf(stderr, "bulwark report: unknown format '%s' (use markdown or html)\n", flags.format.c_str());
    return kExitUsage;
  }
  ResultsFlags source = flags.results;
  source.disabled = false;
  std::filesystem::path dir = ResultsDir(source).value_or(report::kDefaultResultsDir);
  if (!std::filesystem::is_directory(dir)) {
    std::fprintf(stderr,
                 "bulwark report: no results directory %s: run `bulwark audit`, `scan`, `fix` or `model` first, "
                 "or name one with --results DIR\n",
                 dir.string().c_str());
    return kExitUnreadable;
  }
  auto results = report::LoadResults(dir);
  if (!results.ok()) {
    std::fprintf(stderr, "bulwark report: %s\n", results.status().message().c_str());
    return kExitUnreadable;
  }
  if (!flags.quiet) {
    for (const core::Diagnostic& d : results->diagnostics) std::fprintf(stderr, "%s\n", FormatDiagnostic(d).c_str());
  }
  report::Summary summary = report::BuildSummary(*results);
  bool html = flags.format == "html";
  std::string text = html ? report::RenderSummaryHtml(summary) : report::RenderSummaryMarkdown(summary);
  std::filesystem::path out = flags.output;
  if (out.empty() && !flags.output_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(flags.output_dir, ec);
    out = std::filesystem::path(flags.output_dir) / (html ? "summary_report.html" : "summary_report.md");
  }
  if (out.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  if (auto st = fix::AtomicWriteFile(out, text); !st.ok()) {
    std::fprintf(stderr, "bulwark report: %s\n", st.message().c_str());
    return kExitUnreadable;
  }
  if (!flags.quiet) std::fprintf(stderr, "bulwark report: wrote %s\n", out.string().c_str());
  return 0;
}

}  // namespace

void AddReportCommand(CLI::App& app, CommandRunner& run) {
  auto flags = std::make_shared<SummaryFlags>();
  CLI::App* cmd = app.add_subcommand(
      "report", "The summary report (steps, before/after, what remains and why, architecture, lessons) from the "
                "results earlier runs left in the results directory");
  cmd->add_option("--results", flags->results.dir,
                  "The results directory to read (default .bulwark; env BULWARK_RESULTS)");
  cmd->add_option("--output-dir,-O", flags->output_dir, "Write summary_report.md (or .html) to DIR");
  cmd->add_option("-o,--output", flags->output, "Write the report to FILE");
  cmd->add_option("-f,--format", flags->format, "markdown (default) or html (one printable page)");
  cmd->add_flag("-q,--quiet", flags->quiet, "No notes on stderr");
  cmd->add_flag("--incident", flags->incident.enabled,
                "Also write incident_report.md/.json (NIST SP 800-61): timeline from the alerts, assets, IOCs, "
                "root cause, actions with evidence hashes, lessons");
  cmd->add_option("--alerts", flags->incident.alert_files,
                  "With --incident: a `watch -o` alert file (JSON lines; repeatable)");
  cmd->add_option("--evidence", flags->incident.evidence_dirs,
                  "With --incident: an evidence directory of `bulwark contain` (repeatable; the results "
                  "directory's incident/ is searched too)");
  cmd->add_option("--triage", flags->incident.triage_files,
                  "With --incident: a `bulwark triage --format json` report (repeatable)");
  cmd->add_option("--scope", flags->incident.container_scope,
                  "With --incident: only alerts of containers whose name starts with PREFIX (e.g. a compose "
                  "project; repeatable)");
  cmd->callback([flags, &run] {
    run = [flags] {
      if (flags->incident.enabled) return RunIncident(*flags, RunReportCommand);
      return RunReportCommand(*flags);
    };
  });
}

}  // namespace bulwark::cli
