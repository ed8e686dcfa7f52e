// The incident report (`bulwark report --incident`): what happened, when,
// to what, how it got in, what was done about it and what to learn, in the
// structure of NIST SP 800-61 and the SANS incident handler's handbook.
//
// Inputs are the traces the response commands leave: runtime alerts
// (`watch -o FILE` JSON lines, or the alerts a finished watch run saved in
// the results directory), containment evidence (`contain`'s contain.json
// and actions.jsonl), triage reports (`triage --format json`), and the
// audit and fix results already in the results directory (the root cause:
// the finding that let the attacker in, and whether a fix closed it).
// Everything in them may come from the attacker (process names, command
// lines, file names): the renderer escapes it.
//
// Loading reads bounded amounts and never fails on a bad file (it becomes a
// warning); BuildIncident and the renderers are pure. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "report/results_dir.hpp"

namespace bulwark::report {

inline constexpr size_t kMaxIncidentAlerts = 100'000;
inline constexpr uintmax_t kMaxIncidentFileBytes = 64u << 20;

// A runtime alert in Falco's shape, with every output field kept.
struct IncidentAlert {
  std::string time;  // RFC 3339 as written
  int64_t time_ns = 0;  // parsed; 0 when unreadable
  std::string rule;
  std::string priority;
  std::string output;
  std::string hostname;
  std::map<std::string, std::string> fields;  // null fields are absent
  std::vector<std::string> tags;
  std::string Field(const std::string& name) const;
};

struct EvidenceFile {
  std::string path;  // relative to the evidence directory
  std::string sha256;
  uint64_t bytes = 0;
};

// One step `bulwark contain` took (docs/contain.md: actions.jsonl).
struct ContainAction {
  std::string time;
  int64_t time_ns = 0;
  std::string action;  // inspect, top, export, commit, save-process, kill, quarantine, disconnect, pause, stop
  std::string target;
  std::string result;  // ok, failed, skipped, planned
  std::string detail;
  std::vector<EvidenceFile> evidence;
};

struct Containment {
  std::string evidence_dir;
  std::string container_id;
  std::string container_name;
  std::string image;
  std::string started;
  std::string finished;
  std::vector<ContainAction> actions;
  std::vector<std::string> remediation;
};

// The parts of a `triage --format json` report the incident report uses.
struct TriageIndicator {
  std::string kind;  // url, ipv4, domain, stratum, wallet, path, command, ...
  std::string value;
};
struct TriageSummary {
  std::string source;  // the file it was read from
  std::string target;  // the triaged path, PID or container
  std::string verdict;
  std::string confidence;
  int score = 0;
  std::string sha256, sha1, md5;
  std::vector<std::string> reasons;
  std::vector<std::string> attack;
  std::vector<std::string> yara;
  std::vector<TriageIndicator> indicators;
};

struct IncidentInputs {
  std::vector<IncidentAlert> alerts;  // time order
  std::vector<Containment> containments;
  std::vector<TriageSummary> triages;
  std::optional<ResultSet> results;  // audits, fixes, watch runs
  std::vector<std::string> sources;  // every file read, for the appendix
  std::vector<std::string> warnings;
};

// One row of the timeline.
struct TimelineEntry {
  std::string time;
  int64_t time_ns = 0;
  std::string phase;  // NIST 800-61: detection, containment, eradication, recovery; or "activity"
  std::string what;
  std::string source;  // "alert: <rule>", "contain: <action>", "audit", ...
  std::vector<std::string> attack;
};

struct Indicator {
  std::string kind;  // "sha256", "file", "process", "network", "stratum", "wallet", "url", ...
  std::string value;
  std::string seen_in;  // "triage", "alert: <rule>", "contain"
};

struct Asset {
  std::string kind;  // "container", "image", "host"
  std::string name;
  std::string id;
  std::string detail;
};

struct RootCause {
  std::string finding_id;
  std::string title;
  std::string path;
  std::string location;  // path:line
  std::string severity;
  std::string message;
  std::string remediation;
  std::vector<std::string> cwe;
  bool fixed_since = false;  // a later fix or audit no longer reports it
};

struct Incident {
  std::string status;  // "compromised", "attempted", "no incident"
  std::string title;
  std::string summary;
  std::string first_activity, detected, contained, last_activity;
  std::vector<TimelineEntry> timeline;
  std::vector<Asset> assets;
  std::vector<Indicator> indicators;
  std::vector<RootCause> root_causes;
  std::vector<ContainAction> actions;
  std::vector<std::string> techniques;  // ATT&CK IDs seen, sorted
  std::map<std::string, int> alerts_by_rule;
  std::map<std::string, int> alerts_by_priority;
  std::vector<TriageSummary> triages;
  std::vector<std::string> remediation;
  std::vector<std::string> lessons;
  std::vector<std::string> sources;
  std::vector<std::string> warnings;
  size_t alert_count = 0;
};

// What to read: alert files (JSON lines or a JSON array), evidence
// directories (holding contain.json / actions.jsonl), triage JSON files, and
// the results directory (its watch results, audits and fixes; also its
// incident/ subdirectory, searched for evidence and triage reports).
struct IncidentSources {
  std::vector<std::string> alert_files;
  std::vector<std::string> evidence_dirs;
  std::vector<std::string> triage_files;
  std::string results_dir;  // empty: none
  // When set, only alerts of containers whose name starts with one of these
  // (a compose project's prefix): the incident's scope on a shared host.
  std::vector<std::string> container_scope;
};

IncidentInputs LoadIncidentInputs(const IncidentSources& sources);

// Parsers of one input each (tests and fuzzing); bad lines become warnings.
std::vector<IncidentAlert> ParseAlertLines(const std::string& text, const std::string& name,
                                           std::vector<std::string>& warnings);
std::optional<Containment> ParseContainment(const std::string& contain_json,
                                            const std::string& actions_jsonl, const std::string& dir,
                                            std::vector<std::string>& warnings);
// A file or process triage is one summary; a container triage
// (`triage --container`) one per suspicious process, or the container's own
// verdict when none was suspicious.
std::vector<TriageSummary> ParseTriage(const std::string& text, const std::string& name,
                                       std::vector<std::string>& warnings);

// RFC 3339 UTC ("2026-11-24T10:00:00.123456789Z", offsets accepted) to
// nanoseconds since the epoch; nullopt when unreadable.
std::optional<int64_t> ParseRfc3339Ns(const std::string& text);

Incident BuildIncident(const IncidentInputs& inputs);

std::string RenderIncidentMarkdown(const Incident& incident);
std::string RenderIncidentJson(const Incident& incident);

}  // namespace bulwark::report
