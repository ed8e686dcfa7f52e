// The incident report step: load (report/incident.hpp), build, render, write.
#include "cli/incident_report.hpp"

#include <cstdio>
#include <filesystem>

#include "cli/report_flags.hpp"
#include "core/escape.hpp"
#include "fix/atomic_write.hpp"
#include "report/incident.hpp"

namespace bulwark::cli {
namespace {

int Write(const std::filesystem::path& path, const std::string& text, bool quiet) {
  if (auto st = fix::AtomicWriteFile(path, text); !st.ok()) {
    std::fprintf(stderr, "bulwark report: %s\n", st.message().c_str());
    return kExitUnreadable;
  }
  if (!quiet) std::fprintf(stderr, "bulwark report: wrote %s\n", core::EscapeTerminal(path.string()).c_str());
  return 0;
}

}  // namespace

int WriteIncidentReport(const IncidentFlags& flags, const std::string& results_dir, const std::string& output,
                        const std::string& output_dir, bool quiet) {
  report::IncidentSources sources;
  sources.alert_files = flags.alert_files;
  sources.evidence_dirs = flags.evidence_dirs;
  sources.triage_files = flags.triage_files;
  sources.container_scope = flags.container_scope;
  sources.results_dir = results_dir;
  report::IncidentInputs inputs = report::LoadIncidentInputs(sources);
  if (!quiet) {
    for (const std::string& w : inputs.warnings) {
      std::fprintf(stderr, "bulwark report: incident: %s\n", core::EscapeTerminal(w).c_str());
    }
  }
  report::Incident incident = report::BuildIncident(inputs);
  std::string markdown = report::RenderIncidentMarkdown(incident);
  if (!output.empty()) return Write(output, markdown, quiet);
  if (output_dir.empty()) {
    std::fwrite(markdown.data(), 1, markdown.size(), stdout);
    return 0;
  }
  std::error_code ec;
  std::filesystem::create_directories(output_dir, ec);
  std::filesystem::path dir = output_dir;
  if (int rc = Write(dir / "incident_report.md", markdown, quiet); rc != 0) return rc;
  return Write(dir / "incident_report.json", report::RenderIncidentJson(incident), quiet);
}

}  // namespace bulwark::cli
