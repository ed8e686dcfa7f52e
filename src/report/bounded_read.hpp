// Reading one file of untrusted size, for the report's readers (the results
// directory, the incident report's alert files and evidence): a regular file
// only (a FIFO or a device could block or never end; opened non-blocking so
// a FIFO put in its place cannot hang the open), and at most `max_bytes`
// even when the file grows while it is read (a `watch -o` file being
// written). Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/status.hpp"

namespace bulwark::report {

struct BoundedFile {
  std::string text;
  int64_t mtime = 0;
};

enum class SymlinkPolicy { kFollow, kRefuse };

// kIoError (cannot be opened; a symbolic link with kRefuse), kInvalidArgument
// (not a regular file) or kTooLarge; messages start with a verb ("is larger
// than ...") to follow the file's name.
core::Result<BoundedFile> ReadBoundedFile(const std::filesystem::path& path, uintmax_t max_bytes,
                                          SymlinkPolicy links);

}  // namespace bulwark::report
