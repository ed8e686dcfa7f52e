// What the Dockerfile checks share: the parsed file, per-stage facts (is it
// part of the final image, which shell runs RUN), every RUN body tokenized
// once with a map back to file offsets, location helpers, and the check table
// type. Internal to the Dockerfile checks. Built per file; not thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/check_registry.hpp"
#include "core/finding_sink.hpp"
#include "core/source_file.hpp"
#include "parse/dockerfile.hpp"
#include "parse/dockerfile_image.hpp"
#include "parse/shell_words.hpp"

namespace bulwark::audit::dockerfile {

// One shell script that a RUN executes: the shell-form arguments, a heredoc
// fed to a shell, or the `sh -c` string of an exec-form RUN.
struct RunScript {
  enum class Origin { kArguments, kHeredoc, kExecString, kExecWords };

  const parse::Instruction* instruction = nullptr;  // the RUN (an ONBUILD trigger too)
  int stage = -1;
  bool onbuild = false;
  bool posix_shell = true;      // run by sh/bash (not PowerShell, cmd or python)
  bool shell_pipefail = false;  // SHELL in effect sets -o pipefail
  Origin origin = Origin::kArguments;
  size_t base = 0;   // file offset of the text (heredoc, exec string)
  size_t limit = 0;  // kExecString: end of the JSON element
  std::string text;
  parse::ShellScript shell;

  size_t FileOffset(size_t pos) const;
};

struct StageFacts {
  bool in_final_image = false;     // the final stage, or a stage it is built FROM
  std::vector<std::string> shell;  // SHELL at the end of the stage
};

// A command with wrappers (sudo, env, nohup, exec, xargs...) skipped: `at(0)`
// is the program that really runs.
class CommandView {
 public:
  explicit CommandView(const parse::ShellCommand& command);
  const parse::ShellCommand& command() const { return *command_; }
  // Index in command().words of the program (after the wrappers).
  size_t start() const { return start_; }
  size_t size() const { return command_->words.size() - start_; }
  bool empty() const { return size() == 0; }
  const parse::ShellWord& at(size_t i) const { return command_->words[start_ + i]; }
  std::string_view arg(size_t i) const { return i < size() ? std::string_view(at(i).text) : ""; }
  std::string_view program() const { return program_; }
  bool HasArg(std::string_view word) const;
  // True when a word after the program starts with `prefix`.
  bool HasArgPrefix(std::string_view prefix) const;
  // Index of the first word after the program that is not an option
  // (options in `with_value` take the next word); size() when none.
  size_t FirstOperand(size_t from, std::span<const std::string_view> with_value) const;

 private:
  const parse::ShellCommand* command_;
  size_t start_ = 0;
  std::string_view program_;
};

class Context {
 public:
  Context(const core::SourceFile& file, const parse::Dockerfile& df, core::FindingSink& sink);

  const parse::Dockerfile& df() const { return df_; }
  const core::SourceFile& file() const { return file_; }
  // Every instruction, ONBUILD triggers right after their ONBUILD.
  const std::vector<const parse::Instruction*>& instructions() const { return all_; }
  const std::vector<RunScript>& runs() const { return runs_; }
  const StageFacts& stage(int index) const;
  bool InFinalImage(int stage_index) const { return stage(stage_index).in_final_image; }
  // Instructions of one stage, FROM first.
  std::span<const parse::Instruction> StageInstructions(int stage_index) const;
  // Values of ARG defaults and ENV visible at `before_offset` in a stage
  // (ENV of the stages it is built FROM included), for expanding USER etc.
  parse::VariableLookup Variables(int stage_index, size_t before_offset) const;

  core::Location At(size_t offset) const;
  core::Location At(size_t begin, size_t end) const;
  core::Location At(const parse::Instruction& inst) const;
  core::Location At(const parse::Word& word) const;
  core::Location At(const RunScript& run, const parse::ShellWord& word) const;

  void Report(std::string_view id, core::Location location, std::string message) const;
  void Report(std::string_view id, core::Severity severity, core::Location location,
              std::string message) const;

 private:
  static std::string Sanitize(std::string message);
  void BuildStageFacts();
  void AddRunScripts(const parse::Instruction& inst, bool onbuild,
                     const std::vector<std::string>& shell);

  const core::SourceFile& file_;
  const parse::Dockerfile& df_;
  core::FindingSink& sink_;
  std::vector<const parse::Instruction*> all_;
  std::vector<StageFacts> stages_;
  std::vector<RunScript> runs_;
};

// A check's metadata and its evaluator. `run` may be null when another
// check's evaluator reports this ID (e.g. the three base-image tag checks).
struct DockerfileCheck {
  core::CheckInfo info;
  void (*run)(const Context&) = nullptr;
};

// The tables, one per group (dockerfile_checks_<group>.cpp).
std::vector<DockerfileCheck> ImageChecks();
std::vector<DockerfileCheck> StageChecks();
std::vector<DockerfileCheck> InstructionChecks();
std::vector<DockerfileCheck> CopyChecks();
std::vector<DockerfileCheck> SecretChecks();
std::vector<DockerfileCheck> RunChecks();
std::vector<DockerfileCheck> PermissionChecks();
std::vector<DockerfileCheck> HardeningChecks();
std::vector<DockerfileCheck> PackageChecks();
std::vector<DockerfileCheck> PinningChecks();
std::vector<DockerfileCheck> LifecycleChecks();

// The command after `index` in the same pipeline (`a | b`), skipping the
// commands of substitutions in between; nullptr at the end of the pipeline.
const parse::ShellCommand* NextInPipeline(const parse::ShellScript& script, size_t index);

// Small text helpers shared by the groups.
std::string Lower(std::string_view text);
bool IsPosixShell(std::string_view program);
// Quotes a value for a message: printable, bounded.
std::string Quote(std::string_view text, size_t max = 60);

}  // namespace bulwark::audit::dockerfile
