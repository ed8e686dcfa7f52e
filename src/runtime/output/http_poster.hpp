// The one network call the webhook sink makes: POST a JSON body to a URL
// and report the HTTP status, behind an interface so that delivery logic is
// tested with fakes as well as against a real loopback server.
//
// CurlPoster (libcurl) keeps one connection alive between posts, sends
// Content-Type: application/json plus the configured headers, verifies TLS
// certificates and host names unless told not to, speaks only http and https
// (no redirects followed), and bounds both the connect and the whole
// request time. Cancel is for shutdown: it aborts a Post in progress within
// a few milliseconds, and every later Post fails at once.
//
// Post is called from one thread at a time (the sink's worker); Cancel may
// be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace bulwark::runtime::output {

class HttpPoster {
 public:
  virtual ~HttpPoster() = default;
  // The HTTP status of the response, or an error when no response arrived
  // (refused, timed out, TLS failure, cancelled).
  virtual core::Result<long> Post(std::string_view body) = 0;
  virtual void Cancel() = 0;
};

struct HttpPosterOptions {
  std::string url;                  // http:// or https://
  std::vector<std::string> headers; // "Name: value", added to every request
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds timeout{5000};  // the whole request
  bool verify_tls = true;
  std::string ca_file;              // PEM bundle; empty: the system's
};

// Checks the URL scheme and that headers are "Name: value" without CR/LF.
core::Status ValidateHttpPosterOptions(const HttpPosterOptions& options);

core::Result<std::unique_ptr<HttpPoster>> MakeCurlPoster(const HttpPosterOptions& options);

}  // namespace bulwark::runtime::output
