// `bulwark triage PID` and `bulwark triage --container NAME [PATH]`: the
// live targets. A process is read from procfs (live_process), its
// executable triaged as a file through /proc/PID/exe (so a deleted one is
// still read; never executed), its signs added (live_signs) and the whole
// assessed once. A container is looked up through the Engine API; a PATH
// in it is opened inside its root (live_container); without PATH every
// process in it is looked at, the out-of-place ones triaged in full and
// the worst verdict wins. Thread-safe (each call has its own Engine API
// client).
#pragma once

#include <string>
#include <vector>

#include "core/status.hpp"
#include "respond/triage.hpp"
#include "respond/triage_types.hpp"

namespace bulwark::respond {

struct LiveTriageOptions {
  TriageOptions triage;
  std::string proc_root = "/proc";
  bool use_engine = true;     // look up container names and images (silently skipped when unreachable)
  std::string engine_socket;  // empty: docker::EngineClient::DefaultSocketPath()
};

// kNotFound (no such process), kPermissionDenied, or a YARA rule error.
core::Result<TriageReport> TriagePid(int pid, const LiveTriageOptions& options);

// One line per process of a container.
struct ContainerProcessLine {
  int pid = 0;
  int ppid = 0;
  std::string comm;
  std::vector<std::string> argv;
  std::string exe;
  bool exe_deleted = false;
  Verdict verdict = Verdict::kClean;
  int score = 0;
  std::vector<std::string> why;  // why it looked out of place; empty when it did not
};

struct ContainerTriageReport {
  ContainerRef container;
  std::vector<ContainerProcessLine> processes;
  std::vector<TriageReport> suspicious;  // the out-of-place processes, in full
  Verdict verdict = Verdict::kClean;     // the worst of all processes
  int score = 0;                         // of the worst process
  std::vector<std::string> limits;
};

// kUnavailable (no daemon), kNotFound (no such container), kInvalidArgument
// (not running), or a YARA rule error.
core::Result<ContainerTriageReport> TriageContainer(const std::string& name, const LiveTriageOptions& options);

// Triage of the file PATH as container NAME sees it, opened inside its root.
core::Result<TriageReport> TriageContainerFile(const std::string& name, const std::string& path,
                                               const LiveTriageOptions& options);

}  // namespace bulwark::respond
