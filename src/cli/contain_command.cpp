// `bulwark contain CONTAINER [--pid PID]... [--quarantine PATH]... [--stop |
// --pause] [--no-isolate] [--evidence-dir DIR] [--dry-run] [--format
// text|json] [--results DIR]`: incident containment through the Docker
// Engine API, evidence first (respond/contain.hpp). One of the two commands
// that change a host (docs/SECURITY.md). Steps: check flags, contain, render.
// Exit 0 when every action succeeded, 1 when one failed, 2 usage error,
// 3 container not found, daemon unreachable or no evidence directory.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/report_flags.hpp"
#include "cli/results_flags.hpp"
#include "core/escape.hpp"
#include "docker/engine_client.hpp"
#include "respond/contain.hpp"
#include "respond/contain_log.hpp"
#include "respond/contain_render.hpp"

namespace bulwark::cli {
namespace {

constexpr int kExitActionFailed = 1;

struct ContainFlags {
  respond::ContainOptions options;
  bool stop = false;
  bool pause = false;
  bool no_isolate = false;
  std::string format = "text";
  ResultsFlags results;
};

int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "bulwark contain: %s\n", core::EscapeTerminal(message).c_str());
  return code;
}

int RunContain(ContainFlags& flags) {
  if (flags.format != "text" && flags.format != "json") {
    return Fail(kExitUsage, "unknown format '" + flags.format + "' (use text or json)");
  }
  if (flags.stop && flags.pause) return Fail(kExitUsage, "--stop and --pause contradict each other");
  respond::ContainOptions& options = flags.options;
  options.freeze = flags.stop ? respond::FreezeMode::kStop : respond::FreezeMode::kPause;
  options.isolate = !flags.no_isolate;
  if (auto dir = ResultsDir(flags.results)) options.results_dir = dir->string();
  // Evidence lives beside the results, where `report --incident` looks for
  // it: <results>/incident/<name>-<time>, even when results are not kept.
  ResultsFlags evidence_home = flags.results;
  evidence_home.disabled = false;
  options.incident_root =
      (ResultsDir(evidence_home).value_or(report::kDefaultResultsDir) / "incident").string();
  docker::EngineClient client;
  auto report = respond::Contain(client, options);
  if (!report.ok()) {
    int code = report.status().code() == core::ErrorCode::kInvalidArgument ? kExitUsage : kExitUnreadable;
    return Fail(code, report.status().message());
  }
  std::string text = flags.format == "json" ? respond::DumpJson(respond::ContainJson(*report), 2) + "\n"
                                            : respond::ContainText(*report);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return report->AllSucceeded() ? 0 : kExitActionFailed;
}

}  // namespace

void AddContainCommand(CLI::App& app, CommandRunner& run) {
  auto flags = std::make_shared<ContainFlags>();
  CLI::App* cmd = app.add_subcommand(
      "contain",
      "Incident containment of a container through the Docker Engine API, evidence first: inspect, "
      "process list, export and commit snapshot, /proc facts of each --pid; then kill those processes, "
      "quarantine files, disconnect every network, pause (or stop). Every action is logged in "
      "<evidence>/actions.jsonl. Exit 0 all done, 1 an action failed, 2 usage, 3 no such container or "
      "no daemon.");
  cmd->add_option("container", flags->options.container, "Container name or ID")->required();
  cmd->add_option("--pid", flags->options.pids,
                  "Host PID of a process of the container to save and kill (repeatable; refused when it "
                  "is not in the container)");
  cmd->add_option("--quarantine", flags->options.quarantine,
                  "Absolute path inside the container to move into the evidence's quarantine/ (repeatable)");
  cmd->add_flag("--stop", flags->stop, "Stop the container at the end (its memory is lost)");
  cmd->add_flag("--pause", flags->pause, "Pause the container at the end (the default: memory kept)");
  cmd->add_flag("--no-isolate", flags->no_isolate, "Leave its networks connected");
  cmd->add_option("--evidence-dir", flags->options.evidence_dir,
                  "Where evidence goes, created fresh (default <results dir>/incident/<name>-<UTC time>, the results dir being --results, BULWARK_RESULTS or .bulwark)");
  cmd->add_flag("--dry-run", flags->options.dry_run,
                "Show the plan: only read-only calls, nothing written or changed");
  cmd->add_option("--format", flags->format, "text (default) or json");
  cmd->add_option("--results", flags->results.dir,
                  "Results directory of earlier runs: its newest audit's fixable findings join the "
                  "remediation advice (default .bulwark; env BULWARK_RESULTS)");
  cmd->callback([&run, flags] { run = [flags] { return RunContain(*flags); }; });
}

}  // namespace bulwark::cli
