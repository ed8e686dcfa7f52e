// Fixes inside RUN scripts: sudo removed (BW-DF-032), a lone package-index
// update moved into the RUN that installs (045), pipefail turned on the way
// the image's shell supports it (039). Also the script-editing helpers the
// package fixes share: where a word of a RUN script is in the file, how to
// add arguments after it (JSON elements in exec form) and how to append a
// command to a script.
#include <algorithm>

#include "fix/dockerfile_fixer_internal.hpp"

namespace bulwark::fix::dockerfile {
namespace {

using Origin = RunScript::Origin;

bool OneOf(std::string_view word, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

bool IsBlankText(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Index after sudo's options, or 0 when an option changes who runs the
// command (or starts a shell) and removing sudo would change more than the
// privilege escalation.
size_t SudoEnd(const std::vector<parse::ShellWord>& words, size_t sudo) {
  size_t j = sudo + 1;
  while (j < words.size() && words[j].text.size() > 1 && words[j].text[0] == '-') {
    const std::string& opt = words[j].text;
    if (opt == "--") return j + 1;
    bool harmless = OneOf(opt, {"-E", "-H", "-n", "-k", "-S", "-P", "-EH", "-HE", "--set-home",
                                "--non-interactive", "--preserve-env", "--reset-timestamp"}) ||
                    opt.substr(0, 15) == "--preserve-env=";
    if (!harmless) return 0;
    ++j;
  }
  return j;
}

void FixSudoIn(Session& s, const RunScript& run) {
  for (const parse::ShellCommand& command : run.shell.commands) {
    CommandView view(command);
    for (size_t i = 0; i < view.start() && i < command.words.size(); ++i) {
      if (parse::CommandName(command.words[i].text) != "sudo") continue;
      const parse::Instruction& inst = *run.instruction;
      size_t begin = WordBegin(run, command.words[i]);
      if (!s.HasAt("BW-DF-032", begin)) break;
      size_t next = SudoEnd(command.words, i);
      if (next == 0 || next >= command.words.size()) {
        s.Note("BW-DF-032", inst.start_line,
               "not fixed: this sudo changes the user or runs a shell; rewrite it by hand");
        break;
      }
      std::optional<std::string> user = UserBefore(s, run.stage, inst.begin_offset);
      if (run.onbuild || !user || (!user->empty() && !IsRootUser(*user))) {
        s.Note("BW-DF-032", inst.start_line,
               "not fixed: this RUN may not run as root; move it before the USER instruction "
               "and drop sudo by hand");
        break;
      }
      size_t end = WordBegin(run, command.words[next]);
      if (!ScriptEditable(run) || !OnOneLine(s, begin, end)) {
        s.Note("BW-DF-032", inst.start_line, "not fixed: sudo is not on one line with its command");
        break;
      }
      s.Add(
          Change{"BW-DF-032", {{begin, end, "", "BW-DF-032"}}, 0, inst.start_line, inst.end_line});
      break;
    }
  }
}

bool IsIndexUpdate(const CommandView& cmd) {
  std::optional<audit::dockerfile::PackageCommand> pkg =
      audit::dockerfile::ParsePackageCommand(cmd);
  if (!pkg || pkg->subcommand != "update") return false;
  using audit::dockerfile::PackageManager;
  return pkg->manager == PackageManager::kAptGet || pkg->manager == PackageManager::kApt ||
         pkg->manager == PackageManager::kApk;
}

// "apt" for apt-get and apt, "apk" for apk; empty for other commands.
std::string Family(const CommandView& cmd) {
  std::string_view program = cmd.program();
  if (program == "apt-get" || program == "apt") return "apt";
  if (program == "apk") return "apk";
  return "";
}

// The install command of `family` in a later RUN of the stage that the
// update can be put in front of; `has_update` when that RUN updates already.
struct Target {
  const RunScript* run = nullptr;
  const parse::ShellCommand* command = nullptr;
  bool has_update = false;
};

Target FindInstall(const Session& s, const parse::Instruction& lone, const std::string& family) {
  for (const RunScript& run : s.ctx().runs()) {
    if (run.stage != lone.stage_index || run.onbuild || !run.posix_shell ||
        run.instruction->begin_offset <= lone.begin_offset) {
      continue;
    }
    Target target{&run, nullptr, false};
    const auto& commands = run.shell.commands;
    for (size_t i = 0; i < commands.size(); ++i) {
      CommandView cmd(commands[i]);
      if (Family(cmd) != family) continue;
      if (IsIndexUpdate(cmd)) target.has_update = true;
      std::optional<audit::dockerfile::PackageCommand> pkg =
          audit::dockerfile::ParsePackageCommand(cmd);
      if (!pkg || !audit::dockerfile::IsInstall(*pkg)) continue;
      bool piped = i > 0 && commands[i - 1].next == parse::ShellOperator::kPipe;
      if (commands[i].depth != 0 || piped || run.origin != Origin::kArguments) return Target{};
      target.command = &commands[i];
      return target;
    }
  }
  return Target{};
}

void FixLoneUpdateIn(Session& s, const parse::Instruction& inst) {
  std::vector<const RunScript*> scripts = ScriptsOf(s, inst);
  if (scripts.size() != 1 || scripts[0]->origin != Origin::kArguments || !inst.flags.empty() ||
      scripts[0]->shell.commands.size() != 1) {
    s.Note("BW-DF-045", inst.start_line,
           "not fixed: this RUN does more than the update; move the update by hand");
    return;
  }
  const RunScript& run = *scripts[0];
  CommandView update(run.shell.commands[0]);
  if (!IsIndexUpdate(update) || update.start() != 0 || !run.shell.commands[0].assignments.empty()) {
    return;
  }
  Target target = FindInstall(s, inst, Family(update));
  if (target.run == nullptr || (target.command == nullptr && !target.has_update)) {
    s.Note("BW-DF-045", inst.start_line,
           "not fixed: no later RUN of this stage installs packages with it; remove the update "
           "or add the install to this RUN");
    return;
  }
  Change change{"BW-DF-045",
                {RemoveInstruction(s, inst, "BW-DF-045")},
                -1,
                inst.start_line,
                target.run->instruction->end_line};
  if (!target.has_update) {
    // The update as written up to its last word (not a comment after it),
    // apt spelled apt-get (BW-DF-043).
    const parse::ShellCommand& command = run.shell.commands[0];
    const parse::ShellWord& program = update.at(0);
    size_t end = command.words.back().end;
    for (const parse::ShellWord& r : command.redirects) end = std::max(end, r.end);
    std::string text = update.program() == "apt"
                           ? "apt-get"
                           : run.text.substr(program.offset, program.end - program.offset);
    text += run.text.substr(program.end, end - program.end);
    size_t at = target.run->FileOffset(target.command->offset);
    change.edits.push_back({at, at, text + " && ", "BW-DF-045"});
  }
  s.MarkRemoved(inst);
  s.Add(std::move(change));
}

// A pipe consumer that may exit before reading everything: with pipefail the
// producer's SIGPIPE would fail the build.
bool StopsEarly(const CommandView& cmd) {
  std::string_view program = cmd.program();
  if (program == "head") return true;
  if (program != "grep" && program != "egrep" && program != "fgrep") return false;
  for (size_t i = 1; i < cmd.size(); ++i) {
    std::string_view arg = cmd.arg(i);
    if (arg.size() > 1 && arg[0] == '-' && arg[1] != '-' &&
        arg.find_first_of("qml") != std::string_view::npos) {
      return true;
    }
    if (OneOf(arg, {"--quiet", "--silent", "--files-with-matches"}) ||
        arg.substr(0, 11) == "--max-count") {
      return true;
    }
  }
  return false;
}

bool HasEarlyStop(const RunScript& run) {
  const auto& commands = run.shell.commands;
  for (size_t i = 0; i < commands.size(); ++i) {
    const parse::ShellCommand* next = audit::dockerfile::NextInPipeline(run.shell, i);
    if (next != nullptr && StopsEarly(CommandView(*next))) return true;
  }
  return false;
}

// Shells whose `set -o pipefail` works: bash and friends, busybox ash, and
// /bin/sh where it is one of them (Alpine, RHEL family).
bool ShellHasPipefail(const Session& s, int stage, Distro distro) {
  const std::vector<std::string>& shell = s.ctx().stage(stage).shell;
  std::string_view program = shell.empty() ? "sh" : parse::CommandName(shell[0]);
  if (OneOf(program, {"bash", "zsh", "ksh", "mksh", "ash", "busybox"})) return true;
  return program == "sh" &&
         (distro == Distro::kAlpine || distro == Distro::kRhel || distro == Distro::kRhelMinimal);
}

// Debian's /bin/sh (dash) has no pipefail: switch the stage to bash from
// this RUN on, once per stage, unless a later pipe could stop early.
void ShellForStage(Session& s, const parse::Instruction& inst, std::set<int>& done) {
  if (!done.insert(inst.stage_index).second) return;
  for (const RunScript& run : s.ctx().runs()) {
    std::vector<int> chain = StageChain(s.df(), run.stage);
    bool affected =
        std::find(chain.begin(), chain.end(), inst.stage_index) != chain.end() &&
        (run.stage != inst.stage_index || run.instruction->begin_offset >= inst.begin_offset);
    if (affected && !run.onbuild && HasEarlyStop(run)) {
      s.Note("BW-DF-039", inst.start_line,
             "not fixed: with pipefail, a pipe into head or grep -q in this stage could fail the "
             "build; add pipefail by hand where it is safe");
      return;
    }
  }
  std::string line = IndentOf(s, inst) + KeywordLike(inst, "SHELL") +
                     " [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]";
  s.Add(Change{"BW-DF-039",
               {InsertLines(s, inst.start_line - 1, {line}, "BW-DF-039")},
               1,
               inst.start_line,
               inst.end_line});
}

void FixPipefailIn(Session& s, const RunScript& run, std::set<int>& shell_done) {
  const parse::Instruction& inst = *run.instruction;
  Distro distro = FactsOf(s, run.stage).distro;
  if (!ShellHasPipefail(s, run.stage, distro)) {
    if (distro == Distro::kDebian && !run.onbuild) {
      ShellForStage(s, inst, shell_done);
    } else {
      s.Note("BW-DF-039", inst.start_line,
             "not fixed: the image's /bin/sh may not support pipefail; use SHELL [\"/bin/bash\", "
             "\"-o\", \"pipefail\", \"-c\"] if it has bash");
    }
    return;
  }
  if (run.origin != Origin::kArguments || HasEarlyStop(run)) {
    s.Note("BW-DF-039", inst.start_line,
           "not fixed: the pipe is in a heredoc or exec form, or feeds head / grep -q; add "
           "pipefail by hand");
    return;
  }
  size_t at = inst.FileOffset(0);
  s.Add(Change{"BW-DF-039",
               {{at, at, "set -o pipefail && ", "BW-DF-039"}},
               0,
               inst.start_line,
               inst.end_line});
}

}  // namespace

size_t WordBegin(const RunScript& run, const parse::ShellWord& word) {
  return run.FileOffset(word.offset);
}

size_t WordEnd(const RunScript& run, const parse::ShellWord& word) {
  return word.end > word.offset ? run.FileOffset(word.end - 1) + 1 : WordBegin(run, word);
}

bool ScriptEditable(const RunScript& run) {
  if (run.origin != Origin::kExecString) return true;
  const std::vector<parse::Word>& args = run.instruction->args;
  return args.size() >= 3 && args[2].raw.size() == args[2].value.size() + 2;
}

std::optional<TextEdit> InsertArgsAfter(const RunScript& run, const parse::ShellWord& word,
                                        std::string_view args, std::string check_id) {
  if (!ScriptEditable(run)) return std::nullopt;
  size_t at = WordEnd(run, word);
  std::string text;
  if (run.origin == Origin::kExecWords) {
    size_t pos = 0;
    while (pos < args.size()) {
      size_t space = std::min(args.find(' ', pos), args.size());
      text += ", " + JsonString(args.substr(pos, space - pos));
      pos = space + 1;
    }
  } else {
    text = " " + std::string(args);
  }
  return TextEdit{at, at, text, std::move(check_id)};
}

std::optional<TextEdit> AppendCommand(const Session& s, const RunScript& run,
                                      std::string_view command, std::string check_id) {
  if (run.origin != Origin::kArguments && run.origin != Origin::kHeredoc) return std::nullopt;
  const parse::ShellCommand* last = nullptr;
  for (const parse::ShellCommand& cmd : run.shell.commands) {
    if (cmd.depth == 0) last = &cmd;
  }
  if (last == nullptr || last->words.empty()) return std::nullopt;
  const parse::ShellWord* end_word = &last->words.back();
  for (const parse::ShellWord& r : last->redirects) {
    if (r.end > end_word->end) end_word = &r;
  }
  // Only blanks, a comment or a final ';' may follow: anything else is the
  // end of a compound statement the command must not be appended inside.
  std::string_view rest =
      std::string_view(run.text).substr(std::min(end_word->end, run.text.size()));
  size_t lead = rest.find_first_not_of(" \t");
  if (lead != std::string_view::npos && rest[lead] == ';') rest = rest.substr(lead + 1);
  lead = rest.find_first_not_of(" \t");
  if (lead != std::string_view::npos && rest[lead] != '#' && !IsBlankText(rest))
    return std::nullopt;
  size_t at = WordEnd(run, *end_word);
  (void)s;
  return TextEdit{at, at, " && " + std::string(command), std::move(check_id)};
}

std::vector<const RunScript*> ScriptsOf(const Session& s, const parse::Instruction& inst) {
  std::vector<const RunScript*> out;
  for (const RunScript& run : s.ctx().runs()) {
    if (run.instruction == &inst) out.push_back(&run);
  }
  return out;
}

void FixSudo(Session& s) {
  if (!s.Has("BW-DF-032")) return;
  for (const RunScript& run : s.ctx().runs()) {
    if (run.posix_shell) FixSudoIn(s, run);
  }
}

void FixLoneUpdate(Session& s) {
  if (!s.Has("BW-DF-045")) return;
  for (const parse::Instruction& inst : s.df().instructions) {
    if (inst.keyword == "RUN" && s.HasIn("BW-DF-045", inst)) FixLoneUpdateIn(s, inst);
  }
}

void FixPipefail(Session& s) {
  if (!s.Has("BW-DF-039")) return;
  std::set<int> shell_done;
  for (const RunScript& run : s.ctx().runs()) {
    if (!run.posix_shell || run.shell_pipefail) continue;
    for (const parse::ShellCommand& command : run.shell.commands) {
      CommandView view(command);
      if (command.depth != 0 || view.empty()) continue;
      if (!s.HasAt("BW-DF-039", WordBegin(run, view.at(0)))) continue;
      FixPipefailIn(s, run, shell_done);
      break;
    }
  }
}

}  // namespace bulwark::fix::dockerfile
