// libarchive plumbing shared by the image sources: readers configured for
// image tars (tar formats, gzip/zstd detected from the bytes, never external
// decompression programs), error text, and EntryStream, which hands the data
// of an outer archive's current entry to a nested reader block by block,
// without copying it or writing it anywhere. Not thread-safe.
#pragma once

#include <archive.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace bulwark::image {

struct ArchiveFree {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveFree>;

// Bytes per read() of an archive file or stream.
constexpr size_t kReadBlockSize = size_t{1} << 20;

// A tar reader (ustar, pax, GNU, and empty input) with gzip and zstd
// decompression; `compressed` false leaves the filters out (plain tar only).
ArchivePtr NewTarReader(bool compressed = true);

// archive_error_string, never null.
std::string ArchiveError(archive* a);
// The error when opening `a` failed: libarchive detects the format while
// opening, so this is usually "not a tar archive". Names `what`.
core::Status OpenFailed(const std::string& what, archive* a);

// The current entry of `outer`, as a stream of blocks that stay valid until
// the next call. Peek makes the first bytes visible for sniffing the format.
class EntryStream {
 public:
  explicit EntryStream(archive* outer) : outer_(outer) {}

  // Makes at least `n` bytes visible at Head() (fewer only at the end).
  core::Status Peek(size_t n);
  std::string_view Head() const { return {head_, head_size_}; }
  // The next block: the peeked bytes first. `size` 0 means the end.
  core::Status Next(const void** data, size_t* size);
  // Reads the rest into `out`; kTooLarge past `max_bytes`.
  core::Status ReadAll(uint64_t max_bytes, std::string* out);

  // libarchive read callback: `self` is an EntryStream.
  static la_ssize_t ReadCallback(archive* inner, void* self, const void** buffer);

 private:
  core::Status OuterBlock(const void** data, size_t* size);

  archive* outer_;
  std::string head_copy_;  // only when the first block was shorter than a peek
  const char* head_ = nullptr;
  size_t head_size_ = 0;
  bool head_pending_ = false;
  bool peeked_ = false;
  int64_t next_offset_ = 0;
};

// A byte range of a regular file as a libarchive source: reads with pread,
// and skips by moving the position, so a layer stored plainly inside a
// plain docker save file is read without touching the data of the files
// nobody wants. Open with Open(); lives as long as the archive reading it.
class FileRangeSource {
 public:
  FileRangeSource(int fd, uint64_t begin, uint64_t size) : fd_(fd), position_(begin), end_(begin + size) {}
  // archive_read_open with this source's callbacks.
  int Open(archive* a);

 private:
  static la_ssize_t Read(archive* a, void* self, const void** buffer);
  static la_int64_t Skip(archive* a, void* self, la_int64_t request);

  int fd_;
  uint64_t position_;
  uint64_t end_;
  std::vector<char> buffer_;
};

}  // namespace bulwark::image
