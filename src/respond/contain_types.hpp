// The values `bulwark contain` works with: its options, one record per
// action (the shape of <evidence>/actions.jsonl, which the incident report
// reads), the remediation advice and the whole run's report. Text that came
// from the daemon or the container (names, paths, process facts) is
// untrusted; renderers escape it. Value types; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bulwark::respond {

enum class ActionResult { kOk, kFailed, kSkipped, kPlanned };
const char* ActionResultName(ActionResult result);

// One file saved as evidence, its path relative to the evidence directory.
struct EvidenceFile {
  std::string path;
  std::string sha256;
  uint64_t bytes = 0;
};

// action: inspect|top|export|commit|save-process|kill|quarantine|disconnect|pause|stop
struct ActionRecord {
  std::string time;    // "2026-11-24T10:00:00.123Z"
  std::string action;
  std::string target;  // container, PID, path in the container, or network
  ActionResult result = ActionResult::kOk;
  std::string detail;
  std::vector<EvidenceFile> evidence;
};

enum class FreezeMode { kPause, kStop };

struct ContainOptions {
  std::string container;                // name or ID
  std::vector<int> pids;                // host PIDs of processes in the container to kill
  std::vector<std::string> quarantine;  // absolute paths inside the container
  FreezeMode freeze = FreezeMode::kPause;
  bool isolate = true;                  // disconnect every network
  bool dry_run = false;
  std::string evidence_dir;             // empty: <incident_root>/<name>-<UTC time>
  std::string incident_root = "results/incident";
  std::string results_dir;              // audit results for the remediation advice; may be empty
  int stop_timeout_seconds = 10;
  // Test seam: read and remove quarantined files below this directory
  // instead of /proc/<init pid>/root.
  std::string container_root;
  std::string proc_root = "/proc";
};

struct Remediation {
  std::string kind;                // "rebuild", "rotate-credentials", "fix-findings"
  std::string text;
  std::vector<std::string> items;  // image names, variable names, findings
};

struct ContainedContainer {
  std::string id;
  std::string name;
  std::string image;
};

struct ContainReport {
  ContainedContainer container;
  std::string evidence_dir;  // empty in a dry run
  std::string started;
  std::string finished;
  bool dry_run = false;
  std::vector<ActionRecord> actions;
  std::vector<Remediation> remediation;
  // Problems outside any one action (the log or contain.json not written).
  std::vector<std::string> warnings;

  // No action failed and nothing was lost on the way to disk.
  bool AllSucceeded() const;
};

}  // namespace bulwark::respond
