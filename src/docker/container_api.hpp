// Container calls of the Docker Engine API that incident response needs:
// inspect, top, commit, network disconnect, pause, stop. Each is one HTTP
// request through an EngineClient; a refusal carries the HTTP status and the
// daemon's own message ("HTTP 409: container ... is paused"). Nothing here
// retries or decides: the caller logs each result. Names and IDs reach a URL
// only after ValidContainerRef or from the daemon's own answers, and are
// percent-encoded. Stateless; as thread-safe as the client passed in.
#pragma once

#include <string>
#include <vector>

#include "core/status.hpp"
#include "docker/engine_client.hpp"

namespace bulwark::docker {

struct NetworkAttachment {
  std::string name;        // "lab_frontend", key of NetworkSettings.Networks
  std::string network_id;  // NetworkID
};

struct ContainerInfo {
  std::string id;          // full 64-hex ID
  std::string name;        // without the leading '/'; untrusted text
  std::string image;       // Config.Image as the user named it
  std::string image_id;    // "sha256:..."
  bool running = false;
  bool paused = false;
  int init_pid = 0;        // State.Pid (host PID of its first process), 0 when not running
  std::vector<NetworkAttachment> networks;
  std::vector<std::string> env_names;  // names of Config.Env only, never the values
  std::string raw_json;    // the daemon's answer, as received (evidence)
};

struct ContainerTop {
  std::vector<std::string> titles;                 // "UID", "PID", "PPID", "CMD", ...
  std::vector<std::vector<std::string>> processes;  // one row per process
  std::vector<int> pids;                            // the PID column, host PIDs
  std::string raw_json;
};

// A container name ([A-Za-z0-9][A-Za-z0-9_.-]*, optional leading '/') or
// an ID prefix: all the daemon accepts, and nothing that changes a URL.
bool ValidContainerRef(const std::string& ref);

// kNotFound when the daemon does not know the container.
core::Result<ContainerInfo> InspectContainer(EngineClient& client, const std::string& ref);
core::Result<ContainerTop> TopContainer(EngineClient& client, const std::string& id);
// POST /commit (pause=true for a consistent snapshot); the new image's ID.
core::Result<std::string> CommitContainer(EngineClient& client, const std::string& id,
                                          const std::string& repo, const std::string& tag,
                                          const std::string& comment);
// POST /networks/{id}/disconnect with Force.
core::Status DisconnectNetwork(EngineClient& client, const std::string& network,
                               const std::string& container_id);
core::Status PauseContainer(EngineClient& client, const std::string& id);
core::Status StopContainer(EngineClient& client, const std::string& id, int timeout_seconds);

// "HTTP 409: <the daemon's message>" from an answer's {"message": "..."}.
std::string DescribeRefusal(const HttpResponse& response);

}  // namespace bulwark::docker
