// The pattern table and the confirm functions of formats that are a fixed
// prefix plus a token body (GitHub, GitLab, Slack, Stripe, Google, npm, ...).
#include "audit/secret_patterns.hpp"

#include <fmt/format.h>
#include <hs/hs_compile.h>

#include <algorithm>
#include <cctype>

#include "audit/secret_text.hpp"

namespace bulwark::audit::secrets {
namespace {

using core::Severity;

bool IsAlnumOrUnderscore(char c) { return IsAlnum(c) || c == '_'; }
bool IsBase32Upper(char c) { return (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'); }
bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
bool IsSlackChar(char c) { return IsAlnum(c) || c == '-'; }
bool IsSendGridChar(char c) { return IsBase64Url(c) || c == '.'; }

// A token: `prefix_len` bytes matched by Hyperscan, then a body.
struct TokenSpec {
  std::string_view check_id;
  std::string_view label;
  size_t prefix_len;
  bool (*charset)(char);
  size_t min_body;
  size_t max_body;
  bool (*extra)(std::string_view token);  // further structure, may be null
};

bool ConfirmToken(std::string_view text, size_t from, const TokenSpec& spec, SecretHit* hit) {
  if (!BoundaryBefore(text, from, IsAlnum)) return false;  // inside a longer word
  size_t body_begin = from + spec.prefix_len;
  size_t end = RunEnd(text, body_begin, spec.charset, spec.max_body + 1);
  size_t body_len = end - body_begin;
  if (body_len < spec.min_body || body_len > spec.max_body) return false;
  if (!BoundaryAfter(text, end, IsAlnum)) return false;
  std::string_view token = text.substr(from, end - from);
  std::string_view body = token.substr(spec.prefix_len);
  if (ClassifyPlaceholder(body) == PlaceholderKind::kReference) return false;
  if (body.size() >= 16 && ShannonEntropy(body) < 2.0) return false;
  if (spec.extra != nullptr && !spec.extra(token)) return false;
  hit->check_id = spec.check_id;
  hit->begin = from;
  hit->end = end;
  hit->message = fmt::format("{} \"{}\"", spec.label, MaskSecret(token));
  if (LooksFake(token)) {
    hit->severity = Severity::kLow;
    hit->message += " (looks like an example value; still a credential if it works)";
  }
  return true;
}

template <const TokenSpec& Spec>
bool ConfirmWith(std::string_view text, size_t from, size_t /*to*/, SecretHit* hit) {
  return ConfirmToken(text, from, Spec, hit);
}

bool HasDigitAndLetter(std::string_view s) {
  bool digit = std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  bool letter = std::any_of(
      s.begin(), s.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
  return digit && letter;
}

bool SlackShape(std::string_view token) {
  return std::any_of(token.begin() + 5, token.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool PyPiShape(std::string_view token) {
  std::string_view body = token.substr(5);
  return body.substr(0, 15) == "AgEIcHlwaS5vcmc" || body.substr(0, 22) == "AgENdGVzdC5weXBpLm9yZw";
}

bool OpenAiLegacyShape(std::string_view token) {
  return token.size() == 51 && token.substr(23, 8) == "T3BlbkFJ";
}

constexpr TokenSpec kAwsKeyId{kAwsAccessKeyId, "AWS access key ID", 4, IsBase32Upper, 16, 16,
                              nullptr};
constexpr TokenSpec kGitHubClassic{kGitHubToken, "GitHub token", 4, IsAlnum, 36, 36, nullptr};
constexpr TokenSpec kGitHubRefresh{kGitHubToken, "GitHub refresh token", 4, IsAlnum, 36, 76,
                                   nullptr};
constexpr TokenSpec kGitHubFine{
    kGitHubToken, "GitHub fine-grained personal access token", 11, IsAlnumOrUnderscore, 82, 82,
    nullptr};
constexpr TokenSpec kGitLab{kGitLabToken, "GitLab personal access token", 6, IsBase64Url, 20, 64,
                            nullptr};
constexpr TokenSpec kSlack{kSlackToken, "Slack token", 5, IsSlackChar, 20, 255, SlackShape};
constexpr TokenSpec kStripe{kStripeKey, "Stripe live secret key", 8, IsAlnum, 24, 247, nullptr};
constexpr TokenSpec kGoogle{kGoogleApiKey, "Google API key", 4, IsBase64Url, 35, 35, nullptr};
constexpr TokenSpec kGoogleOAuth{
    kGoogleOAuthSecret, "Google OAuth client secret", 7, IsBase64Url, 28, 28, nullptr};
constexpr TokenSpec kNpm{kNpmToken, "npm access token", 4, IsAlnum, 36, 36, nullptr};
constexpr TokenSpec kPyPi{kPyPiToken, "PyPI API token", 5, IsBase64Url, 70, 1000, PyPiShape};
constexpr TokenSpec kTwilio{kTwilioKey, "Twilio API key", 2, IsLowerHex, 32, 32, HasDigitAndLetter};
constexpr TokenSpec kSendGrid{kSendGridKey, "SendGrid API key", 3, IsSendGridChar, 66, 66, nullptr};
constexpr TokenSpec kHerokuNew{kHerokuKey, "Heroku API key", 5, IsBase64Url, 40, 80, nullptr};
constexpr TokenSpec kOpenAiProject{kAiApiKey, "OpenAI API key", 3, IsBase64Url, 40, 300, nullptr};
constexpr TokenSpec kOpenAiLegacy{kAiApiKey, "OpenAI API key", 3, IsAlnum, 48,
                                  48,        OpenAiLegacyShape};
constexpr TokenSpec kAnthropic{kAiApiKey, "Anthropic API key", 7, IsBase64Url, 80, 200, nullptr};
constexpr TokenSpec kHuggingFace{kAiApiKey, "Hugging Face access token", 3, IsAlnum, 34, 40,
                                 nullptr};

constexpr unsigned kCaseless = HS_FLAG_CASELESS;

}  // namespace

const std::vector<SecretPattern>& SecretPatterns() {
  static const std::vector<SecretPattern> kPatterns = {
      {kAwsAccessKeyId, "(?:AKIA|ASIA)[A-Z2-7]{16}", 0, &ConfirmWith<kAwsKeyId>},
      {kAwsSecretKey, "(?:aws_?)?secret_?access_?key|aws_?secret_?key", kCaseless,
       &ConfirmAwsSecret},
      {kGitHubToken, "gh[pous]_[A-Za-z0-9]{36}", 0, &ConfirmWith<kGitHubClassic>},
      {kGitHubToken, "ghr_[A-Za-z0-9]{36}", 0, &ConfirmWith<kGitHubRefresh>},
      {kGitHubToken, "github_pat_[A-Za-z0-9]{22}_", 0, &ConfirmWith<kGitHubFine>},
      {kGitLabToken, "glpat-[A-Za-z0-9_\\-]{20}", 0, &ConfirmWith<kGitLab>},
      {kSlackToken, "(?:xox[abeoprs]|xapp)-[A-Za-z0-9]{1,16}-", 0, &ConfirmWith<kSlack>},
      {kSlackWebhook, "hooks\\.slack\\.com/(?:services|workflows|triggers)/", 0,
       &ConfirmSlackWebhook},
      {kStripeKey, "[sr]k_live_[A-Za-z0-9]{24}", 0, &ConfirmWith<kStripe>},
      {kGoogleApiKey, "AIza[A-Za-z0-9_\\-]{35}", 0, &ConfirmWith<kGoogle>},
      {kGoogleOAuthSecret, "GOCSPX-[A-Za-z0-9_\\-]{28}", 0, &ConfirmWith<kGoogleOAuth>},
      {kPrivateKey, "-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----", 0, &ConfirmPrivateKey},
      {kJwt, "eyJ[A-Za-z0-9_\\-]{8}", 0, &ConfirmJwt},
      {kNpmToken, "npm_[A-Za-z0-9]{36}", 0, &ConfirmWith<kNpm>},
      {kPyPiToken, "pypi-AgE[A-Za-z0-9_\\-]{20}", 0, &ConfirmWith<kPyPi>},
      {kTwilioKey, "SK[0-9a-f]{32}", 0, &ConfirmWith<kTwilio>},
      {kSendGridKey, "SG\\.[A-Za-z0-9_\\-]{22}\\.[A-Za-z0-9_\\-]{43}", 0, &ConfirmWith<kSendGrid>},
      {kHerokuKey, "heroku", kCaseless, &ConfirmHeroku},
      {kHerokuKey, "HRKU-[A-Za-z0-9_\\-]{20}", 0, &ConfirmWith<kHerokuNew>},
      {kAzureStorageKey, "AccountKey=", kCaseless, &ConfirmAzure},
      {kUrlCredentials, "://", 0, &ConfirmUrlCredentials},
      {kDockerAuth, "\"auth\"\\s*:\\s*\"", 0, &ConfirmDockerAuth},
      {kAiApiKey, "sk-(?:proj|svcacct|admin)-[A-Za-z0-9_\\-]{20}", 0, &ConfirmWith<kOpenAiProject>},
      {kAiApiKey, "sk-[A-Za-z0-9]{20}T3BlbkFJ", 0, &ConfirmWith<kOpenAiLegacy>},
      {kAiApiKey, "sk-ant-[a-z]{3,6}[0-9]{2}-", 0, &ConfirmWith<kAnthropic>},
      {kAiApiKey, "hf_[A-Za-z0-9]{34}", 0, &ConfirmWith<kHuggingFace>},
      {kGenericSecret,
       "pass(?:word|wd)?|pwd|secret|token|api[_\\-.]?key|access[_\\-.]?key|private[_\\-.]?key|"
       "auth|credential",
       kCaseless, &ConfirmGeneric, true},
  };
  return kPatterns;
}

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool IsBase64Url(char c) { return IsAlnum(c) || c == '_' || c == '-'; }
bool IsBase64(char c) { return IsAlnum(c) || c == '+' || c == '/' || c == '='; }

size_t RunEnd(std::string_view text, size_t pos, bool (*accept)(char), size_t max) {
  size_t end = pos;
  size_t limit = std::min(text.size(), pos + max);
  while (end < limit && accept(text[end])) ++end;
  return end;
}

bool BoundaryBefore(std::string_view text, size_t pos, bool (*accept)(char)) {
  return pos == 0 || pos > text.size() || !accept(text[pos - 1]);
}

bool BoundaryAfter(std::string_view text, size_t pos, bool (*accept)(char)) {
  return pos >= text.size() || !accept(text[pos]);
}

bool LooksFake(std::string_view value) {
  std::string lower;
  lower.reserve(value.size());
  for (char c : value) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view word :
       {"example", "dummy", "fake", "sample", "placeholder", "xxxxxx", "000000", "changeme"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

std::optional<std::string> DecodeBase64(std::string_view in) {
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  std::string out;
  out.reserve(in.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : in) {
    int v = -1;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+' || c == '-')
      v = 62;
    else if (c == '/' || c == '_')
      v = 63;
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

}  // namespace bulwark::audit::secrets
