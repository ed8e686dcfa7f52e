// Gathers EngineFacts from the Docker Engine API (read-only GETs over the
// daemon's unix socket): /info, /version, running containers with their
// inspect documents, process lists (/top: the host's ps, nothing runs inside
// the container) and remembered exec sessions, images with history,
// networks, and the swarm documents when this node manages a swarm.
#pragma once

#include <string>
#include <vector>

#include "host/host_facts.hpp"

namespace bulwark::host {

struct EngineScope {
  // Container names or ID prefixes; empty: every running container.
  std::vector<std::string> containers;
  // Image references (name:tag), IDs or ID prefixes; empty: every image when
  // no container filter is given, else the images of the chosen containers.
  std::vector<std::string> images;
  unsigned jobs = 4;  // parallel API requests (one connection each)
};

// Never fails: an unreachable engine leaves facts.reachable false with the
// reason; a container that vanishes mid-run is dropped. Unknown names in the
// scope are returned in `unmatched` so the caller can say so.
EngineFacts CollectEngineFacts(const std::string& socket_path, const EngineScope& scope,
                               std::vector<std::string>* unmatched);

}  // namespace bulwark::host
