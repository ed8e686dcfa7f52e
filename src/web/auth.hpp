// Who may talk to `bulwark serve`. Bound to a loopback address, anyone on
// the machine may (as with Prometheus' own UI); bound elsewhere, every
// request — /metrics and the dashboard's files included — must carry the
// server's token, as "Authorization: Bearer TOKEN" (scripts, Prometheus'
// bearer_token_file) or as the cookie the login form sets (the page: the
// token arrives in the URL fragment, which browsers never send, or is typed
// in; POST /api/login with the Bearer header answers with an HttpOnly,
// SameSite=Strict cookie). The token is compared in constant time and never
// logged. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace bulwark::web {

inline constexpr std::string_view kTokenCookie = "bulwark_token";
inline constexpr size_t kMaxTokenBytes = 256;

// 32 random bytes from the system's CSPRNG, hex (64 characters).
core::Result<std::string> GenerateToken();

// The first line of FILE, trimmed; an empty or over-long token is an error.
core::Result<std::string> ReadTokenFile(const std::string& path);

// "127.0.0.1", "127.x.y.z", "::1", "[::1]", "localhost".
bool IsLoopbackHost(std::string_view host);

// Equal in time that depends only on the lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// The token a request carries: the Bearer credential of `authorization`,
// else the bulwark_token cookie of `cookie_header`.
std::optional<std::string> RequestToken(std::string_view authorization,
                                        std::string_view cookie_header);

// Whether a request with these headers may pass; `expected` empty: no token
// is required.
bool Authorized(std::string_view expected, std::string_view authorization,
                std::string_view cookie_header);

}  // namespace bulwark::web
