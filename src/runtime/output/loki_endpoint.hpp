// Where and how the Loki sink connects: the push URL and the request
// headers for a tenant (X-Scope-OrgID) and for authentication (a bearer
// token or HTTP basic credentials). Secrets go only into headers: they are
// never part of an error message, and a URL holding credentials
// (user:password@host) is refused so that they cannot reach a log line
// through the URL either.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.hpp"
#include "runtime/output/http_poster.hpp"

namespace bulwark::runtime::output {

struct LokiEndpoint {
  std::string url;           // Loki's base URL, or the full .../loki/api/v1/push URL
  std::string tenant;        // X-Scope-OrgID; empty: none
  std::string bearer_token;  // empty: none
  std::string basic_user;    // with basic_password; empty: none
  std::string basic_password;
};

inline constexpr std::string_view kLokiPushPath = "/loki/api/v1/push";

// "http://loki:3100" and "http://loki:3100/" -> "http://loki:3100/loki/api/v1/push";
// a URL already ending in the push path is kept.
std::string LokiPushUrl(std::string_view base);

std::string Base64Encode(std::string_view data);

// The poster options (URL, headers) for `endpoint`, validated; timeouts and
// TLS settings keep HttpPosterOptions' defaults for the caller to change.
core::Result<HttpPosterOptions> MakeLokiHttpOptions(const LokiEndpoint& endpoint);

}  // namespace bulwark::runtime::output
