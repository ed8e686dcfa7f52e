// `bulwark triage TARGET`: static analysis of an unknown file, or of a
// live process (`PID` or `--pid N`: its facts, and its executable read
// through /proc/PID/exe), or of a container (`--container NAME [PATH]`: a
// file inside it, or every process in it). Nothing is ever executed. YARA:
// bulwark's rules (rules/yara/, compiled in) and any --yara-rules DIR.
// Steps: validate, pick the target, analyse, render, write, gate.
// Exit 0 whatever the verdict unless --fail-on / --exit-code trip, 2 usage
// error, 3 unreadable input (no such file, process or container; no daemon).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/report_flags.hpp"
#include "core/escape.hpp"
#include "respond/live_render.hpp"
#include "respond/live_triage.hpp"
#include "respond/triage.hpp"
#include "respond/triage_render.hpp"

namespace bulwark::cli {
namespace {

struct TriageFlags {
  std::string target;
  int pid = 0;
  std::string container;
  std::string format = "text";
  std::string output;
  std::vector<std::string> yara_rules;  // user rule directories
  bool no_yara = false;
  std::string fail_on;
  int exit_code = 1;
  bool exit_code_set = false;
};

// What the run produced: one rendered report and its verdict.
struct Rendered {
  std::string text;
  respond::Verdict verdict = respond::Verdict::kClean;
};

int Fail(const std::string& message, int code) {
  std::fprintf(stderr, "bulwark triage: %s\n", core::EscapeTerminal(message).c_str());
  return code;
}

int WriteOut(const std::string& text, const std::string& output) {
  if (output.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Fail("cannot write " + output, kExitUnreadable);
  return 0;
}

std::optional<respond::Verdict> ParseVerdict(const std::string& name) {
  for (auto v : {respond::Verdict::kUnknown, respond::Verdict::kSuspicious, respond::Verdict::kMalicious}) {
    if (name == respond::VerdictName(v)) return v;
  }
  return std::nullopt;
}

bool AllDigits(const std::string& s) {
  return !s.empty() && s.size() < 10 && s.find_first_not_of("0123456789") == std::string::npos;
}

// Usage errors, before anything is read. Empty when the flags make sense.
std::string Validate(TriageFlags& f) {
  if (f.format != "text" && f.format != "json" && f.format != "markdown") {
    return "unknown format '" + f.format + "' (use text, json or markdown)";
  }
  if (f.no_yara && !f.yara_rules.empty()) return "--yara-rules and --no-yara contradict each other";
  if (!f.yara_rules.empty() && !respond::YaraAvailable()) {
    return "this build has no libyara, so --yara-rules cannot be honoured (install libyara-dev and rebuild)";
  }
  if (!f.fail_on.empty() && !ParseVerdict(f.fail_on)) {
    return "unknown --fail-on verdict '" + f.fail_on + "' (use unknown, suspicious or malicious)";
  }
  if (f.pid != 0 && !f.container.empty()) return "--pid and --container name different targets: give one";
  if (f.pid != 0 && !f.target.empty()) return "--pid and a TARGET name different targets: give one";
  if (f.pid < 0) return "--pid must be positive";
  if (f.pid == 0 && f.container.empty() && f.target.empty()) return "give a FILE, a PID, --pid N or --container NAME";
  // A bare number names a process unless a file of that name is here.
  if (f.container.empty() && AllDigits(f.target)) {
    std::error_code ec;
    if (std::filesystem::exists(f.target, ec)) {
      return "'" + f.target + "' is both a file here and a PID: write ./" + f.target + " or --pid " + f.target;
    }
    f.pid = std::stoi(f.target);
    f.target.clear();
  }
  return "";
}

Rendered Render(const respond::TriageReport& r, const std::string& format) {
  if (format == "json") return {respond::TriageJson(r).dump(2) + "\n", r.assessment.verdict};
  if (format == "markdown") return {respond::TriageMarkdown(r), r.assessment.verdict};
  return {respond::TriageText(r), r.assessment.verdict};
}

Rendered Render(const respond::ContainerTriageReport& r, const std::string& format) {
  if (format == "json") return {respond::ContainerTriageJson(r).dump(2) + "\n", r.verdict};
  if (format == "markdown") return {respond::ContainerTriageMarkdown(r), r.verdict};
  return {respond::ContainerTriageText(r), r.verdict};
}

// Not-regular files are a usage error; everything else could not be read.
int ErrorExit(const core::Status& status, bool file_target) {
  bool usage = file_target && status.code() == core::ErrorCode::kInvalidArgument;
  return Fail(status.message(), usage ? kExitUsage : kExitUnreadable);
}

template <typename Report>
core::Result<Rendered> RenderResult(const core::Result<Report>& r, const std::string& format) {
  if (!r.ok()) return r.status();
  return Render(*r, format);
}

int RunTriage(TriageFlags flags) {
  if (std::string usage = Validate(flags); !usage.empty()) return Fail(usage, kExitUsage);
  respond::LiveTriageOptions options;
  options.triage.yara = !flags.no_yara;
  options.triage.yara_options.rule_dirs = flags.yara_rules;
  core::Result<Rendered> rendered = core::Error(core::ErrorCode::kInternal, "no target");
  bool file_target = false;
  if (!flags.container.empty() && !flags.target.empty()) {
    rendered = RenderResult(respond::TriageContainerFile(flags.container, flags.target, options), flags.format);
    file_target = true;
  } else if (!flags.container.empty()) {
    rendered = RenderResult(respond::TriageContainer(flags.container, options), flags.format);
  } else if (flags.pid > 0) {
    rendered = RenderResult(respond::TriagePid(flags.pid, options), flags.format);
  } else {
    rendered = RenderResult(respond::TriageFile(flags.target, options.triage), flags.format);
    file_target = true;
  }
  if (!rendered.ok()) return ErrorExit(rendered.status(), file_target);
  if (int code = WriteOut(rendered->text, flags.output); code != 0) return code;
  if (flags.fail_on.empty() && !flags.exit_code_set) return 0;
  respond::Verdict gate = flags.fail_on.empty() ? respond::Verdict::kSuspicious : *ParseVerdict(flags.fail_on);
  return rendered->verdict >= gate ? flags.exit_code : 0;
}

}  // namespace

void AddTriageCommand(CLI::App& app, CommandRunner& run) {
  auto flags = std::make_shared<TriageFlags>();
  CLI::App* cmd = app.add_subcommand(
      "triage",
      "Triage an unknown file, a live process (PID) or a container: hashes, type, ELF facts, strings and "
      "indicators, YARA matches; for a process also its parent chain, command line, executable (also when "
      "deleted), open files and sockets, memory maps and container. A verdict with ATT&CK techniques. "
      "Never executes anything.");
  cmd->add_option("target", flags->target,
                  "A file, a PID, or with --container a path inside the container (read, never executed)");
  cmd->add_option("--pid", flags->pid, "Triage this live process");
  cmd->add_option("--container", flags->container,
                  "Triage this container (name or ID): PATH inside it, or else every process in it");
  cmd->add_option("--format", flags->format, "text (default), json or markdown");
  cmd->add_option("-o,--output", flags->output, "Write the report there instead of stdout");
  cmd->add_option("--yara-rules", flags->yara_rules,
                  "Also run every *.yar/*.yara file in this directory (repeatable; bulwark's own rules always run)");
  cmd->add_flag("--no-yara", flags->no_yara, "Run no YARA rules at all");
  cmd->add_option("--fail-on", flags->fail_on,
                  "Verdict that trips --exit-code: unknown, suspicious or malicious (default exit code 1)");
  cmd->add_option_function<int>(
      "--exit-code", [flags](int code) { flags->exit_code = code; flags->exit_code_set = true; },
      "Exit with N when the verdict is at or above --fail-on (default: suspicious)");
  cmd->callback([&run, flags] { run = [flags] { return RunTriage(*flags); }; });
}

}  // namespace bulwark::cli
