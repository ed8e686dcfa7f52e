// The flags of `bulwark audit --host` and the step that runs the host audit
// (the CIS Docker Benchmark against the live Docker host).
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/report_flags.hpp"

namespace bulwark::cli {

struct HostFlags {
  bool enabled = false;     // --host
  std::string root = "/";   // --host-root
  std::vector<std::string> containers;
  std::vector<std::string> images;
  std::vector<std::string> only;
  std::vector<std::string> skip;
  unsigned jobs = 4;
};

void AddHostFlags(CLI::App& command, HostFlags& flags, ReportFlags& report);

// Runs the host audit and emits its report; returns the exit code.
int RunHostAuditCommand(const HostFlags& flags, const ReportFlags& report);

}  // namespace bulwark::cli
