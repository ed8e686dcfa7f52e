// `bulwark watch`: the eBPF runtime sensor with the Falco-syntax rule engine.
// Steps: load the rules -> open the outputs -> load the sensor (the kernel
// filters to the rules' event types) -> drop privileges -> watch until
// SIGINT/SIGTERM or --duration -> close the outputs -> keep the result.
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/loki_flags.hpp"
#include "cli/report_flags.hpp"
#include "cli/results_flags.hpp"
#include "core/version.hpp"
#include "runtime/output/alert_format.hpp"
#include "runtime/output/dispatcher.hpp"
#include "runtime/output/file_sink.hpp"
#include "runtime/output/stream_sink.hpp"
#include "runtime/output/webhook_sink.hpp"
#include "runtime/sensor/bpf_sensor.hpp"
#include "runtime/sensor/container_meta.hpp"
#include "runtime/sensor/privileges.hpp"
#include "runtime/sensor/state_tables.hpp"
#include "runtime/watch/default_rules.hpp"
#include "runtime/watch/dns_refresher.hpp"
#include "runtime/watch/watch_loop.hpp"
#include "web/dashboard.hpp"
#include "web/store_sink.hpp"

namespace bulwark::cli {
namespace {

using namespace runtime;  // NOLINT(google-build-using-namespace): one command's file

struct WatchFlags {
  std::vector<std::string> rule_files;
  bool no_default_rules = false;
  std::string output;
  std::string format = "json";
  std::string webhook;
  std::vector<std::string> webhook_headers;
  std::string spool_dir;
  LokiFlags loki;
  std::string min_priority;
  std::vector<std::string> disable;
  std::vector<std::string> disable_tags;
  std::string match = "all";
  double rate = 10;
  double burst = 100;
  double duration_s = 0;
  std::string docker_socket = "/var/run/docker.sock";
  bool keep_privileges = false;
  bool raw_syscalls = false;
  ResultsFlags results;
  bool quiet = false;
  std::string serve;  // --serve ADDR: the dashboard in-process
};

// The loop reads this flag between events (at least every poll interval).
watch::WatchLoop* g_loop = nullptr;
void OnStopSignal(int) {
  if (g_loop != nullptr) g_loop->Stop();
}

int Fail(const std::string& message, int code = kExitUnreadable) {
  std::fprintf(stderr, "bulwark watch: %s\n", message.c_str());
  return code;
}

// What the chosen syscall hook cannot see, and why the cheaper one was not
// used: the user decides whether --raw-syscalls is worth its cost.
void WarnAboutHook(const sensor::BpfSensor& bpf) {
  if (!bpf.HookFallbackReason().empty()) {
    std::fprintf(stderr, "bulwark watch: warning: tracing every syscall through raw_syscalls (%s)\n",
                 bpf.HookFallbackReason().c_str());
  }
  const std::vector<std::string> untraced = bpf.UntracedSyscalls();
  if (untraced.empty()) return;
  std::string names;
  for (const std::string& n : untraced) names += (names.empty() ? "" : ", ") + n;
  std::fprintf(stderr,
               "bulwark watch: warning: rules use syscalls this kernel has no tracepoint for (%s): "
               "it was built without them, so calls fail; --raw-syscalls sees the attempts too, "
               "at about four times the cost per unrelated syscall (docs/sensor.md)\n",
               names.c_str());
}

// `dns` resolves the rules' fd.*.name comparisons; it must outlive the engine.
core::Result<std::unique_ptr<rules::Engine>> LoadRules(const WatchFlags& flags,
                                                      watch::DnsRefresher& dns) {
  ASSIGN_OR_RETURN(std::vector<rules::RuleSource> sources,
                   watch::CollectRuleSources(!flags.no_default_rules, flags.rule_files));
  if (sources.empty()) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       "no rules: give -r FILE or drop --no-default-rules");
  }
  rules::LoadResult loaded;
  std::unique_ptr<rules::Engine> engine = rules::Engine::Load(sources, loaded, dns.cache());
  for (const rules::Diagnostic& d : loaded.diagnostics) {
    if (d.severity == rules::DiagSeverity::kError || !flags.quiet) {
      std::fprintf(stderr, "%s\n", rules::FormatDiagnostic(d).c_str());
    }
  }
  if (!engine) return core::Error(core::ErrorCode::kParseError, "the rules could not be loaded");
  for (const std::string& pattern : flags.disable) engine->SetRuleEnabled(pattern, false);
  for (const std::string& tag : flags.disable_tags) engine->SetTagEnabled(tag, false);
  if (!flags.min_priority.empty()) {
    std::optional<Priority> p = ParsePriority(flags.min_priority);
    if (!p) {
      return core::Error(core::ErrorCode::kInvalidArgument,
                         "unknown priority '" + flags.min_priority + "'");
    }
    engine->SetMinPriority(*p);
  }
  engine->SetMatchMode(flags.match == "first" ? rules::MatchMode::kFirst : rules::MatchMode::kAll);
  if (engine->ActiveRuleCount() == 0) {
    return core::Error(core::ErrorCode::kInvalidArgument, "no rule is enabled: nothing to watch for");
  }
  dns.Start(engine->DnsNames());
  return engine;
}

core::Status AddSinks(const WatchFlags& flags, output::Dispatcher& dispatcher,
                      output::AlertMetrics& metrics) {
  const output::AlertFormat format =
      flags.format == "text" ? output::AlertFormat::kText : output::AlertFormat::kJson;
  if (flags.output.empty() || flags.output == "-") {
    dispatcher.AddSink(std::make_unique<output::StreamSink>(STDOUT_FILENO, format));
  } else {
    ASSIGN_OR_RETURN(std::unique_ptr<output::FileSink> file,
                     output::FileSink::Open(flags.output, format));
    dispatcher.AddSink(std::move(file));
    RETURN_IF_ERROR(output::InstallSighupReopen());
  }
  if (!flags.webhook.empty()) {
    output::WebhookOptions options;
    options.http.url = flags.webhook;
    options.http.headers = flags.webhook_headers;
    if (!flags.spool_dir.empty()) options.spool = output::SpoolOptions{.dir = flags.spool_dir};
    RETURN_IF_ERROR(output::ValidateHttpPosterOptions(options.http));
    ASSIGN_OR_RETURN(std::unique_ptr<output::WebhookSink> hook,
                     output::WebhookSink::Create(std::move(options), &metrics));
    dispatcher.AddSink(std::move(hook));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<output::LokiSink> loki, MakeLokiSink(flags.loki, metrics));
  if (loki != nullptr) dispatcher.AddSink(std::move(loki));
  return core::Status::Ok();
}

std::string ResultJson(const watch::WatchSummary& summary, const rules::Engine& engine,
                       std::string_view hostname) {
  nlohmann::json alerts = nlohmann::json::array();
  for (const Alert& alert : summary.kept) {
    alerts.push_back(nlohmann::json::parse(output::FormatAlertJson(alert), nullptr, false));
  }
  nlohmann::json doc = {
      {"tool", {{"name", "bulwark"}, {"version", core::kVersion}}},
      {"target", hostname},
      {"rules_active", engine.ActiveRuleCount()},
      {"stats",
       {{"events", summary.events},
        {"alerts", summary.alerts},
        {"alerts_not_kept", summary.alerts_not_kept},
        {"kernel_events", summary.sensor.n_evts},
        {"dropped", summary.sensor.n_drops_buffer + summary.sensor.n_drops_scratch}}},
      {"alerts", std::move(alerts)}};
  return doc.dump(1, ' ', false, nlohmann::json::error_handler_t::replace);
}

int RunWatch(const WatchFlags& flags) {
  if (flags.format != "json" && flags.format != "text") {
    return Fail("unknown format '" + flags.format + "' (use json or text)", kExitUsage);
  }
  if (flags.match != "all" && flags.match != "first") {
    return Fail("--match takes all or first", kExitUsage);
  }
  std::signal(SIGPIPE, SIG_IGN);  // a closed stdout is an error value, not a death
  watch::DnsRefresher dns;  // declared first: the engine reads its cache
  auto engine = LoadRules(flags, dns);
  if (!engine.ok()) return Fail(engine.status().message());
  if (auto st = sensor::CheckBpfSupport(); !st.ok()) return Fail(st.message());

  output::AlertMetrics metrics;
  output::RateLimitOptions limits;
  limits.default_limit = {flags.rate, flags.burst};
  output::Dispatcher dispatcher(metrics, limits);
  dispatcher.SetErrorCallback([](const output::AlertSink& sink, const core::Status& error) {
    std::fprintf(stderr, "bulwark watch: output %s: %s\n", sink.Name().c_str(),
                 error.message().c_str());
  });
  if (auto st = AddSinks(flags, dispatcher, metrics); !st.ok()) return Fail(st.message());
  std::unique_ptr<web::Dashboard> dashboard;
  if (!flags.serve.empty()) {
    web::DashboardOptions serve_options{.listen = flags.serve, .results = ResultsDir(flags.results)};
    auto started = web::Dashboard::Start(
        serve_options, [&metrics] { return metrics.Snapshot(); }, "watch", stderr);
    if (!started.ok()) return Fail("--serve: " + started.status().message());
    dashboard = std::move(*started);
    dispatcher.AddSink(std::make_unique<web::StoreSink>(dashboard->alerts()));
  }

  sensor::DockerContainerSource docker(flags.docker_socket);
  sensor::StateTables state({}, &docker);
  state.LoadFromProc();
  sensor::SensorOptions options;
  options.event_types = (*engine)->EventTypes();
  options.hook = flags.raw_syscalls ? sensor::SyscallHook::kRaw : sensor::SyscallHook::kAuto;
  auto bpf = sensor::BpfSensor::Open(options);
  if (!bpf.ok()) return Fail(bpf.status().message());
  if (!flags.quiet) WarnAboutHook(**bpf);
  if (!flags.keep_privileges) {
    auto kept = sensor::DropPrivileges();
    if (!kept.ok()) return Fail("dropping privileges: " + kept.status().message());
  }

  watch::WatchOptions loop_options;
  loop_options.duration = std::chrono::milliseconds(static_cast<int64_t>(flags.duration_s * 1000));
  watch::WatchLoop loop(**bpf, bpf->get(), state, **engine, dispatcher, metrics, loop_options);
  g_loop = &loop;
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  std::fprintf(stderr, "ready\n");  // scripts wait for this line (CLI.md)
  core::Status run = loop.Run();
  g_loop = nullptr;
  core::Status closed = dispatcher.Close();
  if (dashboard) dashboard->Stop();

  const watch::WatchSummary& summary = loop.summary();
  if (!flags.quiet) {
    // One line scripts can parse: bench/run-watch-overhead.sh reads it.
    std::fprintf(stderr,
                 "bulwark watch: %llu events seen by the kernel, %llu evaluated, %llu alerts, "
                 "%llu dropped (ring buffer %llu, scratch %llu)\n",
                 static_cast<unsigned long long>(summary.sensor.n_evts),
                 static_cast<unsigned long long>(summary.events),
                 static_cast<unsigned long long>(summary.alerts),
                 static_cast<unsigned long long>(summary.sensor.n_drops_buffer +
                                                 summary.sensor.n_drops_scratch),
                 static_cast<unsigned long long>(summary.sensor.n_drops_buffer),
                 static_cast<unsigned long long>(summary.sensor.n_drops_scratch));
  }
  SaveRunResult(flags.results, report::RunInfo{"watch", std::string(state.Hostname()), "", ""},
                ResultJson(summary, **engine, state.Hostname()));
  if (!run.ok()) return Fail(run.message());
  if (!closed.ok()) return Fail(closed.message());
  return 0;
}

}  // namespace

void AddWatchCommand(CLI::App& app, CommandRunner& run) {
  auto flags = std::make_shared<WatchFlags>();
  CLI::App* cmd = app.add_subcommand(
      "watch", "Watch containers at run time: eBPF sensor + Falco-syntax rules, alerts as JSON lines");
  cmd->add_option("-r,--rules", flags->rule_files, "A Falco-syntax rules file (repeatable)");
  cmd->add_flag("--no-default-rules", flags->no_default_rules, "Do not load bulwark's rules");
  cmd->add_option("-o,--output", flags->output, "Append alerts to FILE (default stdout)");
  cmd->add_option("-f,--format", flags->format, "json (Falco's alert shape, default) or text");
  cmd->add_option("--webhook", flags->webhook, "POST each alert to URL (falcosidekick-compatible)");
  cmd->add_option("--webhook-header", flags->webhook_headers, "\"Name: value\" for the webhook");
  cmd->add_option("--spool", flags->spool_dir, "Keep undelivered webhook alerts in DIR");
  AddLokiFlags(*cmd, flags->loki);
  cmd->add_option("-p,--priority", flags->min_priority, "Only rules at or above this priority");
  cmd->add_option("-D,--disable", flags->disable, "Disable rules whose name matches (glob)");
  cmd->add_option("-T,--disable-tag", flags->disable_tags, "Disable rules with this tag");
  cmd->add_option("--match", flags->match, "all (default): every matching rule; first: Falco's");
  cmd->add_option("--rate", flags->rate, "Alerts per second per rule before suppression (10)");
  cmd->add_option("--burst", flags->burst, "Alerts a rule may send at once (100)");
  cmd->add_option("--duration", flags->duration_s, "Stop after SECONDS (default: until SIGINT)");
  cmd->add_option("--docker-socket", flags->docker_socket, "The Docker Engine API socket");
  cmd->add_flag("--keep-privileges", flags->keep_privileges,
                "Do not drop capabilities after loading (debugging)");
  cmd->add_flag("--raw-syscalls", flags->raw_syscalls,
                "Trace every syscall (raw_syscalls) instead of the rules' own tracepoints: sees "
                "syscalls without a tracepoint, at a higher cost");
  cmd->add_flag("-q,--quiet", flags->quiet, "No warnings or summary on stderr");
  cmd->add_option("--serve", flags->serve,
                  "Also serve the dashboard and /metrics on HOST:PORT (bulwark serve)");
  AddResultsFlags(*cmd, flags->results);
  cmd->callback([flags, &run] { run = [flags] { return RunWatch(*flags); }; });
}

}  // namespace bulwark::cli
