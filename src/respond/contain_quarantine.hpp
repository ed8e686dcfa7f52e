// Quarantine of a file inside a container: the path is resolved below the
// container's root (/proc/<init pid>/root) with openat2(RESOLVE_IN_ROOT), so
// neither "..", an absolute symlink nor a symlinked directory can reach the
// host's files; a final symlink, a non-regular file or one over the size
// bound is refused. The bytes are copied to <evidence>/quarantine/<sha256>
// (mode 000) beside <sha256>.json (original path, mode, owner, size, mtime),
// and the file is then unlinked from the container through a descriptor of
// its parent directory, after checking it is still the same inode.
// Stateless; thread-safe for distinct evidence directories.
#pragma once

#include <string>

#include "core/status.hpp"
#include "respond/contain_evidence.hpp"
#include "respond/contain_types.hpp"

namespace bulwark::respond {

inline constexpr uint64_t kMaxQuarantineBytes = uint64_t{1} << 30;

// An absolute path without "." or ".." components, NUL or empty names.
core::Status CheckContainerPath(const std::string& path);

struct QuarantineResult {
  EvidenceFile file;     // quarantine/<sha256>
  EvidenceFile sidecar;  // quarantine/<sha256>.json
  bool removed = false;  // false: stored, but still in the container (detail says why)
  std::string detail;
};

// Reads, stores and removes `path` (inside the container) below `root_dir`.
// An error when nothing was stored; a result with removed=false when the
// copy is stored but the file could not be removed.
// `evidence` must already hold a quarantine/ directory.
core::Result<QuarantineResult> QuarantineFile(const std::string& root_dir, const std::string& path,
                                              EvidenceDir& evidence);
// Read-only: the size of the regular file `path` would quarantine (dry run).
core::Result<uint64_t> ProbeContainerFile(const std::string& root_dir, const std::string& path);

}  // namespace bulwark::respond
