#include "fix/fix_runner.hpp"

#include <sys/stat.h>

#include <algorithm>

#include "audit/discovery.hpp"
#include "core/finding_sink.hpp"
#include "fix/atomic_write.hpp"

namespace bulwark::fix {

namespace fs = std::filesystem;

std::map<audit::FileKind, std::unique_ptr<Fixer>> MakeAllFixers() {
  std::map<audit::FileKind, std::unique_ptr<Fixer>> fixers;
  fixers[audit::FileKind::kDockerfile] = MakeDockerfileFixer();
  fixers[audit::FileKind::kCompose] = MakeComposeFixer();
  fixers[audit::FileKind::kDaemonJson] = MakeDaemonJsonFixer();
  fixers[audit::FileKind::kKubernetes] = MakeKubernetesFixer();
  return fixers;
}

namespace {

std::set<std::string> FixableChecksOf(const std::map<audit::FileKind, std::unique_ptr<Fixer>>& fixers) {
  std::set<std::string> ids;
  for (const auto& [kind, fixer] : fixers) {
    std::set<std::string> own = fixer->FixableChecks();
    ids.insert(own.begin(), own.end());
  }
  return ids;
}

}  // namespace

std::set<std::string> AllFixableChecks() { return FixableChecksOf(MakeAllFixers()); }

namespace {

core::Status ValidateSelection(const FixRunOptions& options, const core::CheckRegistry& registry,
                               const std::set<std::string>& fixable) {
  for (const std::string& id : options.only) {
    if (registry.Find(id) == nullptr) {
      return core::Status(core::ErrorCode::kInvalidArgument,
                          "--only: no check '" + id + "' (`bulwark checks` lists them)");
    }
    if (fixable.count(id) == 0) {
      return core::Status(core::ErrorCode::kInvalidArgument,
                          "--only: " + id + " cannot be fixed automatically (`bulwark checks` marks the fixable ones)");
    }
  }
  for (const std::string& id : options.skip) {
    if (registry.Find(id) == nullptr) {
      return core::Status(core::ErrorCode::kInvalidArgument,
                          "--skip: no check '" + id + "' (`bulwark checks` lists them)");
    }
  }
  return core::Status::Ok();
}

bool Selected(const FixRunOptions& options, const std::set<std::string>& fixable, const std::string& id) {
  if (fixable.count(id) == 0) return false;
  if (!options.only.empty() && options.only.count(id) == 0) return false;
  return options.skip.count(id) == 0;
}

// Lines requested in one sibling file, merged over every fixed file.
struct SiblingRequest {
  std::string relative_path;
  fs::path absolute_path;
  std::vector<std::string> lines;
  unsigned mode = 0644;
  std::set<std::string> check_ids;
};

std::string StripCr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return std::string(line);
}

std::set<std::string> LinesOf(std::string_view text) {
  std::set<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t newline = text.find('\n', start);
    size_t end = newline == std::string_view::npos ? text.size() : newline;
    lines.insert(StripCr(text.substr(start, end - start)));
    if (newline == std::string_view::npos) break;
    start = newline + 1;
  }
  return lines;
}

// A sibling is a plain file name beside the fixed file: never a path that
// could leave the directory.
bool IsPlainFileName(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         name.find('\0') == std::string::npos;
}

class PlanBuilder {
 public:
  explicit PlanBuilder(const FixRunOptions& options)
      : options_(options), fixers_(MakeAllFixers()), fixable_(FixableChecksOf(fixers_)) {}

  const std::set<std::string>& fixable() const { return fixable_; }

  // Plans one file whose content is `text` (the file may not exist yet).
  void PlanFile(const std::string& relative, const fs::path& absolute, const std::string& text,
                bool exists, std::optional<audit::FileKind> known_kind,
                const std::vector<core::Finding>& findings) {
    std::vector<core::Finding> chosen;
    for (const core::Finding& finding : findings) {
      if (Selected(options_, fixable_, finding.id)) chosen.push_back(finding);
    }
    if (chosen.empty()) return;
    result_.selected_findings += static_cast<int>(chosen.size());
    std::optional<audit::FileKind> kind =
        known_kind ? known_kind : audit::ClassifyFile(absolute.filename().string(), text);
    auto fixer = kind ? fixers_.find(*kind) : fixers_.end();
    if (fixer == fixers_.end()) return;

    FixRequest request{absolute, text, chosen, &options_.fix};
    core::Result<FixPlan> plan = fixer->second->Plan(request);
    if (!plan.ok()) {
      result_.problems.push_back({relative, "not changed: " + plan.status().message()});
      return;
    }
    core::Result<std::string> after = ApplyEdits(text, plan->edits);
    if (!after.ok()) {
      result_.problems.push_back({relative, "not changed: " + after.status().message()});
      return;
    }
    for (FixNote& note : plan->notes) result_.notes.push_back({relative, std::move(note)});

    std::map<std::string, int> fixed;
    for (const core::Finding& finding : chosen) {
      if (plan->fixed_ids.count(finding.id) != 0) ++fixed[finding.id];
    }
    for (const auto& [id, count] : fixed) result_.addressed_findings += count;
    if (*after != text || !exists) {
      FileChange change;
      change.relative_path = relative;
      change.absolute_path = absolute;
      change.before = text;
      change.after = std::move(after).value();
      change.created = !exists;
      change.fixed = std::move(fixed);
      if (change.created) change.mode = 0644;
      changes_[absolute] = std::move(change);
    }
    for (EnsureLines& lines : plan->sibling_lines) AddSibling(relative, absolute, lines);
  }

  FixPlanResult Finish() {
    for (auto& [path, request] : siblings_) ApplySibling(request);
    for (auto& [path, change] : changes_) {
      if (change.before != change.after || change.created || change.old_mode) {
        result_.changes.push_back(std::move(change));
      }
    }
    std::sort(result_.changes.begin(), result_.changes.end(),
              [](const FileChange& a, const FileChange& b) { return a.relative_path < b.relative_path; });
    return std::move(result_);
  }

  FixPlanResult& result() { return result_; }

 private:
  void AddSibling(const std::string& owner_relative, const fs::path& owner_absolute, const EnsureLines& lines) {
    if (!IsPlainFileName(lines.relative_path)) {
      result_.problems.push_back({owner_relative, "refused to touch '" + lines.relative_path +
                                                      "': not a file name beside it (bulwark bug)"});
      return;
    }
    fs::path absolute = owner_absolute.parent_path() / lines.relative_path;
    SiblingRequest& request = siblings_[absolute];
    if (request.relative_path.empty()) {
      std::string dir = fs::path(owner_relative).parent_path().generic_string();
      request.relative_path = dir.empty() ? lines.relative_path : dir + "/" + lines.relative_path;
      request.absolute_path = absolute;
      request.mode = lines.mode;
    }
    request.mode &= lines.mode;  // the strictest request wins (0600 for secrets)
    for (const std::string& line : lines.lines) {
      if (std::find(request.lines.begin(), request.lines.end(), line) == request.lines.end()) {
        request.lines.push_back(line);
      }
    }
    request.check_ids.insert(lines.check_id);
  }

  void ApplySibling(const SiblingRequest& request) {
    FileChange* change = nullptr;
    if (auto it = changes_.find(request.absolute_path); it != changes_.end()) {
      change = &it->second;
    } else {
      FileChange fresh;
      fresh.relative_path = request.relative_path;
      fresh.absolute_path = request.absolute_path;
      core::Result<std::string> current = ReadRegularFile(request.absolute_path);
      if (current.ok()) {
        fresh.before = *current;
        fresh.after = *current;
      } else if (current.status().code() == core::ErrorCode::kNotFound) {
        fresh.created = true;
        fresh.mode = request.mode;
      } else {
        result_.problems.push_back({request.relative_path, "not changed: " + current.status().message()});
        return;
      }
      change = &(changes_[request.absolute_path] = std::move(fresh));
    }
    std::set<std::string> present = LinesOf(change->after);
    std::string eol(DetectLineEnding(change->after));
    for (const std::string& line : request.lines) {
      if (present.count(line) != 0) continue;
      if (!EndsWithNewline(change->after)) change->after += eol;
      change->after += line + eol;
      present.insert(line);
    }
    for (const std::string& id : request.check_ids) change->fixed.emplace(id, 0);
    // A file that receives secrets loses group and world access.
    if (!change->created && (request.mode & 077) == 0) {
      struct stat info {};
      if (::stat(request.absolute_path.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
        change->old_mode = info.st_mode & 07777;
        change->mode = info.st_mode & 07700;
      }
    }
  }

  const FixRunOptions& options_;
  std::map<audit::FileKind, std::unique_ptr<Fixer>> fixers_;
  std::set<std::string> fixable_;  // after fixers_: made from them
  FixPlanResult result_;
  std::map<fs::path, FileChange> changes_;
  std::map<fs::path, SiblingRequest> siblings_;
};

// Input the audit could not read is input the fix could not check: say so,
// once per file, and leave the file as it is unless other findings of it
// were fixed (then the diff shows exactly what changed).
void ReportUnreadInput(FixPlanResult& result) {
  std::set<std::string> changed, reported;
  for (const FileChange& change : result.changes) changed.insert(change.relative_path);
  for (const core::Diagnostic& diagnostic : result.before.diagnostics) {
    const core::Location& at = diagnostic.location;
    if (changed.count(at.path) != 0 || !reported.insert(at.path).second) continue;
    std::string where = at.line > 0 ? std::to_string(at.line) + ":" + std::to_string(at.column) + ": " : "";
    result.problems.push_back({at.path, "not checked or changed: " + where + diagnostic.message});
  }
}

}  // namespace

core::Result<FixPlanResult> PlanFixes(const FixRunOptions& options, const core::CheckRegistry& registry,
                                      const audit::CheckSuiteFactory& suites) {
  PlanBuilder builder(options);
  RETURN_IF_ERROR(ValidateSelection(options, registry, builder.fixable()));
  ASSIGN_OR_RETURN(audit::AuditOutcome audited,
                   audit::RunAuditParallel(options.audit, registry, suites, std::max(options.jobs, 1u)));

  // The audit names files relative to the root; its discovery maps them back.
  std::map<std::string, fs::path> absolute_of;
  for (const audit::DiscoveredFile& file : audited.files) absolute_of[file.relative_path] = file.absolute_path;

  std::map<std::string, std::vector<core::Finding>> by_file;
  for (const core::Finding& finding : audited.report.findings) by_file[finding.location.path].push_back(finding);

  builder.result().before = std::move(audited.report);
  for (const auto& [relative, findings] : by_file) {
    auto absolute = absolute_of.find(relative);
    if (absolute == absolute_of.end()) continue;
    core::Result<std::string> text = ReadRegularFile(absolute->second);
    if (!text.ok()) {
      builder.result().problems.push_back({relative, "not changed: " + text.status().message()});
      continue;
    }
    builder.PlanFile(relative, absolute->second, *text, /*exists=*/true, std::nullopt, findings);
  }
  FixPlanResult result = builder.Finish();
  ReportUnreadInput(result);
  return result;
}

core::Result<FixPlanResult> PlanDaemonFixes(const fs::path& daemon_json, const FixRunOptions& options,
                                            const core::CheckRegistry& registry,
                                            const audit::CheckSuiteFactory& suites) {
  PlanBuilder builder(options);
  RETURN_IF_ERROR(ValidateSelection(options, registry, builder.fixable()));
  bool exists = true;
  std::string text;
  core::Result<std::string> read = ReadRegularFile(daemon_json);
  if (read.ok()) {
    text = std::move(read).value();
  } else if (read.status().code() == core::ErrorCode::kNotFound) {
    exists = false;
  } else {
    return read.status();
  }

  ASSIGN_OR_RETURN(audit::CheckSuite suite, suites());
  auto analyzer = suite.by_kind.find(audit::FileKind::kDaemonJson);
  if (analyzer == suite.by_kind.end()) {
    return core::Status(core::ErrorCode::kInternal, "no daemon.json analyzer in the check suite");
  }
  // dockerd treats a missing daemon.json as an empty configuration.
  core::SourceFile file{daemon_json.string(), daemon_json, exists ? text : std::string("{}")};
  core::FindingSink sink(registry);
  analyzer->second->Analyze(file, sink);
  analyzer->second->Finish(sink);

  core::Report& before = builder.result().before;
  before.target = daemon_json.string();
  before.files_examined = 1;
  before.files_by_kind["daemon"] = 1;
  before.findings = sink.findings();
  before.diagnostics = sink.diagnostics();
  core::SortFindings(before.findings);
  builder.PlanFile(daemon_json.string(), daemon_json, text, exists, audit::FileKind::kDaemonJson,
                   before.findings);
  FixPlanResult result = builder.Finish();
  ReportUnreadInput(result);
  return result;
}

std::vector<FixProblem> ApplyChanges(const std::vector<FileChange>& changes, bool backup) {
  std::vector<FixProblem> problems;
  for (const FileChange& change : changes) {
    if (!change.created && backup && change.before != change.after) {
      if (core::Status st = WriteBackup(change.absolute_path); !st.ok()) {
        problems.push_back({change.relative_path, "not changed: backup failed: " + st.message()});
        continue;
      }
    }
    if (change.created) {
      std::error_code ec;
      fs::create_directories(change.absolute_path.parent_path(), ec);
    }
    WriteOptions write;
    write.new_file_mode = change.mode.value_or(0644);
    if (change.old_mode) write.force_mode = change.mode;
    if (core::Status st = AtomicWriteFile(change.absolute_path, change.after, write); !st.ok()) {
      problems.push_back({change.relative_path, "not changed: " + st.message()});
    }
  }
  return problems;
}

}  // namespace bulwark::fix
