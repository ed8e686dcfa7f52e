// PodChecker: hardening beyond the Pod Security Standards that is judged per
// container: resource limits and requests, image references and pull policy,
// and secrets in the environment.
#include <algorithm>
#include <array>
#include <cctype>

#include "audit/kubernetes_checks_internal.hpp"

namespace bulwark::audit::k8s {
namespace {

using parse::k8s::Pos;

// Variable names that say "this is a credential".
constexpr std::array<std::string_view, 11> kSecretWords = {
    "PASSWORD", "PASSWD",     "PASSPHRASE",  "SECRET",     "TOKEN",   "API_KEY",
    "APIKEY",   "ACCESS_KEY", "PRIVATE_KEY", "CREDENTIAL", "AUTH_KEY"};
// Suffixes that say "this is about a credential, not the credential itself".
constexpr std::array<std::string_view, 24> kBenignSuffixes = {
    "_FILE",   "_PATH",   "_DIR",      "_URL",     "_URI",      "_ENDPOINT",  "_HOST",   "_PORT",
    "_NAME",   "_USER",   "_USERNAME", "_ENABLED", "_TTL",      "_TIMEOUT",   "_EXPIRY", "_EXPIRES",
    "_LENGTH", "_HEADER", "_TYPE",     "_ISSUER",  "_AUDIENCE", "_ALGORITHM", "_ID",     "_REF"};
constexpr std::array<std::string_view, 5> kPlaceholderWords = {"INSERT_", "REPLACE", "YOUR_",
                                                               "YOUR-", "PLACEHOLDER"};
// Prefixes of well-known token formats (GitHub, GitLab, Slack, Stripe).
constexpr std::array<std::string_view, 11> kTokenPrefixes = {
    "ghp_",  "gho_",  "ghs_",  "ghu_",     "github_pat_", "glpat-",
    "xoxb-", "xoxp-", "xoxa-", "sk_live_", "rk_live_"};

std::string Upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

bool IsReference(std::string_view value) {
  return value.starts_with("$(") || value.starts_with("${") || value.find("{{") != value.npos;
}

bool IsAwsKeyId(std::string_view value) {
  if (value.size() != 20 || !(value.starts_with("AKIA") || value.starts_with("ASIA"))) return false;
  return std::all_of(value.begin(), value.end(),
                     [](unsigned char c) { return std::isupper(c) != 0 || std::isdigit(c) != 0; });
}

// scheme://user:password@host with a literal password.
bool HasUrlCredentials(std::string_view value) {
  size_t scheme = value.find("://");
  if (scheme == value.npos) return false;
  std::string_view rest = value.substr(scheme + 3);
  size_t at = rest.find('@');
  size_t slash = rest.find('/');
  if (at == rest.npos || (slash != rest.npos && slash < at)) return false;
  size_t colon = rest.substr(0, at).find(':');
  if (colon == rest.npos || colon + 1 == at) return false;
  return !IsReference(rest.substr(colon + 1));
}

bool HasTokenFormat(std::string_view value) {
  if (value.find("-----BEGIN") != value.npos && value.find("PRIVATE KEY") != value.npos)
    return true;
  if (IsAwsKeyId(value) || HasUrlCredentials(value)) return true;
  return std::any_of(kTokenPrefixes.begin(), kTokenPrefixes.end(), [&](std::string_view p) {
    return value.starts_with(p) && value.size() >= p.size() + 16;
  });
}

bool HasSecretName(std::string_view name) {
  const std::string upper = Upper(name);
  for (std::string_view suffix : kBenignSuffixes) {
    if (upper.ends_with(suffix)) return false;
  }
  if (upper.ends_with("_PWD") || upper.ends_with("_PASS")) return true;
  return std::any_of(kSecretWords.begin(), kSecretWords.end(),
                     [&](std::string_view word) { return upper.find(word) != upper.npos; });
}

// Template placeholders ("<your key>", "INSERT_TOKEN", "REPLACE_ME") are not
// secrets yet.
bool IsPlaceholder(std::string_view value, const std::string& upper) {
  if (value.starts_with("<") && value.ends_with(">")) return true;
  return std::any_of(kPlaceholderWords.begin(), kPlaceholderWords.end(),
                     [&](std::string_view word) { return upper.find(word) != upper.npos; });
}

bool IsPlausibleSecretValue(std::string_view value) {
  if (value.size() < 4 || value.starts_with("/")) return false;
  const std::string upper = Upper(value);
  if (upper == "TRUE" || upper == "FALSE" || upper == "YES" || upper == "NO") return false;
  if (IsPlaceholder(value, upper)) return false;
  bool digits =
      std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
  return !digits || value.size() >= 6;
}

bool LooksLikeSecret(std::string_view name, std::string_view value) {
  if (value.empty() || IsReference(value)) return false;
  if (HasTokenFormat(value)) return true;
  return HasSecretName(name) && IsPlausibleSecretValue(value);
}

}  // namespace

ImageRef ParseImageRef(std::string_view image) {
  ImageRef ref;
  ref.templated = image.find("{{") != image.npos || image.find("${") != image.npos ||
                  image.find("$(") != image.npos;
  std::string_view name = image;
  if (size_t at = name.find('@'); at != name.npos) {
    ref.digest = std::string(name.substr(at + 1));
    name = name.substr(0, at);
  }
  size_t slash = name.rfind('/');
  size_t colon = name.rfind(':');
  if (colon != name.npos && (slash == name.npos || colon > slash)) {
    ref.tag = std::string(name.substr(colon + 1));
    name = name.substr(0, colon);
  }
  ref.name = std::string(name);
  return ref;
}

void PodChecker::CheckResources(const Container& c) {
  // Ephemeral containers may not set resources.
  if (c.kind == parse::k8s::ContainerKind::kEphemeralContainer) return;
  const parse::k8s::Resources& r = c.resources;
  const Pos limits = r.limits_key.known() ? r.limits_key : NamePos(c);
  const Pos requests = r.requests_key.known() ? r.requests_key : NamePos(c);
  if (!r.cpu_limit.value) Report(kCpuLimit, limits, Subject(c) + " has no CPU limit");
  if (!r.memory_limit.value) Report(kMemoryLimit, limits, Subject(c) + " has no memory limit");
  if (!r.cpu_request.value) Report(kCpuRequest, requests, Subject(c) + " has no CPU request");
  if (!r.memory_request.value) {
    Report(kMemoryRequest, requests, Subject(c) + " has no memory request");
  }
}

void PodChecker::CheckImage(const Container& c) {
  if (!c.image.value || c.image.value->empty()) return;
  const std::string& image = *c.image.value;
  const ImageRef ref = ParseImageRef(image);
  if (ref.templated) return;  // filled in by a template engine; judged after rendering
  if (ref.digest.empty()) {
    if (ref.tag.empty()) {
      Report(kImageLatest, c.image.key,
             Subject(c) + " uses image '" + image + "' without a tag (pulls :latest)");
    } else if (ref.tag == "latest") {
      Report(kImageLatest, c.image.key, Subject(c) + " uses image '" + image + "'");
    } else {
      Report(kImageDigest, c.image.key,
             Subject(c) + " uses image '" + image + "', a tag that can be moved, not a digest");
    }
  }
  if (!ref.digest.empty()) return;
  // The kubelet's default: Always for :latest or no tag, IfNotPresent otherwise.
  const bool floating = ref.tag.empty() || ref.tag == "latest";
  const auto& policy = c.image_pull_policy;
  const std::string effective = policy.value ? *policy.value : floating ? "Always" : "IfNotPresent";
  if (effective == "Always") return;
  Report(kImagePullPolicy, policy.present() ? policy.key : NamePos(c),
         Subject(c) + " pulls the mutable tag '" + image + "' with imagePullPolicy " + effective +
             (policy.present() ? "" : " (the default)"));
}

void PodChecker::CheckEnv(const Container& c) {
  std::string via_env;
  Pos first;
  for (const parse::k8s::EnvVar& var : c.env) {
    const std::string name = var.name.value.value_or("");
    if (var.value.value && LooksLikeSecret(name, *var.value.value)) {
      Report(kSecretInEnv, var.value.key,
             Subject(c) + " sets env " + name + " to a literal secret (" +
                 std::to_string(var.value.value->size()) + " characters, not shown)");
    }
    if (var.secret_key_ref.known()) {
      via_env += (via_env.empty() ? "" : ", ") + name + " (secret '" +
                 var.secret_name.value.value_or("") + "')";
      if (!first.known()) first = var.secret_key_ref;
    }
  }
  for (const parse::k8s::EnvFrom& from : c.env_from) {
    if (!from.secret) continue;
    via_env += (via_env.empty() ? "" : ", ") + std::string("envFrom secret '") +
               from.name.value.value_or("") + "'";
    if (!first.known()) first = from.pos;
  }
  if (!via_env.empty()) {
    Report(kSecretAsEnvVar, first,
           Subject(c) + " takes secrets through environment variables: " + via_env);
  }
}

}  // namespace bulwark::audit::k8s
