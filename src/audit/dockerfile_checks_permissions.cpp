// Checks on file modes set by RUN: world-writable files and directories
// (chmod 777, o+w) and setuid / setgid bits (chmod u+s, 4755), whether set by
// chmod, `mkdir -m`, `install -m` or `find -exec chmod`.
#include <algorithm>
#include <optional>
#include <set>

#include "audit/dockerfile_checks_context.hpp"

namespace bulwark::audit::dockerfile {
namespace {

using core::Severity;
using parse::ShellCommand;

bool IsOption(std::string_view arg) { return !arg.empty() && arg[0] == '-'; }

struct ModeBits {
  bool world_writable = false;
  bool sticky = false;
  bool setuid = false;
  bool setgid = false;
};

ModeBits OctalMode(std::string_view mode) {
  unsigned value = 0;
  for (char c : mode) value = value * 8 + static_cast<unsigned>(c - '0');
  ModeBits bits;
  bits.world_writable = (value & 02) != 0;
  bits.sticky = (value & 01000) != 0;
  bits.setgid = (value & 02000) != 0;
  bits.setuid = (value & 04000) != 0;
  return bits;
}

// "u+s,o+w", "a=rwx", "+t": only additions matter.
ModeBits SymbolicMode(std::string_view mode) {
  ModeBits bits;
  size_t pos = 0;
  while (pos <= mode.size()) {
    size_t comma = std::min(mode.find(',', pos), mode.size());
    std::string_view clause = mode.substr(pos, comma - pos);
    size_t who_end = clause.find_first_not_of("ugoa");
    std::string_view who = clause.substr(0, std::min(who_end, clause.size()));
    bool everyone = who.empty() || who.find('a') != std::string_view::npos;
    char op = 0;
    for (size_t i = who.size(); i < clause.size(); ++i) {
      char c = clause[i];
      if (c == '+' || c == '-' || c == '=') {
        op = c;
        continue;
      }
      if (op != '+' && op != '=') continue;
      // `+w` without a who respects the umask, which keeps others out.
      if (c == 'w' &&
          (who.find('o') != std::string_view::npos || who.find('a') != std::string_view::npos)) {
        bits.world_writable = true;
      }
      if (c == 's' && (everyone || who.find('u') != std::string_view::npos)) bits.setuid = true;
      if (c == 's' && (everyone || who.find('g') != std::string_view::npos)) bits.setgid = true;
      if (c == 't') bits.sticky = true;
    }
    pos = comma + 1;
  }
  return bits;
}

ModeBits AnalyzeMode(std::string_view mode) {
  if (!mode.empty() && mode.size() <= 5 &&
      std::all_of(mode.begin(), mode.end(), [](char c) { return c >= '0' && c <= '7'; })) {
    return OctalMode(mode);
  }
  return SymbolicMode(mode);
}

// A mode change found in a command: the word holding the mode, the mode
// itself and the paths it applies to.
struct ModeChange {
  const parse::ShellWord* word = nullptr;
  std::string mode;
  std::vector<std::string> targets;
  bool directories = false;  // mkdir, install -d: setgid only sets group inheritance
};

// `mkdir -m MODE DIR` and `install [-d] -m MODE ... PATH`.
std::optional<ModeChange> CreationMode(const CommandView& cmd) {
  static constexpr std::string_view kWithValue[] = {"-m", "--mode",   "-o", "--owner",
                                                    "-g", "--group",  "-t", "--target-directory",
                                                    "-S", "--suffix", "-Z", "--context"};
  ModeChange change;
  change.directories = cmd.program() == "mkdir" || cmd.HasArg("-d") || cmd.HasArg("--directory");
  for (size_t i = 1; i < cmd.size(); ++i) {
    std::string_view arg = cmd.arg(i);
    if (arg == "-m" || arg == "--mode") {
      change.word = &cmd.at(std::min(i + 1, cmd.size() - 1));
      change.mode = std::string(cmd.arg(i + 1));
    } else if (arg.substr(0, 7) == "--mode=") {
      change.word = &cmd.at(i);
      change.mode = std::string(arg.substr(7));
    }
    if (std::find(std::begin(kWithValue), std::end(kWithValue), arg) != std::end(kWithValue)) {
      ++i;
    } else if (!IsOption(arg)) {
      change.targets.emplace_back(arg);
    }
  }
  if (change.word == nullptr) return std::nullopt;
  return change;
}

// chmod MODE PATH..., mkdir/install -m MODE PATH..., find ... -exec chmod MODE {} ;
std::vector<ModeChange> ModeChanges(const CommandView& cmd) {
  std::vector<ModeChange> out;
  std::string_view program = cmd.program();
  if (program == "chmod") {
    static constexpr std::string_view kWithValue[] = {"--reference"};
    size_t m = cmd.FirstOperand(1, kWithValue);
    if (m >= cmd.size()) return out;
    ModeChange change{&cmd.at(m), std::string(cmd.arg(m)), {}, false};
    for (size_t i = m + 1; i < cmd.size(); ++i) change.targets.emplace_back(cmd.arg(i));
    out.push_back(std::move(change));
  } else if (program == "mkdir" || program == "install") {
    if (std::optional<ModeChange> change = CreationMode(cmd)) out.push_back(std::move(*change));
  } else if (program == "find") {
    for (size_t i = 1; i + 2 < cmd.size(); ++i) {
      if ((cmd.arg(i) != "-exec" && cmd.arg(i) != "-execdir") || cmd.arg(i + 1) != "chmod")
        continue;
      size_t m = i + 2;
      while (m < cmd.size() && IsOption(cmd.arg(m)) && cmd.arg(m).size() > 1 &&
             cmd.arg(m).find_first_of("+=") == std::string_view::npos) {
        ++m;
      }
      if (m < cmd.size()) {
        out.push_back(
            ModeChange{&cmd.at(m), std::string(cmd.arg(m)), {std::string(cmd.arg(1))}, false});
      }
    }
  }
  return out;
}

std::string Targets(const ModeChange& change) {
  if (change.targets.empty()) return "its targets";
  std::string out = Quote(change.targets[0]);
  if (change.targets.size() > 1)
    out += " and " + std::to_string(change.targets.size() - 1) + " more";
  return out;
}

// Directories created by mkdir in the script: setgid on them only makes new
// files inherit the group, which is a common and harmless pattern.
std::set<std::string> CreatedDirectories(const RunScript& run) {
  std::set<std::string> dirs;
  for (const ShellCommand& command : run.shell.commands) {
    CommandView cmd(command);
    if (cmd.program() != "mkdir") continue;
    for (size_t i = 1; i < cmd.size(); ++i) {
      if (!IsOption(cmd.arg(i))) dirs.emplace(cmd.arg(i));
    }
  }
  return dirs;
}

void ReportModeChange(const Context& ctx, const RunScript& run, const CommandView& cmd,
                      const ModeChange& change, const std::set<std::string>& created) {
  ModeBits bits = AnalyzeMode(change.mode);
  std::string shown = std::string(cmd.program()) + " " + change.mode;
  if (bits.world_writable && !bits.sticky) {
    ctx.Report("BW-DF-033", ctx.At(run, *change.word),
               shown + " makes " + Targets(change) + " writable by every user in the container");
  }
  bool dirs_only = change.directories ||
                   (!change.targets.empty() &&
                    std::all_of(change.targets.begin(), change.targets.end(),
                                [&](const std::string& t) { return created.count(t) > 0; }));
  if (bits.setuid || (bits.setgid && !dirs_only)) {
    ctx.Report(
        "BW-DF-034", ctx.At(run, *change.word),
        shown + " sets the " + (bits.setuid ? "setuid" : "setgid") + " bit on " + Targets(change));
  }
}

void CheckModes(const Context& ctx) {
  for (const RunScript& run : ctx.runs()) {
    if (!run.posix_shell) continue;
    std::set<std::string> created;
    bool created_known = false;
    for (const ShellCommand& command : run.shell.commands) {
      CommandView cmd(command);
      for (const ModeChange& change : ModeChanges(cmd)) {
        if (!created_known) {
          created = CreatedDirectories(run);
          created_known = true;
        }
        ReportModeChange(ctx, run, cmd, change, created);
      }
    }
  }
}

}  // namespace

std::vector<DockerfileCheck> PermissionChecks() {
  using core::Category;
  return {
      {{.id = "BW-DF-033",
        .title = "World-writable file or directory",
        .severity = Severity::kMedium,
        .category = Category::kDockerfile,
        .rationale = "Any process in the container, whatever its user, can replace a "
                     "world-writable program, config or library: a path from a compromised "
                     "low-privilege process to code that others run.",
        .remediation = "Give the directory to the user that needs it (`chown app:app`, `chmod "
                       "750`) instead of opening it to everyone; use 1777 only for shared temp "
                       "directories.",
        .references = {.attack = {"T1068"}, .nist = {"AC-3", "AC-6", "CM-6"}, .cwe = {"CWE-732"}}},
       &CheckModes},
      {{.id = "BW-DF-034",
        .title = "setuid or setgid bit set",
        .severity = Severity::kMedium,
        .category = Category::kDockerfile,
        .rationale = "setuid/setgid binaries run with their owner's privileges: each one is a "
                     "privilege-escalation path for a process that got in as a normal user.",
        .remediation = "Do not add setuid/setgid bits; grant a specific capability with setcap "
                       "if really needed, and strip existing ones with "
                       "`find / -perm /6000 -type f -exec chmod a-s {} +`.",
        .references =
            {.cis = {"4.8"}, .attack = {"T1068"}, .nist = {"AC-6", "CM-7"}, .cwe = {"CWE-250"}}},
       nullptr},
  };
}

}  // namespace bulwark::audit::dockerfile
