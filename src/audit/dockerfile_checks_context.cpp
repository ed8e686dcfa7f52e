#include "audit/dockerfile_checks_context.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

namespace bulwark::audit::dockerfile {
namespace {

using parse::CommandName;
using parse::ShellWord;

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool IsAssignment(std::string_view word) {
  size_t eq = word.find('=');
  return eq != std::string_view::npos && eq > 0 && word[0] != '-';
}

bool Contains(std::span<const std::string_view> list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// Skips the options of a wrapper command; `with_value` options take the next word.
size_t SkipOptions(const std::vector<ShellWord>& words, size_t i,
                   std::span<const std::string_view> with_value) {
  while (i < words.size() && words[i].text.size() > 1 && words[i].text[0] == '-') {
    if (words[i].text == "--") return i + 1;
    i += Contains(with_value, words[i].text) ? 2 : 1;
  }
  return i;
}

// Index of the program after any wrappers at the front of `words`.
size_t SkipWrappers(const std::vector<ShellWord>& words) {
  static constexpr std::string_view kSudoValues[] = {"-u", "-g", "-C", "-D", "-h",
                                                     "-p", "-r", "-t", "-U", "-T"};
  static constexpr std::string_view kEnvValues[] = {"-u", "-C", "-S", "--unset", "--chdir"};
  static constexpr std::string_view kXargsValues[] = {"-n", "-I", "-P", "-L",
                                                      "-d", "-a", "-s", "-E"};
  static constexpr std::string_view kNiceValues[] = {"-n", "-c", "-o", "-e", "-i", "-a"};
  size_t i = 0;
  for (int guard = 0; i < words.size() && guard < 8; ++guard) {
    std::string_view name = CommandName(words[i].text);
    if (name == "sudo" || name == "doas") {
      i = SkipOptions(words, i + 1, kSudoValues);
    } else if (name == "env") {
      i = SkipOptions(words, i + 1, kEnvValues);
      while (i < words.size() && IsAssignment(words[i].text)) ++i;
    } else if (name == "xargs") {
      i = SkipOptions(words, i + 1, kXargsValues);
    } else if (name == "command" && i + 1 < words.size() &&
               (words[i + 1].text == "-v" || words[i + 1].text == "-V")) {
      break;  // `command -v curl` looks curl up; it does not run it
    } else if (name == "nice" || name == "ionice" || name == "stdbuf" || name == "nohup" ||
               name == "exec" || name == "command" || name == "builtin" || name == "eatmydata") {
      i = SkipOptions(words, i + 1, kNiceValues);
    } else if (name == "timeout") {
      i = SkipOptions(words, i + 1, {}) + 1;
    } else if (name == "gosu" || name == "su-exec") {
      i += 2;
    } else {
      break;
    }
  }
  return std::min(i, words.size());
}

bool IsWindowsBase(const parse::Stage& stage) {
  std::string base = Lower(stage.base.empty() ? stage.base_raw : stage.base);
  return base.find("windows") != std::string::npos ||
         base.find("nanoserver") != std::string::npos ||
         base.find("servercore") != std::string::npos;
}

// A heredoc whose first line is a shebang for something other than a shell.
bool HasForeignShebang(std::string_view content) {
  if (!StartsWith(content, "#!")) return false;
  std::string_view line = content.substr(2, content.find('\n') - 2);
  parse::ShellScript words = parse::SplitShell(line);
  if (words.commands.empty() || words.commands[0].words.empty()) return false;
  CommandView view(words.commands[0]);
  std::string_view program = view.program();
  if (program == "env" || program.empty()) return false;
  return !IsPosixShell(program);
}

// The command (at top level) that reads the heredoc `delimiter`.
const parse::ShellCommand* HeredocConsumer(const parse::ShellScript& script,
                                           std::string_view delimiter) {
  for (const parse::ShellCommand& cmd : script.commands) {
    if (cmd.depth != 0) continue;
    for (const ShellWord& redirect : cmd.redirects) {
      if (redirect.text == delimiter) return &cmd;
    }
  }
  return nullptr;
}

bool FeedsShell(const parse::ShellCommand& consumer) {
  if (consumer.words.empty()) return true;  // `RUN <<EOF`: the heredoc is the script
  CommandView view(consumer);
  if (!IsPosixShell(view.program())) return false;
  for (size_t i = 1; i < view.size(); ++i) {
    std::string_view arg = view.arg(i);
    if (arg.size() > 1 && arg[0] == '-' && arg[1] != '-' &&
        arg.find('c') != std::string_view::npos) {
      return false;  // `bash -c '...' <<EOF`: the heredoc is data
    }
  }
  return true;
}

}  // namespace

const parse::ShellCommand* NextInPipeline(const parse::ShellScript& script, size_t index) {
  const auto& commands = script.commands;
  if (index >= commands.size() || commands[index].next != parse::ShellOperator::kPipe) {
    return nullptr;
  }
  for (size_t j = index + 1; j < commands.size(); ++j) {
    if (commands[j].depth > commands[index].depth) continue;
    bool same = commands[j].depth == commands[index].depth &&
                commands[j].pipeline == commands[index].pipeline;
    return same ? &commands[j] : nullptr;
  }
  return nullptr;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsPosixShell(std::string_view program) {
  static constexpr std::string_view kShells[] = {"sh",  "bash", "ash",  "dash",
                                                 "zsh", "ksh",  "mksh", "busybox"};
  return std::find(std::begin(kShells), std::end(kShells), program) != std::end(kShells);
}

std::string Quote(std::string_view text, size_t max) {
  std::string out = "'";
  for (size_t i = 0; i < text.size() && i < max; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  }
  if (text.size() > max) out += "...";
  return out + "'";
}

size_t RunScript::FileOffset(size_t pos) const {
  switch (origin) {
    case Origin::kArguments:
      return instruction->FileOffset(pos);
    case Origin::kHeredoc:
      return base + pos;
    case Origin::kExecString:
      return std::min(base + pos, std::max(limit, base));
    case Origin::kExecWords:
      return pos;
  }
  return pos;
}

CommandView::CommandView(const parse::ShellCommand& command) : command_(&command) {
  start_ = SkipWrappers(command.words);
  if (start_ < command.words.size()) program_ = CommandName(command.words[start_].text);
}

bool CommandView::HasArg(std::string_view word) const {
  for (size_t i = 1; i < size(); ++i) {
    if (at(i).text == word) return true;
  }
  return false;
}

bool CommandView::HasArgPrefix(std::string_view prefix) const {
  for (size_t i = 1; i < size(); ++i) {
    if (StartsWith(at(i).text, prefix)) return true;
  }
  return false;
}

size_t CommandView::FirstOperand(size_t from, std::span<const std::string_view> with_value) const {
  for (size_t i = from; i < size(); ++i) {
    std::string_view a = arg(i);
    if (a == "--") return std::min(i + 1, size());
    if (a.size() < 2 || a[0] != '-') return i;
    if (Contains(with_value, a)) ++i;
  }
  return size();
}

Context::Context(const core::SourceFile& file, const parse::Dockerfile& df, core::FindingSink& sink)
    : file_(file), df_(df), sink_(sink) {
  for (const parse::Instruction& inst : df.instructions) {
    all_.push_back(&inst);
    for (const parse::Instruction& trigger : inst.trigger) all_.push_back(&trigger);
  }
  BuildStageFacts();
}

void Context::BuildStageFacts() {
  const std::vector<std::string> kDefaultShell = {"/bin/sh", "-c"};
  stages_.resize(df_.stages.size());
  int s = df_.stages.empty() ? -1 : static_cast<int>(df_.stages.size()) - 1;
  while (s >= 0 && !stages_[static_cast<size_t>(s)].in_final_image) {
    stages_[static_cast<size_t>(s)].in_final_image = true;
    s = df_.stages[static_cast<size_t>(s)].parent_stage;
  }
  for (const parse::Stage& stage : df_.stages) {
    std::vector<std::string> shell =
        stage.parent_stage >= 0 ? stages_[static_cast<size_t>(stage.parent_stage)].shell
        : IsWindowsBase(stage)  ? std::vector<std::string>{"cmd", "/S", "/C"}
                                : kDefaultShell;
    for (const parse::Instruction& inst : StageInstructions(stage.index)) {
      if (inst.keyword == "SHELL" && inst.json_form && !inst.args.empty()) {
        shell.clear();
        for (const parse::Word& word : inst.args) shell.push_back(word.value);
      }
      if (inst.keyword == "RUN") AddRunScripts(inst, false, shell);
      for (const parse::Instruction& trigger : inst.trigger) {
        if (trigger.keyword == "RUN") AddRunScripts(trigger, true, kDefaultShell);
      }
    }
    stages_[static_cast<size_t>(stage.index)].shell = std::move(shell);
  }
}

void Context::AddRunScripts(const parse::Instruction& inst, bool onbuild,
                            const std::vector<std::string>& shell) {
  RunScript base;
  base.instruction = &inst;
  base.stage = inst.stage_index;
  base.onbuild = onbuild;
  base.posix_shell = !shell.empty() && IsPosixShell(CommandName(shell[0]));
  base.shell_pipefail = std::any_of(shell.begin(), shell.end(), [](const std::string& w) {
    return w.find("pipefail") != std::string::npos;
  });
  const std::vector<parse::Word>& args = inst.args;
  if (inst.json_form) {
    RunScript run = base;
    run.posix_shell = true;
    if (args.size() >= 3 && IsPosixShell(CommandName(args[0].value)) &&
        StartsWith(args[1].value, "-") && args[1].value.find('c') != std::string::npos) {
      run.origin = RunScript::Origin::kExecString;
      run.base = args[2].offset + 1;
      run.limit = args[2].end_offset > 0 ? args[2].end_offset - 1 : run.base;
      run.text = args[2].value;
      run.shell = parse::SplitShell(run.text);
    } else {
      run.origin = RunScript::Origin::kExecWords;
      parse::ShellCommand cmd;
      for (const parse::Word& word : args) {
        cmd.words.push_back(ShellWord{word.value, word.offset, word.end_offset, true});
      }
      if (!cmd.words.empty()) cmd.offset = cmd.words[0].offset;
      run.shell.commands.push_back(std::move(cmd));
    }
    runs_.push_back(std::move(run));
    return;
  }
  RunScript run = base;
  run.text = inst.args_text;
  run.shell = parse::SplitShell(run.text);
  std::vector<RunScript> heredoc_scripts;
  for (const parse::Heredoc& doc : inst.heredocs) {
    const parse::ShellCommand* consumer = HeredocConsumer(run.shell, doc.delimiter);
    if (consumer == nullptr || !FeedsShell(*consumer) || HasForeignShebang(doc.content)) continue;
    RunScript script = base;
    script.origin = RunScript::Origin::kHeredoc;
    script.base = doc.content_offset;
    script.text = doc.content;
    script.shell = parse::SplitShell(script.text);
    if (!consumer->words.empty()) script.posix_shell = true;
    heredoc_scripts.push_back(std::move(script));
  }
  runs_.push_back(std::move(run));
  for (RunScript& script : heredoc_scripts) runs_.push_back(std::move(script));
}

const StageFacts& Context::stage(int index) const {
  static const StageFacts kNone;
  if (index < 0 || static_cast<size_t>(index) >= stages_.size()) return kNone;
  return stages_[static_cast<size_t>(index)];
}

std::span<const parse::Instruction> Context::StageInstructions(int stage_index) const {
  if (stage_index < 0 || static_cast<size_t>(stage_index) >= df_.stages.size()) return {};
  const parse::Stage& stage = df_.stages[static_cast<size_t>(stage_index)];
  return std::span<const parse::Instruction>(df_.instructions.data() + stage.from_index,
                                             stage.end_index - stage.from_index);
}

parse::VariableLookup Context::Variables(int stage_index, size_t before_offset) const {
  std::vector<int> chain;
  for (int s = stage_index; s >= 0 && chain.size() < df_.stages.size();
       s = df_.stages[static_cast<size_t>(s)].parent_stage) {
    chain.insert(chain.begin(), s);
  }
  std::map<std::string, std::optional<std::string>, std::less<>> values;
  auto lookup = [&values](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(name);
    return it == values.end() ? std::nullopt : it->second;
  };
  for (int s : chain) {
    for (const parse::Instruction& inst : StageInstructions(s)) {
      if (s == stage_index && inst.begin_offset >= before_offset) break;
      bool is_arg = inst.keyword == "ARG";
      if (!is_arg && inst.keyword != "ENV") continue;
      if (is_arg && s != stage_index) continue;  // ARGs do not cross FROM
      for (const parse::KeyValue& kv : inst.pairs) {
        if (is_arg && !kv.has_value) {
          auto global = df_.global_args.find(kv.key);
          values[kv.key] = global == df_.global_args.end() ? std::nullopt : global->second;
          continue;
        }
        parse::Expansion value = parse::ExpandVariables(kv.value, lookup, df_.escape);
        values[kv.key] = value.resolved ? std::optional<std::string>(value.text) : std::nullopt;
      }
    }
  }
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(name);
    return it == values.end() ? std::nullopt : it->second;
  };
}

core::Location Context::At(size_t offset) const {
  auto [line, column] = df_.Position(offset);
  return core::Location{file_.path, line, column, 0, 0};
}

core::Location Context::At(size_t begin, size_t end) const {
  core::Location location = At(begin);
  if (end > begin) {
    auto [line, column] = df_.Position(end - 1);
    location.end_line = line;
    location.end_column = column + 1;
  }
  return location;
}

core::Location Context::At(const parse::Instruction& inst) const {
  return At(inst.begin_offset, inst.begin_offset + inst.keyword.size());
}

core::Location Context::At(const parse::Word& word) const {
  return At(word.offset, word.end_offset);
}

core::Location Context::At(const RunScript& run, const parse::ShellWord& word) const {
  size_t end = word.end > word.offset ? run.FileOffset(word.end - 1) + 1 : 0;
  return At(run.FileOffset(word.offset), end);
}

// Messages quote pieces of untrusted input: keep them printable and bounded
// whatever a check composed.
std::string Context::Sanitize(std::string message) {
  constexpr size_t kMaxMessage = 400;
  if (message.size() > kMaxMessage) message = message.substr(0, kMaxMessage) + "...";
  for (char& c : message) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = '?';
  }
  return message;
}

void Context::Report(std::string_view id, core::Location location, std::string message) const {
  sink_.Report(id, std::move(location), Sanitize(std::move(message)));
}

void Context::Report(std::string_view id, core::Severity severity, core::Location location,
                     std::string message) const {
  sink_.ReportWithSeverity(id, severity, std::move(location), Sanitize(std::move(message)));
}

}  // namespace bulwark::audit::dockerfile
