// EngineClient: a small Docker Engine API client, HTTP over the daemon's unix
// socket (libcurl). Read-only calls bulwark needs today: ping, image inspect.
// Responses are bounded in size; errors name the socket and what to do.
// One client per thread (libcurl easy handles are not shared).
#pragma once

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
  // OK when the daemon answers /_ping.
  core::Status Ping();
  // NotFound when the daemon does not know the image.
  core::Result<ImageInfo> InspectImage(const std::string& reference);

 private:
  std::string socket_path_;
  void* curl_ = nullptr;  // CURL*, kept to reuse the connection
};

// The digest ("sha256:...") of `reference` as the registry knows it, from the
// image's RepoDigests: the entry of the same repository when there is one.
// nullopt when the image was built or imported locally (no RepoDigests).
std::optional<std::string> RepoDigestFor(const ImageInfo& image, const std::string& reference);

// Percent-encodes an image reference for a URL path segment.
std::string EscapePathSegment(const std::string& text);

}  // namespace bulwark::docker
