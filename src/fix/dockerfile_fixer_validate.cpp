// The Dockerfile fixer's safety net: every change is tried on top of the ones
// already accepted, and kept only when the result parses as well as before,
// has the expected number of instructions, no longer has (as many of) the
// change's finding and has no finding that was not there before. The audit
// is the judge, so a fix can never trade one finding for another.
#include <algorithm>
#include <map>

#include "audit/dockerfile_checks.hpp"
#include "core/check_registry.hpp"
#include "core/finding_sink.hpp"
#include "core/source_file.hpp"
#include "fix/dockerfile_fixer_internal.hpp"

namespace bulwark::fix::dockerfile {
namespace {

struct Snapshot {
  size_t problems = 0;
  size_t instructions = 0;
  std::map<std::string, int> counts;  // findings per check ID
};

const core::CheckRegistry& DockerfileRegistry() {
  static const core::CheckRegistry registry = [] {
    core::CheckRegistry r;
    core::Status status = audit::RegisterDockerfileChecks(r);
    (void)status;  // duplicate IDs are a bug caught by the audit's own tests
    return r;
  }();
  return registry;
}

Snapshot Take(std::string_view text) {
  parse::Dockerfile df = parse::ParseDockerfile(text);
  core::FindingSink sink(DockerfileRegistry());
  // No absolute path: the one check that looks at the disk (.dockerignore)
  // is fixed by a sibling file, not by these edits.
  core::SourceFile file{"Dockerfile", {}, std::string(text)};
  audit::CheckDockerfile(file, df, sink);
  Snapshot snap;
  snap.problems = df.problems.size();
  snap.instructions = df.instructions.size();
  for (const core::Finding& f : sink.findings()) ++snap.counts[f.id];
  return snap;
}

int CountOf(const Snapshot& snap, const std::string& id) {
  auto it = snap.counts.find(id);
  return it == snap.counts.end() ? 0 : it->second;
}

// Insertions before replacements that start at the same offset, so a line
// inserted just before a removed line does not overlap it; ApplyEdits' own
// stable sort keeps this order.
void SortEdits(std::vector<TextEdit>& edits) {
  std::stable_sort(edits.begin(), edits.end(), [](const TextEdit& a, const TextEdit& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    return (a.end == a.begin) && (b.end != b.begin);
  });
}

// Why the changes must not be applied together; empty when they may. Each
// must remove at least one finding of its check and none may add one.
std::string Reject(const std::vector<Change*>& changes, const Snapshot& before,
                   const Snapshot& after) {
  if (after.problems > before.problems) return "the result would not parse";
  long expected = static_cast<long>(before.instructions);
  std::map<std::string, int> wanted;
  for (const Change* change : changes) {
    expected += change->instruction_delta;
    ++wanted[change->check_id];
  }
  if (static_cast<long>(after.instructions) != expected) {
    return "the result would not have the expected instructions";
  }
  for (const auto& [id, count] : wanted) {
    if (CountOf(before, id) - CountOf(after, id) < count)
      return "the edit would not remove the finding";
  }
  for (const auto& [id, count] : after.counts) {
    if (count > CountOf(before, id)) return "the edit would cause " + id;
  }
  return "";
}

// A parse problem on the lines a change relies on, unless a change repairs
// it (`repaired` lines).
const parse::DockerfileProblem* ProblemOn(const Session& s, const Change& change,
                                          const std::set<int>& repaired) {
  for (const parse::DockerfileProblem& p : s.df().problems) {
    if (p.line >= change.first_line && p.line <= change.last_line && repaired.count(p.line) == 0) {
      return &p;
    }
  }
  return nullptr;
}

// Changes are validated on top of those already accepted, a batch at a time
// (one audit for a typical file), then one by one when a batch fails.
class Acceptor {
 public:
  Acceptor(Session& s, std::set<std::string>& fixed_ids)
      : s_(s), fixed_ids_(fixed_ids), current_(Take(s.text())) {}

  // Accepts all of `batch` or none; the reason when none.
  std::string TryAccept(const std::vector<Change*>& batch) {
    std::vector<TextEdit> candidate = accepted_;
    for (const Change* change : batch) {
      candidate.insert(candidate.end(), change->edits.begin(), change->edits.end());
    }
    SortEdits(candidate);
    core::Result<std::string> text = ApplyEdits(s_.text(), candidate);
    if (!text.ok()) {
      return "its edit overlaps another fix (" + text.status().message() +
             "); run bulwark fix again";
    }
    Snapshot after = Take(*text);
    std::string reason = Reject(batch, current_, after);
    if (!reason.empty()) return reason + "; fix it by hand";
    accepted_ = std::move(candidate);
    current_ = std::move(after);
    for (Change* change : batch) {
      fixed_ids_.insert(change->check_id);
      for (FixNote& note : change->notes) {
        s_.Note(note.check_id, note.line, std::move(note.message));
      }
    }
    return "";
  }

  std::vector<TextEdit> Finish() {
    SortEdits(accepted_);
    return std::move(accepted_);
  }

 private:
  Session& s_;
  std::set<std::string>& fixed_ids_;
  Snapshot current_;
  std::vector<TextEdit> accepted_;
};

constexpr size_t kBatch = 32;

}  // namespace

std::vector<TextEdit> AcceptChanges(Session& s, std::set<std::string>& fixed_ids) {
  std::set<int> repaired;
  for (const Change& change : s.changes()) {
    if (!change.resolves_problem) continue;
    for (int line = change.first_line; line <= change.last_line; ++line) repaired.insert(line);
  }
  std::vector<Change*> pending;
  for (Change& change : s.changes()) {
    if (change.edits.empty()) continue;
    if (const parse::DockerfileProblem* p = ProblemOn(s, change, repaired)) {
      s.Note(change.check_id, change.first_line,
             "not fixed: line " + std::to_string(p->line) + " does not parse (" + p->message + ")");
      continue;
    }
    pending.push_back(&change);
  }
  if (pending.empty()) return {};
  Acceptor acceptor(s, fixed_ids);
  for (size_t start = 0; start < pending.size(); start += kBatch) {
    std::vector<Change*> batch(
        pending.begin() + static_cast<long>(start),
        pending.begin() + static_cast<long>(std::min(start + kBatch, pending.size())));
    if (batch.size() > 1 && acceptor.TryAccept(batch).empty()) continue;
    for (Change* change : batch) {
      std::string reason = acceptor.TryAccept({change});
      if (!reason.empty()) s.Note(change->check_id, change->first_line, "not fixed: " + reason);
    }
  }
  return acceptor.Finish();
}

}  // namespace bulwark::fix::dockerfile
