// `bulwark fix PATH`: shows (default) or applies (--write) the edits that
// fix the fixable findings of `bulwark audit PATH`; `--daemon FILE` fixes a
// daemon.json (created when missing) and says whether dockerd must restart.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>

#include <nlohmann/json.hpp>

#include "audit/audit_runner.hpp"
#include "cli/commands.hpp"
#include "cli/fix_output.hpp"
#include "cli/report_flags.hpp"
#include "cli/results_flags.hpp"
#include "core/escape.hpp"
#include "core/render.hpp"
#include "cli/target_flags.hpp"
#include "docker/engine_client.hpp"
#include "fix/daemon_json_fixer.hpp"
#include "fix/fix_runner.hpp"

namespace bulwark::cli {
namespace {

struct FixFlags {
  TargetFlags target;
  std::string daemon;  // --daemon FILE
  bool write = false;
  bool no_backup = false;
  std::vector<std::string> only, skip;
  std::vector<int> public_ports;
  int uid = 10001;
  int gid = 10001;
  std::string format = "diff";
  std::string output;
  ReportFlags report;  // --ignorefile, --quiet, --no-color, --exit-code
  bool no_digests = false;
};

// Asks the local daemon for repo digests, once per image; a daemon that
// cannot be reached is reported once and then not asked again.
std::function<std::optional<std::string>(const std::string&)> MakeDigestResolver(bool quiet) {
  struct State {
    std::mutex mutex;
    std::unique_ptr<docker::EngineClient> client;
    bool unavailable = false;
    std::map<std::string, std::optional<std::string>> cache;
  };
  auto state = std::make_shared<State>();
  return [state, quiet](const std::string& image) -> std::optional<std::string> {
    std::lock_guard<std::mutex> lock(state->mutex);
    if (auto it = state->cache.find(image); it != state->cache.end()) return it->second;
    if (state->unavailable) return std::nullopt;
    if (!state->client) {
      state->client = std::make_unique<docker::EngineClient>();
      if (core::Status ping = state->client->Ping(); !ping.ok()) {
        state->unavailable = true;
        if (!quiet) std::fprintf(stderr, "bulwark fix: digests not pinned: %s\n", ping.message().c_str());
        return std::nullopt;
      }
    }
    std::optional<std::string> digest;
    if (auto info = state->client->InspectImage(image); info.ok()) digest = docker::RepoDigestFor(*info, image);
    state->cache[image] = digest;
    return digest;
  };
}

core::Result<fix::FixRunOptions> MakeOptions(const FixFlags& flags) {
  fix::FixRunOptions options;
  ASSIGN_OR_RETURN(options.audit, MakeAuditOptions(flags.target, flags.report));
  options.only.insert(flags.only.begin(), flags.only.end());
  options.skip.insert(flags.skip.begin(), flags.skip.end());
  for (int port : flags.public_ports) {
    if (port < 1 || port > 65535) {
      return core::Status(core::ErrorCode::kInvalidArgument,
                          "--public " + std::to_string(port) + ": not a port (1-65535)");
    }
    options.fix.public_ports.insert(port);
  }
  if (flags.uid < 1 || flags.gid < 1) {
    return core::Status(core::ErrorCode::kInvalidArgument, "--uid/--gid must be non-root IDs (1 or more)");
  }
  options.fix.uid = flags.uid;
  options.fix.gid = flags.gid;
  if (!flags.no_digests) options.fix.resolve_digest = MakeDigestResolver(flags.report.quiet);
  options.jobs = flags.target.Jobs();
  return options;
}

// What `bulwark report` reads of a --write run: the audit before and after
// the edits, and the edits (report/result_store.hpp).
std::string FixResultJson(const FixOutput& out) {
  auto report_json = [](const core::Report& report) {
    return nlohmann::json::parse(core::RenderJson(report), nullptr, false);
  };
  nlohmann::json doc;
  doc["target"] = core::SanitizeUtf8(out.target);
  doc["written"] = out.write;
  doc["before"] = report_json(out.plan->before);
  doc["after"] = out.after != nullptr ? report_json(out.after->before) : nlohmann::json();
  nlohmann::json edits = nlohmann::json::array();
  for (const fix::FileChange& change : out.plan->changes) {
    edits.push_back({{"path", core::SanitizeUtf8(change.relative_path)},
                     {"created", change.created},
                     {"fixed", change.fixed}});
  }
  doc["edits"] = std::move(edits);
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

int RunFixCommand(const FixFlags& flags) {
  if (flags.format != "diff" && flags.format != "json") {
    std::fprintf(stderr, "bulwark fix: unknown format '%s' (use diff or json)\n", flags.format.c_str());
    return kExitUsage;
  }
  core::CheckRegistry registry;
  if (auto st = audit::RegisterAllChecks(registry); !st.ok()) {
    std::fprintf(stderr, "bulwark: internal error: %s\n", st.message().c_str());
    return 1;
  }
  auto suites = audit::MakeDefaultCheckSuiteFactory();
  if (!suites.ok()) {
    std::fprintf(stderr, "bulwark: %s\n", suites.status().message().c_str());
    return 1;
  }
  auto options = MakeOptions(flags);
  if (!options.ok()) {
    std::fprintf(stderr, "bulwark fix: %s\n", options.status().message().c_str());
    return kExitUsage;
  }
  bool daemon_mode = !flags.daemon.empty();
  auto plan = [&] {
    return daemon_mode ? fix::PlanDaemonFixes(flags.daemon, *options, registry, *suites)
                       : fix::PlanFixes(*options, registry, *suites);
  };
  auto planned = plan();
  if (!planned.ok()) {
    bool usage = planned.status().code() == core::ErrorCode::kInvalidArgument;
    std::fprintf(stderr, "bulwark fix: %s\n", planned.status().message().c_str());
    return usage ? kExitUsage : kExitUnreadable;
  }

  FixOutput out;
  out.target = daemon_mode ? flags.daemon : flags.target.path;
  out.write = flags.write;
  out.plan = &*planned;
  if (daemon_mode && !planned->changes.empty()) {
    out.restart_advice =
        fix::DaemonRestartAdvice(planned->changes.front().before, planned->changes.front().after).message;
  }
  std::vector<fix::FixProblem> write_problems;
  std::optional<fix::FixPlanResult> after;
  if (flags.write && !planned->changes.empty()) {
    write_problems = fix::ApplyChanges(planned->changes, !flags.no_backup);
    auto again = plan();
    if (again.ok()) after = std::move(again).value();
  }
  out.write_problems = &write_problems;
  out.after = after ? &*after : nullptr;
  if (flags.write && !planned->changes.empty()) {
    SaveRunResult(flags.report.results, report::RunInfo{"fix", out.target, "", ""}, FixResultJson(out));
  }

  FixOutputStyle style;
  style.colour = flags.output.empty() && !flags.report.no_color && std::getenv("NO_COLOR") == nullptr &&
                 isatty(STDOUT_FILENO) == 1;
  style.terminal = flags.output.empty() && isatty(STDOUT_FILENO) == 1;
  // After --write the summary says what changed; the diff is for dry runs
  // (and inside the JSON document, always).
  std::string body = flags.format == "json" ? RenderFixJson(out) : (flags.write ? "" : RenderFixDiff(out, style));
  if (flags.output.empty()) {
    std::fwrite(body.data(), 1, body.size(), stdout);
  } else {
    std::ofstream file(flags.output, std::ios::binary | std::ios::trunc);
    file << body;
    if (!file) {
      std::fprintf(stderr, "bulwark fix: cannot write %s\n", flags.output.c_str());
      return kExitUnreadable;
    }
  }
  if (!flags.report.quiet) {
    std::string summary = RenderFixSummary(out, style.terminal || isatty(STDERR_FILENO) == 1);
    std::fwrite(summary.data(), 1, summary.size(), stderr);
  }
  if (!planned->problems.empty() || !write_problems.empty()) return 1;
  if (!flags.write && !planned->changes.empty() && flags.report.exit_code_set) return flags.report.exit_code;
  return 0;
}

}  // namespace

void AddFixCommand(CLI::App& app, CommandRunner& run) {
  auto flags = std::make_shared<FixFlags>();
  CLI::App* cmd = app.add_subcommand(
      "fix", "Fix what `bulwark audit` finds fixable: show a diff (default) or apply it with --write");
  cmd->add_flag("-w,--write", flags->write, "Apply the edits (atomic writes, FILE.bulwark.bak backups)");
  cmd->add_flag("--no-backup", flags->no_backup, "With --write: keep no FILE.bulwark.bak");
  cmd->add_option("--only", flags->only, "Fix only these checks (IDs, comma-separated)")->delimiter(',');
  cmd->add_option("--skip", flags->skip, "Do not fix these checks (IDs, comma-separated)")->delimiter(',');
  cmd->add_option("--public", flags->public_ports,
                  "Host port that stays published on all interfaces (repeatable, comma-separated)")
      ->delimiter(',');
  cmd->add_option("--daemon", flags->daemon,
                  "Fix this daemon.json (created when missing) instead of PATH, e.g. /etc/docker/daemon.json");
  cmd->add_option("--uid", flags->uid, "UID of the non-root user fixes add (default 10001)");
  cmd->add_option("--gid", flags->gid, "GID of the non-root user fixes add (default 10001)");
  cmd->add_flag("--no-digests", flags->no_digests, "Do not ask the Docker daemon for image digests to pin");
  cmd->add_option("-f,--format", flags->format, "Output: diff (unified, for git apply / patch -p1) or json");
  cmd->add_option("-o,--output", flags->output, "Write the diff or JSON to FILE instead of stdout");
  cmd->add_option_function<int>(
      "--exit-code", [flags](int code) { flags->report.exit_code = code; flags->report.exit_code_set = true; },
      "Without --write: exit with N when there is something to fix (CI gate)");
  cmd->add_option_function<std::string>(
      "--ignorefile",
      [flags](const std::string& f) { flags->report.ignorefile = f; flags->report.ignorefile_set = true; },
      "Suppressions file (default .bulwarkignore in the target, then the current directory)");
  AddTargetFlags(*cmd, flags->target, "fix");
  AddResultsFlags(*cmd, flags->report.results);
  cmd->add_flag("-q,--quiet", flags->report.quiet, "No summary on stderr");
  cmd->add_flag("--no-color", flags->report.no_color, "No colour (also honours NO_COLOR)");
  cmd->callback([flags, &run] { run = [flags] { return RunFixCommand(*flags); }; });
}

}  // namespace bulwark::cli
