// Confirm functions of secrets recognised by their context or structure:
// AWS secret keys after their setting name, Heroku keys, Azure account
// keys, credentials in URLs, Docker auths, private key blocks, JWTs, Slack
// webhooks and generic `key = value` assignments.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "audit/secret_patterns.hpp"
#include "audit/secret_text.hpp"

namespace bulwark::audit::secrets {
namespace {

using core::Severity;

// How far context is searched around a candidate; keeps confirmation O(1).
constexpr size_t kMaxValueLength = 512;

bool IsQuote(char c) { return c == '"' || c == '\'' || c == '`'; }
bool IsBlank(char c) { return c == ' ' || c == '\t'; }
bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool IsKeyChar(char c) { return IsAlnum(c) || c == '_' || c == '.' || c == '-'; }
bool IsSchemeChar(char c) { return IsAlnum(c) || c == '+' || c == '.' || c == '-'; }

size_t SkipWhile(std::string_view text, size_t pos, bool (*skip)(char), size_t max) {
  return RunEnd(text, pos, skip, max);
}

// After a key: optional closing quote, blanks, a separator (= : := => ?=),
// blanks and an optional opening quote. Returns where the value starts and
// the separator seen, or npos.
size_t SkipSeparator(std::string_view text, size_t pos, std::string_view* separator) {
  if (pos < text.size() && IsQuote(text[pos])) ++pos;
  pos = SkipWhile(text, pos, IsBlank, 8);
  static constexpr std::string_view kSeparators[] = {":=", "=>", "?=", "=", ":"};
  for (std::string_view sep : kSeparators) {
    if (text.substr(pos, sep.size()) != sep) continue;
    if (sep == "=" && text.substr(pos, 2) == "==") return std::string_view::npos;
    if (sep == ":" && text.substr(pos, 2) == "::") return std::string_view::npos;
    *separator = sep;
    return SkipWhile(text, pos + sep.size(), IsBlank, 8);
  }
  return std::string_view::npos;
}

bool IsUuidAt(std::string_view text, size_t pos) {
  static constexpr size_t kGroups[] = {8, 4, 4, 4, 12};
  for (size_t group : kGroups) {
    if (RunEnd(text, pos, IsHex, group) != pos + group) return false;
    pos += group;
    if (group != 12) {
      if (pos >= text.size() || text[pos] != '-') return false;
      ++pos;
    }
  }
  return BoundaryAfter(text, pos, IsAlnum);
}

void Fill(SecretHit* hit, std::string_view id, size_t begin, size_t end, std::string message) {
  hit->check_id = id;
  hit->begin = begin;
  hit->end = end;
  hit->message = std::move(message);
}

size_t LineEnd(std::string_view text, size_t pos, size_t max) {
  size_t limit = std::min(text.size(), pos + max);
  size_t end = pos;
  while (end < limit && text[end] != '\n' && text[end] != '\r') ++end;
  return end;
}

}  // namespace

bool ConfirmAwsSecret(std::string_view text, size_t /*from*/, size_t to, SecretHit* hit) {
  std::string_view sep;
  size_t value = SkipSeparator(text, to, &sep);
  if (value == std::string_view::npos) return false;
  if (value < text.size() && IsQuote(text[value])) ++value;
  size_t end = RunEnd(text, value, IsBase64, 41);
  if (end - value != 40 || !BoundaryAfter(text, end, IsBase64)) return false;
  std::string_view secret = text.substr(value, 40);
  if (ClassifyPlaceholder(secret) == PlaceholderKind::kReference || ShannonEntropy(secret) < 3.5) {
    return false;
  }
  Fill(hit, kAwsSecretKey, value, end,
       fmt::format("AWS secret access key \"{}\"", MaskSecret(secret)));
  if (LooksFake(secret)) hit->severity = Severity::kLow;
  return true;
}

bool ConfirmHeroku(std::string_view text, size_t /*from*/, size_t to, SecretHit* hit) {
  size_t pos = RunEnd(
      text, to, [](char c) { return IsKeyChar(c) || c == ' '; }, 25);
  std::string_view sep;
  pos = SkipSeparator(text, pos, &sep);
  if (pos == std::string_view::npos) return false;
  if (pos < text.size() && IsQuote(text[pos])) ++pos;
  if (!IsUuidAt(text, pos)) return false;
  std::string_view key = text.substr(pos, 36);
  Fill(hit, kHerokuKey, pos, pos + 36, fmt::format("Heroku API key \"{}\"", MaskSecret(key)));
  return true;
}

bool ConfirmAzure(std::string_view text, size_t /*from*/, size_t to, SecretHit* hit) {
  size_t end = RunEnd(text, to, IsBase64, 96);
  size_t len = end - to;
  std::string_view key = text.substr(to, len);
  bool padded = len == 88 && key.substr(86) == "==";
  if (!(padded || len == 86) || !BoundaryAfter(text, end, IsBase64)) return false;
  if (ShannonEntropy(key) < 4.0) return false;
  Fill(hit, kAzureStorageKey, to, end,
       fmt::format("Azure storage account key (AccountKey=\"{}\")", MaskSecret(key)));
  return true;
}

bool ConfirmSlackWebhook(std::string_view text, size_t from, size_t to, SecretHit* hit) {
  size_t end = RunEnd(
      text, to, [](char c) { return IsAlnum(c) || c == '/'; }, 256);
  std::string_view path = text.substr(to, end - to);
  size_t slashes = static_cast<size_t>(std::count(path.begin(), path.end(), '/'));
  if (path.size() < 40 || slashes < 2 || ShannonEntropy(path) < 3.5) return false;
  Fill(hit, kSlackWebhook, to, end,
       fmt::format("Slack webhook URL https://{}{}", text.substr(from, to - from),
                   MaskSecret(path)));
  return true;
}

bool ConfirmUrlCredentials(std::string_view text, size_t from, size_t /*to*/, SecretHit* hit) {
  size_t scheme = from;
  while (scheme > 0 && from - scheme < 32 && IsSchemeChar(text[scheme - 1])) --scheme;
  if (scheme == from || !std::isalpha(static_cast<unsigned char>(text[scheme]))) return false;
  size_t auth = from + 3;
  size_t auth_end = RunEnd(
      text, auth,
      [](char c) {
        return !std::isspace(static_cast<unsigned char>(c)) && !IsQuote(c) && c != '/' &&
               c != '?' && c != '#' && c != '<' && c != '>' && c != '\\' && c != ')';
      },
      kMaxValueLength);
  std::string_view authority = text.substr(auth, auth_end - auth);
  size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return false;
  std::string_view userinfo = authority.substr(0, at);
  std::string_view host = authority.substr(at + 1);
  size_t colon = userinfo.find(':');
  if (colon == std::string_view::npos || host.empty()) return false;
  std::string_view user = userinfo.substr(0, colon);
  std::string_view password = userinfo.substr(colon + 1);
  if (password.empty() || ClassifyPlaceholder(password) == PlaceholderKind::kReference ||
      password.find('{') != std::string_view::npos) {
    return false;
  }
  std::string shown_user = user.size() >= 20 ? MaskSecret(user) : std::string(user);
  size_t pw_begin = auth + colon + 1;
  Fill(hit, kUrlCredentials, pw_begin, pw_begin + password.size(),
       fmt::format("URL with an embedded password: {}://{}:{}@{}",
                   text.substr(scheme, from - scheme), shown_user, MaskSecret(password), host));
  bool local = host.substr(0, 9) == "localhost" || host.substr(0, 9) == "127.0.0.1" ||
               host.find("example.") != std::string_view::npos;
  if (ClassifyPlaceholder(password) == PlaceholderKind::kWeakDefault ||
      (local && password.size() < 12)) {
    hit->severity = Severity::kLow;
    hit->message += " (a default or example password; still a credential if it works)";
  }
  return true;
}

bool ConfirmDockerAuth(std::string_view text, size_t /*from*/, size_t to, SecretHit* hit) {
  size_t end = RunEnd(text, to, IsBase64, 4096);
  if (end == to || end >= text.size() || text[end] != '"') return false;
  std::optional<std::string> decoded = DecodeBase64(text.substr(to, end - to));
  if (!decoded) return false;
  size_t colon = decoded->find(':');
  bool printable = std::all_of(decoded->begin(), decoded->end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7F;
  });
  if (!printable || colon == std::string::npos || colon == 0 || colon + 1 >= decoded->size()) {
    return false;
  }
  std::string user = decoded->substr(0, colon);
  if (user.size() >= 20) user = MaskSecret(user);
  Fill(hit, kDockerAuth, to, end,
       fmt::format("Docker registry credentials for user '{}' (auth \"{}\")", user,
                   MaskSecret(text.substr(to, end - to))));
  return true;
}

bool ConfirmPrivateKey(std::string_view text, size_t from, size_t to, SecretHit* hit) {
  // The body follows on the next line, or after a literal "\n" inside a string (JSON, .env).
  size_t pos = to;
  bool encrypted = text.substr(from, to - from).find("ENCRYPTED") != std::string_view::npos;
  for (int line = 0; line < 6 && pos < text.size(); ++line) {
    if (text.substr(pos, 2) == "\\n") {
      pos += 2;
    } else {
      pos = LineEnd(text, pos, 256);
      pos = SkipWhile(
          text, pos, [](char c) { return c == '\r' || c == '\n'; }, 2);
    }
    pos = SkipWhile(text, pos, IsBlank, 16);
    std::string_view rest = text.substr(pos, 16);
    if (rest.substr(0, 10) == "Proc-Type:" || rest.substr(0, 9) == "DEK-Info:" ||
        rest.substr(0, 8) == "Comment:") {
      encrypted |= rest.substr(0, 10) == "Proc-Type:";
      continue;
    }
    if (RunEnd(text, pos, IsBase64, 64) - pos < 40) return false;
    std::string_view marker = text.substr(from, to - from);
    Fill(hit, kPrivateKey, from, to, fmt::format("private key block {}", marker));
    if (encrypted) {
      hit->severity = Severity::kMedium;
      hit->message += " (encrypted: its passphrase is the remaining protection)";
    }
    return true;
  }
  return false;
}

bool ConfirmJwt(std::string_view text, size_t from, size_t /*to*/, SecretHit* hit) {
  if (!BoundaryBefore(text, from, [](char c) { return IsBase64Url(c) || c == '.'; })) return false;
  size_t header_end = RunEnd(text, from, IsBase64Url, 2048);
  if (header_end >= text.size() || text[header_end] != '.') return false;
  size_t payload = header_end + 1;
  if (text.substr(payload, 3) != "eyJ") return false;
  size_t payload_end = RunEnd(text, payload, IsBase64Url, 16384);
  if (payload_end >= text.size() || text[payload_end] != '.') return false;
  size_t sig_end = RunEnd(text, payload_end + 1, IsBase64Url, 4096);
  if (sig_end - payload_end - 1 < 16 || !BoundaryAfter(text, sig_end, IsBase64Url)) return false;
  std::optional<std::string> header = DecodeBase64(text.substr(from, header_end - from));
  if (!header || header->find("\"alg\"") == std::string::npos) return false;
  std::string_view token = text.substr(from, sig_end - from);
  Fill(hit, kJwt, from, sig_end, fmt::format("JSON Web Token \"{}\"", MaskSecret(token)));
  return true;
}

}  // namespace bulwark::audit::secrets
