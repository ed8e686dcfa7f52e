// Checks that a build keeps its integrity and isolation guarantees: TLS and
// package-signature verification left on, no plain-HTTP downloads, no
// insecure or host-network RUN, no SSH server in the image.
#include <algorithm>
#include <cctype>

#include "audit/dockerfile_checks_packages.hpp"

namespace bulwark::audit::dockerfile {
namespace {

using core::Severity;
using parse::ShellCommand;

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}
bool Has(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}
bool IsFalse(std::string_view value) {
  std::string lower = Lower(value);
  return lower == "0" || lower == "false" || lower == "no" || lower == "off";
}

// curl -k, or a cluster of flags like -fsSLk.
bool CurlInsecure(std::string_view arg) {
  if (arg == "-k" || arg == "--insecure") return true;
  if (arg.size() < 3 || arg[0] != '-' || arg[1] == '-') return false;
  size_t k = arg.find('k');
  if (k == std::string_view::npos) return false;
  return arg.substr(1, k - 1).find_first_not_of("fsSLvqIiNgJOZl#") == std::string_view::npos;
}

// Environment variables that turn TLS verification (035) or signature /
// checksum verification (036) off, with the test for the disabling value.
struct EnvSwitch {
  std::string_view name;
  std::string_view id;
  bool (*disables)(std::string_view value);
};

bool IsZero(std::string_view v) { return v == "0"; }
bool NotFalse(std::string_view v) { return !v.empty() && !IsFalse(v); }
bool IsOff(std::string_view v) { return Lower(v) == "off"; }

constexpr EnvSwitch kEnvSwitches[] = {
    {"NODE_TLS_REJECT_UNAUTHORIZED", "BW-DF-035", IsZero},
    {"PYTHONHTTPSVERIFY", "BW-DF-035", IsZero},
    {"GIT_SSL_NO_VERIFY", "BW-DF-035", NotFalse},
    {"NPM_CONFIG_STRICT_SSL", "BW-DF-035", IsFalse},
    {"YARN_ENABLE_STRICT_SSL", "BW-DF-035", IsFalse},
    {"PIP_TRUSTED_HOST", "BW-DF-035", NotFalse},
    {"GOINSECURE", "BW-DF-035", NotFalse},
    {"GOSUMDB", "BW-DF-036", IsOff},
};

void CheckEnvSwitch(const Context& ctx, std::string_view key, std::string_view value,
                    const core::Location& at, const std::string& where) {
  for (const EnvSwitch& sw : kEnvSwitches) {
    if (Lower(key) != Lower(sw.name) || !sw.disables(value)) continue;
    ctx.Report(
        sw.id, at,
        where + " " + std::string(key) + "=" + std::string(value) +
            (sw.id == "BW-DF-035" ? " turns off TLS certificate verification"
                                  : " turns off checksum verification of downloaded modules"));
  }
}

// The word of `cmd` that disables TLS verification, or nullptr.
const parse::ShellWord* TlsOff(const CommandView& cmd) {
  std::string_view program = cmd.program();
  for (size_t i = 1; i < cmd.size(); ++i) {
    std::string_view arg = cmd.arg(i);
    std::string lower = Lower(arg);
    std::string next = Lower(cmd.arg(i + 1));
    bool off = (program == "curl" && CurlInsecure(arg)) ||
               ((program == "wget" || program == "apk") && arg == "--no-check-certificate") ||
               (StartsWith(program, "pip") && StartsWith(arg, "--trusted-host")) ||
               (program == "git" && (lower == "http.sslverify=false" ||
                                     (lower == "http.sslverify" && IsFalse(next)))) ||
               ((program == "npm" || program == "yarn" || program == "pnpm") &&
                (lower == "--strict-ssl=false" || (lower == "strict-ssl" && IsFalse(next)))) ||
               Has(lower, "verify-peer=false") || Has(lower, "verify-host=false") ||
               Has(lower, "verify-peer \"false\"") || Has(lower, "verify-host \"false\"") ||
               Has(lower, "sslverify=0") || Has(lower, "sslverify=false") ||
               (program == "composer" && lower == "disable-tls" && next == "true") ||
               (program == "conda" && lower == "ssl_verify" && IsFalse(next));
    if (off) return &cmd.at(i);
  }
  return nullptr;
}

bool DisablesGpgcheck(std::string_view lower) {
  for (size_t pos = lower.find("gpgcheck="); pos != std::string_view::npos;
       pos = lower.find("gpgcheck=", pos + 1)) {
    bool repo = pos > 0 && lower[pos - 1] == '_';
    if (!repo && IsFalse(lower.substr(pos + 9, lower.find_first_of(" \n'\"", pos + 9) - pos - 9))) {
      return true;
    }
  }
  return false;
}

const parse::ShellWord* SignaturesOff(const CommandView& cmd) {
  std::string_view program = cmd.program();
  for (size_t i = 1; i < cmd.size(); ++i) {
    std::string_view arg = cmd.arg(i);
    std::string lower = Lower(arg);
    bool off = arg == "--allow-unauthenticated" || arg == "--allow-insecure-repositories" ||
               arg == "--force-yes" || arg == "--allow-untrusted" || arg == "--nogpgcheck" ||
               (program == "rpm" && (arg == "--nosignature" || arg == "--nodigest")) ||
               Has(lower, "allowunauthenticated=true") ||
               Has(lower, "allowinsecurerepositories=true") ||
               (Has(lower, "trusted=yes") && !Has(lower, "file:") && !Has(lower, "copy:")) ||
               DisablesGpgcheck(lower) || (program == "go" && lower == "gosumdb=off");
    if (off) return &cmd.at(i);
  }
  return nullptr;
}

void CheckVerificationOff(const Context& ctx) {
  for (const parse::Instruction* inst : ctx.instructions()) {
    if (inst->keyword != "ENV" && inst->keyword != "ARG") continue;
    for (const parse::KeyValue& kv : inst->pairs) {
      if (!kv.has_value) continue;
      CheckEnvSwitch(ctx, kv.key, kv.value, ctx.At(kv.offset, kv.offset + kv.key.size()),
                     inst->keyword);
    }
  }
  for (const RunScript& run : ctx.runs()) {
    if (!run.posix_shell) continue;
    for (const ShellCommand& command : run.shell.commands) {
      for (const parse::ShellWord& assignment : command.assignments) {
        size_t eq = assignment.text.find('=');
        CheckEnvSwitch(ctx, std::string_view(assignment.text).substr(0, eq),
                       std::string_view(assignment.text).substr(eq + 1), ctx.At(run, assignment),
                       "RUN");
      }
      CommandView cmd(command);
      if (cmd.empty()) continue;
      if (const parse::ShellWord* word = TlsOff(cmd)) {
        ctx.Report("BW-DF-035", ctx.At(run, *word),
                   std::string(cmd.program()) + " " + word->text +
                       " turns off TLS certificate verification: anyone on the network path can "
                       "substitute the download");
      }
      if (const parse::ShellWord* word = SignaturesOff(cmd)) {
        ctx.Report("BW-DF-036", ctx.At(run, *word),
                   std::string(cmd.program()) + " " + Quote(word->text) +
                       " installs packages without verifying their signatures");
      }
    }
  }
}

bool IsLocalHost(std::string_view url) {
  std::string_view host = url.substr(7);
  for (std::string_view local : {"localhost", "127.", "0.0.0.0", "[::1]", "host.docker.internal"}) {
    if (StartsWith(host, local)) return true;
  }
  return false;
}

bool IsPlainHttp(std::string_view arg) {
  std::string lower = Lower(arg.substr(0, 7));
  return lower == "http://" && !IsLocalHost(arg);
}

// sha256sum -c, gpg --verify, cosign verify...: the download is checked.
bool VerifiesDownloads(const RunScript& run) {
  for (const ShellCommand& command : run.shell.commands) {
    CommandView cmd(command);
    std::string_view program = cmd.program();
    bool sum = program.size() > 3 && program.substr(program.size() - 3) == "sum";
    if ((sum || program == "shasum") && (cmd.HasArg("-c") || cmd.HasArgPrefix("--check")))
      return true;
    if ((program == "gpg" || program == "gpg2") && cmd.HasArg("--verify")) return true;
    if (program == "gpgv" || program == "minisign" || program == "signify") return true;
    if (program == "cosign" && cmd.HasArg("verify-blob")) return true;
  }
  return false;
}

const parse::ShellWord* PlainHttpUrl(const CommandView& cmd) {
  std::string_view program = cmd.program();
  bool downloader = program == "curl" || program == "wget";
  bool index = StartsWith(program, "pip") || program == "npm" || program == "yarn";
  if (!downloader && !index) return nullptr;
  for (size_t i = 1; i < cmd.size(); ++i) {
    std::string_view arg = cmd.arg(i);
    if (downloader && IsPlainHttp(arg)) return &cmd.at(i);
    if (!index) continue;
    size_t eq = arg.find('=');
    if (StartsWith(arg, "--") && eq != std::string_view::npos && IsPlainHttp(arg.substr(eq + 1))) {
      return &cmd.at(i);
    }
    if ((arg == "-i" || arg == "--index-url" || arg == "--extra-index-url" || arg == "--registry" ||
         arg == "registry") &&
        IsPlainHttp(cmd.arg(i + 1))) {
      return &cmd.at(i + 1);
    }
  }
  return nullptr;
}

void CheckPlainHttp(const Context& ctx) {
  for (const RunScript& run : ctx.runs()) {
    if (!run.posix_shell || VerifiesDownloads(run)) continue;
    for (const ShellCommand& command : run.shell.commands) {
      CommandView cmd(command);
      const parse::ShellWord* url = PlainHttpUrl(cmd);
      if (url == nullptr) continue;
      ctx.Report("BW-DF-037", ctx.At(run, *url),
                 std::string(cmd.program()) + " fetches " + Quote(url->text, 80) +
                     " over plain HTTP with no checksum or signature check in the same RUN");
    }
  }
}

void CheckRunFlags(const Context& ctx) {
  for (const parse::Instruction* inst : ctx.instructions()) {
    if (inst->keyword != "RUN") continue;
    for (const parse::Flag& flag : inst->flags) {
      core::Location at = ctx.At(flag.offset, flag.offset + 2 + flag.name.size());
      if (flag.name == "security" && flag.value == "insecure") {
        ctx.Report("BW-DF-040", at,
                   "RUN --security=insecure runs this build step without the sandbox, like a "
                   "privileged container");
      } else if (flag.name == "network" && flag.value == "host") {
        ctx.Report("BW-DF-041", at,
                   "RUN --network=host gives this build step the build host's network stack");
      }
    }
  }
}

bool IsSshServerPackage(std::string_view name) {
  std::string_view base = name.substr(0, name.find_first_of("=<>~:"));
  return base == "openssh-server" || base == "openssh" || base == "dropbear" || base == "ssh" ||
         base == "openssh-server-pam";
}

// The word of a command that installs or starts an SSH server, or nullptr.
const parse::ShellWord* SshServer(const CommandView& cmd) {
  if (cmd.program() == "sshd" || cmd.program() == "dropbear") return &cmd.at(0);
  if ((cmd.program() == "service" || cmd.program() == "rc-service") &&
      (cmd.arg(1) == "ssh" || cmd.arg(1) == "sshd")) {
    return &cmd.at(1);
  }
  std::optional<PackageCommand> pkg = ParsePackageCommand(cmd);
  if (!pkg || !IsInstall(*pkg) || pkg->manager == PackageManager::kPip ||
      pkg->manager == PackageManager::kNpm) {
    return nullptr;
  }
  for (size_t i : pkg->packages) {
    if (IsSshServerPackage(cmd.arg(i))) return &cmd.at(i);
  }
  return nullptr;
}

void CheckSshServer(const Context& ctx) {
  for (const RunScript& run : ctx.runs()) {
    if (!run.posix_shell || !ctx.InFinalImage(run.stage)) continue;
    for (const ShellCommand& command : run.shell.commands) {
      CommandView cmd(command);
      if (cmd.empty()) continue;
      if (const parse::ShellWord* word = SshServer(cmd)) {
        ctx.Report("BW-DF-042", ctx.At(run, *word),
                   "RUN " + std::string(cmd.program()) + " " + Quote(word->text) +
                       " puts an SSH server into the final image");
      }
    }
  }
  for (const parse::Instruction& inst : ctx.df().instructions) {
    if ((inst.keyword != "CMD" && inst.keyword != "ENTRYPOINT") ||
        !ctx.InFinalImage(inst.stage_index)) {
      continue;
    }
    for (const parse::Word& word : inst.args) {
      if (parse::CommandName(word.value) != "sshd" && word.value.find("sshd ") == std::string::npos)
        continue;
      ctx.Report("BW-DF-042", ctx.At(word),
                 inst.keyword + " starts an SSH server in the container");
      break;
    }
  }
}

}  // namespace

std::vector<DockerfileCheck> HardeningChecks() {
  using core::Category;
  return {
      {{.id = "BW-DF-035",
        .title = "TLS certificate verification disabled",
        .severity = Severity::kHigh,
        .category = Category::kDockerfile,
        .rationale = "With verification off (curl -k, --no-check-certificate, "
                     "NODE_TLS_REJECT_UNAUTHORIZED=0...) anyone on the network path can serve "
                     "their own code or packages to the build or the running service.",
        .remediation = "Remove the option; if a private CA is needed, add its certificate to the "
                       "trust store (`update-ca-certificates`) instead.",
        .references = {.nist = {"SC-8", "SI-7"}, .cwe = {"CWE-295"}}},
       &CheckVerificationOff},
      {{.id = "BW-DF-036",
        .title = "Package signature verification disabled",
        .severity = Severity::kHigh,
        .category = Category::kDockerfile,
        .rationale = "--allow-unauthenticated, --allow-untrusted, --nogpgcheck, [trusted=yes] or "
                     "GOSUMDB=off accept packages nobody signed: a tampered mirror goes unnoticed.",
        .remediation = "Keep signature checks on and import the repository's signing key.",
        .references = {.cis = {"4.11"}, .nist = {"SI-7", "SR-11"}, .cwe = {"CWE-347"}}},
       nullptr},
      {{.id = "BW-DF-037",
        .title = "Download over plain HTTP",
        .severity = Severity::kMedium,
        .category = Category::kDockerfile,
        .rationale = "Content fetched over http:// can be altered in transit; without a checksum "
                     "or signature check the build runs whatever arrives.",
        .remediation = "Use https:// and verify a published checksum (`sha256sum -c`) or "
                       "signature in the same RUN.",
        .references = {.nist = {"SC-8", "SI-7"}, .cwe = {"CWE-319", "CWE-494"}}},
       &CheckPlainHttp},
      {{.id = "BW-DF-040",
        .title = "RUN --security=insecure",
        .severity = Severity::kHigh,
        .category = Category::kDockerfile,
        .rationale = "An insecure RUN has the privileges of a privileged container on the build "
                     "host: a malicious dependency can take over the builder.",
        .remediation = "Drop --security=insecure; do privileged setup outside the image build.",
        .references = {.attack = {"T1611"}, .nist = {"AC-6", "CM-7"}, .cwe = {"CWE-250"}}},
       &CheckRunFlags},
      {{.id = "BW-DF-041",
        .title = "RUN --network=host",
        .severity = Severity::kLow,
        .category = Category::kDockerfile,
        .rationale = "A build step on the host network can reach services bound to the build "
                     "host's localhost and internal networks.",
        .remediation = "Use the default build network, or `--network=none` for steps that need "
                       "no network.",
        .references = {.nist = {"SC-7"}, .cwe = {"CWE-668"}}},
       nullptr},
      {{.id = "BW-DF-042",
        .title = "SSH server in the image",
        .severity = Severity::kMedium,
        .category = Category::kDockerfile,
        .rationale = "An SSH daemon is a second, usually weakly managed, way into the container "
                     "that bypasses the orchestrator's access control and audit.",
        .remediation = "Remove the SSH server; use `docker exec` or `kubectl exec` for access.",
        .references =
            {.cis = {"5.7"}, .attack = {"T1133"}, .nist = {"CM-7", "AC-17"}, .cwe = {"CWE-1188"}},
        .peers = {"hadolint DL3001"}},
       &CheckSshServer},
  };
}

}  // namespace bulwark::audit::dockerfile
