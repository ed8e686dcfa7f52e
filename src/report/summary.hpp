// The summary `bulwark report` tells from a results directory: the steps
// taken, findings before and after for each kind of run, what was fixed, what
// is new, what remains and why, the architecture and how it changed, and the
// lessons drawn from what changed. Everything comes from the results; nothing
// is specific to one system. Plain values; BuildSummary is thread-safe.
//
// Pairing (which result is "before" and which "after"):
//  1. `fix` results carry their own audits: the fix's before report is a
//     before, its after report (a --write run) the after, at the fix's time.
//  2. A result whose run.baseline (or report baseline.path) names another
//     result of the same kind — by file name in the directory, or by that
//     result's target (`model --before OLD` names a path) — is the after of
//     the latest such result not newer than itself.
//  3. Results of the same kind are grouped when they have the same target or
//     are linked by rule 1 or 2 (transitively). In each group the after is
//     the newest result no other member names as its before; its before is
//     the result its baseline (rule 2) names when there is one, else the
//     oldest result of the group (for a fix's after: the fix's own before
//     unless an older run of the target exists).
//  4. A group of one whose report has a baseline that is not in the
//     directory takes as its before a lone result (a group of one) of the
//     same kind, not newer, whose findings are exactly those the baseline
//     describes (the findings that were not new plus the baseline's fixed
//     findings); when there is none, the before is rebuilt from the report.
//  5. Otherwise a group of one has no before: its counts are "after" only.
// Host audits count only findings with status "warn"; threat models count
// confirmed threats (by risk, category = STRIDE); watch results count alerts
// (severity from the Falco priority, category = rule).
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "report/results_dir.hpp"

namespace bulwark::report {

struct Counts {
  std::array<int, 5> by_severity{};  // indexed by static_cast<size_t>(core::Severity)
  std::map<std::string, int> by_category;
  int total = 0;
};

// A finding, threat or alert rule as the summary lists it.
struct Item {
  std::string id;
  std::string title;
  core::Severity severity = core::Severity::kInfo;
  std::string category;
  std::string where;        // "Dockerfile:3", "container web", "openssl 1.1.1n", a model element
  std::string remediation;  // what to do about it; "" when unknown
  int count = 1;            // alerts of one rule
  bool no_fix = false;      // a vulnerability with no fixed version known
};

struct AcceptedRisk {
  Item item;
  std::string source;  // "ignorefile ...", "inline"
  std::string reason;  // as the user wrote it
};

struct Comparison {
  ResultKind kind = ResultKind::kAudit;
  std::string label;          // "Code and configuration audit", ...
  std::string target;         // of the after run
  std::string before_target;  // when it differs from target
  bool has_before = false;
  std::string before_time;
  std::string after_time;
  std::string before_source;  // the file, or how the before was obtained
  std::string after_source;
  Counts before;
  Counts after;
  std::vector<Item> fixed;      // gone since the before
  std::vector<Item> added;      // not in the before
  std::vector<Item> remaining;  // open in the after, most severe first
  std::vector<AcceptedRisk> accepted;
};

// Counts per kind over all its comparisons.
struct KindTotals {
  ResultKind kind = ResultKind::kAudit;
  std::string label;
  bool has_before = false;
  Counts before;
  Counts after;
  int fixed = 0;
  int added = 0;
  int unpaired = 0;  // comparisons with no before, left out when others have one
};

struct Step {
  std::string time;
  std::string command;  // "audit", "fix --write", "trivy (imported)", ...
  std::string target;
  std::string file;
  std::string outcome;  // "32 findings (critical: 2, ...)"
};

enum class Effect { kImproved, kWorse, kNeutral };

struct ArchitectureChange {
  std::string subject;  // element or boundary name
  std::string text;     // "web no longer runs as root"
  std::string what;     // "no longer runs as root"
  Effect effect = Effect::kNeutral;
};

struct Architecture {
  bool present = false;
  bool has_before = false;
  std::string name;
  std::string time;
  int services = 0;
  int datastores = 0;
  int actors = 0;
  int others = 0;
  std::vector<std::string> boundaries;  // "backend (network, isolated)"
  std::vector<std::string>
      crossing_flows;  // "internet user -> web: HTTP :15000 (crosses internet)"
  std::vector<std::string> internet_facing;  // "web (0.0.0.0:15000)"
  int crossing_before = 0;
  int crossing_after = 0;
  int internet_facing_before = 0;
  int internet_facing_after = 0;
  std::vector<ArchitectureChange> changes;
};

struct Summary {
  std::string title;
  std::vector<std::string> targets;
  std::string first_time;
  std::string last_time;
  int results_read = 0;
  int diagnostics = 0;
  std::vector<Step> steps;              // time order
  std::vector<FixEdit> edits;           // written by `fix --write`, one per file
  std::vector<Comparison> comparisons;  // by kind, then target
  std::vector<KindTotals> totals;       // by kind
  Architecture architecture;
  std::vector<std::string> lessons;
  std::vector<std::string> follow_ups;
};

Summary BuildSummary(const ResultSet& results);

// "Code and configuration audit", "Host audit", "Image vulnerabilities",
// "Threat model (confirmed threats)", "Runtime alerts", "Fix".
std::string_view KindLabel(ResultKind kind);

}  // namespace bulwark::report
