// Which result is the "before" of which: the pairing rules of summary.hpp.
#include <algorithm>
#include <filesystem>
#include <map>
#include <numeric>
#include <tuple>

#include "report/summary_parts.hpp"

namespace bulwark::report::summary_parts {
namespace {

Snapshot Base(const LoadedResult& r) {
  Snapshot s;
  s.kind = r.kind;
  s.target = r.run.target;
  s.time = r.time_seconds;
  s.file = r.file;
  s.time_text = r.run.time;
  s.baseline = !r.run.baseline.empty() ? r.run.baseline : r.report.baseline_path;
  s.source = r.file;
  return s;
}

void AddFixHalves(const LoadedResult& r, std::vector<Snapshot>& out) {
  int before = -1;
  if (r.fix.before) {
    Snapshot s = Base(r);
    s.kind = ResultKind::kAudit;
    s.baseline.clear();
    s.report = &*r.fix.before;
    s.source = r.file + " (before the edits)";
    before = static_cast<int>(out.size());
    out.push_back(std::move(s));
  }
  if (r.fix.after) {
    Snapshot s = Base(r);
    s.kind = ResultKind::kAudit;
    s.baseline.clear();
    s.order = 1;
    s.report = &*r.fix.after;
    s.source = r.file + " (after the edits)";
    s.fix_before = before;
    out.push_back(std::move(s));
  }
}

bool Earlier(const std::vector<Snapshot>& s, int a, int b) {
  return std::tie(s[a].time, s[a].file, s[a].order) < std::tie(s[b].time, s[b].file, s[b].order);
}

// The result a baseline names: by file name first, then by target; the
// latest of the same kind that is not newer than the one naming it.
int ResolveBaseline(const std::vector<Snapshot>& snapshots, int i) {
  const Snapshot& self = snapshots[i];
  if (self.fix_before >= 0) return self.fix_before;
  if (self.baseline.empty()) return -1;
  const std::string name = std::filesystem::path(self.baseline).filename().string();
  for (bool by_file : {true, false}) {
    int best = -1;
    for (int j = 0; j < static_cast<int>(snapshots.size()); ++j) {
      const Snapshot& other = snapshots[j];
      if (j == i || other.kind != self.kind || other.time > self.time) continue;
      bool named = by_file ? (!name.empty() && other.file == name) : other.target == self.baseline;
      if (named && (best < 0 || Earlier(snapshots, best, j))) best = j;
    }
    if (best >= 0) return best;
  }
  return -1;
}

int Find(std::vector<int>& parent, int i) {
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

void Union(std::vector<int>& parent, int a, int b) { parent[Find(parent, a)] = Find(parent, b); }

// The group's after: the newest member no other member names as its before.
Pair PairGroup(const std::vector<Snapshot>& snapshots, const std::vector<int>& group,
               const std::vector<int>& link) {
  int after = -1;
  for (int i : group) {
    bool named =
        std::any_of(group.begin(), group.end(), [&](int j) { return j != i && link[j] == i; });
    if (!named && (after < 0 || Earlier(snapshots, after, i))) after = i;
  }
  if (after < 0) after = group.back();
  Pair pair;
  pair.after = after;
  // A fix's link to its own before only groups: the story starts at the
  // oldest run of the target, which may be older than the fix.
  bool named = link[after] >= 0 && link[after] != after && snapshots[after].fix_before < 0;
  if (named) {
    pair.before = link[after];
  } else if (group.size() > 1) {
    pair.before = group.front() != after ? group.front() : group[1];
  } else if (snapshots[after].report != nullptr && snapshots[after].report->has_baseline) {
    pair.rebuilt = true;
  }
  return pair;
}

// A report whose baseline file is outside the directory (`audit NEW
// --baseline before.json`) may still have that earlier run in the
// directory, saved under another target: a lone result of the same kind,
// not newer, that holds exactly the findings the baseline describes is it.
void AdoptLoneBaselines(const std::vector<Snapshot>& snapshots, std::vector<Pair>& pairs) {
  std::vector<bool> adopted(pairs.size(), false);
  std::map<size_t, std::vector<std::string>> keys;  // of lone results, computed once
  for (Pair& p : pairs) {
    if (!p.rebuilt) continue;
    const Snapshot& after = snapshots[p.after];
    std::vector<std::string> wanted = RebuiltKeys(after);
    for (size_t q = 0; q < pairs.size(); ++q) {
      const Pair& lone = pairs[q];
      const Snapshot& candidate = snapshots[lone.after];
      if (adopted[q] || lone.before >= 0 || lone.rebuilt || candidate.kind != after.kind ||
          candidate.time > after.time) {
        continue;
      }
      if (!keys.count(q)) keys[q] = SnapshotKeys(candidate);
      if (keys[q] != wanted) continue;
      p.before = lone.after;
      p.rebuilt = false;
      adopted[q] = true;
      break;
    }
  }
  size_t kept = 0;
  for (size_t q = 0; q < pairs.size(); ++q) {
    if (!adopted[q]) pairs[kept++] = pairs[q];
  }
  pairs.resize(kept);
}

// Two stories that start from the same state are one: `fix --write` on a
// copy of the service and the audit of its hardened version both start
// from the audit of the original. The before is counted once, with the
// latest after (the furthest the service got); otherwise the totals would
// count the original's findings twice.
void MergeSameStart(const std::vector<Snapshot>& snapshots, std::vector<Pair>& pairs) {
  std::vector<std::vector<std::string>> start(pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (pairs[i].before >= 0) start[i] = SnapshotKeys(snapshots[pairs[i].before]);
  }
  std::vector<bool> dropped(pairs.size(), false);
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (dropped[i] || start[i].empty()) continue;
    for (size_t j = i + 1; j < pairs.size(); ++j) {
      if (dropped[j] || start[j] != start[i]) continue;
      const Snapshot& a = snapshots[pairs[i].after];
      const Snapshot& b = snapshots[pairs[j].after];
      if (a.kind != b.kind) continue;
      const bool keep_j = Earlier(snapshots, pairs[i].after, pairs[j].after);
      dropped[keep_j ? i : j] = true;
      if (keep_j) break;
    }
  }
  size_t kept = 0;
  for (size_t q = 0; q < pairs.size(); ++q) {
    if (!dropped[q]) pairs[kept++] = pairs[q];
  }
  pairs.resize(kept);
}

}  // namespace

std::vector<Snapshot> CollectSnapshots(const ResultSet& results) {
  std::vector<const LoadedResult*> ordered;
  for (const LoadedResult& r : results.results) ordered.push_back(&r);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const LoadedResult* a, const LoadedResult* b) {
                     return std::tie(a->time_seconds, a->file) < std::tie(b->time_seconds, b->file);
                   });
  std::vector<Snapshot> out;
  for (const LoadedResult* r : ordered) {
    if (r->kind == ResultKind::kFix) {
      AddFixHalves(*r, out);
      continue;
    }
    Snapshot s = Base(*r);
    if (r->kind == ResultKind::kModel) {
      s.model = &r->model;
    } else if (r->kind == ResultKind::kWatch) {
      s.alerts = &r->alerts;
    } else {
      s.report = &r->report;
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Pair> PairSnapshots(const std::vector<Snapshot>& snapshots) {
  const int n = static_cast<int>(snapshots.size());
  std::vector<int> link(n, -1);
  std::vector<int> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  std::map<std::pair<ResultKind, std::string>, int> first_of;
  for (int i = 0; i < n; ++i) {
    auto [it, inserted] =
        first_of.emplace(std::make_pair(snapshots[i].kind, snapshots[i].target), i);
    if (!inserted) Union(parent, i, it->second);
    link[i] = ResolveBaseline(snapshots, i);
    if (link[i] >= 0) Union(parent, i, link[i]);
  }
  std::map<int, std::vector<int>> groups;  // members in time order
  for (int i = 0; i < n; ++i) groups[Find(parent, i)].push_back(i);
  std::vector<Pair> pairs;
  for (auto& [root, members] : groups) {
    std::sort(members.begin(), members.end(),
              [&](int a, int b) { return Earlier(snapshots, a, b); });
    pairs.push_back(PairGroup(snapshots, members, link));
  }
  AdoptLoneBaselines(snapshots, pairs);
  MergeSameStart(snapshots, pairs);
  std::sort(pairs.begin(), pairs.end(), [&](const Pair& a, const Pair& b) {
    const Snapshot& x = snapshots[a.after];
    const Snapshot& y = snapshots[b.after];
    return std::tie(x.kind, x.target, x.time) < std::tie(y.kind, y.target, y.time);
  });
  return pairs;
}

}  // namespace bulwark::report::summary_parts
