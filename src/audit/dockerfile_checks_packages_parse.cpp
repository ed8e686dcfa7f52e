#include <algorithm>
#include <span>

#include "audit/dockerfile_checks_packages.hpp"

namespace bulwark::audit::dockerfile {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool IsPipName(std::string_view program) {
  if (!StartsWith(program, "pip")) return false;
  return program.find_first_not_of("0123456789.", 3) == std::string_view::npos;
}

std::optional<PackageManager> ManagerOf(std::string_view program) {
  if (program == "apt-get") return PackageManager::kAptGet;
  if (program == "apt") return PackageManager::kApt;
  if (program == "apk") return PackageManager::kApk;
  if (program == "yum") return PackageManager::kYum;
  if (program == "dnf" || program == "dnf5" || program == "tdnf") return PackageManager::kDnf;
  if (program == "microdnf") return PackageManager::kMicrodnf;
  if (program == "zypper") return PackageManager::kZypper;
  if (IsPipName(program)) return PackageManager::kPip;
  if (program == "npm" || program == "yarn" || program == "pnpm") return PackageManager::kNpm;
  if (program == "gem") return PackageManager::kGem;
  if (program == "go") return PackageManager::kGo;
  return std::nullopt;
}

// Options that take the next word as their value, per manager.
std::span<const std::string_view> OptionsWithValue(PackageManager manager) {
  // clang-format off
  static constexpr std::string_view kApt[] = {
      "-o", "-c", "-t", "--option", "--config-file", "--target-release", "--default-release"};
  static constexpr std::string_view kApk[] = {
      "-X", "--repository", "-p", "--root", "-t", "--virtual", "--arch", "--keys-dir",
      "--cache-dir", "--repositories-file"};
  static constexpr std::string_view kRpm[] = {
      "-c", "--config", "-x", "--exclude", "--installroot", "--releasever", "--enablerepo",
      "--disablerepo", "--setopt", "-d", "-e", "--repo", "--repoid"};
  static constexpr std::string_view kZypper[] = {
      "-r", "--repo", "-t", "--type", "--from", "-R", "--root"};
  static constexpr std::string_view kPip[] = {
      "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
      "--extra-index-url", "-f", "--find-links", "--trusted-host", "-t", "--target", "--prefix",
      "--root", "--upgrade-strategy", "--platform", "--python-version", "--implementation",
      "--abi", "--only-binary", "--no-binary", "--progress-bar", "--cache-dir", "--src", "--log",
      "--proxy", "--retries", "--timeout", "--cert", "--client-cert", "--global-option",
      "--install-option", "-C", "--config-settings", "--report"};
  static constexpr std::string_view kNpm[] = {
      "--prefix", "--registry", "--cache", "--tag", "-w", "--workspace", "--omit", "--include",
      "--userconfig"};
  static constexpr std::string_view kGem[] = {
      "-v", "--version", "-i", "--install-dir", "-n", "--bindir", "--source", "-s", "--platform"};
  static constexpr std::string_view kGo[] = {"-modfile", "-C", "-tags", "-ldflags", "-gcflags"};
  // clang-format on
  switch (manager) {
    case PackageManager::kAptGet:
    case PackageManager::kApt:
      return kApt;
    case PackageManager::kApk:
      return kApk;
    case PackageManager::kYum:
    case PackageManager::kDnf:
    case PackageManager::kMicrodnf:
      return kRpm;
    case PackageManager::kZypper:
      return kZypper;
    case PackageManager::kPip:
      return kPip;
    case PackageManager::kNpm:
      return kNpm;
    case PackageManager::kGem:
      return kGem;
    case PackageManager::kGo:
      return kGo;
  }
  return {};
}

std::string Normalize(std::string_view path) {
  std::string out(path);
  if (StartsWith(out, "~/")) out = "/root" + out.substr(1);
  while (!out.empty() && (out.back() == '*' || out.back() == '/')) out.pop_back();
  return out;
}

// `parent` is `child` or one of its parent directories.
bool Covers(std::string_view parent, std::string_view child) {
  return !parent.empty() &&
         (child == parent || (StartsWith(child, parent) && child[parent.size()] == '/'));
}

std::string MountTarget(std::string_view mount) {
  bool cache = mount.find("type=cache") != std::string_view::npos ||
               mount.find("type=tmpfs") != std::string_view::npos;
  if (!cache) return "";
  size_t pos = 0;
  while (pos <= mount.size()) {
    size_t comma = std::min(mount.find(',', pos), mount.size());
    std::string_view field = mount.substr(pos, comma - pos);
    for (std::string_view key : {"target=", "dst=", "destination="}) {
      if (StartsWith(field, key)) return Normalize(field.substr(key.size()));
    }
    pos = comma + 1;
  }
  return "";
}

}  // namespace

std::optional<PackageCommand> ParsePackageCommand(const CommandView& cmd) {
  if (cmd.empty()) return std::nullopt;
  size_t first = 1;
  std::string_view program = cmd.program();
  if (program.substr(0, 6) == "python" && cmd.arg(1) == "-m" && IsPipName(cmd.arg(2))) {
    program = cmd.arg(2);
    first = 3;
  }
  std::optional<PackageManager> manager = ManagerOf(program);
  if (!manager) return std::nullopt;
  PackageCommand pkg;
  pkg.manager = *manager;
  pkg.tool = program;
  std::span<const std::string_view> with_value = OptionsWithValue(*manager);
  for (size_t i = first; i < cmd.size(); ++i) {
    std::string_view arg = cmd.arg(i);
    if (arg.size() > 1 && arg[0] == '-') {
      pkg.options.push_back(i);
      if (std::find(with_value.begin(), with_value.end(), arg) != with_value.end()) ++i;
    } else if (pkg.subcommand.empty()) {
      pkg.subcommand = arg;
      pkg.subcommand_index = i;
    } else {
      pkg.packages.push_back(i);
    }
  }
  return pkg;
}

bool IsInstall(const PackageCommand& pkg) {
  static constexpr std::string_view kInstall[] = {"install",      "add",       "in", "groupinstall",
                                                  "localinstall", "reinstall", "i"};
  return std::find(std::begin(kInstall), std::end(kInstall), pkg.subcommand) != std::end(kInstall);
}

bool HasOption(const CommandView& cmd, const PackageCommand& pkg, std::string_view name) {
  for (size_t i : pkg.options) {
    std::string_view arg = cmd.arg(i);
    if (arg == name ||
        (StartsWith(arg, name) && arg.size() > name.size() && arg[name.size()] == '=')) {
      return true;
    }
  }
  return false;
}

std::vector<RunPackages> GroupRuns(const Context& ctx) {
  std::vector<RunPackages> out;
  for (const RunScript& run : ctx.runs()) {
    if (!run.posix_shell) continue;
    if (out.empty() || out.back().instruction != run.instruction) {
      out.push_back(RunPackages{run.instruction, run.stage, {}});
    }
    out.back().scripts.push_back(&run);
  }
  return out;
}

bool CleansDirectory(const RunPackages& run, std::string_view dir) {
  for (const parse::Flag& flag : run.instruction->flags) {
    if (flag.name == "mount" && Covers(MountTarget(flag.value), dir)) return true;
  }
  for (const RunScript* script : run.scripts) {
    for (const parse::ShellCommand& command : script->shell.commands) {
      CommandView cmd(command);
      if (cmd.program() != "rm" && cmd.program() != "find") continue;
      for (size_t i = 1; i < cmd.size(); ++i) {
        if (Covers(Normalize(cmd.arg(i)), dir)) return true;
      }
    }
  }
  return false;
}

}  // namespace bulwark::audit::dockerfile
