// Reads package-manager command lines (apt-get, apt, apk, yum, dnf,
// microdnf, zypper, pip, npm/yarn/pnpm, gem, go) into subcommand, options and
// package operands, for the Dockerfile package checks. Internal; pure
// functions over a CommandView; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/dockerfile_checks_context.hpp"

namespace bulwark::audit::dockerfile {

enum class PackageManager {
  kAptGet,
  kApt,
  kApk,
  kYum,
  kDnf,
  kMicrodnf,
  kZypper,
  kPip,
  kNpm,
  kGem,
  kGo
};

struct PackageCommand {
  PackageManager manager = PackageManager::kAptGet;
  std::string_view tool;         // as the program is named: "apt-get", "pip3", "yarn"
  std::string_view subcommand;   // "install", "add", "update"...; empty when none
  size_t subcommand_index = 0;   // index in the CommandView
  std::vector<size_t> options;   // indexes of option words (values not included)
  std::vector<size_t> packages;  // indexes of operand words after the subcommand
};

std::optional<PackageCommand> ParsePackageCommand(const CommandView& cmd);

// install / add / in / groupinstall / localinstall / reinstall ...
bool IsInstall(const PackageCommand& pkg);
// True when an option word equals `name` or starts with `name=`.
bool HasOption(const CommandView& cmd, const PackageCommand& pkg, std::string_view name);

// Every package command of one RUN instruction (all its scripts), with the
// script it is in, for checks that look at a RUN as a whole.
struct RunPackages {
  const parse::Instruction* instruction = nullptr;
  int stage = -1;
  std::vector<const RunScript*> scripts;
};
std::vector<RunPackages> GroupRuns(const Context& ctx);

// True when a RUN removes or cache-mounts `dir` (e.g. "/var/lib/apt/lists").
bool CleansDirectory(const RunPackages& run, std::string_view dir);

}  // namespace bulwark::audit::dockerfile
