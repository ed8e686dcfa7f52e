// Packages installed without a version: apt-get/apt, apk, pip, npm/yarn/pnpm,
// gem and `go install @latest`.
#include <algorithm>

#include "audit/dockerfile_checks_packages.hpp"

namespace bulwark::audit::dockerfile {
namespace {

using core::Severity;

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}
bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}
bool Has(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Not a registry package name at all: a path, URL, archive or variable.
bool IsLocalOrDynamic(std::string_view name) {
  return name.empty() || Has(name, "$") || Has(name, "://") || StartsWith(name, ".") ||
         StartsWith(name, "/") || StartsWith(name, "~") || StartsWith(name, "git+") ||
         EndsWith(name, ".deb") || EndsWith(name, ".rpm") || EndsWith(name, ".apk") ||
         EndsWith(name, ".whl") || EndsWith(name, ".tar.gz") || EndsWith(name, ".tgz") ||
         EndsWith(name, ".zip");
}

bool AptPinned(std::string_view name) { return Has(name, "=") || Has(name, "/"); }
bool ApkPinned(std::string_view name) {
  return name.find_first_of("=~<>") != std::string_view::npos;
}
bool PipPinned(std::string_view name) {
  return name.find_first_of("=<>~!@") != std::string_view::npos;
}
bool NpmPinned(std::string_view name) { return name.find('@', 1) != std::string_view::npos; }
bool GemPinned(std::string_view name) { return Has(name, ":"); }

// Unpinned package operands of an install command; empty when not applicable.
std::vector<size_t> UnpinnedPackages(const CommandView& cmd, const PackageCommand& pkg) {
  bool (*pinned)(std::string_view) = nullptr;
  std::vector<size_t> packages = pkg.packages;
  switch (pkg.manager) {
    case PackageManager::kAptGet:
    case PackageManager::kApt:
      pinned = AptPinned;
      break;
    case PackageManager::kApk:
      pinned = ApkPinned;
      break;
    case PackageManager::kPip:
      pinned = PipPinned;
      break;
    case PackageManager::kNpm:
      // `yarn global add x`: the real subcommand is the first operand.
      if (pkg.subcommand == "global" && !packages.empty() && cmd.arg(packages[0]) == "add") {
        packages.erase(packages.begin());
      } else if (!IsInstall(pkg)) {
        return {};
      }
      pinned = NpmPinned;
      break;
    case PackageManager::kGem:
      if (HasOption(cmd, pkg, "-v") || HasOption(cmd, pkg, "--version")) return {};
      pinned = GemPinned;
      break;
    case PackageManager::kGo: {
      if (pkg.subcommand != "install") return {};
      std::vector<size_t> latest;
      for (size_t i : packages) {
        if (EndsWith(cmd.arg(i), "@latest")) latest.push_back(i);
      }
      return latest;
    }
    default:
      return {};
  }
  if (pkg.manager != PackageManager::kNpm && !IsInstall(pkg)) return {};
  std::vector<size_t> out;
  for (size_t i : packages) {
    std::string_view name = cmd.arg(i);
    if (!IsLocalOrDynamic(name) && !pinned(name)) out.push_back(i);
  }
  return out;
}

std::string Names(const CommandView& cmd, const std::vector<size_t>& packages) {
  std::string out;
  for (size_t n = 0; n < packages.size() && n < 3; ++n) {
    if (n > 0) out += ", ";
    out += Quote(cmd.arg(packages[n]), 40);
  }
  if (packages.size() > 3) out += " and " + std::to_string(packages.size() - 3) + " more";
  return out;
}

void CheckPinning(const Context& ctx) {
  for (const RunScript& run : ctx.runs()) {
    if (!run.posix_shell) continue;
    for (const parse::ShellCommand& command : run.shell.commands) {
      CommandView cmd(command);
      std::optional<PackageCommand> pkg = ParsePackageCommand(cmd);
      if (!pkg) continue;
      std::vector<size_t> unpinned = UnpinnedPackages(cmd, *pkg);
      if (unpinned.empty()) continue;
      ctx.Report("BW-DF-048", ctx.At(run, cmd.at(unpinned[0])),
                 std::string(pkg->tool) + " " + std::string(pkg->subcommand) + " of " +
                     Names(cmd, unpinned) + " without a version");
    }
  }
}

}  // namespace

std::vector<DockerfileCheck> PinningChecks() {
  using core::Category;
  return {
      {{.id = "BW-DF-048",
        .title = "Packages installed without a version",
        .severity = Severity::kInfo,
        .category = Category::kDockerfile,
        .rationale = "Unpinned packages make builds unreproducible: a rebuild can silently pull "
                     "a different, possibly compromised, release.",
        .remediation = "Pin versions (`pkg=1.2.3`, `pkg==1.2.3`, `pkg@1.2.3`) or install from a "
                       "lock file (requirements.txt with hashes, package-lock.json).",
        .references = {.nist = {"CM-2", "SR-3"}, .cwe = {"CWE-1357"}},
        .peers = {"hadolint DL3008", "hadolint DL3013", "hadolint DL3016", "hadolint DL3018",
                  "hadolint DL3028", "hadolint DL3062"}},
       &CheckPinning},
  };
}

}  // namespace bulwark::audit::dockerfile
