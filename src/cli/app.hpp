// The bulwark command line: parses argv, dispatches to one subcommand, and
// returns the process exit code (see CLI.md: 0 ok, N gate tripped, 2 usage,
// 3 unreadable input).
#pragma once

namespace bulwark::cli {

int Run(int argc, char** argv);

}  // namespace bulwark::cli
