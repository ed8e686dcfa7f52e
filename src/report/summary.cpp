// BuildSummary: pair the results, compare each pair, and add the steps
// taken, the edits made, the architecture and the lessons.
#include "report/summary.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "report/summary_parts.hpp"

namespace bulwark::report {
namespace {

using summary_parts::Pair;
using summary_parts::Snapshot;

std::string Plural(int n, const std::string& word) {
  if (n == 1) return "1 " + word;
  if (!word.empty() && word.back() == 'y')
    return std::to_string(n) + " " + word.substr(0, word.size() - 1) + "ies";
  return std::to_string(n) + " " + word + "s";
}

// "10 findings (2 critical, 3 high, 5 medium)": zero counts left out.
std::string CountsText(const std::vector<core::Finding>& findings, bool warnings_only,
                       const std::string& noun) {
  std::array<int, 5> counts{};
  int total = 0;
  for (const core::Finding& f : findings) {
    if (warnings_only && f.verdict != core::Verdict::kWarn) continue;
    ++counts[static_cast<size_t>(f.severity)];
    ++total;
  }
  std::string parts;
  for (core::Severity s : core::kAllSeverities) {
    int n = counts[static_cast<size_t>(s)];
    if (n > 0)
      parts += (parts.empty() ? "" : ", ") + std::to_string(n) + " " +
               std::string(core::SeverityName(s));
  }
  return Plural(total, noun) + (parts.empty() ? "" : " (" + parts + ")");
}

std::string ReportOutcome(const LoadedResult& r) {
  const core::Report& report = r.report;
  bool host = r.kind == ResultKind::kHostAudit;
  std::string out = CountsText(report.findings, host, host ? "warning" : "finding");
  if (report.has_baseline)
    out += "; " + std::to_string(report.fixed.size()) + " fixed since the baseline";
  if (!report.suppressed_findings.empty()) {
    out += "; " + std::to_string(report.suppressed_findings.size()) + " accepted as risk";
  }
  return out;
}

std::string FixOutcome(const FixResult& fix) {
  std::set<std::string> checks;
  for (const FixEdit& e : fix.edits) checks.insert(e.checks.begin(), e.checks.end());
  std::string out = Plural(static_cast<int>(fix.edits.size()), "file") +
                    (fix.written ? " changed" : " to change");
  if (!checks.empty())
    out += " (" + Plural(static_cast<int>(checks.size()), "check") + " addressed)";
  if (fix.before && fix.after) {
    out += "; findings " + std::to_string(fix.before->findings.size()) + " \u2192 " +
           std::to_string(fix.after->findings.size());
  }
  return out;
}

std::string ModelOutcome(const ModelResult& m) {
  int confirmed =
      static_cast<int>(std::count_if(m.threats.begin(), m.threats.end(),
                                     [](const ModelThreat& t) { return t.status == "confirmed"; }));
  return Plural(static_cast<int>(m.elements.size()), "element") + ", " +
         Plural(static_cast<int>(m.boundaries.size()), "boundary") + ", " +
         Plural(static_cast<int>(m.flows.size()), "flow") + "; " +
         Plural(static_cast<int>(m.threats.size()), "threat") + " (" + std::to_string(confirmed) +
         " confirmed)";
}

Step StepOf(const LoadedResult& r) {
  Step step{r.run.time, std::string(ResultKindName(r.kind)), r.run.target, r.file, ""};
  switch (r.kind) {
    case ResultKind::kFix:
      step.command = r.fix.written ? "fix --write" : "fix (dry run)";
      step.outcome = FixOutcome(r.fix);
      break;
    case ResultKind::kModel:
      step.outcome = ModelOutcome(r.model);
      break;
    case ResultKind::kWatch:
      step.outcome = Plural(static_cast<int>(r.alerts.size()), "alert");
      break;
    default:
      step.outcome = ReportOutcome(r);
  }
  if (r.kind == ResultKind::kHostAudit) step.command = "audit --host";
  if (r.tool != "bulwark") step.command = r.tool + " " + step.command + " (imported)";
  return step;
}

// Every file a written fix changed, once, with all the checks it addressed.
std::vector<FixEdit> MergedEdits(const std::vector<const LoadedResult*>& ordered) {
  std::map<std::string, FixEdit> by_path;
  for (const LoadedResult* r : ordered) {
    if (r->kind != ResultKind::kFix || !r->fix.written) continue;
    for (const FixEdit& e : r->fix.edits) {
      FixEdit& merged = by_path[e.path];
      merged.path = e.path;
      merged.created = merged.created || e.created;
      if (merged.description.empty()) merged.description = e.description;
      for (const std::string& c : e.checks) {
        if (std::find(merged.checks.begin(), merged.checks.end(), c) == merged.checks.end())
          merged.checks.push_back(c);
      }
    }
  }
  std::vector<FixEdit> out;
  for (auto& [path, edit] : by_path) out.push_back(std::move(edit));
  return out;
}

void AddCounts(Counts& into, const Counts& from) {
  for (size_t i = 0; i < into.by_severity.size(); ++i) into.by_severity[i] += from.by_severity[i];
  for (const auto& [category, n] : from.by_category) into.by_category[category] += n;
  into.total += from.total;
}

// Per kind; when some comparisons of a kind have a before, the ones without
// are left out (counted in `unpaired`) so both columns describe the same runs.
std::vector<KindTotals> Totals(const std::vector<Comparison>& comparisons) {
  std::map<ResultKind, bool> paired;
  for (const Comparison& c : comparisons) paired[c.kind] = paired[c.kind] || c.has_before;
  std::vector<KindTotals> out;
  for (const Comparison& c : comparisons) {
    if (out.empty() || out.back().kind != c.kind) out.push_back(KindTotals{c.kind, c.label});
    KindTotals& t = out.back();
    t.has_before = paired[c.kind];
    if (t.has_before && !c.has_before) {
      ++t.unpaired;
      continue;
    }
    if (c.has_before) AddCounts(t.before, c.before);
    AddCounts(t.after, c.after);
    t.fixed += static_cast<int>(c.fixed.size());
    t.added += static_cast<int>(c.added.size());
  }
  return out;
}

// The newest model pair describes the architecture.
Architecture ArchitectureOf(const std::vector<Snapshot>& snapshots,
                            const std::vector<Pair>& pairs) {
  const Pair* newest = nullptr;
  for (const Pair& p : pairs) {
    if (snapshots[p.after].model == nullptr) continue;
    if (newest == nullptr || snapshots[newest->after].time <= snapshots[p.after].time) newest = &p;
  }
  if (newest == nullptr) return Architecture{};
  const ModelResult* before = newest->before >= 0 ? snapshots[newest->before].model : nullptr;
  Architecture a = summary_parts::DescribeArchitecture(before, *snapshots[newest->after].model);
  a.time = snapshots[newest->after].time_text;
  return a;
}

std::string Title(const Summary& s) {
  if (s.architecture.present && !s.architecture.name.empty())
    return "Security summary: " + s.architecture.name;
  std::string names;
  for (size_t i = 0; i < s.targets.size() && i < 3; ++i)
    names += (i == 0 ? "" : ", ") + s.targets[i];
  if (s.targets.size() > 3) names += ", ...";
  return names.empty() ? "Security summary" : "Security summary: " + names;
}

}  // namespace

std::string_view KindLabel(ResultKind kind) {
  switch (kind) {
    case ResultKind::kAudit:
      return "Code and configuration audit";
    case ResultKind::kHostAudit:
      return "Host audit (CIS warnings)";
    case ResultKind::kScan:
      return "Image vulnerabilities";
    case ResultKind::kFix:
      return "Fix";
    case ResultKind::kModel:
      return "Threat model (confirmed threats)";
    case ResultKind::kWatch:
      return "Runtime alerts";
  }
  return "Results";
}

Summary BuildSummary(const ResultSet& results) {
  Summary s;
  s.results_read = static_cast<int>(results.results.size());
  s.diagnostics = static_cast<int>(results.diagnostics.size());
  std::vector<const LoadedResult*> ordered;
  std::set<std::string> named;  // targets and files some run names as its baseline
  for (const LoadedResult& r : results.results) {
    ordered.push_back(&r);
    if (!r.run.baseline.empty()) named.insert(r.run.baseline);
  }
  // Within one second (`model --before OLD NEW` saves both), a baseline first.
  auto not_named = [&](const LoadedResult* r) {
    return named.count(r->run.target) + named.count(r->file) == 0;
  };
  std::stable_sort(ordered.begin(), ordered.end(),
                   [&](const LoadedResult* a, const LoadedResult* b) {
                     return std::make_tuple(a->time_seconds, not_named(a), a->file) <
                            std::make_tuple(b->time_seconds, not_named(b), b->file);
                   });
  for (const LoadedResult* r : ordered) {
    s.steps.push_back(StepOf(*r));
    if (!r->run.target.empty() &&
        std::find(s.targets.begin(), s.targets.end(), r->run.target) == s.targets.end()) {
      s.targets.push_back(r->run.target);
    }
  }
  if (!ordered.empty()) {
    s.first_time = ordered.front()->run.time;
    s.last_time = ordered.back()->run.time;
  }
  s.edits = MergedEdits(ordered);
  std::vector<Snapshot> snapshots = summary_parts::CollectSnapshots(results);
  std::vector<Pair> pairs = summary_parts::PairSnapshots(snapshots);
  for (const Pair& p : pairs) s.comparisons.push_back(summary_parts::Compare(snapshots, p));
  s.totals = Totals(s.comparisons);
  s.architecture = ArchitectureOf(snapshots, pairs);
  s.title = Title(s);
  summary_parts::DrawLessons(s);
  return s;
}

}  // namespace bulwark::report
