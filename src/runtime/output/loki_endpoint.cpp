#include "runtime/output/loki_endpoint.hpp"

#include <algorithm>

#include "core/escape.hpp"

namespace bulwark::runtime::output {
namespace {

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// A header value may hold printable characters and spaces only: no CR/LF
// (header injection), no other control bytes.
bool IsSafeHeaderValue(std::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte != 0x7f;
  });
}

bool HasUserInfo(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return false;
  std::string_view rest = url.substr(scheme + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  return authority.find('@') != std::string_view::npos;
}

}  // namespace

std::string LokiPushUrl(std::string_view base) {
  if (EndsWith(base, kLokiPushPath)) return std::string(base);
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  return std::string(base) + std::string(kLokiPushPath);
}

std::string Base64Encode(std::string_view data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  for (size_t i = 0; i < data.size(); i += 3) {
    uint32_t chunk = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) chunk |= static_cast<unsigned char>(data[i + 1]) << 8;
    if (i + 2 < data.size()) chunk |= static_cast<unsigned char>(data[i + 2]);
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += i + 2 < data.size() ? kAlphabet[chunk & 63] : '=';
  }
  return out;
}

core::Result<HttpPosterOptions> MakeLokiHttpOptions(const LokiEndpoint& endpoint) {
  if (HasUserInfo(endpoint.url)) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       "the Loki URL must not hold credentials (user:password@): use the basic "
                       "auth file or environment instead");
  }
  HttpPosterOptions http;
  http.url = LokiPushUrl(endpoint.url);
  if (!endpoint.tenant.empty()) {
    if (!IsSafeHeaderValue(endpoint.tenant)) {
      return core::Error(core::ErrorCode::kInvalidArgument,
                         "the Loki tenant holds a control character or newline");
    }
    http.headers.push_back("X-Scope-OrgID: " + endpoint.tenant);
  }
  if (!endpoint.bearer_token.empty() && !endpoint.basic_user.empty()) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       "give Loki either a bearer token or basic credentials, not both");
  }
  // Secrets are checked without being echoed.
  if (!endpoint.bearer_token.empty()) {
    if (!IsSafeHeaderValue(endpoint.bearer_token)) {
      return core::Error(core::ErrorCode::kInvalidArgument,
                         "the Loki bearer token holds a control character or newline");
    }
    http.headers.push_back("Authorization: Bearer " + endpoint.bearer_token);
  }
  if (!endpoint.basic_user.empty()) {
    if (endpoint.basic_user.find(':') != std::string::npos) {
      return core::Error(core::ErrorCode::kInvalidArgument,
                         "a basic auth user name cannot hold ':'");
    }
    http.headers.push_back("Authorization: Basic " +
                           Base64Encode(endpoint.basic_user + ":" + endpoint.basic_password));
  }
  if (core::Status valid = ValidateHttpPosterOptions(http); !valid.ok()) {
    // Headers were checked above, so the URL is what is wrong; its message
    // would say "webhook" and may quote a header, so it is not passed on.
    return core::Error(valid.code(),
                       "the Loki URL must start with http:// or https:// and hold no space or "
                       "newline: " + core::EscapeTerminal(http.url));
  }
  return http;
}

}  // namespace bulwark::runtime::output
