// BW-DF-015: CMD / ENTRYPOINT in exec form. A shell-form command is turned
// into a JSON array only when it is one simple command whose words mean the
// same without a shell (no variables, globs, redirections, operators or
// builtins); a leading `exec` is dropped. A single-quoted "JSON" array is
// rewritten with double quotes, which is what its author meant.
#include <algorithm>

#include "fix/dockerfile_fixer_internal.hpp"

namespace bulwark::fix::dockerfile {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

}  // namespace

bool LooksLikeBrokenJson(const parse::Instruction& inst) {
  std::string_view text = inst.args_text;
  if (inst.json_form || text.size() < 2 || text[0] != '[') return false;
  return text[1] == '\'' || text[1] == '"' ||
         (text.back() == ']' && text.find(',') != std::string_view::npos);
}

std::optional<std::vector<std::string>> LooseArray(std::string_view text) {
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return std::nullopt;
  std::vector<std::string> out;
  size_t pos = 1;
  size_t end = text.size() - 1;
  while (true) {
    while (pos < end && IsBlank(text[pos])) ++pos;
    if (pos >= end) break;
    char quote = text[pos];
    if (quote != '\'' && quote != '"') return std::nullopt;
    size_t close = text.find(quote, pos + 1);
    if (close == std::string_view::npos || close >= end) return std::nullopt;
    std::string_view value = text.substr(pos + 1, close - pos - 1);
    if (value.find('\\') != std::string_view::npos) return std::nullopt;
    out.emplace_back(value);
    pos = close + 1;
    while (pos < end && IsBlank(text[pos])) ++pos;
    if (pos >= end) break;
    if (text[pos] != ',') return std::nullopt;
    ++pos;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

namespace {

bool IsBuiltin(std::string_view program) {
  static constexpr std::string_view kBuiltins[] = {
      "cd",    "source", ".",    "export",  "set",   "unset",    "ulimit", "umask", "trap",
      "eval",  "alias",  "read", "wait",    "shift", "exit",     "return", "local", "readonly",
      "times", "type",   "hash", "getopts", "break", "continue", "[[",     "test",  "["};
  return std::find(std::begin(kBuiltins), std::end(kBuiltins), program) != std::end(kBuiltins);
}

// The words of a shell-form command that means the same in exec form.
std::optional<std::vector<std::string>> SimpleWords(std::string_view text) {
  if (text.find_first_of("$`\\*?[]{}~()<>|&;#!\n\r") != std::string_view::npos) {
    return std::nullopt;
  }
  parse::ShellScript script = parse::SplitShell(text);
  if (script.commands.size() != 1) return std::nullopt;
  const parse::ShellCommand& cmd = script.commands[0];
  if (!cmd.assignments.empty() || !cmd.redirects.empty() || cmd.words.empty()) return std::nullopt;
  std::vector<std::string> words;
  for (const parse::ShellWord& word : cmd.words) words.push_back(word.text);
  if (words[0] == "exec") words.erase(words.begin());
  if (words.empty() || words[0].empty() || words[0][0] == '-') return std::nullopt;
  if (IsBuiltin(parse::CommandName(words[0]))) return std::nullopt;
  return words;
}

bool HasCmdInFinalChain(const Session& s) {
  for (int member : StageChain(s.df(), s.df().FinalStage()->index)) {
    for (const parse::Instruction& inst : s.ctx().StageInstructions(member)) {
      if (inst.keyword == "CMD") return true;
    }
  }
  return false;
}

bool HasInnerComment(const Session& s, const parse::Instruction& inst) {
  return std::any_of(s.df().comments.begin(), s.df().comments.end(), [&](const parse::Comment& c) {
    return c.line > inst.start_line && c.line <= inst.end_line;
  });
}

void FixOne(Session& s, const parse::Instruction& inst) {
  bool broken = LooksLikeBrokenJson(inst);
  std::optional<std::vector<std::string>> words =
      broken ? LooseArray(inst.args_text) : SimpleWords(inst.args_text);
  if (!words) {
    s.Note("BW-DF-015", inst.start_line,
           broken ? "not fixed: the array is not a plain list of quoted strings"
                  : "not fixed: the command uses shell features (variables, operators, globs); "
                    "wrap it in a script and exec that");
    return;
  }
  if (!broken && inst.keyword == "ENTRYPOINT" && HasCmdInFinalChain(s)) {
    s.Note("BW-DF-015", inst.start_line,
           "not fixed: in exec form the ENTRYPOINT would receive the CMD as arguments; convert "
           "both by hand");
    return;
  }
  if (HasInnerComment(s, inst)) {
    s.Note("BW-DF-015", inst.start_line,
           "not fixed: comments inside the instruction would be lost");
    return;
  }
  size_t begin = inst.FileOffset(0);
  size_t end = ArgsEnd(inst, inst.args_text.size());
  Change change{"BW-DF-015",
                {{begin, end, JsonArray(*words), "BW-DF-015"}},
                0,
                inst.start_line,
                inst.end_line};
  change.resolves_problem = broken;
  s.Add(std::move(change));
}

}  // namespace

void FixExecForm(Session& s) {
  if (!s.Has("BW-DF-015")) return;
  for (const parse::Instruction& inst : s.df().instructions) {
    if (inst.keyword != "CMD" && inst.keyword != "ENTRYPOINT") continue;
    if (s.Removed(inst) || !s.HasAt("BW-DF-015", inst.begin_offset)) continue;
    FixOne(s, inst);
  }
}

}  // namespace bulwark::fix::dockerfile
