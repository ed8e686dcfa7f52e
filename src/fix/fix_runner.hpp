// The `bulwark fix` pipeline as named steps: audit the target -> keep the
// fixable findings the user selected -> group them by file -> each file
// kind's Fixer plans edits -> apply them in memory -> merge sibling-file
// requests (.env, .gitignore, .dockerignore) -> changes to show as a diff or
// to write. A file that does not parse, or whose edits conflict, is left
// untouched and reported; the other files are still fixed.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "audit/audit_runner.hpp"
#include "core/check_registry.hpp"
#include "fix/fixer.hpp"

namespace bulwark::fix {

struct FixRunOptions {
  audit::AuditOptions audit;
  std::set<std::string> only;  // empty: every fixable check
  std::set<std::string> skip;
  FixOptions fix;
  unsigned jobs = 1;
};

// One file to create or change.
struct FileChange {
  std::string relative_path;  // '/'-separated, relative to the fix root's directory
  std::filesystem::path absolute_path;
  std::string before;  // empty for a new file
  std::string after;
  bool created = false;
  std::optional<unsigned> mode;        // new files, and files whose mode is tightened
  std::optional<unsigned> old_mode;    // when the mode changes
  std::map<std::string, int> fixed;    // check ID -> findings addressed in this file
};

struct FixProblem {
  std::string path;
  std::string message;
};

struct LocatedNote {
  std::string path;
  FixNote note;
};

struct FixPlanResult {
  core::Report before;  // the audit the plan is based on
  std::vector<FileChange> changes;  // sorted by path
  std::vector<LocatedNote> notes;
  std::vector<FixProblem> problems;  // files left untouched, and why
  int selected_findings = 0;   // fixable findings chosen by --only/--skip
  int addressed_findings = 0;  // of those, the ones an edit addresses
};

// Every fixer bulwark ships, by the kind of file it fixes.
std::map<audit::FileKind, std::unique_ptr<Fixer>> MakeAllFixers();

// The IDs of all checks some fixer can fix.
std::set<std::string> AllFixableChecks();

// Fails only when the root cannot be read at all, or --only/--skip name a
// check that does not exist or cannot be fixed.
core::Result<FixPlanResult> PlanFixes(const FixRunOptions& options, const core::CheckRegistry& registry,
                                      const audit::CheckSuiteFactory& suites);

// Plans the fixes of one daemon.json, which may not exist yet (then the plan
// creates it). Used by `bulwark fix --daemon FILE`.
core::Result<FixPlanResult> PlanDaemonFixes(const std::filesystem::path& daemon_json, const FixRunOptions& options,
                                            const core::CheckRegistry& registry,
                                            const audit::CheckSuiteFactory& suites);

// Writes the changes atomically, with FILE.bulwark.bak backups of changed
// files unless `backup` is false. Returns the files that could not be written
// (the others are written).
std::vector<FixProblem> ApplyChanges(const std::vector<FileChange>& changes, bool backup);

}  // namespace bulwark::fix
