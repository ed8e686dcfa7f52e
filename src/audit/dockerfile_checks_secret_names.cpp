#include "audit/dockerfile_checks_secret_names.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace bulwark::audit::dockerfile {
namespace {

// Splits "dbPassword", "DB_PASSWORD", "api-key", "APIKey" into upper-case
// tokens: {"DB","PASSWORD"}, {"API","KEY"}.
std::vector<std::string> Tokens(std::string_view name) {
  std::vector<std::string> tokens;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) tokens.push_back(std::move(current));
    current.clear();
  };
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (!std::isalnum(c)) {
      flush();
      continue;
    }
    bool upper = std::isupper(c);
    bool prev_lower = i > 0 && std::islower(static_cast<unsigned char>(name[i - 1]));
    bool next_lower = i + 1 < name.size() && std::islower(static_cast<unsigned char>(name[i + 1]));
    bool prev_upper = i > 0 && std::isupper(static_cast<unsigned char>(name[i - 1]));
    if (upper && (prev_lower || (prev_upper && next_lower))) flush();
    current += static_cast<char>(std::toupper(c));
  }
  flush();
  return tokens;
}

bool In(std::string_view word, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// A last token that makes the name describe a secret rather than hold one.
bool IsMetadataSuffix(std::string_view token) {
  return In(token,
            {"FILE",     "PATH",     "DIR",      "URL",        "URI",      "ENDPOINT",  "HOST",
             "PORT",     "NAME",     "USER",     "USERNAME",   "LENGTH",   "LEN",       "SIZE",
             "TTL",      "EXPIRY",   "EXPIRES",  "EXPIRATION", "TIMEOUT",  "TYPE",      "MODE",
             "ENABLED",  "ENABLE",   "DISABLED", "HEADER",     "FIELD",    "ALGORITHM", "ALG",
             "ISSUER",   "AUDIENCE", "REGEX",    "PATTERN",    "POLICY",   "VERSION",   "LOCATION",
             "LIFETIME", "COUNT",    "MIN",      "MAX",        "PREFIX",   "SUFFIX",    "FORMAT",
             "METHOD",   "ENCODING", "RETRIES",  "INTERVAL",   "PROVIDER", "REQUIRED",  "STDIN",
             "PROMPT",   "ID"});
}

bool IsSecretToken(std::string_view token, size_t count) {
  if (In(token, {"PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "SECRETS", "TOKEN", "APIKEY",
                 "CREDENTIAL", "CREDENTIALS", "PRIVATEKEY", "ACCESSKEY", "SECRETKEY"})) {
    return true;
  }
  // "PASS" and "PWD" alone are too common (PWD is the shell's directory).
  return count > 1 && In(token, {"PASS", "PWD"});
}

bool IsSecretPair(std::string_view first, std::string_view second) {
  if (second != "KEY") return false;
  return In(first, {"API", "PRIVATE", "ACCESS", "AUTH", "ENCRYPTION", "SIGNING", "MASTER", "CLIENT",
                    "SECRET"});
}

}  // namespace

bool IsSecretName(std::string_view name) {
  std::vector<std::string> tokens = Tokens(name);
  if (tokens.empty()) return false;
  // AWS_ACCESS_KEY_ID names a credential half and is worth reporting.
  bool aws_key_id = tokens.size() >= 3 && tokens[tokens.size() - 3] == "ACCESS" &&
                    tokens[tokens.size() - 2] == "KEY" && tokens.back() == "ID";
  if (!aws_key_id && IsMetadataSuffix(tokens.back())) return false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i] == "PUBLIC" || tokens[i] == "GPG") return false;
  }
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (IsSecretToken(tokens[i], tokens.size())) return true;
    if (i + 1 < tokens.size() && IsSecretPair(tokens[i], tokens[i + 1])) return true;
  }
  return false;
}

}  // namespace bulwark::audit::dockerfile
