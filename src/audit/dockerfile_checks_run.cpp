// Checks on RUN commands: remote scripts piped into a shell, sudo, cd
// instead of WORKDIR, pipes without pipefail.
#include <algorithm>

#include "audit/dockerfile_checks_context.hpp"

namespace bulwark::audit::dockerfile {
namespace {

using core::Severity;
using parse::ShellCommand;
using parse::ShellOperator;

bool IsDownloader(std::string_view program) {
  return program == "curl" || program == "wget" || program == "fetch";
}

bool IsInterpreter(std::string_view program) {
  static constexpr std::string_view kOthers[] = {"perl", "ruby", "node", "nodejs", "php", "pwsh"};
  return IsPosixShell(program) || program.substr(0, 6) == "python" ||
         std::find(std::begin(kOthers), std::end(kOthers), program) != std::end(kOthers);
}

// `python -c code`, `sh -c cmd`, `python -m json.tool`: stdin is data, not code.
bool RunsInlineCode(const CommandView& cmd) {
  for (size_t i = 1; i < cmd.size(); ++i) {
    std::string_view arg = cmd.arg(i);
    if (arg.size() < 2 || arg[0] != '-' || arg[1] == '-') continue;
    if (arg == "-s") return false;
    if (arg.find_first_of("cem") != std::string_view::npos) return true;
  }
  return false;
}

std::string FirstUrl(const CommandView& cmd) {
  for (size_t i = 1; i < cmd.size(); ++i) {
    std::string_view arg = cmd.arg(i);
    if (arg.find("://") != std::string_view::npos) return std::string(arg);
  }
  return "";
}

std::string DownloadLabel(const CommandView& download) {
  std::string url = FirstUrl(download);
  return std::string(download.program()) + (url.empty() ? "" : " " + Quote(url, 80));
}

// curl ... | sh (through any number of pipes).
void CheckPipedDownloads(const Context& ctx, const RunScript& run) {
  const auto& commands = run.shell.commands;
  for (size_t i = 0; i < commands.size(); ++i) {
    CommandView download(commands[i]);
    if (commands[i].next != ShellOperator::kPipe || !IsDownloader(download.program())) continue;
    size_t j = i;
    for (const ShellCommand* next = NextInPipeline(run.shell, j); next != nullptr;
         next = NextInPipeline(run.shell, j)) {
      j = static_cast<size_t>(next - commands.data());
      CommandView target(*next);
      if (!IsInterpreter(target.program()) || RunsInlineCode(target)) continue;
      ctx.Report("BW-DF-031", ctx.At(run, download.at(0)),
                 "RUN pipes " + DownloadLabel(download) + " into " + std::string(target.program()) +
                     ": whatever the server returns is executed, unverified");
      break;
    }
  }
}

// bash -c "$(curl ...)", sh <(wget -O- ...), eval "$(curl ...)".
void CheckSubstitutedDownloads(const Context& ctx, const RunScript& run) {
  const auto& commands = run.shell.commands;
  for (const ShellCommand& command : commands) {
    CommandView runner(command);
    std::string_view program = runner.program();
    if (!IsInterpreter(program) && program != "eval" && program != "source" && program != ".") {
      continue;
    }
    for (size_t w = 1; w < runner.size(); ++w) {
      const parse::ShellWord& word = runner.at(w);
      auto inside = std::find_if(commands.begin(), commands.end(), [&](const ShellCommand& c) {
        return c.depth > command.depth && c.offset >= word.offset && c.offset < word.end &&
               IsDownloader(CommandView(c).program());
      });
      if (inside == commands.end()) continue;
      ctx.Report("BW-DF-031", ctx.At(run, runner.at(0)),
                 "RUN runs the output of " + DownloadLabel(CommandView(*inside)) + " with " +
                     std::string(program) +
                     ": whatever the server returns is executed, unverified");
      break;
    }
  }
}

void CheckRemoteScripts(const Context& ctx) {
  for (const RunScript& run : ctx.runs()) {
    if (!run.posix_shell) continue;
    CheckPipedDownloads(ctx, run);
    CheckSubstitutedDownloads(ctx, run);
  }
}

void CheckSudo(const Context& ctx) {
  for (const RunScript& run : ctx.runs()) {
    if (!run.posix_shell) continue;
    for (const ShellCommand& command : run.shell.commands) {
      CommandView view(command);
      for (size_t i = 0; i < view.start() && i < command.words.size(); ++i) {
        if (parse::CommandName(command.words[i].text) != "sudo") continue;
        std::string shown = view.empty() ? "sudo" : "sudo " + std::string(view.program());
        ctx.Report("BW-DF-032", ctx.At(run, command.words[i]),
                   "RUN uses " + shown +
                       ": build steps already run as the current USER; sudo "
                       "adds a setuid binary and unpredictable TTY/env handling");
        break;
      }
    }
  }
}

bool OnlyCd(const RunScript& run) {
  bool any = false;
  for (const ShellCommand& command : run.shell.commands) {
    if (command.depth != 0) continue;
    std::string_view program = CommandView(command).program();
    if (program != "cd" && program != "true" && program != ":") return false;
    any = any || program == "cd";
  }
  return any;
}

void CheckRunCd(const Context& ctx) {
  for (const RunScript& run : ctx.runs()) {
    if (!run.posix_shell || run.shell.commands.empty()) continue;
    const ShellCommand& first = run.shell.commands.front();
    CommandView cd(first);
    if (cd.program() != "cd" || first.depth != 0) continue;
    if (OnlyCd(run)) {
      ctx.Report("BW-DF-038", Severity::kLow, ctx.At(run, cd.at(0)),
                 "RUN " + std::string(cd.program()) + " " + std::string(cd.arg(1)) +
                     " has no effect on later instructions; use WORKDIR");
    } else if (cd.arg(1).substr(0, 1) == "/" &&
               (first.next == ShellOperator::kAnd || first.next == ShellOperator::kSemicolon)) {
      ctx.Report("BW-DF-038", ctx.At(run, cd.at(0)),
                 "RUN starts with cd " + std::string(cd.arg(1)) + "; WORKDIR " +
                     std::string(cd.arg(1)) + " states the directory explicitly");
    }
  }
}

bool SetsPipefail(const CommandView& cmd) {
  return cmd.program() == "set" && cmd.HasArgPrefix("pipefail");
}

// Producers that cannot fail in a way pipefail would reveal.
bool IsHarmlessProducer(std::string_view program) {
  return program == "echo" || program == "printf" || program == "yes" || program == "true";
}

void CheckPipefail(const Context& ctx) {
  for (const RunScript& run : ctx.runs()) {
    if (!run.posix_shell || run.shell_pipefail) continue;
    const auto& commands = run.shell.commands;
    for (size_t i = 0; i < commands.size(); ++i) {
      const ShellCommand& command = commands[i];
      if (command.depth != 0) continue;
      CommandView view(command);
      if (SetsPipefail(view)) break;
      if (view.empty() || command.next != ShellOperator::kPipe ||
          IsHarmlessProducer(view.program())) {
        continue;
      }
      ctx.Report("BW-DF-039", ctx.At(run, view.at(0)),
                 "RUN pipes the output of " + std::string(view.program()) +
                     " without `set -o pipefail`: if it fails, the build goes on with partial "
                     "input");
      break;
    }
  }
}

}  // namespace

std::vector<DockerfileCheck> RunChecks() {
  using core::Category;
  return {
      {{.id = "BW-DF-031",
        .title = "Remote script piped into a shell",
        .severity = Severity::kHigh,
        .category = Category::kDockerfile,
        .rationale = "`curl ... | sh` runs whatever the server (or anyone in the path) returns, "
                     "with no integrity check, as the build user — often root.",
        .remediation = "Download to a file, verify its checksum or signature "
                       "(`sha256sum -c`), then run it; better, install from a signed package.",
        .references = {.attack = {"T1204.003"},
                       .nist = {"SI-7", "SR-4", "SR-11"},
                       .cwe = {"CWE-494"}}},
       &CheckRemoteScripts},
      {{.id = "BW-DF-032",
        .title = "sudo used in RUN",
        .severity = Severity::kMedium,
        .category = Category::kDockerfile,
        .rationale =
            "sudo needs a setuid binary and a sudoers policy in the image, and behaves "
            "unpredictably without a TTY; it usually means the image keeps a path to root.",
        .remediation = "Run privileged steps before `USER`, and drop privileges with USER (or "
                       "gosu / su-exec in entrypoints).",
        .references = {.nist = {"AC-6", "CM-7"}, .cwe = {"CWE-250"}},
        .fixable = true,
        .peers = {"hadolint DL3004", "trivy DS010", "checkov CKV2_DOCKER_1"}},
       &CheckSudo},
      {{.id = "BW-DF-038",
        .title = "cd used instead of WORKDIR",
        .severity = Severity::kInfo,
        .category = Category::kDockerfile,
        .rationale = "A `cd` only lasts for its RUN; relying on it for later steps is a common "
                     "source of files landing in the wrong place.",
        .remediation = "Use `WORKDIR /path` to change directory for later instructions.",
        .references = {.nist = {"CM-6"}},
        .peers = {"hadolint DL3003", "trivy DS013"}},
       &CheckRunCd},
      {{.id = "BW-DF-039",
        .title = "Pipe in RUN without pipefail",
        .severity = Severity::kLow,
        .category = Category::kDockerfile,
        .rationale = "A shell pipeline's status is its last command's: a failed download piped "
                     "into tar or sh lets the build continue with partial or empty input.",
        .remediation = "Use `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` or start the RUN "
                       "with `set -o pipefail &&`.",
        .references = {.nist = {"SI-7"}, .cwe = {"CWE-754"}},
        .fixable = true,
        .peers = {"hadolint DL4006"}},
       &CheckPipefail},
  };
}

}  // namespace bulwark::audit::dockerfile
