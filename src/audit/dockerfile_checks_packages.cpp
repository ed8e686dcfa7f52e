// Package-manager hygiene: apt vs apt-get, dist-upgrade, update without
// install, prompts (-y), recommends, and caches left in the final image.
#include "audit/dockerfile_checks_packages.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace bulwark::audit::dockerfile {
namespace {

using core::Severity;

bool IsApt(const PackageCommand& pkg) {
  return pkg.manager == PackageManager::kAptGet || pkg.manager == PackageManager::kApt;
}

bool IsRpmFamily(const PackageCommand& pkg) {
  return pkg.manager == PackageManager::kYum || pkg.manager == PackageManager::kDnf ||
         pkg.manager == PackageManager::kMicrodnf || pkg.manager == PackageManager::kZypper;
}

// Calls `fn(run, script, cmd, pkg)` for every package command of every RUN.
template <typename Fn>
void ForEachPackageCommand(const Context& ctx, Fn fn) {
  for (const RunPackages& run : GroupRuns(ctx)) {
    for (const RunScript* script : run.scripts) {
      for (const parse::ShellCommand& command : script->shell.commands) {
        CommandView cmd(command);
        if (std::optional<PackageCommand> pkg = ParsePackageCommand(cmd))
          fn(run, *script, cmd, *pkg);
      }
    }
  }
}

// Text of every RUN in the file, for apt.conf settings written by an earlier RUN.
bool AnyRunMentions(const Context& ctx, std::string_view needle) {
  std::string lower_needle = Lower(needle);
  return std::any_of(ctx.runs().begin(), ctx.runs().end(), [&](const RunScript& run) {
    return Lower(run.text).find(lower_needle) != std::string::npos;
  });
}

void CheckAptCli(const Context& ctx) {
  ForEachPackageCommand(ctx, [&](const RunPackages&, const RunScript& script,
                                 const CommandView& cmd, const PackageCommand& pkg) {
    if (pkg.manager != PackageManager::kApt || pkg.subcommand.empty()) return;
    ctx.Report("BW-DF-043", ctx.At(script, cmd.at(0)),
               "RUN uses `apt " + std::string(pkg.subcommand) +
                   "`: apt's output and behaviour are not stable for scripts; use apt-get");
  });
}

void CheckDistUpgrade(const Context& ctx) {
  ForEachPackageCommand(ctx, [&](const RunPackages&, const RunScript& script,
                                 const CommandView& cmd, const PackageCommand& pkg) {
    std::string_view sub = pkg.subcommand;
    bool apt = IsApt(pkg) && (sub == "dist-upgrade" || sub == "full-upgrade");
    bool zypper = pkg.manager == PackageManager::kZypper && (sub == "dist-upgrade" || sub == "dup");
    if (!apt && !zypper) return;
    ctx.Report("BW-DF-044", ctx.At(script, cmd.at(pkg.subcommand_index)),
               std::string(pkg.tool) + " " + std::string(sub) +
                   " may upgrade the distribution release inside the image");
  });
}

bool IsIndexUpdate(const PackageCommand& pkg) {
  return (IsApt(pkg) || pkg.manager == PackageManager::kApk) && pkg.subcommand == "update";
}

bool PairsWithUpdate(const PackageCommand& pkg) {
  std::string_view sub = pkg.subcommand;
  return IsInstall(pkg) || sub == "upgrade" || sub == "dist-upgrade" || sub == "full-upgrade" ||
         sub == "build-dep";
}

void CheckUpdateAlone(const Context& ctx) {
  for (const RunPackages& run : GroupRuns(ctx)) {
    const RunScript* update_script = nullptr;
    const parse::ShellWord* update_word = nullptr;
    std::string tool;
    bool installs = false;
    for (const RunScript* script : run.scripts) {
      for (const parse::ShellCommand& command : script->shell.commands) {
        CommandView cmd(command);
        std::optional<PackageCommand> pkg = ParsePackageCommand(cmd);
        if (!pkg) continue;
        installs = installs || PairsWithUpdate(*pkg);
        if (IsIndexUpdate(*pkg) && update_word == nullptr) {
          update_script = script;
          update_word = &cmd.at(0);
          tool = std::string(pkg->tool);
        }
      }
    }
    if (update_word == nullptr || installs) continue;
    ctx.Report("BW-DF-045", ctx.At(*update_script, *update_word),
               "RUN " + tool +
                   " update without an install in the same RUN: the cached index "
                   "layer goes stale and later installs get outdated packages");
  }
}

bool IsShortCluster(std::string_view arg, char letter) {
  if (arg.size() < 2 || arg[0] != '-' || arg[1] == '-') return false;
  return std::all_of(arg.begin() + 1, arg.end(),
                     [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }) &&
         arg.find(letter) != std::string_view::npos;
}

bool AnswersYes(const CommandView& cmd, const PackageCommand& pkg) {
  for (size_t i : pkg.options) {
    std::string_view arg = cmd.arg(i);
    if (arg == "--yes" || arg == "--assume-yes" || arg == "--assumeyes" || arg == "-q=2" ||
        arg == "--quiet=2" || arg == "--non-interactive" || arg == "--no-confirm" ||
        IsShortCluster(arg, 'y') || arg == "-qq" ||
        (pkg.manager == PackageManager::kZypper && IsShortCluster(arg, 'n'))) {
      return true;
    }
  }
  for (size_t i = 1; i < cmd.size(); ++i) {
    if (Lower(cmd.arg(i)).find("assume-yes=true") != std::string::npos) return true;
  }
  return false;
}

bool Prompts(const PackageCommand& pkg) {
  std::string_view sub = pkg.subcommand;
  if (IsApt(pkg))
    return IsInstall(pkg) || sub == "upgrade" || sub == "dist-upgrade" || sub == "full-upgrade";
  if (pkg.manager == PackageManager::kYum || pkg.manager == PackageManager::kDnf) {
    return IsInstall(pkg) || sub == "update" || sub == "upgrade" || sub == "remove" ||
           sub == "erase";
  }
  if (pkg.manager == PackageManager::kZypper) {
    return IsInstall(pkg) || sub == "update" || sub == "up" || sub == "remove" || sub == "rm" ||
           sub == "patch" || sub == "dist-upgrade" || sub == "dup";
  }
  return false;
}

// `yes | apt-get install ...` answers the prompts too.
bool FedByYes(const RunScript& script, const CommandView& cmd) {
  const auto& commands = script.shell.commands;
  for (size_t i = 0; i < commands.size(); ++i) {
    if (NextInPipeline(script.shell, i) == &cmd.command()) {
      return CommandView(commands[i]).program() == "yes";
    }
  }
  return false;
}

void CheckNonInteractive(const Context& ctx) {
  bool configured = AnyRunMentions(ctx, "Assume-Yes");
  ForEachPackageCommand(ctx, [&](const RunPackages&, const RunScript& script,
                                 const CommandView& cmd, const PackageCommand& pkg) {
    if (!Prompts(pkg) || AnswersYes(cmd, pkg) || FedByYes(script, cmd)) return;
    if (IsApt(pkg) && configured) return;
    std::string flag = pkg.manager == PackageManager::kZypper ? "--non-interactive" : "-y";
    ctx.Report("BW-DF-046", ctx.At(script, cmd.at(0)),
               std::string(pkg.tool) + " " + std::string(pkg.subcommand) + " without " + flag +
                   ": the build waits for an answer or aborts");
  });
}

void CheckRecommends(const Context& ctx) {
  if (AnyRunMentions(ctx, "Install-Recommends \"false\"") ||
      AnyRunMentions(ctx, "Install-Recommends \"0\"")) {
    return;
  }
  ForEachPackageCommand(ctx, [&](const RunPackages& run, const RunScript& script,
                                 const CommandView& cmd, const PackageCommand& pkg) {
    if (!IsApt(pkg) || !IsInstall(pkg) || !ctx.InFinalImage(run.stage)) return;
    if (HasOption(cmd, pkg, "--no-install-recommends")) return;
    for (size_t i = 1; i < cmd.size(); ++i) {
      std::string lower = Lower(cmd.arg(i));
      if (lower.find("install-recommends=false") != std::string::npos ||
          lower.find("install-recommends=0") != std::string::npos) {
        return;
      }
    }
    ctx.Report("BW-DF-047", ctx.At(script, cmd.at(0)),
               std::string(pkg.tool) +
                   " install without --no-install-recommends pulls in "
                   "packages nobody asked for");
  });
}

// The first command of a RUN for which `pred(cmd, pkg)` holds.
template <typename Pred>
std::optional<std::pair<const RunScript*, const parse::ShellWord*>> FirstMatch(
    const RunPackages& run, Pred pred, PackageCommand& found) {
  for (const RunScript* script : run.scripts) {
    for (const parse::ShellCommand& command : script->shell.commands) {
      CommandView cmd(command);
      std::optional<PackageCommand> pkg = ParsePackageCommand(cmd);
      if (!pkg || !pred(cmd, *pkg)) continue;
      found = *pkg;
      return std::make_pair(script, &cmd.at(0));
    }
  }
  return std::nullopt;
}

void CheckAptLists(const Context& ctx) {
  for (const RunPackages& run : GroupRuns(ctx)) {
    if (!ctx.InFinalImage(run.stage)) continue;
    PackageCommand pkg;
    auto match = FirstMatch(
        run, [](const CommandView&, const PackageCommand& p) { return IsApt(p) && IsInstall(p); },
        pkg);
    if (!match || CleansDirectory(run, "/var/lib/apt/lists")) continue;
    ctx.Report("BW-DF-049", ctx.At(*match->first, *match->second),
               std::string(pkg.tool) + " " + std::string(pkg.subcommand) +
                   " leaves /var/lib/apt/lists in the layer; remove it in the same RUN");
  }
}

// Reports the first package command of a final-image RUN matching `wants`
// whose cache directories (`cache_dirs`) are neither removed nor cache-mounted.
template <typename Pred>
void CheckCache(const Context& ctx, std::string_view id, Pred wants,
                std::initializer_list<std::string_view> cache_dirs, const std::string& advice) {
  for (const RunPackages& run : GroupRuns(ctx)) {
    if (!ctx.InFinalImage(run.stage)) continue;
    PackageCommand pkg;
    auto match = FirstMatch(run, wants, pkg);
    if (!match) continue;
    bool cleaned = std::any_of(cache_dirs.begin(), cache_dirs.end(),
                               [&](std::string_view dir) { return CleansDirectory(run, dir); });
    if (cleaned) continue;
    ctx.Report(id, ctx.At(*match->first, *match->second),
               std::string(pkg.tool) + " " + std::string(pkg.subcommand) + " " + advice);
  }
}

bool CleansWithTool(const RunPackages& run, const PackageCommand& install) {
  for (const RunScript* script : run.scripts) {
    for (const parse::ShellCommand& command : script->shell.commands) {
      CommandView cmd(command);
      std::optional<PackageCommand> pkg = ParsePackageCommand(cmd);
      if (pkg && pkg->manager == install.manager &&
          (pkg->subcommand == "clean" || pkg->subcommand == "cc")) {
        return true;
      }
    }
  }
  return false;
}

void CheckApkCache(const Context& ctx) {
  CheckCache(
      ctx, "BW-DF-050",
      [](const CommandView& cmd, const PackageCommand& pkg) {
        return pkg.manager == PackageManager::kApk && pkg.subcommand == "add" &&
               !HasOption(cmd, pkg, "--no-cache");
      },
      {"/var/cache/apk", "/etc/apk/cache"},
      "without --no-cache leaves the package index in the layer");
}

void CheckRpmCache(const Context& ctx) {
  for (const RunPackages& run : GroupRuns(ctx)) {
    if (!ctx.InFinalImage(run.stage)) continue;
    PackageCommand pkg;
    auto match = FirstMatch(
        run,
        [&run](const CommandView&, const PackageCommand& p) {
          return IsRpmFamily(p) && IsInstall(p) && !CleansWithTool(run, p);
        },
        pkg);
    if (!match) continue;
    if (CleansDirectory(run, "/var/cache/yum") || CleansDirectory(run, "/var/cache/dnf") ||
        CleansDirectory(run, "/var/cache/libdnf5") || CleansDirectory(run, "/var/cache/zypp")) {
      continue;
    }
    std::string clean = pkg.manager == PackageManager::kZypper
                            ? "zypper clean --all"
                            : std::string(pkg.tool) + " clean all";
    ctx.Report("BW-DF-051", ctx.At(*match->first, *match->second),
               std::string(pkg.tool) + " " + std::string(pkg.subcommand) + " without `" + clean +
                   "` in the same RUN leaves the package cache in the layer");
  }
}

bool HasPipNoCacheEnv(const Context& ctx) {
  for (const parse::Instruction* inst : ctx.instructions()) {
    if (inst->keyword != "ENV" && inst->keyword != "ARG") continue;
    for (const parse::KeyValue& kv : inst->pairs) {
      if (kv.key == "PIP_NO_CACHE_DIR" && kv.has_value) return true;
    }
  }
  return false;
}

void CheckPipCache(const Context& ctx) {
  if (HasPipNoCacheEnv(ctx)) return;
  CheckCache(
      ctx, "BW-DF-052",
      [](const CommandView& cmd, const PackageCommand& pkg) {
        return pkg.manager == PackageManager::kPip && pkg.subcommand == "install" &&
               !HasOption(cmd, pkg, "--no-cache-dir");
      },
      {"/root/.cache/pip", "/root/.cache"},
      "without --no-cache-dir keeps pip's download cache in the layer");
}

}  // namespace

std::vector<DockerfileCheck> PackageChecks() {
  using core::Category;
  const core::References kBloat = {.cis = {"4.3"}, .nist = {"CM-7"}};
  return {
      {{.id = "BW-DF-043",
        .title = "apt used instead of apt-get",
        .severity = Severity::kLow,
        .category = Category::kDockerfile,
        .rationale = "apt is meant for people: its CLI is not stable and it warns when scripted.",
        .remediation = "Use apt-get (or apt-cache) in Dockerfiles.",
        .references = {.nist = {"CM-6"}},
        .fixable = true,
        .peers = {"hadolint DL3027", "checkov CKV_DOCKER_9"}},
       &CheckAptCli},
      {{.id = "BW-DF-044",
        .title = "Distribution upgrade inside the image",
        .severity = Severity::kInfo,
        .category = Category::kDockerfile,
        .rationale = "dist-upgrade can move the image to packages the base image was not built "
                     "or tested with; rebuild on a newer base image instead.",
        .remediation = "Use a newer, patched base image; use `apt-get upgrade` at most.",
        .references = {.nist = {"CM-2"}},
        .peers = {"trivy DS024", "hadolint DL3035"}},
       &CheckDistUpgrade},
      {{.id = "BW-DF-045",
        .title = "Package index update alone in a RUN",
        .severity = Severity::kLow,
        .category = Category::kDockerfile,
        .rationale = "A RUN that only updates the index is cached on its own; later installs "
                     "then use a stale index and miss security updates.",
        .remediation = "Update and install in one RUN: `apt-get update && apt-get install -y ...`.",
        .references = {.cis = {"4.7"}, .nist = {"SI-2"}},
        .fixable = true,
        .peers = {"trivy DS017", "checkov CKV_DOCKER_5"}},
       &CheckUpdateAlone},
      {{.id = "BW-DF-046",
        .title = "Package install may prompt",
        .severity = Severity::kLow,
        .category = Category::kDockerfile,
        .rationale = "Without a non-interactive flag the package manager waits for an answer; "
                     "builds hang or abort unpredictably.",
        .remediation = "Add -y (apt-get, yum, dnf) or --non-interactive (zypper).",
        .references = {.nist = {"CM-6"}},
        .fixable = true,
        .peers = {"hadolint DL3014", "hadolint DL3030", "hadolint DL3038", "hadolint DL3034",
                  "trivy DS021"}},
       &CheckNonInteractive},
      {{.id = "BW-DF-047",
        .title = "apt-get install without --no-install-recommends",
        .severity = Severity::kLow,
        .category = Category::kDockerfile,
        .rationale = "Recommended packages add attack surface and CVEs that nothing in the image "
                     "uses.",
        .remediation = "Add --no-install-recommends to apt-get install.",
        .references = kBloat,
        .fixable = true,
        .peers = {"hadolint DL3015", "trivy DS029"}},
       &CheckRecommends},
      {{.id = "BW-DF-049",
        .title = "apt lists left in the image",
        .severity = Severity::kLow,
        .category = Category::kDockerfile,
        .rationale = "/var/lib/apt/lists adds tens of MB and a stale package index to the final "
                     "image.",
        .remediation = "End the RUN with `&& rm -rf /var/lib/apt/lists/*` or use a cache mount.",
        .references = kBloat,
        .fixable = true,
        .peers = {"hadolint DL3009"}},
       &CheckAptLists},
      {{.id = "BW-DF-050",
        .title = "apk add without --no-cache",
        .severity = Severity::kLow,
        .category = Category::kDockerfile,
        .rationale = "The apk index stays in the layer: larger image, stale metadata.",
        .remediation = "Use `apk add --no-cache ...`.",
        .references = kBloat,
        .fixable = true,
        .peers = {"hadolint DL3019", "trivy DS025"}},
       &CheckApkCache},
      {{.id = "BW-DF-051",
        .title = "yum/dnf/zypper cache not cleaned",
        .severity = Severity::kLow,
        .category = Category::kDockerfile,
        .rationale = "The RPM package cache stays in the layer: larger image, stale metadata.",
        .remediation = "End the RUN with `&& yum clean all` (`dnf clean all`, `microdnf clean "
                       "all`, `zypper clean --all`).",
        .references = kBloat,
        .fixable = true,
        .peers = {"hadolint DL3032", "hadolint DL3040", "hadolint DL3036", "trivy DS015",
                  "trivy DS019", "trivy DS020", "trivy DS027"}},
       &CheckRpmCache},
      {{.id = "BW-DF-052",
        .title = "pip install without --no-cache-dir",
        .severity = Severity::kLow,
        .category = Category::kDockerfile,
        .rationale = "pip's download cache stays in the layer and can double the image size.",
        .remediation = "Use `pip install --no-cache-dir ...` or set `ENV PIP_NO_CACHE_DIR=1`.",
        .references = kBloat,
        .fixable = true,
        .peers = {"hadolint DL3042"}},
       &CheckPipCache},
  };
}

}  // namespace bulwark::audit::dockerfile
