// Package-manager hygiene in RUN: apt spelled apt-get (BW-DF-043), -y added
// where an install could prompt (046), --no-install-recommends (047), apt
// lists removed in the same RUN (049), apk add --no-cache (050), the RPM
// cache cleaned (051) and pip install --no-cache-dir (052). The fixes of one
// command are separate insertions at distinct places or in a fixed order at
// the same place, so they never overlap.
#include <algorithm>

#include "fix/dockerfile_fixer_internal.hpp"

namespace bulwark::fix::dockerfile {
namespace {

using audit::dockerfile::PackageCommand;
using audit::dockerfile::PackageManager;
using audit::dockerfile::RunPackages;

bool OneOf(std::string_view word, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

bool IsApt(const PackageCommand& pkg) {
  return pkg.manager == PackageManager::kAptGet || pkg.manager == PackageManager::kApt;
}

struct Command {
  const RunScript* script = nullptr;
  CommandView view;
  PackageCommand pkg;
};

std::vector<Command> CommandsOf(const RunPackages& run) {
  std::vector<Command> out;
  for (const RunScript* script : run.scripts) {
    for (const parse::ShellCommand& command : script->shell.commands) {
      CommandView view(command);
      if (std::optional<PackageCommand> pkg = audit::dockerfile::ParsePackageCommand(view)) {
        out.push_back(Command{script, view, *pkg});
      }
    }
  }
  return out;
}

Change Single(std::string_view id, const parse::Instruction& inst, TextEdit edit) {
  return Change{std::string(id), {std::move(edit)}, 0, inst.start_line, inst.end_line};
}

// Inserts `args` after the subcommand of `c`; a note when the script cannot
// be edited in place.
void AddAfterSubcommand(Session& s, const Command& c, std::string_view id, std::string_view args) {
  const parse::Instruction& inst = *c.script->instruction;
  std::optional<TextEdit> edit =
      InsertArgsAfter(*c.script, c.view.at(c.pkg.subcommand_index), args, std::string(id));
  if (!edit) {
    s.Note(id, inst.start_line, "not fixed: the RUN's JSON string has escapes; edit it by hand");
    return;
  }
  s.Add(Single(id, inst, std::move(*edit)));
}

void FixApt(Session& s, const Command& c) {
  const parse::Instruction& inst = *c.script->instruction;
  std::string_view sub = c.pkg.subcommand;
  std::string tool;
  if (OneOf(sub, {"install", "remove", "purge", "update", "upgrade", "dist-upgrade", "autoremove",
                  "autoclean", "clean", "build-dep", "source", "download"})) {
    tool = "apt-get";
  } else if (OneOf(sub,
                   {"search", "show", "policy", "depends", "rdepends", "showpkg", "showsrc"})) {
    tool = "apt-cache";
  } else {
    s.Note("BW-DF-043", inst.start_line,
           "not fixed: `apt " + std::string(sub) + "` has no apt-get equivalent of the same name");
    return;
  }
  const parse::ShellWord& word = c.view.at(0);
  size_t end = WordEnd(*c.script, word);
  if (c.script->origin == RunScript::Origin::kExecWords) --end;  // before the closing quote
  if (!ScriptEditable(*c.script) || end < 3 || s.text().substr(end - 3, 3) != "apt") {
    s.Note("BW-DF-043", inst.start_line, "not fixed: apt is quoted or escaped here");
    return;
  }
  s.Add(Single("BW-DF-043", inst, {end - 3, end, tool, "BW-DF-043"}));
}

void FixCommand(Session& s, const Command& c) {
  size_t at = WordBegin(*c.script, c.view.at(0));
  if (s.Removed(*c.script->instruction)) return;
  if (c.pkg.manager == PackageManager::kApt && s.HasAt("BW-DF-043", at)) FixApt(s, c);
  if (s.HasAt("BW-DF-046", at)) AddAfterSubcommand(s, c, "BW-DF-046", "-y");
  if (s.HasAt("BW-DF-047", at)) AddAfterSubcommand(s, c, "BW-DF-047", "--no-install-recommends");
}

// Adds `option` after the subcommand of every command of the RUN that
// `wants` it, as one change (the check reports the RUN once).
template <typename Pred>
void AddToAll(Session& s, const RunPackages& run, const std::vector<Command>& commands,
              std::string_view id, std::string_view option, Pred wants) {
  const parse::Instruction& inst = *run.instruction;
  Change change{std::string(id), {}, 0, inst.start_line, inst.end_line};
  for (const Command& c : commands) {
    if (!wants(c)) continue;
    std::optional<TextEdit> edit =
        InsertArgsAfter(*c.script, c.view.at(c.pkg.subcommand_index), option, std::string(id));
    if (!edit) {
      s.Note(id, inst.start_line, "not fixed: the RUN's JSON string has escapes; edit it by hand");
      return;
    }
    change.edits.push_back(std::move(*edit));
  }
  if (!change.edits.empty()) s.Add(std::move(change));
}

// Appends a clean-up command to the script of the last matching command.
template <typename Pred>
void AppendAfter(Session& s, const std::vector<Command>& commands, std::string_view id,
                 const std::string& cleanup, Pred matches) {
  auto last = std::find_if(commands.rbegin(), commands.rend(), matches);
  if (last == commands.rend()) return;
  const parse::Instruction& inst = *last->script->instruction;
  std::optional<TextEdit> edit = AppendCommand(s, *last->script, cleanup, std::string(id));
  if (!edit) {
    s.Note(id, inst.start_line,
           "not fixed: the RUN is in exec form or does not end with a plain command; add `" +
               cleanup + "` by hand");
    return;
  }
  s.Add(Single(id, inst, std::move(*edit)));
}

bool HasOption(const Command& c, std::string_view name) {
  return audit::dockerfile::HasOption(c.view, c.pkg, name);
}

void FixRun(Session& s, const RunPackages& run) {
  if (s.Removed(*run.instruction)) return;
  std::vector<Command> commands = CommandsOf(run);
  for (const Command& c : commands) FixCommand(s, c);
  const parse::Instruction& inst = *run.instruction;
  if (s.HasIn("BW-DF-049", inst)) {
    AppendAfter(s, commands, "BW-DF-049", "rm -rf /var/lib/apt/lists/*", [](const Command& c) {
      return IsApt(c.pkg) && audit::dockerfile::IsInstall(c.pkg);
    });
  }
  if (s.HasIn("BW-DF-050", inst)) {
    AddToAll(s, run, commands, "BW-DF-050", "--no-cache", [](const Command& c) {
      return c.pkg.manager == PackageManager::kApk && c.pkg.subcommand == "add" &&
             !HasOption(c, "--no-cache");
    });
  }
  if (s.HasIn("BW-DF-051", inst)) {
    auto rpm_install = [](const Command& c) {
      return OneOf(c.pkg.tool, {"yum", "dnf", "dnf5", "tdnf", "microdnf", "zypper"}) &&
             audit::dockerfile::IsInstall(c.pkg);
    };
    auto last = std::find_if(commands.rbegin(), commands.rend(), rpm_install);
    if (last != commands.rend()) {
      std::string tool(last->pkg.tool);
      AppendAfter(s, commands, "BW-DF-051",
                  tool == "zypper" ? "zypper clean --all" : tool + " clean all", rpm_install);
    }
  }
  if (s.HasIn("BW-DF-052", inst)) {
    AddToAll(s, run, commands, "BW-DF-052", "--no-cache-dir", [](const Command& c) {
      return c.pkg.manager == PackageManager::kPip && c.pkg.subcommand == "install" &&
             !HasOption(c, "--no-cache-dir");
    });
  }
}

}  // namespace

void FixPackages(Session& s) {
  bool any = false;
  for (std::string_view id : {"BW-DF-043", "BW-DF-046", "BW-DF-047", "BW-DF-049", "BW-DF-050",
                              "BW-DF-051", "BW-DF-052"}) {
    any = any || s.Has(id);
  }
  if (!any) return;
  for (const RunPackages& run : audit::dockerfile::GroupRuns(s.ctx())) FixRun(s, run);
}

}  // namespace bulwark::fix::dockerfile
