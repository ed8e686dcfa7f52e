// Checks on single instructions: EXPOSE, WORKDIR, MAINTAINER and the form of
// CMD / ENTRYPOINT.
#include <algorithm>
#include <cctype>

#include "audit/dockerfile_checks_context.hpp"

namespace bulwark::audit::dockerfile {
namespace {

using core::Severity;

struct AdminPort {
  int port;
  std::string_view service;
  Severity severity;
};

// Remote-administration services that should never be reachable in a container.
constexpr AdminPort kAdminPorts[] = {{22, "SSH", Severity::kMedium},
                                     {23, "Telnet", Severity::kHigh},
                                     {2375, "Docker API (plain)", Severity::kHigh},
                                     {2376, "Docker API", Severity::kMedium},
                                     {3389, "RDP", Severity::kMedium},
                                     {5900, "VNC", Severity::kMedium},
                                     {5985, "WinRM", Severity::kMedium},
                                     {5986, "WinRM", Severity::kMedium}};

bool AllDigits(std::string_view text) {
  return !text.empty() && text.size() <= 6 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct PortRange {
  bool valid = false;
  long low = 0;
  long high = 0;
};

// "80", "80/tcp", "8000-8010/udp".
PortRange ParsePort(std::string_view text) {
  PortRange out;
  size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    std::string proto = Lower(text.substr(slash + 1));
    if (proto != "tcp" && proto != "udp" && proto != "sctp") return out;
    text = text.substr(0, slash);
  }
  size_t dash = text.find('-');
  std::string_view low = text.substr(0, dash);
  std::string_view high = dash == std::string_view::npos ? low : text.substr(dash + 1);
  if (!AllDigits(low) || !AllDigits(high)) return out;
  out.low = std::stol(std::string(low));
  out.high = std::stol(std::string(high));
  out.valid = out.low <= out.high && out.high <= 65535;
  return out;
}

void CheckExposedPorts(const Context& ctx) {
  for (const parse::Instruction& inst : ctx.df().instructions) {
    if (inst.keyword != "EXPOSE") continue;
    for (const parse::Word& word : inst.args) {
      if (parse::HasVariable(word.value)) continue;
      PortRange range = ParsePort(word.value);
      if (!range.valid) {
        ctx.Report("BW-DF-010", ctx.At(word),
                   "EXPOSE " + Quote(word.value) +
                       " is not a valid port: ports range from 0 to 65535 (with an optional "
                       "/tcp, /udp or /sctp)");
        continue;
      }
      if (!ctx.InFinalImage(inst.stage_index)) continue;
      for (const AdminPort& admin : kAdminPorts) {
        if (admin.port < range.low || admin.port > range.high) continue;
        ctx.Report("BW-DF-009", admin.severity, ctx.At(word),
                   "EXPOSE " + word.value + " publishes port " + std::to_string(admin.port) + " (" +
                       std::string(admin.service) + ")");
      }
    }
  }
}

bool IsWindowsPath(std::string_view path) {
  return (path.size() >= 2 && std::isalpha(static_cast<unsigned char>(path[0])) &&
          path[1] == ':') ||
         path.front() == '\\';
}

bool UnderSystemDir(std::string_view path) {
  static constexpr std::string_view kDirs[] = {"/proc", "/sys", "/dev", "/boot"};
  for (std::string_view dir : kDirs) {
    if (path.substr(0, dir.size()) == dir &&
        (path.size() == dir.size() || path[dir.size()] == '/')) {
      return true;
    }
  }
  return false;
}

void CheckWorkdir(const Context& ctx) {
  for (const parse::Instruction& inst : ctx.df().instructions) {
    if (inst.keyword != "WORKDIR" || inst.args.empty()) continue;
    const parse::Word& word = inst.args[0];
    std::string_view path = word.value;
    if (path.empty() || path.front() == '$' || IsWindowsPath(path)) continue;
    if (path.front() != '/') {
      ctx.Report("BW-DF-012", ctx.At(word),
                 "WORKDIR " + Quote(path) +
                     " is relative: where it lands depends on the WORKDIR of the base image");
    } else if (UnderSystemDir(path)) {
      ctx.Report("BW-DF-013", ctx.At(word),
                 "WORKDIR " + Quote(path) + " is inside a kernel or system directory");
    }
  }
}

void CheckMaintainer(const Context& ctx) {
  for (const parse::Instruction& inst : ctx.df().instructions) {
    if (inst.keyword != "MAINTAINER") continue;
    ctx.Report("BW-DF-014", ctx.At(inst),
               "MAINTAINER is deprecated; use LABEL org.opencontainers.image.authors=\"" +
                   (inst.args.empty() ? std::string() : inst.args[0].value) + "\"");
  }
}

bool LooksLikeBrokenJson(const parse::Instruction& inst) {
  std::string_view text = inst.args_text;
  if (inst.json_form || text.size() < 2 || text[0] != '[') return false;
  return text[1] == '\'' || text[1] == '"' ||
         (text.back() == ']' && text.find(',') != std::string_view::npos);
}

// The last instruction named `keyword` in the final stage or those it is built FROM.
const parse::Instruction* EffectiveInstruction(const Context& ctx, std::string_view keyword) {
  const parse::Stage* final = ctx.df().FinalStage();
  for (int s = final ? final->index : -1; s >= 0;
       s = ctx.df().stages[static_cast<size_t>(s)].parent_stage) {
    const parse::Instruction* last = nullptr;
    for (const parse::Instruction& inst : ctx.StageInstructions(s)) {
      if (inst.keyword == keyword) last = &inst;
    }
    if (last != nullptr) return last;
  }
  return nullptr;
}

void CheckExecForm(const Context& ctx) {
  for (const parse::Instruction& inst : ctx.df().instructions) {
    if ((inst.keyword == "CMD" || inst.keyword == "ENTRYPOINT") && LooksLikeBrokenJson(inst)) {
      ctx.Report("BW-DF-015", Severity::kLow, ctx.At(inst),
                 inst.keyword + " " + Quote(inst.args_text) +
                     " is not valid JSON (exec form needs double quotes): it runs as a shell "
                     "command and will not start as intended");
    }
  }
  const parse::Stage* final = ctx.df().FinalStage();
  if (final == nullptr) return;
  const StageFacts& facts = ctx.stage(final->index);
  if (facts.shell.empty() || !IsPosixShell(parse::CommandName(facts.shell[0]))) return;
  const parse::Instruction* entrypoint = EffectiveInstruction(ctx, "ENTRYPOINT");
  const parse::Instruction* cmd = EffectiveInstruction(ctx, "CMD");
  const parse::Instruction* target = entrypoint != nullptr ? entrypoint : cmd;
  if (target == nullptr || target->json_form || target->args_text.empty() ||
      LooksLikeBrokenJson(*target)) {
    return;
  }
  ctx.Report("BW-DF-015", ctx.At(*target),
             target->keyword +
                 " in shell form runs under /bin/sh -c: the service does not "
                 "receive SIGTERM and is killed after the stop timeout");
}

}  // namespace

std::vector<DockerfileCheck> InstructionChecks() {
  using core::Category;
  return {
      {{.id = "BW-DF-009",
        .title = "Remote administration port exposed",
        .severity = Severity::kMedium,
        .category = Category::kDockerfile,
        .rationale = "SSH, Telnet, RDP, VNC or the Docker API inside a container is a second way "
                     "in that bypasses the orchestrator; use `docker exec` / `kubectl exec`.",
        .remediation = "Remove the EXPOSE and the daemon behind it.",
        .references = {.cis = {"5.7"},
                       .attack = {"T1133", "T1552.007"},
                       .nist = {"CM-7", "AC-17", "SC-7"},
                       .cwe = {"CWE-668"}},
        .fixable = true,
        .peers = {"trivy DS004", "checkov CKV_DOCKER_1"}},
       &CheckExposedPorts},
      {{.id = "BW-DF-010",
        .title = "EXPOSE of an invalid port",
        .severity = Severity::kLow,
        .category = Category::kDockerfile,
        .rationale = "A port outside 0-65535 or with an unknown protocol is an error that hides "
                     "which port the service really listens on.",
        .remediation = "Use `EXPOSE <0-65535>[/tcp|/udp|/sctp]`.",
        .references = {.cwe = {"CWE-20"}},
        .peers = {"hadolint DL3011", "trivy DS008"}},
       nullptr},
      {{.id = "BW-DF-012",
        .title = "Relative WORKDIR",
        .severity = Severity::kLow,
        .category = Category::kDockerfile,
        .rationale = "A relative WORKDIR lands wherever the base image's WORKDIR points, so files "
                     "may be written to unexpected, possibly shared, directories.",
        .remediation = "Use an absolute path: `WORKDIR /app`.",
        .references = {.nist = {"CM-6"}},
        .fixable = true,
        .peers = {"hadolint DL3000", "trivy DS009", "checkov CKV_DOCKER_10"}},
       &CheckWorkdir},
      {{.id = "BW-DF-013",
        .title = "WORKDIR in a system directory",
        .severity = Severity::kLow,
        .category = Category::kDockerfile,
        .rationale = "/proc, /sys, /dev and /boot are kernel or host interfaces; working in them "
                     "invites writes to places that affect the runtime.",
        .remediation = "Work in an application directory such as /app.",
        .references = {.nist = {"CM-6"}},
        .peers = {"trivy DS030"}},
       nullptr},
      {{.id = "BW-DF-014",
        .title = "Deprecated MAINTAINER instruction",
        .severity = Severity::kInfo,
        .category = Category::kDockerfile,
        .rationale = "MAINTAINER is deprecated and not shown by image tooling.",
        .remediation = "Use `LABEL org.opencontainers.image.authors=\"...\"`.",
        .references = {.nist = {"CM-6"}},
        .fixable = true,
        .peers = {"hadolint DL4000", "trivy DS022", "checkov CKV_DOCKER_6"}},
       &CheckMaintainer},
      {{.id = "BW-DF-015",
        .title = "CMD or ENTRYPOINT not in exec form",
        .severity = Severity::kInfo,
        .category = Category::kDockerfile,
        .rationale = "In shell form the service runs as a child of /bin/sh, which does not pass "
                     "on SIGTERM: shutdowns are not graceful. Single quotes turn an intended exec "
                     "form into a broken shell command.",
        .remediation = "Use a JSON array with double quotes: `CMD [\"gunicorn\", \"app:app\"]`.",
        .references = {.cwe = {"CWE-710"}},
        .fixable = true,
        .peers = {"hadolint DL3025"}},
       &CheckExecForm},
  };
}

}  // namespace bulwark::audit::dockerfile
