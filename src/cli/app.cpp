#include "cli/app.hpp"

#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/report_flags.hpp"
#include "core/version.hpp"

namespace bulwark::cli {
namespace {

constexpr const char* kDescription =
    "bulwark: harden and watch a containerised microservice.\n"
    "  audit    audit a service's files (Dockerfile, compose, daemon.json, Kubernetes, code, secrets)\n"
    "  fix      show (or --write) the edits that fix what audit finds fixable\n"
    "  sbom     list the packages in an image (JSON, CycloneDX 1.5, SPDX 2.3)\n"
    "  scan     find vulnerable packages in an image or SBOM (local DB, offline)\n"
    "  db       import, update and inspect the local vulnerability DB\n"
    "  model    threat-model the system: STRIDE, ATT&CK for Containers, NIST 800-53, architecture diagram\n"
    "  report   the summary report (before/after, what remains and why) from earlier runs' results\n"
    "  checks   list every check with its severity and references (CIS, ATT&CK, NIST, CWE)\n"
    "  watch    the eBPF runtime sensor: Falco-syntax rules over live syscalls, alerts as JSON lines\n"
    "  rules    validate and list the Falco-syntax runtime rules of `watch`\n"
    "  triage   static analysis of an unknown file: hashes, ELF facts, IOCs, a verdict (never runs it)\n"
    "  contain  contain a container: evidence first, kill, quarantine, disconnect networks, pause\n"
    "  serve    dashboard of alerts, findings and scans over HTTP; /metrics for Prometheus\n"
    "  help     show help for bulwark or one subcommand\n"
    "Exit codes: 0 ok, the --exit-code value when the gate trips, 2 usage error, 3 unreadable input.";

}  // namespace

int Run(int argc, char** argv) {
  CLI::App app{kDescription, "bulwark"};
  app.set_version_flag("-V,--version", std::string("bulwark ") + core::kVersion);
  app.require_subcommand(0, 1);
  CommandRunner run;
  AddAuditCommand(app, run);
  AddChecksCommand(app, run);
  AddFixCommand(app, run);
  AddSbomCommand(app, run);
  AddScanCommand(app, run);
  AddDbCommand(app, run);
  AddModelCommand(app, run);
  AddReportCommand(app, run);
  AddRulesCommand(app, run);
  AddWatchCommand(app, run);
  AddTriageCommand(app, run);
  AddServeCommand(app, run);
  AddContainCommand(app, run);
  std::string help_topic;
  CLI::App* help = app.add_subcommand("help", "Show help for bulwark or one subcommand");
  help->add_option("subcommand", help_topic, "Subcommand to explain");
  CLI::App* version = app.add_subcommand("version", "Print the version");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }
  if (version->parsed()) {
    std::printf("bulwark %s\n", core::kVersion);
    return 0;
  }
  if (help->parsed() || !run) {
    CLI::App* topic = &app;
    if (!help_topic.empty()) {
      try {
        topic = app.get_subcommand(help_topic);
      } catch (const CLI::OptionNotFound&) {
        std::fprintf(stderr, "bulwark help: no subcommand '%s'\n", help_topic.c_str());
        return kExitUsage;
      }
    }
    // App::help() would describe the parsed `help` subcommand itself; format the topic directly.
    std::string name = topic == &app ? "bulwark" : "bulwark " + topic->get_name();
    std::printf("%s", topic->get_formatter()->make_help(topic, name, CLI::AppFormatMode::Normal).c_str());
    return (help->parsed() || argc <= 1) ? 0 : kExitUsage;
  }
  return run();
}

}  // namespace bulwark::cli
