// Internals of the Dockerfile fixer, shared by its dockerfile_fixer_*.cpp
// files. A Plan() builds one Session over the parsed file and the audit's own
// view of it (RUN scripts, command wrappers, package commands), so a fix sees
// exactly what the check saw. Each fix module adds Changes; the validator
// then accepts a change only if the re-audited result no longer has its
// finding, has no new finding and still parses the same way. Not part of the
// public API; one Session per Plan() call, not shared between threads.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "audit/dockerfile_checks_context.hpp"
#include "audit/dockerfile_checks_packages.hpp"
#include "core/finding.hpp"
#include "fix/edit.hpp"
#include "fix/fixer.hpp"
#include "parse/dockerfile.hpp"

namespace bulwark::fix::dockerfile {

using audit::dockerfile::CommandView;
using audit::dockerfile::RunScript;

// The edits that fix one finding (or every finding of one check on one
// instruction), with what the validator checks them against.
struct Change {
  std::string check_id;
  std::vector<TextEdit> edits;
  int instruction_delta = 0;      // instructions the change adds (+) or removes (-)
  int first_line = 0;             // lines the change edits or relies on: a parse
  int last_line = 0;              // problem there blocks it
  bool resolves_problem = false;  // it repairs the parse problem on its lines
  std::vector<FixNote> notes;     // for the user, when the change is accepted
};

class Session {
 public:
  Session(std::string_view text, const parse::Dockerfile& df, const audit::dockerfile::Context& ctx,
          const FixOptions& options, const std::vector<core::Finding>& findings);

  std::string_view text() const { return text_; }
  const parse::Dockerfile& df() const { return df_; }
  const audit::dockerfile::Context& ctx() const { return ctx_; }
  const FixOptions& options() const { return options_; }
  std::string_view eol() const { return eol_; }

  // Findings of the request, by ID and place.
  bool Has(std::string_view id) const;
  bool HasAt(std::string_view id, size_t offset) const;  // a finding starting at this offset
  bool HasOnLines(std::string_view id, int first, int last) const;
  bool HasIn(std::string_view id, const parse::Instruction& inst) const {
    return HasOnLines(id, inst.start_line, inst.end_line);
  }

  void Add(Change change) { changes_.push_back(std::move(change)); }
  void Note(std::string_view id, int line, std::string message);
  void Ensure(EnsureLines lines) { siblings_.push_back(std::move(lines)); }

  // Instructions another fix deletes; fixes of their own findings skip them.
  void MarkRemoved(const parse::Instruction& inst) { removed_.insert(inst.begin_offset); }
  bool Removed(const parse::Instruction& inst) const {
    return removed_.count(inst.begin_offset) != 0;
  }

  std::vector<Change>& changes() { return changes_; }
  std::vector<FixNote>& notes() { return notes_; }
  std::vector<EnsureLines>& siblings() { return siblings_; }

 private:
  std::string_view text_;
  const parse::Dockerfile& df_;
  const audit::dockerfile::Context& ctx_;
  const FixOptions& options_;
  const std::vector<core::Finding>& findings_;
  std::string_view eol_;
  std::vector<Change> changes_;
  std::vector<FixNote> notes_;
  std::vector<EnsureLines> siblings_;
  std::set<size_t> removed_;
};

// ---- fix modules, in the order their changes are validated ----
void FixOverridden(Session& s);       // BW-DF-003/004/005 (dockerfile_fixer_instructions.cpp)
void FixAdminPorts(Session& s);       // BW-DF-009
void FixMaintainer(Session& s);       // BW-DF-014
void FixAddLocal(Session& s);         // BW-DF-022
void FixCopyDestination(Session& s);  // BW-DF-026
void FixRelativeWorkdir(Session& s);  // BW-DF-012
void FixExecForm(Session& s);         // BW-DF-015 (dockerfile_fixer_exec_form.cpp)
void FixNamedUser(Session& s);        // BW-DF-011 (dockerfile_fixer_user.cpp)
void FixImagePins(Session& s);        // BW-DF-006/007/008 (dockerfile_fixer_pin.cpp)
void FixSudo(Session& s);             // BW-DF-032 (dockerfile_fixer_run.cpp)
void FixLoneUpdate(Session& s);       // BW-DF-045
void FixPipefail(Session& s);         // BW-DF-039
void FixPackages(Session& s);  // BW-DF-043/046/047/049/050/051/052 (dockerfile_fixer_packages.cpp)
void FixDockerignore(Session& s);  // BW-DF-025 (dockerfile_fixer_context.cpp)
// The final stage's runtime block: user first, then the health check.
void FixRootUser(Session& s);     // BW-DF-001 (dockerfile_fixer_user.cpp)
void FixHealthcheck(Session& s);  // BW-DF-002 (dockerfile_fixer_healthcheck.cpp)

// Accepts the changes that pass validation, in order; notes the others
// (dockerfile_fixer_validate.cpp).
std::vector<TextEdit> AcceptChanges(Session& s, std::set<std::string>& fixed_ids);

// ---- exec form (dockerfile_fixer_exec_form.cpp) ----

// `CMD ['a', 'b']`: meant as exec form, run as a shell command.
bool LooksLikeBrokenJson(const parse::Instruction& inst);
// `['a', "b"]`: quoted elements without escapes; nullopt for anything else.
std::optional<std::vector<std::string>> LooseArray(std::string_view text);

// ---- what an image has (dockerfile_fixer_image.cpp) ----

enum class Distro {
  kUnknown,
  kDebian,       // Debian, Ubuntu: groupadd/useradd, dash as /bin/sh, bash present
  kAlpine,       // busybox: addgroup/adduser, ash, wget
  kRhel,         // RHEL, UBI, Fedora, CentOS, Rocky, Alma, Amazon: groupadd/useradd, bash as sh
  kRhelMinimal,  // ubi-minimal / ubi-micro: no useradd
  kNoShell,      // scratch, distroless, static: nothing but what was copied in
  kWindows,
};

struct ImageFacts {
  Distro distro = Distro::kUnknown;
  bool curl = false;
  bool wget = false;
  std::string python;  // the interpreter's name ("python3") when the image has Python
  bool node = false;
};

// What the image of stage `stage` (and the stages it is built FROM) is and has.
ImageFacts FactsOf(const Session& s, int stage);
// The stages `stage` is built on, root first, `stage` last.
std::vector<int> StageChain(const parse::Dockerfile& df, int stage);

// ---- users (dockerfile_fixer_user.cpp) ----

// A user that a RUN in the stage chain creates with a numeric UID.
struct CreatedUser {
  std::string name;
  std::string uid;
  std::string gid;  // numeric, empty when unknown
};
std::vector<CreatedUser> CreatedUsers(const Session& s, int stage);
// The user in effect just before `before_offset` in `stage`: nullopt when it
// is unknown (a variable), "" when no USER was set.
std::optional<std::string> UserBefore(const Session& s, int stage, size_t before_offset);
bool IsRootUser(std::string_view user);
// The instruction after which the final stage's runtime block (USER,
// HEALTHCHECK) goes: after its last RUN / COPY / ADD / USER, before the CMD,
// ENTRYPOINT or HEALTHCHECK that follow (and the comments above them).
const parse::Instruction& RuntimeAnchor(const Session& s, int stage);

// ---- text helpers (dockerfile_fixer_text.cpp) ----

// An insertion of whole lines after 1-based `line`, in the file's line
// ending; a file without a final line break keeps having none.
TextEdit InsertLines(const Session& s, int line, const std::vector<std::string>& lines,
                     std::string check_id);
// Deletes the lines of an instruction (with its continuation and heredoc lines).
TextEdit RemoveInstruction(const Session& s, const parse::Instruction& inst, std::string check_id);
// The whitespace before the instruction's keyword on its line.
std::string IndentOf(const Session& s, const parse::Instruction& inst);
// `keyword` in the letter case the instruction was written in.
std::string KeywordLike(const parse::Instruction& inst, std::string_view keyword);
// File offset one past the last byte of args_text[begin, end).
size_t ArgsEnd(const parse::Instruction& inst, size_t end);
// A JSON string / array of strings, as exec form wants them.
std::string JsonString(std::string_view value);
std::string JsonArray(const std::vector<std::string>& values);
// True when [begin, end) of the file holds no line break.
bool OnOneLine(const Session& s, size_t begin, size_t end);
std::string Lower(std::string_view text);

// ---- RUN script helpers (dockerfile_fixer_run.cpp) ----

// File offsets of a word of a RUN script.
size_t WordBegin(const RunScript& run, const parse::ShellWord& word);
size_t WordEnd(const RunScript& run, const parse::ShellWord& word);
// Offsets of an exec-form string script map 1:1 to the file only when the
// JSON string has no escapes.
bool ScriptEditable(const RunScript& run);
// Inserts arguments after a word of a command (JSON elements in exec form).
std::optional<TextEdit> InsertArgsAfter(const RunScript& run, const parse::ShellWord& word,
                                        std::string_view args, std::string check_id);
// Appends `&& command` after the script's last command; nullopt when the
// script's end is not a plain command (a compound statement, exec form...).
std::optional<TextEdit> AppendCommand(const Session& s, const RunScript& run,
                                      std::string_view command, std::string check_id);
// RUN scripts of one instruction (its own text and heredocs fed to a shell).
std::vector<const RunScript*> ScriptsOf(const Session& s, const parse::Instruction& inst);

}  // namespace bulwark::fix::dockerfile
