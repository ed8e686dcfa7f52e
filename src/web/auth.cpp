#include "web/auth.hpp"

#include <cctype>
#include <fstream>

#include <openssl/crypto.h>
#include <openssl/rand.h>

namespace bulwark::web {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

}  // namespace

core::Result<std::string> GenerateToken() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return core::Error(core::ErrorCode::kInternal, "the system's random generator failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  for (unsigned char b : bytes) {
    token.push_back(kHex[b >> 4]);
    token.push_back(kHex[b & 15]);
  }
  return token;
}

core::Result<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::Error(core::ErrorCode::kNotFound, path + ": cannot read the token file");
  std::string line;
  std::getline(in, line);
  std::string token(Trim(line));
  if (token.empty()) return core::Error(core::ErrorCode::kInvalidArgument, path + ": empty token");
  if (token.size() > kMaxTokenBytes) {
    return core::Error(core::ErrorCode::kTooLarge, path + ": token over 256 bytes");
  }
  return token;
}

bool IsLoopbackHost(std::string_view host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.starts_with("127.");
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<std::string> RequestToken(std::string_view authorization,
                                        std::string_view cookie_header) {
  authorization = Trim(authorization);
  if (StartsWithNoCase(authorization, "bearer ")) {
    return std::string(Trim(authorization.substr(7)));
  }
  // "a=1; bulwark_token=XYZ; b=2"
  while (!cookie_header.empty()) {
    const size_t end = cookie_header.find(';');
    std::string_view pair = Trim(cookie_header.substr(0, end));
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && Trim(pair.substr(0, eq)) == kTokenCookie) {
      return std::string(Trim(pair.substr(eq + 1)));
    }
    if (end == std::string_view::npos) break;
    cookie_header.remove_prefix(end + 1);
  }
  return std::nullopt;
}

bool Authorized(std::string_view expected, std::string_view authorization,
                std::string_view cookie_header) {
  if (expected.empty()) return true;
  std::optional<std::string> given = RequestToken(authorization, cookie_header);
  return given && ConstantTimeEquals(*given, expected);
}

}  // namespace bulwark::web
