#include "host/secret_names.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace bulwark::host {
namespace {

std::vector<std::string> NameTokens(std::string_view name) {
  std::vector<std::string> tokens(1);
  for (char c : name) {
    if (c == '_' || c == '-' || c == '.') {
      if (!tokens.back().empty()) tokens.emplace_back();
      continue;
    }
    tokens.back() += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (tokens.back().empty()) tokens.pop_back();
  return tokens;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// A last token that makes the variable a pointer to a secret, or metadata
// about one, rather than the secret itself.
bool IsReferenceSuffix(std::string_view token) {
  static constexpr std::array<std::string_view, 22> kSuffixes = {
      "FILE",     "PATH", "DIR",      "URL",       "URI",     "HOST",  "PORT",    "NAME",
      "ID",       "USER", "USERNAME", "LENGTH",    "LEN",     "TTL",   "TIMEOUT", "EXPIRY",
      "ENDPOINT", "TYPE", "MODE",     "ALGORITHM", "ENABLED", "REGION"};
  return std::find(kSuffixes.begin(), kSuffixes.end(), token) != kSuffixes.end();
}

// One token that names a credential on its own (PGPASSWORD, GITHUBTOKEN).
bool IsSecretToken(std::string_view token) {
  static constexpr std::array<std::string_view, 9> kEndings = {
      "PASSWORD", "PASSWD", "PASSPHRASE", "SECRET",     "SECRETS",
      "TOKEN",    "APIKEY", "PRIVATEKEY", "CREDENTIALS"};
  if (token == "PASS" || token == "CREDENTIAL") return true;
  return std::any_of(kEndings.begin(), kEndings.end(),
                     [&](std::string_view ending) { return EndsWith(token, ending); });
}

// Two tokens in a row that name a key (API_KEY, AWS_SECRET_ACCESS_KEY).
bool IsSecretPair(std::string_view first, std::string_view second) {
  if (second != "KEY") return false;
  static constexpr std::array<std::string_view, 8> kKinds = {
      "API", "PRIVATE", "ACCESS", "SIGNING", "ENCRYPTION", "MASTER", "AUTH", "LICENSE"};
  return std::find(kKinds.begin(), kKinds.end(), first) != kKinds.end();
}

bool IsVariableName(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
  });
}

std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
    size_t end = pos;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    if (end > pos) words.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return words;
}

std::string_view StripPrefix(std::string_view text, std::string_view prefix) {
  if (text.substr(0, prefix.size()) == prefix) text.remove_prefix(prefix.size());
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  return text;
}

// Keeps the words shaped NAME=value.
void AddAssignments(const std::vector<std::string_view>& words, size_t first, size_t count,
                    std::vector<std::string>& out) {
  for (size_t i = first; i < words.size() && i < first + count; ++i) {
    size_t eq = words[i].find('=');
    if (eq != std::string_view::npos && IsVariableName(words[i].substr(0, eq))) {
      out.emplace_back(words[i]);
    }
  }
}

}  // namespace

bool IsSecretLikeName(std::string_view name) {
  std::vector<std::string> tokens = NameTokens(name);
  if (tokens.empty() || IsReferenceSuffix(tokens.back())) return false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (IsSecretToken(tokens[i])) return true;
    if (i + 1 < tokens.size() && IsSecretPair(tokens[i], tokens[i + 1])) return true;
  }
  return false;
}

std::optional<std::string> SecretAssignmentName(std::string_view assignment) {
  size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) return std::nullopt;
  std::string_view name = assignment.substr(0, eq);
  std::string_view value = assignment.substr(eq + 1);
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front()) {
    value = value.substr(1, value.size() - 2);
  }
  // A reference to another variable or to a mounted secret is not a secret.
  if (value.empty() || value.front() == '$' || value.substr(0, 13) == "/run/secrets/")
    return std::nullopt;
  if (!IsSecretLikeName(name)) return std::nullopt;
  return std::string(name);
}

std::vector<std::string> HistoryAssignments(std::string_view created_by) {
  std::vector<std::string> out;
  std::string_view text = StripPrefix(created_by, "");
  text = StripPrefix(text, "/bin/sh -c #(nop)");
  text = StripPrefix(text, "RUN ");
  std::vector<std::string_view> words = Words(text);
  if (words.empty()) return out;
  std::string_view head = words[0];
  if (head.size() > 1 && head[0] == '|' && std::all_of(head.begin() + 1, head.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      })) {
    // "|N A=x B=y cmd": the N build arguments the RUN saw.
    size_t count = head.size() > 4 ? 0 : std::stoul(std::string(head.substr(1)));
    AddAssignments(words, 1, count, out);
  } else if (head == "ENV" || head == "ARG") {
    AddAssignments(words, 1, words.size(), out);
  }
  return out;
}

std::string MaskedAssignment(std::string_view name) { return std::string(name) + "=<masked>"; }

std::string MaskSecretAssignments(std::string_view text) {
  std::string out;
  for (std::string_view word : Words(text)) {
    if (!out.empty()) out += ' ';
    std::optional<std::string> secret = SecretAssignmentName(word);
    out += secret ? MaskedAssignment(*secret) : std::string(word);
  }
  return out;
}

}  // namespace bulwark::host
