// Container identity from a process's cgroup path, with the patterns of
// Falco's container plugin: Docker (`/docker/<64hex>`, `docker-<id>.scope`),
// CRI-O (`crio-<id>`), containerd (`cri-containerd-<id>.scope`,
// `:cri-containerd:<id>`, `/<namespace>/<id>`, kubepods), nerdctl and
// podman (`libpod-<id>.scope`). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bulwark::runtime::sensor {

struct ContainerRef {
  std::string id;       // the first 12 hex characters
  std::string full_id;  // 64 hex characters
  std::string type;     // "docker", "cri-o", "containerd", "podman"
};

// nullopt for host processes (no component carries a 64-hex ID).
std::optional<ContainerRef> ContainerFromCgroupPath(std::string_view path);

// The cgroup path of the memory controller (v1), else the unified one (v2),
// from the text of /proc/<pid>/cgroup. Empty when none is found.
std::string CgroupPathFromProcFile(std::string_view text);

}  // namespace bulwark::runtime::sensor
