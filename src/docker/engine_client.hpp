// EngineClient: a small Docker Engine API client, HTTP over the daemon's unix
// socket (libcurl): GET and POST with a JSON body (answers bounded in
// memory), and a streaming GET whose body goes to a callback (exports and
// archives, written to disk by the caller). Ping and image inspect here;
// container calls in docker/container_api.hpp. Errors name the socket and
// what to do. One client per thread (libcurl easy handles are not shared).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/status.hpp"

namespace bulwark::docker {

struct HttpResponse {
  long status = 0;
  std::string body;
};

// What a streaming GET delivered: the HTTP status, the bytes handed to the
// sink (2xx only), and for other statuses the start of the daemon's answer.
struct StreamResponse {
  long status = 0;
  uint64_t bytes = 0;
  std::string error_body;
};

// Receives each chunk of a streamed body; false stops the transfer.
using BodySink = std::function<bool(const char* data, size_t size)>;

struct ImageInfo {
  std::string id;                         // "sha256:..."
  std::vector<std::string> repo_tags;     // "python:3.12-slim"
  std::vector<std::string> repo_digests;  // "python@sha256:..."
  std::string os;
  std::string user;                       // Config.User
  std::vector<std::string> exposed_ports; // "5000/tcp"
};

class EngineClient {
 public:
  // DOCKER_HOST=unix://PATH when set, else /var/run/docker.sock.
  static std::string DefaultSocketPath();
  explicit EngineClient(std::string socket_path = DefaultSocketPath());
  ~EngineClient();
  EngineClient(const EngineClient&) = delete;
  EngineClient& operator=(const EngineClient&) = delete;

  const std::string& socket_path() const { return socket_path_; }

  // GET on the API, path like "/v1.41/images/x/json" or "/_ping".
  core::Result<HttpResponse> Get(const std::string& path);
  // POST with a JSON body (none when empty); the answer is bounded like Get's.
  core::Result<HttpResponse> Post(const std::string& path, const std::string& json_body = "");
  // GET whose 2xx body goes to `sink` as it arrives, never held in memory.
  // kIoError when the transfer broke off (truncated, stalled, the sink
  // stopped it): the bytes already delivered stay with the caller.
  core::Result<StreamResponse> GetStream(const std::string& path, const BodySink& sink);
  // A stream that delivers nothing for this long is abandoned (default 120 s).
  void set_stall_timeout_seconds(long seconds) { stall_timeout_ = seconds; }
  // Whole-request bound for Get and Post (default 60 s; stop and commit take longer).
  void set_request_timeout_seconds(long seconds) { request_timeout_ = seconds; }
  // OK when the daemon answers /_ping.
  core::Status Ping();
  // NotFound when the daemon does not know the image.
  core::Result<ImageInfo> InspectImage(const std::string& reference);

 private:
  core::Result<HttpResponse> Perform(const char* method, const std::string& path,
                                     const std::string* body);
  core::Status TransferError(const std::string& path, int curl_code) const;

  std::string socket_path_;
  long stall_timeout_ = 120;
  long request_timeout_ = 60;
  void* curl_ = nullptr;  // CURL*, kept to reuse the connection
};

// The digest ("sha256:...") of `reference` as the registry knows it, from the
// image's RepoDigests: the entry of the same repository when there is one.
// nullopt when the image was built or imported locally (no RepoDigests).
std::optional<std::string> RepoDigestFor(const ImageInfo& image, const std::string& reference);

// Percent-encodes an image reference for a URL path segment.
std::string EscapePathSegment(const std::string& text);

}  // namespace bulwark::docker
