// The container side of live triage: the Engine API's view of a container
// (GET /containers/{id}/json for its ID, name, image and init PID; GET
// /containers/{id}/changes for the files added or changed since the image),
// its processes (host PIDs whose cgroup names its ID), and files opened
// inside its root filesystem through /proc/<init pid>/root with
// openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS), so a symlink planted in
// the container resolves inside it and never reaches the host's files.
// JSON parsers take text (testable, fuzzable); the rest needs a live
// system. Thread-safe except through a shared EngineClient (one per thread).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "docker/engine_client.hpp"
#include "respond/live_types.hpp"

namespace bulwark::respond {

inline constexpr size_t kMaxContainerProcesses = 4096;

struct ContainerInspect {
  ContainerRef ref;
  bool running = false;
};

// Id, Name (leading '/' removed), Config.Image, State.Pid, State.Running.
// kParseError when the text is not JSON or has no Id.
core::Result<ContainerInspect> ParseContainerInspect(std::string_view json_text);

// Paths of the /changes answer with Kind 0 (modified) or 1 (added); at most
// 100,000. Empty when the text is not a JSON array.
std::set<std::string> ParseContainerChanges(std::string_view json_text);

// Inspects NAME (a name or ID) through the Engine API. kUnavailable when
// the daemon cannot be reached, kNotFound when it does not know NAME,
// kInvalidArgument when the container is not running.
core::Result<ContainerInspect> InspectContainer(docker::EngineClient& client, const std::string& name);

// Files added or changed in the container since its image; empty on error.
std::set<std::string> ContainerChanges(docker::EngineClient& client, const std::string& id);

// Host PIDs (thread-group leaders) whose cgroup names container `id`, by a
// scan of proc_root; sorted; at most kMaxContainerProcesses.
std::vector<int> ContainerPids(const std::string& proc_root, const std::string& id);

// Opens `path` (as the container sees it) read-only inside the root
// filesystem of process `root_pid`. The caller closes the descriptor.
// kNotFound, kPermissionDenied, kIoError; kUnavailable when the kernel has
// no openat2 (before Linux 5.6): no unsafe fallback.
core::Result<int> OpenInContainer(const std::string& proc_root, int root_pid, const std::string& path);

}  // namespace bulwark::respond
