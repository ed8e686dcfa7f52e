// One registration function per subcommand. Each adds its flags to the
// CLI11 app and sets `run` to the steps it performs (load, select, run,
// render) when chosen; the step returns the process exit code.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace bulwark::cli {

using CommandRunner = std::function<int()>;

void AddAuditCommand(CLI::App& app, CommandRunner& run);
void AddChecksCommand(CLI::App& app, CommandRunner& run);
void AddFixCommand(CLI::App& app, CommandRunner& run);
void AddSbomCommand(CLI::App& app, CommandRunner& run);
void AddScanCommand(CLI::App& app, CommandRunner& run);
void AddDbCommand(CLI::App& app, CommandRunner& run);
void AddModelCommand(CLI::App& app, CommandRunner& run);
void AddReportCommand(CLI::App& app, CommandRunner& run);
void AddRulesCommand(CLI::App& app, CommandRunner& run);
void AddWatchCommand(CLI::App& app, CommandRunner& run);
void AddTriageCommand(CLI::App& app, CommandRunner& run);
void AddServeCommand(CLI::App& app, CommandRunner& run);
void AddContainCommand(CLI::App& app, CommandRunner& run);

}  // namespace bulwark::cli
