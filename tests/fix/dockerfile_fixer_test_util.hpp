// Helpers shared by the Dockerfile fixer tests: a fake digest resolver,
// audit -> plan -> apply in one call, and the checks every fix must pass
// (the audit no longer finds it, no new check ID, a second run changes
// nothing).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "audit/dockerfile_checks_test_util.hpp"
#include "fix/fixer.hpp"

namespace bulwark::fix::dftest {

using audit::dftest::Audit;
using audit::dftest::Audited;

inline const std::string kDigest =
    "sha256:4f2a1b3c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708";

// Digests for every image but locally built ones (bulwark-lab/...) and
// images named "unknown...", which the daemon does not know.
inline FixOptions Options() {
  FixOptions options;
  options.resolve_digest = [](const std::string& image) -> std::optional<std::string> {
    if (image.find("bulwark-lab/") != std::string::npos || image.find("unknown") == 0) {
      return std::nullopt;
    }
    return kDigest;
  };
  return options;
}

inline std::set<std::string> Ids(const Audited& audited) {
  std::set<std::string> out;
  for (const core::Finding& f : audited.findings) out.insert(f.id);
  return out;
}

inline int Count(const Audited& audited, const std::string& id) {
  return static_cast<int>(std::count_if(audited.findings.begin(), audited.findings.end(),
                                        [&](const core::Finding& f) { return f.id == id; }));
}

struct Outcome {
  Audited before;
  FixPlan plan;
  std::string after;
  Audited audited_after;
};

// Audits `text`, hands the findings (all of them, or those of `only`) to the
// fixer and applies its edits.
inline Outcome Fix(const std::string& text, const FixOptions& options = Options(),
                   const std::string& only = "", const std::filesystem::path& path = {}) {
  Outcome out;
  out.before = Audit(text, path);
  std::vector<core::Finding> findings;
  for (const core::Finding& f : out.before.findings) {
    if (only.empty() || f.id == only) findings.push_back(f);
  }
  FixRequest request{path.empty() ? std::filesystem::path("/work/Dockerfile") : path, text,
                     findings, &options};
  core::Result<FixPlan> plan = MakeDockerfileFixer()->Plan(request);
  EXPECT_TRUE(plan.ok()) << plan.status().message();
  if (!plan.ok()) return out;
  out.plan = *plan;
  core::Result<std::string> after = ApplyEdits(text, out.plan.edits);
  EXPECT_TRUE(after.ok()) << after.status().message();
  out.after = after.ok() ? *after : text;
  out.audited_after = Audit(out.after, path);
  return out;
}

// The fixed text needs no fix: the fixer plans no edit for its findings.
inline void ExpectIdempotent(const std::string& fixed, const FixOptions& options = Options()) {
  Audited audited = Audit(fixed);
  FixRequest request{"/work/Dockerfile", fixed, audited.findings, &options};
  core::Result<FixPlan> plan = MakeDockerfileFixer()->Plan(request);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  if (plan->edits.empty()) return;
  core::Result<std::string> again = ApplyEdits(fixed, plan->edits);
  ADD_FAILURE() << "a second run changes:\n"
                << (again.ok() ? *again
                               : "(edits that do not apply: " + again.status().message() + ")");
}

// The finding was there, is gone, and no check ID appeared that was not.
inline void ExpectJudgedFixed(const Outcome& o, const std::string& id) {
  EXPECT_EQ(Ids(o.before).count(id), 1u) << id << " not found before the fix";
  EXPECT_EQ(Ids(o.audited_after).count(id), 0u) << id << " still found after the fix";
  for (const std::string& after : Ids(o.audited_after)) {
    EXPECT_EQ(Ids(o.before).count(after), 1u) << "the fix of " << id << " caused " << after;
  }
  EXPECT_EQ(o.plan.fixed_ids.count(id), 1u);
  EXPECT_TRUE(o.audited_after.diagnostics.size() <= o.before.diagnostics.size());
}

inline std::string NotesText(const FixPlan& plan) {
  std::string out;
  for (const FixNote& note : plan.notes) {
    out += note.check_id + " " + std::to_string(note.line) + " " + note.message + "\n";
  }
  return out;
}

inline bool HasNote(const FixPlan& plan, const std::string& id, const std::string& part) {
  return std::any_of(plan.notes.begin(), plan.notes.end(), [&](const FixNote& n) {
    return n.check_id == id && n.message.find(part) != std::string::npos;
  });
}

}  // namespace bulwark::fix::dftest
