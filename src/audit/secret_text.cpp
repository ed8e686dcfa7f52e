#include "audit/secret_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <utility>
#include <vector>

namespace bulwark::audit {
namespace {

// Shorter values would be mostly shown by two characters.
constexpr size_t kMinLengthToShowPrefix = 8;

constexpr std::array<std::string_view, 30> kWeakDefaults = {
    "changeme",    "change_me", "changeit", "password", "passw0rd", "password1",
    "password123", "secret",    "admin",    "root",     "test",     "testing",
    "example",     "dummy",     "default",  "pass",     "123456",   "12345678",
    "qwerty",      "letmein",   "guest",    "demo",     "sample",   "foobar",
    "foo",         "bar",       "toor",     "admin123", "mysecret", "supersecret"};

constexpr std::array<std::string_view, 14> kNotValues = {
    "none", "null",     "nil",      "undefined", "true",        "false", "todo",
    "tbd",  "redacted", "required", "optional",  "placeholder", "n/a",   "..."};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool Contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

bool IsReference(std::string_view v, const std::string& lower) {
  if (v.front() == '$' || v.front() == '%') return true;  // ${VAR}, $VAR, $(cmd), %VAR%
  if (Contains(v, "{{") || Contains(v, "%(") || Contains(v, "${")) return true;
  if (v.front() == '<' && v.back() == '>') return true;
  if (v.front() == '[' && v.back() == ']') return true;
  if (std::find(kNotValues.begin(), kNotValues.end(), lower) != kNotValues.end()) return true;
  // xxxxxxxx, ********, ...., ########
  if (std::all_of(v.begin(), v.end(), [&](char c) { return c == v.front(); })) return true;
  if (lower.find_first_not_of("x*.#-_ ") == std::string::npos) return true;
  return Contains(lower, "your_") || Contains(lower, "your-") || Contains(lower, "replace_me") ||
         Contains(lower, "replace-me") || Contains(lower, "placeholder") ||
         Contains(lower, "insert_") || Contains(lower, "_here") || Contains(lower, "-here");
}

template <typename Range>
bool In(std::string_view s, const Range& list) {
  return std::find(std::begin(list), std::end(list), s) != std::end(list);
}

// Names that clearly hold a secret, and names that only may (token, auth).
constexpr std::string_view kStrongWords[] = {
    "password", "passwd",  "passwords", "pwd",        "passphrase",  "pass",
    "secret",   "secrets", "apikey",    "credential", "credentials", "privatekey"};
constexpr std::string_view kWeakWords[] = {"token", "tokens", "auth"};
// Word pairs: api_key, access_key, private_key, secret_key, client_secret, ...
constexpr std::pair<std::string_view, std::string_view> kPairs[] = {
    {"api", "key"},     {"access", "key"},     {"private", "key"}, {"secret", "key"},
    {"signing", "key"}, {"encryption", "key"}, {"master", "key"},  {"client", "secret"}};
// A last word that makes the name about a secret rather than the secret.
constexpr std::string_view kNotSecretSuffixes[] = {
    "file",     "path",       "dir",      "url",      "uri",        "name",      "id",
    "type",     "length",     "len",      "min",      "max",        "field",     "prompt",
    "label",    "header",     "policy",   "hint",     "regex",      "pattern",   "expiry",
    "expires",  "expiration", "ttl",      "timeout",  "count",      "required",  "env",
    "var",      "endpoint",   "format",   "mode",     "enabled",    "algorithm", "algo",
    "version",  "size",       "limit",    "prefix",   "suffix",     "method",    "kind",
    "template", "message",    "msg",      "error",    "help",       "column",    "param",
    "location", "store",      "manager",  "provider", "class",      "form",      "validator",
    "reset",    "hash",       "salt",     "rounds",   "iterations", "scheme",    "strength",
    "chars",    "charset",    "separator"};

}  // namespace

std::vector<std::string> IdentifierWords(std::string_view name) {
  std::vector<std::string> words;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) words.push_back(std::move(current));
    current.clear();
  };
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      flush();
      continue;
    }
    bool upper = std::isupper(static_cast<unsigned char>(c)) != 0;
    bool prev_lower = i > 0 && (std::islower(static_cast<unsigned char>(name[i - 1])) ||
                                std::isdigit(static_cast<unsigned char>(name[i - 1])));
    bool next_lower = i + 1 < name.size() && std::islower(static_cast<unsigned char>(name[i + 1]));
    bool prev_upper = i > 0 && std::isupper(static_cast<unsigned char>(name[i - 1]));
    // dbPassword -> db|Password; APIKey -> API|Key
    if (upper && (prev_lower || (prev_upper && next_lower))) flush();
    current += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  flush();
  return words;
}

SecretNameStrength ClassifySecretName(std::string_view name) {
  std::vector<std::string> words = IdentifierWords(name);
  if (words.empty() || In(words.back(), kNotSecretSuffixes)) return SecretNameStrength::kNone;
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    for (auto [a, b] : kPairs) {
      if (words[i] == a && words[i + 1] == b) return SecretNameStrength::kStrong;
    }
  }
  SecretNameStrength strength = SecretNameStrength::kNone;
  for (const std::string& w : words) {
    if (In(w, kStrongWords)) return SecretNameStrength::kStrong;
    if (In(w, kWeakWords)) strength = SecretNameStrength::kWeak;
  }
  return strength;
}

bool IsSecretKeyName(std::string_view name) {
  std::vector<std::string> words = IdentifierWords(name);
  return words.size() == 2 && words[0] == "secret" && words[1] == "key";
}

// "DB_PASSWORD" as a value is the name of a setting, not a password.
bool LooksLikeSettingName(std::string_view value) {
  if (value.empty() || value.size() > 64) return false;
  bool upper = std::all_of(value.begin(), value.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
  });
  // DB_PASSWORD, or any SCREAMING_SNAKE_CASE constant: a name, not a value.
  bool snake = value.find('_') != std::string_view::npos &&
               std::isalpha(static_cast<unsigned char>(value[0]));
  return upper && (snake || ClassifySecretName(value) != SecretNameStrength::kNone);
}

std::string MaskSecret(std::string_view value) {
  if (value.size() < kMinLengthToShowPrefix) return "***";
  std::string out;
  for (char c : value.substr(0, 2)) {
    unsigned char u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u >= 0x7F) ? '?' : c;  // keep reports printable
  }
  return out + "***";
}

double ShannonEntropy(std::string_view value) {
  if (value.empty()) return 0.0;
  std::array<size_t, 256> counts{};
  for (char c : value) ++counts[static_cast<unsigned char>(c)];
  double entropy = 0.0;
  double n = static_cast<double>(value.size());
  for (size_t count : counts) {
    if (count == 0) continue;
    double p = static_cast<double>(count) / n;
    entropy -= p * std::log2(p);
  }
  return entropy;
}

PlaceholderKind ClassifyPlaceholder(std::string_view value) {
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front())))
    value.remove_prefix(1);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back())))
    value.remove_suffix(1);
  if (value.empty()) return PlaceholderKind::kReference;
  std::string lower = Lower(value);
  if (IsReference(value, lower)) return PlaceholderKind::kReference;
  if (std::find(kWeakDefaults.begin(), kWeakDefaults.end(), lower) != kWeakDefaults.end()) {
    return PlaceholderKind::kWeakDefault;
  }
  if (Contains(lower, "changeme") || Contains(lower, "change_me") || Contains(lower, "example") ||
      Contains(lower, "dummy")) {
    return PlaceholderKind::kWeakDefault;
  }
  return PlaceholderKind::kNone;
}

}  // namespace bulwark::audit
