// `bulwark report --incident`: the step that gathers the incident's inputs
// (alert files, contain's evidence, triage reports, the results directory)
// and writes incident_report.md and incident_report.json. Called by the
// report command (report_command.cpp).
#pragma once

#include <string>
#include <vector>

namespace bulwark::cli {

struct IncidentFlags {
  bool enabled = false;
  std::vector<std::string> alert_files;
  std::vector<std::string> evidence_dirs;
  std::vector<std::string> triage_files;
  std::vector<std::string> container_scope;
};

// `results_dir` may be empty or missing (the report then uses only the
// named files). `output`: a file for the Markdown report; else
// `output_dir` gets both files; else the Markdown goes to stdout.
int WriteIncidentReport(const IncidentFlags& flags, const std::string& results_dir, const std::string& output,
                        const std::string& output_dir, bool quiet);

}  // namespace bulwark::cli
