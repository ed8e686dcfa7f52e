// `bulwark serve`: the dashboard, /metrics and /api over HTTP (docs/serve.md).
// Steps: parse the listen address -> resolve the token -> open the stores
// (results directory, alert file tail) -> serve until SIGINT/SIGTERM or
// --duration -> stop the tail and the server.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "cli/commands.hpp"
#include "cli/report_flags.hpp"
#include "cli/results_flags.hpp"
#include "web/alert_tail.hpp"
#include "web/dashboard.hpp"

namespace bulwark::cli {
namespace {

struct ServeFlags {
  std::string listen = "127.0.0.1:8080";
  std::string alerts;
  std::string token_file;
  std::string diagram;
  ResultsFlags results;
  double duration_s = 0;
  size_t keep = 10'000;
};

std::atomic<bool> g_stop{false};
void OnStopSignal(int) { g_stop.store(true); }

int RunServe(const ServeFlags& flags) {
  std::signal(SIGPIPE, SIG_IGN);
  web::DashboardOptions options;
  options.listen = flags.listen;
  options.token_file = flags.token_file;
  options.results = ResultsDir(flags.results);
  if (!flags.diagram.empty()) options.diagram = flags.diagram;
  options.store.capacity = std::max<size_t>(1, flags.keep);
  auto dashboard = web::Dashboard::Start(options, {}, "serve", stderr);
  if (!dashboard.ok()) {
    std::fprintf(stderr, "bulwark serve: %s\n", dashboard.status().message().c_str());
    return dashboard.status().code() == core::ErrorCode::kInvalidArgument ? kExitUsage
                                                                          : kExitUnreadable;
  }
  std::unique_ptr<web::AlertTail> tail;
  if (!flags.alerts.empty()) {
    tail = std::make_unique<web::AlertTail>(flags.alerts, (*dashboard)->alerts());
    tail->Start();
  }
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  const auto until = std::chrono::steady_clock::now() +
                     std::chrono::milliseconds(static_cast<int64_t>(flags.duration_s * 1000));
  while (!g_stop.load() &&
         (flags.duration_s <= 0 || std::chrono::steady_clock::now() < until)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (tail) tail->Stop();
  (*dashboard)->Stop();
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, CommandRunner& run) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "Dashboard of alerts, findings and scans over HTTP; /metrics for Prometheus");
  cmd->add_option("--listen", flags->listen,
                  "HOST:PORT (default 127.0.0.1:8080); any other host than loopback needs a token");
  cmd->add_option("--alerts", flags->alerts,
                  "Follow this alert file (bulwark watch -o FILE), through rotation");
  cmd->add_option("--token-file", flags->token_file,
                  "The token clients must send (first line); else BULWARK_TOKEN, else generated");
  cmd->add_option("--diagram", flags->diagram,
                  "The threat-model SVG (default: architecture_diagram.svg in the results dir)");
  cmd->add_option("--keep", flags->keep, "Alerts the dashboard keeps (10000)");
  cmd->add_option("--duration", flags->duration_s, "Stop after SECONDS (default: until SIGINT)");
  AddResultsFlags(*cmd, flags->results);
  cmd->callback([flags, &run] { run = [flags] { return RunServe(*flags); }; });
}

}  // namespace bulwark::cli
