// Reads the facts of one live process from a procfs tree: identity, argv,
// exe (also when deleted), cwd, IDs, start time, the parent chain, open
// files, sockets (through the process's own net/ tables, so a container's
// namespace resolves), a summary of its memory maps and its container ID
// (from the cgroup; name and image are added by live_container). The root
// is a parameter so tests run on fake trees. Every read is bounded; a file
// that vanishes or is refused becomes a note, not an error. Nothing is
// executed or written. Thread-safe (no shared state).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "core/status.hpp"
#include "respond/live_types.hpp"

namespace bulwark::respond {

inline constexpr size_t kMaxProcFileBytes = 4u << 20;  // maps, net tables
inline constexpr size_t kMaxFds = 4096;
inline constexpr size_t kMaxParents = 64;

struct ProcReadOptions {
  std::string proc_root = "/proc";
};

// kNotFound when there is no such process, kPermissionDenied or kParseError
// when its stat cannot be read.
core::Result<ProcessFacts> ReadProcess(int pid, const ProcReadOptions& options = {});

// Bounded read of a small procfs file; nullopt when it cannot be read.
std::optional<std::string> ReadProcFile(const std::string& path, size_t max_bytes = kMaxProcFileBytes);
// The text of a symbolic link (bounded); nullopt when it is not one.
std::optional<std::string> ReadLink(const std::string& path);

}  // namespace bulwark::respond
