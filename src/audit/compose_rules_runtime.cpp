// Runtime rules: resource limits, OOM killer, restart policy, healthcheck,
// image pinning, and secrets written into `environment`.
#include <cctype>
#include <cstdlib>
#include <set>

#include "audit/compose_rules.hpp"

namespace bulwark::audit::compose {
namespace {

using core::Severity;
using parse::ComposeValue;

// True when a limit is written as "no limit": 0, -1, "0m", ...
bool MeansUnlimited(const ComposeValue& value) {
  auto text = Effective(value.text);
  if (!text || text->empty()) return false;
  size_t digits_end = 0;
  if ((*text)[0] == '-' || (*text)[0] == '+') digits_end = 1;
  while (digits_end < text->size() &&
         (std::isdigit(static_cast<unsigned char>((*text)[digits_end])) != 0 ||
          (*text)[digits_end] == '.')) {
    ++digits_end;
  }
  const std::string number = text->substr(0, digits_end);
  if (number.empty() || number == "-" || number == "+") return false;
  return std::strtod(number.c_str(), nullptr) <= 0.0;
}

// Checks one kind of limit given by any of `values`; reports a missing limit
// at the service, and a limit written as unlimited at its key.
void CheckLimit(const ServiceContext& ctx, std::string_view id,
                std::initializer_list<const std::optional<ComposeValue>*> values,
                const std::string& missing_message) {
  const ComposeValue* unlimited = nullptr;
  for (const auto* value : values) {
    if (!value->has_value()) continue;
    if (!MeansUnlimited(**value)) return;  // a real limit (or one we cannot read)
    unlimited = &**value;
  }
  if (unlimited != nullptr) {
    ctx.Report(
        id, unlimited->key,
        ctx.Subject() + " sets " + parse::Printable(unlimited->text) + ", which means no limit");
  } else {
    ctx.Report(id, ctx.service().mark, ctx.Subject() + missing_message);
  }
}

void CheckRestart(const ServiceContext& ctx) {
  const auto& s = ctx.service();
  if (s.restart) {
    auto policy = Effective(s.restart->text);
    const std::string value = policy ? Lower(*policy) : "";
    const bool forever = value == "always" || value == "unless-stopped" || value == "on-failure" ||
                         value == "on-failure:0";
    if (forever) {
      ctx.Report(kUnlimitedRestart, s.restart->key,
                 ctx.Subject() + " restarts without a retry limit (restart: " + value + ")");
    }
  }
  if (s.deploy && s.deploy->restart_policy_key.known()) {
    const auto& d = *s.deploy;
    const std::string condition = d.restart_condition ? Lower(d.restart_condition->text) : "any";
    const bool limited = d.restart_max_attempts && d.restart_max_attempts->AsInt().value_or(0) > 0;
    if (condition != "none" && !limited) {
      ctx.Report(kUnlimitedRestart, d.restart_policy_key,
                 ctx.Subject() + " deploy.restart_policy (condition: " + condition +
                     ") has no max_attempts");
    }
  }
}

void CheckHealthcheck(const ServiceContext& ctx) {
  const auto& s = ctx.service();
  if (!s.healthcheck) {
    ctx.Report(kNoHealthcheck, s.mark,
               ctx.Subject() + " defines no healthcheck (the image may define a HEALTHCHECK)");
    return;
  }
  if (s.healthcheck->Disabled()) {
    const parse::YamlMark where =
        s.healthcheck->disable && s.healthcheck->disable->AsBool().value_or(false)
            ? s.healthcheck->disable->key
            : s.healthcheck->test_mark;
    ctx.Report(kNoHealthcheck, where, ctx.Subject() + " disables its healthcheck");
  }
}

struct ImageRef {
  std::string name, tag, digest;
};

ImageRef SplitImage(std::string_view ref) {
  ImageRef out;
  const size_t at = ref.find('@');
  if (at != std::string_view::npos) {
    out.digest = std::string(ref.substr(at + 1));
    ref = ref.substr(0, at);
  }
  const size_t slash = ref.rfind('/');
  const size_t colon = ref.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    out.tag = std::string(ref.substr(colon + 1));
    ref = ref.substr(0, colon);
  }
  out.name = std::string(ref);
  return out;
}

void CheckImage(const ServiceContext& ctx) {
  const auto& s = ctx.service();
  // With `build:`, `image:` names the local build result; nothing is pulled.
  if (!s.image || s.build) return;
  auto ref = Effective(s.image->text);
  if (!ref || ref->empty()) return;
  const ImageRef image = SplitImage(*ref);
  if (!image.digest.empty()) return;
  const std::string written = parse::Printable(s.image->text);
  if (image.tag.empty()) {
    ctx.Report(kUnpinnedImage, s.image->mark,
               ctx.Subject() + " uses image " + written + " without a tag (pulls latest)");
  } else if (Lower(image.tag) == "latest") {
    ctx.Report(kUnpinnedImage, s.image->mark, ctx.Subject() + " uses image " + written);
  } else {
    ctx.Report(kUnpinnedImage, Severity::kLow, s.image->mark,
               ctx.Subject() + " uses image " + written + " by tag without a digest");
  }
}

std::vector<std::string> NameWords(std::string_view name) {
  std::vector<std::string> words(1);
  for (char c : Upper(name)) {
    if (c == '_' || c == '-' || c == '.') {
      if (!words.back().empty()) words.emplace_back();
    } else {
      words.back() += c;
    }
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

bool IsSecretName(std::string_view name) {
  static const std::set<std::string, std::less<>> kSecretWords = {
      "PASSWORD", "PASSWD", "PASS",       "PASSPHRASE",  "SECRET",     "SECRETS",
      "TOKEN",    "APIKEY", "CREDENTIAL", "CREDENTIALS", "PRIVATEKEY", "PWD"};
  static const std::set<std::string, std::less<>> kKeyQualifiers = {
      "API",     "ACCESS",  "SECRET", "PRIVATE", "ENCRYPTION", "SIGNING",
      "MASTER",  "AUTH",    "CLIENT", "APP",     "LICENSE",    "SERVICE",
      "ACCOUNT", "SESSION", "JWT",    "HMAC",    "STRIPE",     "SENDGRID"};
  // Names that point at a secret or describe it without holding it.
  static const std::set<std::string, std::less<>> kNotAValue = {
      "FILE",     "PATH",   "DIR",    "HOST",    "PORT",     "USER",    "USERNAME",
      "NAME",     "ID",     "LENGTH", "LEN",     "SIZE",     "TYPE",    "ALGORITHM",
      "ALG",      "EXPIRY", "EXPIRE", "EXPIRES", "TTL",      "TIMEOUT", "ENABLED",
      "REQUIRED", "POLICY", "MIN",    "MAX",     "COUNT",    "HEADER",  "FIELD",
      "PARAM",    "PREFIX", "MODE",   "VERSION", "LOCATION", "ARN",     "REF"};
  const auto words = NameWords(name);
  if (words.empty() || kNotAValue.count(words.back()) != 0) return false;
  if (words.size() == 1 && words[0] == "PWD") return false;  // the shell's working directory
  for (size_t i = 0; i < words.size(); ++i) {
    if (kSecretWords.count(words[i]) != 0) return true;
    if (words[i] == "KEY" && i > 0 && kKeyQualifiers.count(words[i - 1]) != 0) return true;
  }
  return false;
}

bool IsLiteralSecretValue(std::string_view value) {
  if (value.empty() || parse::HasInterpolation(value)) return false;
  static const std::set<std::string, std::less<>> kFlags = {"true", "false", "yes", "no",   "on",
                                                            "off",  "0",     "1",   "none", "null"};
  if (kFlags.count(Lower(value)) != 0) return false;
  return value.front() != '/';  // a path to a secret file, not the secret
}

// "scheme://user:password@host" with a literal password.
bool HasUrlPassword(std::string_view value) {
  const size_t scheme = value.find("://");
  if (scheme == std::string_view::npos) return false;
  const std::string_view rest = value.substr(scheme + 3);
  const size_t at = rest.find('@');
  const size_t colon = rest.find(':');
  if (at == std::string_view::npos || colon == std::string_view::npos || colon > at) return false;
  const std::string_view password = rest.substr(colon + 1, at - colon - 1);
  return !password.empty() && !parse::HasInterpolation(password);
}

}  // namespace

void CheckResources(const ServiceContext& ctx) {
  const auto& s = ctx.service();
  const parse::ComposeResources none;
  const auto& limits = s.deploy ? s.deploy->limits : none;
  CheckLimit(ctx, kNoMemoryLimit, {&s.mem_limit, &limits.memory},
             " has no memory limit (mem_limit or deploy.resources.limits.memory)");
  CheckLimit(ctx, kNoCpuLimit, {&s.cpus, &s.cpu_quota, &s.cpu_shares, &limits.cpus},
             " has no CPU limit (cpus, cpu_shares or deploy.resources.limits.cpus)");
  CheckLimit(ctx, kNoPidsLimit, {&s.pids_limit, &limits.pids},
             " has no PIDs limit (pids_limit or deploy.resources.limits.pids)");
  if (EffectiveBool(s.oom_kill_disable).value_or(false)) {
    const bool memory_limited = (s.mem_limit && !MeansUnlimited(*s.mem_limit)) ||
                                (limits.memory && !MeansUnlimited(*limits.memory));
    ctx.Report(kOomKillDisabled, memory_limited ? Severity::kLow : Severity::kMedium,
               s.oom_kill_disable->key,
               ctx.Subject() + " disables the OOM killer" +
                   (memory_limited ? "" : " and has no memory limit"));
  }
}

void CheckRuntimeHygiene(const ServiceContext& ctx) {
  CheckRestart(ctx);
  CheckHealthcheck(ctx);
  CheckImage(ctx);
}

// Reported at the variable's name, where a fix would replace the entry.
void CheckEnvironment(const ServiceContext& ctx) {
  const auto& s = ctx.service();
  if (!s.environment) return;
  for (const auto& entry : s.environment->entries) {
    if (!entry.value) continue;
    const std::string& value = *entry.value;
    if (IsSecretName(entry.name) && IsLiteralSecretValue(value)) {
      ctx.Report(kSecretInEnvironment, entry.mark,
                 ctx.Subject() + " sets " + parse::Printable(entry.name) +
                     " to a literal value in environment (" + std::to_string(value.size()) +
                     " characters, not shown)");
    } else if (HasUrlPassword(value)) {
      ctx.Report(kSecretInEnvironment, entry.mark,
                 ctx.Subject() + " sets " + parse::Printable(entry.name) +
                     " to a URL with a literal password");
    }
  }
}

}  // namespace bulwark::audit::compose
