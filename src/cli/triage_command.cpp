// `bulwark triage FILE [--format text|json|markdown] [--output FILE]`:
// static analysis of an unknown file (hashes, type, ELF facts, strings and
// indicators, a verdict with reasons and ATT&CK techniques). The file is
// never executed. YARA: bulwark's rules (rules/yara/, compiled in) and any
// --yara-rules DIR. Steps: read (bounded), analyse, render, write.
// Exit 0 whatever the verdict, 2 usage error, 3 unreadable input.
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/report_flags.hpp"
#include "core/escape.hpp"
#include "respond/triage.hpp"
#include "respond/triage_render.hpp"

namespace bulwark::cli {
namespace {

struct TriageFlags {
  std::string target;
  std::string format = "text";
  std::string output;
  std::vector<std::string> yara_rules;  // user rule directories
  bool no_yara = false;
};

int WriteOut(const std::string& text, const std::string& output) {
  if (output.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::fprintf(stderr, "bulwark triage: cannot write %s\n", core::EscapeTerminal(output).c_str());
    return kExitUnreadable;
  }
  return 0;
}

int RunTriage(const TriageFlags& flags) {
  if (flags.format != "text" && flags.format != "json" && flags.format != "markdown") {
    std::fprintf(stderr, "bulwark triage: unknown format '%s' (use text, json or markdown)\n",
                 core::EscapeTerminal(flags.format).c_str());
    return kExitUsage;
  }
  if (flags.no_yara && !flags.yara_rules.empty()) {
    std::fprintf(stderr, "bulwark triage: --yara-rules and --no-yara contradict each other\n");
    return kExitUsage;
  }
  if (!flags.yara_rules.empty() && !respond::YaraAvailable()) {
    std::fprintf(stderr, "bulwark triage: this build has no libyara, so --yara-rules cannot be honoured "
                         "(install libyara-dev and rebuild)\n");
    return kExitUsage;
  }
  respond::TriageOptions options;
  options.yara = !flags.no_yara;
  options.yara_options.rule_dirs = flags.yara_rules;
  auto report = respond::TriageFile(flags.target, options);
  if (!report.ok()) {
    std::fprintf(stderr, "bulwark triage: %s\n",
                 core::EscapeTerminal(report.status().message()).c_str());
    return report.status().code() == core::ErrorCode::kInvalidArgument ? kExitUsage : kExitUnreadable;
  }
  std::string text;
  if (flags.format == "json") {
    text = respond::TriageJson(*report).dump(2) + "\n";
  } else if (flags.format == "markdown") {
    text = respond::TriageMarkdown(*report);
  } else {
    text = respond::TriageText(*report);
  }
  return WriteOut(text, flags.output);
}

}  // namespace

void AddTriageCommand(CLI::App& app, CommandRunner& run) {
  auto flags = std::make_shared<TriageFlags>();
  CLI::App* cmd = app.add_subcommand(
      "triage",
      "Static analysis of an unknown file: hashes, type, ELF facts, strings and indicators, YARA "
      "matches, a verdict with ATT&CK techniques. Never executes it. FILE only for now: a PID or "
      "container target comes later.");
  cmd->add_option("target", flags->target, "The file to analyse (read, never executed)")->required();
  cmd->add_option("--format", flags->format, "text (default), json or markdown");
  cmd->add_option("-o,--output", flags->output, "Write the report there instead of stdout");
  cmd->add_option("--yara-rules", flags->yara_rules,
                  "Also run every *.yar/*.yara file in this directory (repeatable; bulwark's own rules always run)");
  cmd->add_flag("--no-yara", flags->no_yara, "Run no YARA rules at all");
  cmd->callback([&run, flags] { run = [flags] { return RunTriage(*flags); }; });
}

}  // namespace bulwark::cli
