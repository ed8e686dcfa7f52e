// `bulwark checks`: the check registry with references.
#include <cstdio>
#include <memory>
#include <string>

#include "audit/check_suite.hpp"
#include "cli/commands.hpp"
#include "cli/report_flags.hpp"
#include "core/render_checks.hpp"
#include "host/host_audit.hpp"

namespace bulwark::cli {
namespace {

int RunChecksCommand(const std::string& format) {
  core::CheckRegistry registry;
  core::Status st = audit::RegisterAllChecks(registry);
  if (st.ok()) st = host::RegisterHostChecks(registry);
  if (!st.ok()) {
    std::fprintf(stderr, "bulwark: internal error: %s\n", st.message().c_str());
    return 1;
  }
  std::string text;
  if (format == "table") {
    text = core::RenderChecksTable(registry);
  } else if (format == "markdown" || format == "md") {
    text = core::RenderChecksMarkdown(registry);
  } else if (format == "json") {
    text = core::RenderChecksJson(registry);
  } else {
    std::fprintf(stderr, "bulwark checks: unknown format '%s' (use table, markdown, json)\n", format.c_str());
    return kExitUsage;
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

}  // namespace

void AddChecksCommand(CLI::App& app, CommandRunner& run) {
  auto format = std::make_shared<std::string>("table");
  CLI::App* cmd = app.add_subcommand("checks", "List every check with its severity and references");
  cmd->add_option("-f,--format", *format, "table, markdown or json");
  cmd->callback([format, &run] { run = [format] { return RunChecksCommand(*format); }; });
}

}  // namespace bulwark::cli
