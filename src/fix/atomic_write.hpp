// Atomic file replacement for `bulwark fix --write`: the new content goes to
// a temporary file in the same directory, gets the original's mode and owner,
// is flushed to disk and renamed over the original, so a reader sees either
// the old file or the new one, never half of each; on any failure the
// original is untouched and the temporary file removed. Symbolic links are
// refused (a fix would replace the link, not its target). Thread-compatible.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "core/status.hpp"

namespace bulwark::fix {

struct WriteOptions {
  // Mode of a file that does not exist yet (the process umask does not apply).
  unsigned new_file_mode = 0644;
  // When set, the existing file's mode becomes this (e.g. 0600 for secrets).
  std::optional<unsigned> force_mode;
};

core::Status AtomicWriteFile(const std::filesystem::path& path, std::string_view content,
                             const WriteOptions& options = {});

// Copies `path` to `path` + ".bulwark.bak" (atomically, same mode), replacing
// an older backup.
core::Status WriteBackup(const std::filesystem::path& path);

// Reads a whole regular file; NotFound when it does not exist. Refuses
// symbolic links and files over `max_bytes`.
core::Result<std::string> ReadRegularFile(const std::filesystem::path& path, size_t max_bytes = size_t{8} << 20);

}  // namespace bulwark::fix
