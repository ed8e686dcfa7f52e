// `bulwark report`: the summary report — steps taken, findings and
// vulnerabilities before and after, what remains and why, the architecture
// and the lessons — from the results that earlier runs left in the results
// directory (and any Trivy or Grype JSON reports dropped there).
#include <cstdio>
#include <memory>

#include "cli/commands.hpp"
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
};

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
  cmd->callback([flags, &run] { run = [flags] { return RunReportCommand(*flags); }; });
}

}  // namespace bulwark::cli
