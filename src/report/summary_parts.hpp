// The steps of BuildSummary (summary.hpp), one file each: pairing results
// into before/after, comparing a pair, describing the architecture and its
// changes, and drawing lessons. Internal to bulwark_report; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/results_dir.hpp"
#include "report/summary.hpp"

namespace bulwark::report::summary_parts {

// One side of a comparison: a result, or half of a `fix` result. Points
// into the ResultSet, which outlives it.
struct Snapshot {
  ResultKind kind = ResultKind::kAudit;
  std::string target;
  int64_t time = 0;
  int order = 0;  // a fix's before (0) comes before its after (1)
  std::string file;
  std::string time_text;
  std::string baseline;  // run.baseline or the report's baseline.path
  std::string source;    // how the summary names it: a file, "fix-….json (before the edits)"
  const core::Report* report = nullptr;
  const ModelResult* model = nullptr;
  const std::vector<Alert>* alerts = nullptr;
  int fix_before = -1;  // a fix's after: the index of its before
};

struct Pair {
  int before = -1;  // -1: none (or rebuilt from the after's baseline)
  int after = -1;
  bool rebuilt = false;  // before = the after report's baseline
};

// Every comparable snapshot, oldest first (time, order, file).
std::vector<Snapshot> CollectSnapshots(const ResultSet& results);
// The pairs (summary.hpp's rules), by kind, then target.
std::vector<Pair> PairSnapshots(const std::vector<Snapshot>& snapshots);

Comparison Compare(const std::vector<Snapshot>& snapshots, const Pair& pair);

// The sorted identity keys of what a snapshot counts (summary_compare.cpp's
// notion of "the same finding"), and of the before its own report's
// baseline describes.
std::vector<std::string> SnapshotKeys(const Snapshot& snapshot);
std::vector<std::string> RebuiltKeys(const Snapshot& snapshot);

// The architecture of `after`, and how it differs from `before` (may be null).
Architecture DescribeArchitecture(const ModelResult* before, const ModelResult& after);

// Fills summary.lessons and summary.follow_ups from the rest of the summary.
void DrawLessons(Summary& summary);

}  // namespace bulwark::report::summary_parts
