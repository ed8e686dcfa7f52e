// Checks for secrets written into the Dockerfile: ENV and ARG with
// credential names, credentials inside URLs, and passwords or tokens passed
// on RUN command lines. Messages never carry a whole secret.
#include <algorithm>
#include <cctype>

#include "audit/dockerfile_checks_context.hpp"
#include "audit/dockerfile_checks_secret_names.hpp"
#include "audit/secret_text.hpp"

namespace bulwark::audit::dockerfile {
namespace {

using core::Severity;

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool IsBooleanish(std::string_view value) {
  static constexpr std::string_view kWords[] = {"true", "false", "yes", "no", "on",
                                                "off",  "0",     "1",   "y",  "n"};
  std::string lower = Lower(value);
  return std::find(std::begin(kWords), std::end(kWords), lower) != std::end(kWords);
}

enum class ValueKind { kNone, kReference, kLiteral };

ValueKind Classify(std::string_view value) {
  if (value.empty() || IsBooleanish(value)) return ValueKind::kNone;
  if (value.front() == '$') return ValueKind::kReference;
  if (ClassifyPlaceholder(value) == PlaceholderKind::kReference) return ValueKind::kNone;
  return ValueKind::kLiteral;
}

void CheckEnvSecrets(const Context& ctx) {
  for (const parse::Instruction* inst : ctx.instructions()) {
    if (inst->keyword != "ENV") continue;
    for (const parse::KeyValue& kv : inst->pairs) {
      if (!IsSecretName(kv.key)) continue;
      ValueKind kind = Classify(kv.value);
      core::Location at = ctx.At(kv.offset, kv.offset + kv.key.size());
      if (kind == ValueKind::kLiteral) {
        ctx.Report("BW-DF-027", at,
                   "ENV " + kv.key + " hard-codes a secret (" + MaskSecret(kv.value) +
                       ") that every container, `docker inspect` and the registry can read");
      } else if (kind == ValueKind::kReference) {
        ctx.Report("BW-DF-027", Severity::kMedium, at,
                   "ENV " + kv.key + "=" + kv.value +
                       " stores a secret in the image configuration, readable with docker inspect");
      }
    }
  }
}

void CheckArgSecrets(const Context& ctx) {
  for (const parse::Instruction* inst : ctx.instructions()) {
    if (inst->keyword != "ARG") continue;
    for (const parse::KeyValue& kv : inst->pairs) {
      if (!IsSecretName(kv.key)) continue;
      core::Location at = ctx.At(kv.offset, kv.offset + kv.key.size());
      if (kv.has_value && Classify(kv.value) == ValueKind::kLiteral) {
        ctx.Report("BW-DF-028", Severity::kHigh, at,
                   "ARG " + kv.key + " has a hard-coded secret default (" + MaskSecret(kv.value) +
                       "), kept in the Dockerfile and the image history");
      } else {
        ctx.Report("BW-DF-028", at,
                   "build argument " + kv.key +
                       " carries a secret: build-arg values are recorded in the image history "
                       "of every RUN that sees them");
      }
    }
  }
}

// "scheme://user:password@host": the password part, empty when none.
std::string_view UrlPassword(std::string_view text, size_t& scheme_pos) {
  for (size_t pos = text.find("://"); pos != std::string_view::npos;
       pos = text.find("://", pos + 3)) {
    size_t begin = pos + 3;
    size_t end = std::min(text.find_first_of("/ \t\n?#\"'", begin), text.size());
    std::string_view authority = text.substr(begin, end - begin);
    size_t at = authority.rfind('@');
    if (at == std::string_view::npos) continue;
    std::string_view userinfo = authority.substr(0, at);
    size_t colon = userinfo.find(':');
    if (colon == std::string_view::npos || colon + 1 >= userinfo.size()) continue;
    scheme_pos = pos;
    return userinfo.substr(colon + 1);
  }
  return {};
}

void ReportUrlCredentials(const Context& ctx, std::string_view text, const core::Location& at,
                          const std::string& where) {
  size_t scheme = 0;
  std::string_view password = UrlPassword(text, scheme);
  if (password.empty()) return;
  bool reference = password.front() == '$';
  ctx.Report("BW-DF-029", reference ? Severity::kMedium : Severity::kHigh, at,
             where + " embeds credentials in a URL (password " +
                 (reference ? std::string(password) : MaskSecret(password)) + ")");
}

void CheckUrlCredentials(const Context& ctx) {
  for (const parse::Instruction* inst : ctx.instructions()) {
    for (const parse::KeyValue& kv : inst->pairs) {
      ReportUrlCredentials(ctx, kv.value, ctx.At(kv.offset, kv.offset + kv.key.size()),
                           inst->keyword + " " + kv.key);
    }
    if (inst->keyword != "ADD" && inst->keyword != "COPY") continue;
    for (const parse::Word& word : inst->args) {
      ReportUrlCredentials(ctx, word.value, ctx.At(word), inst->keyword);
    }
  }
  for (const RunScript& run : ctx.runs()) {
    for (const parse::ShellCommand& cmd : run.shell.commands) {
      for (const parse::ShellWord& word : cmd.words) {
        ReportUrlCredentials(ctx, word.text, ctx.At(run, word), "RUN");
      }
    }
  }
}

bool IsLiteralSecret(std::string_view value) {
  if (value.empty() || value == "-" || value.front() == '-') return false;
  return Classify(value) == ValueKind::kLiteral;
}

// `--password=x` / `--password x` / `--api-token x` style options.
void CheckSecretOptions(const Context& ctx, const RunScript& run, const CommandView& cmd) {
  for (size_t i = 1; i < cmd.size(); ++i) {
    std::string_view arg = cmd.arg(i);
    if (!StartsWith(arg, "--") || arg.size() < 4) continue;
    size_t eq = arg.find('=');
    std::string_view name = arg.substr(2, eq == std::string_view::npos ? arg.npos : eq - 2);
    if (!IsSecretName(name)) continue;
    std::string_view value = eq == std::string_view::npos ? cmd.arg(i + 1) : arg.substr(eq + 1);
    if (!IsLiteralSecret(value)) continue;
    ctx.Report("BW-DF-030", ctx.At(run, cmd.at(i)),
               std::string(cmd.program()) + " --" + std::string(name) +
                   " passes a hard-coded secret (" + MaskSecret(value) + ") on the command line");
  }
}

// curl -u user:pass, -H "Authorization: Bearer x", mysql -pX, sshpass -p X,
// openssl -passin pass:X.
void CheckProgramSecrets(const Context& ctx, const RunScript& run, const CommandView& cmd) {
  std::string_view program = cmd.program();
  for (size_t i = 1; i < cmd.size(); ++i) {
    std::string_view arg = cmd.arg(i);
    std::string_view next = cmd.arg(i + 1);
    std::string_view secret;
    if ((program == "curl" || program == "wget") && (arg == "-u" || arg == "--user")) {
      size_t colon = next.find(':');
      if (colon != std::string_view::npos) secret = next.substr(colon + 1);
    } else if ((program == "curl" || program == "wget") && (arg == "-H" || arg == "--header")) {
      std::string lower = Lower(next);
      if (StartsWith(lower, "authorization:") || StartsWith(lower, "private-token:") ||
          StartsWith(lower, "x-api-key:") || StartsWith(lower, "x-auth-token:")) {
        std::string_view value = next.substr(next.find(':') + 1);
        size_t last_space = value.find_last_of(' ');
        secret = last_space == std::string_view::npos ? value : value.substr(last_space + 1);
      }
    } else if ((program == "mysql" || program == "mysqladmin" || program == "mysqldump" ||
                program == "mariadb") &&
               StartsWith(arg, "-p") && arg.size() > 2) {
      secret = arg.substr(2);
    } else if (program == "sshpass" && arg == "-p") {
      secret = next;
    } else if (program == "openssl" && StartsWith(next, "pass:") &&
               (arg == "-passin" || arg == "-passout" || arg == "-pass" || arg == "-k")) {
      secret = next.substr(5);
    }
    if (!IsLiteralSecret(secret)) continue;
    ctx.Report("BW-DF-030", ctx.At(run, cmd.at(i)),
               std::string(program) + " " + std::string(arg) + " passes a hard-coded secret (" +
                   MaskSecret(secret) + ") on the command line");
  }
}

// `echo 'root:secret' | chpasswd` sets a known password for an account.
void CheckChpasswd(const Context& ctx, const RunScript& run) {
  const auto& commands = run.shell.commands;
  for (size_t i = 0; i < commands.size(); ++i) {
    const parse::ShellCommand* next = NextInPipeline(run.shell, i);
    if (next == nullptr) continue;
    CommandView feeder(commands[i]);
    CommandView target(*next);
    if (target.program() != "chpasswd" ||
        (feeder.program() != "echo" && feeder.program() != "printf")) {
      continue;
    }
    for (size_t w = 1; w < feeder.size(); ++w) {
      std::string_view text = feeder.arg(w);
      size_t colon = text.find(':');
      if (colon == std::string_view::npos || !IsLiteralSecret(text.substr(colon + 1))) continue;
      ctx.Report("BW-DF-030", ctx.At(run, feeder.at(w)),
                 "chpasswd sets a hard-coded password for account " + Quote(text.substr(0, colon)));
    }
  }
}

void CheckRunSecrets(const Context& ctx) {
  for (const RunScript& run : ctx.runs()) {
    if (!run.posix_shell) continue;
    for (const parse::ShellCommand& command : run.shell.commands) {
      CommandView cmd(command);
      if (cmd.empty()) continue;
      CheckSecretOptions(ctx, run, cmd);
      CheckProgramSecrets(ctx, run, cmd);
    }
    CheckChpasswd(ctx, run);
  }
}

}  // namespace

std::vector<DockerfileCheck> SecretChecks() {
  using core::Category;
  const core::References kSecretRefs = {
      .cis = {"4.10"}, .attack = {"T1552.001"}, .nist = {"IA-5(7)", "SC-28"}, .cwe = {"CWE-798"}};
  return {
      {{.id = "BW-DF-027",
        .title = "Secret in ENV",
        .severity = Severity::kHigh,
        .category = Category::kDockerfile,
        .rationale = "ENV values are part of the image configuration: anyone who can pull the "
                     "image or inspect a container reads them.",
        .remediation = "Pass secrets at runtime (orchestrator secrets, mounted files) and read "
                       "them from a *_FILE path; never bake them into ENV.",
        .references = kSecretRefs,
        .peers = {"hadolint DL3064", "trivy DS031"}},
       &CheckEnvSecrets},
      {{.id = "BW-DF-028",
        .title = "Secret passed as a build argument",
        .severity = Severity::kMedium,
        .category = Category::kDockerfile,
        .rationale = "Build-arg values are stored in the image history and build provenance; a "
                     "token passed with --build-arg leaks to everyone who can pull the image.",
        .remediation = "Use BuildKit secrets: `RUN --mount=type=secret,id=token ...` with "
                       "`docker build --secret id=token,...`.",
        .references = kSecretRefs,
        .peers = {"hadolint DL3064", "trivy DS031"}},
       &CheckArgSecrets},
      {{.id = "BW-DF-029",
        .title = "Credentials embedded in a URL",
        .severity = Severity::kHigh,
        .category = Category::kDockerfile,
        .rationale = "user:password@host URLs end up in the image history, build logs and "
                     "proxy logs.",
        .remediation = "Authenticate with a BuildKit secret mount or a credential helper "
                       "instead of putting credentials in the URL.",
        .references = kSecretRefs},
       &CheckUrlCredentials},
      {{.id = "BW-DF-030",
        .title = "Hard-coded secret on a RUN command line",
        .severity = Severity::kHigh,
        .category = Category::kDockerfile,
        .rationale = "RUN command lines are stored verbatim in the image history; passwords and "
                     "tokens in them are readable by anyone with the image.",
        .remediation = "Read the secret from a BuildKit secret mount "
                       "(`--mount=type=secret,id=x` then `$(cat /run/secrets/x)`).",
        .references = kSecretRefs},
       &CheckRunSecrets},
  };
}

}  // namespace bulwark::audit::dockerfile
