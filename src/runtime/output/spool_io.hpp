// File-system helpers of the alert spool (spool.cpp): whole-file and
// line-at-offset reads, the segment listing, directory fsync. Internal to
// the output library. Thread-compatible.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/status.hpp"

namespace bulwark::runtime::output {

// "seg-00000000000000000042.log"
std::string SpoolSegmentName(uint64_t seq);
// The sequence numbers of DIR's segment files, ascending; other names ignored.
core::Result<std::vector<uint64_t>> ListSpoolSegments(const std::filesystem::path& dir);

// Reads at most `limit` bytes from the start of `fd`.
core::Result<std::string> ReadPrefix(int fd, uint64_t limit);

enum class LineRead {
  kLine,     // `line` holds the bytes up to (not including) '\n'
  kEof,      // no complete line from `offset` to the end of the file
  kTooLong,  // the line is longer than `limit`; `next` skips past it
};
// Reads the line that starts at `offset`; `next` receives the offset after
// its '\n'.
core::Result<LineRead> ReadLineAt(int fd, uint64_t offset, size_t limit, std::string* line,
                                  uint64_t* next);

core::Status FsyncDirectory(const std::filesystem::path& dir);

}  // namespace bulwark::runtime::output
