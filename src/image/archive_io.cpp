#include "image/archive_io.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace bulwark::image {

ArchivePtr NewTarReader(bool compressed) {
  ArchivePtr a(archive_read_new());
  if (!a) return a;
  archive_read_support_format_tar(a.get());
  archive_read_support_format_empty(a.get());
  if (compressed) {
    // Built-in decoders only: with these two, libarchive never execs a
    // program (it would for lrzip, lzop and friends).
    archive_read_support_filter_gzip(a.get());
    archive_read_support_filter_zstd(a.get());
  }
  return a;
}

std::string ArchiveError(archive* a) {
  const char* text = a != nullptr ? archive_error_string(a) : nullptr;
  return text != nullptr ? text : "unknown libarchive error";
}

core::Status OpenFailed(const std::string& what, archive* a) {
  if (a == nullptr) return core::Error(core::ErrorCode::kInternal, what + ": libarchive could not start");
  return core::Error(core::ErrorCode::kParseError,
                     what + ": not a readable tar archive (" + ArchiveError(a) + ")");
}

core::Status EntryStream::OuterBlock(const void** data, size_t* size) {
  la_int64_t offset = 0;
  int r = archive_read_data_block(outer_, data, size, &offset);
  if (r == ARCHIVE_EOF) {
    *size = 0;
    return core::Status::Ok();
  }
  if (r < ARCHIVE_WARN) return core::Error(core::ErrorCode::kIoError, ArchiveError(outer_));
  // Holes would need zero-filling; nothing that writes images makes them.
  if (offset != next_offset_) {
    return core::Error(core::ErrorCode::kParseError, "sparse entry in the outer archive");
  }
  next_offset_ += static_cast<int64_t>(*size);
  return core::Status::Ok();
}

core::Status EntryStream::Peek(size_t n) {
  if (peeked_) return core::Status::Ok();
  peeked_ = true;
  const void* data = nullptr;
  size_t size = 0;
  RETURN_IF_ERROR(OuterBlock(&data, &size));
  head_ = static_cast<const char*>(data);
  head_size_ = size;
  // Usually the first block is far longer than a peek; copy only if not.
  while (head_size_ < n && size > 0) {
    if (head_copy_.empty()) head_copy_.assign(head_, head_size_);
    RETURN_IF_ERROR(OuterBlock(&data, &size));
    head_copy_.append(static_cast<const char*>(data), size);
    head_ = head_copy_.data();
    head_size_ = head_copy_.size();
  }
  head_pending_ = head_size_ > 0;
  return core::Status::Ok();
}

core::Status EntryStream::Next(const void** data, size_t* size) {
  peeked_ = true;  // a peek after reading started would lose data
  if (head_pending_) {
    head_pending_ = false;
    *data = head_;
    *size = head_size_;
    return core::Status::Ok();
  }
  return OuterBlock(data, size);
}

core::Status EntryStream::ReadAll(uint64_t max_bytes, std::string* out) {
  while (true) {
    const void* data = nullptr;
    size_t size = 0;
    RETURN_IF_ERROR(Next(&data, &size));
    if (size == 0) return core::Status::Ok();
    if (out->size() + size > max_bytes) {
      return core::Error(core::ErrorCode::kTooLarge,
                         "larger than the limit of " + std::to_string(max_bytes) + " bytes");
    }
    out->append(static_cast<const char*>(data), size);
  }
}

la_ssize_t EntryStream::ReadCallback(archive* inner, void* self, const void** buffer) {
  size_t size = 0;
  core::Status status = static_cast<EntryStream*>(self)->Next(buffer, &size);
  if (!status.ok()) {
    archive_set_error(inner, EIO, "%s", status.message().c_str());
    return ARCHIVE_FATAL;
  }
  return static_cast<la_ssize_t>(size);
}

// Small reads: most of what follows a header is data to skip, and libarchive
// skips whatever lies beyond the current block without reading it.
constexpr size_t kRangeBlockSize = size_t{8} << 10;

int FileRangeSource::Open(archive* a) {
  buffer_.resize(kRangeBlockSize);
  archive_read_set_callback_data(a, this);
  archive_read_set_read_callback(a, &FileRangeSource::Read);
  archive_read_set_skip_callback(a, &FileRangeSource::Skip);
  return archive_read_open1(a);
}

la_ssize_t FileRangeSource::Read(archive* a, void* self, const void** buffer) {
  auto* source = static_cast<FileRangeSource*>(self);
  size_t want =
      static_cast<size_t>(std::min<uint64_t>(source->buffer_.size(), source->end_ - source->position_));
  *buffer = source->buffer_.data();
  if (want == 0) return 0;
  while (true) {
    ssize_t n = pread(source->fd_, source->buffer_.data(), want, static_cast<off_t>(source->position_));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      archive_set_error(a, errno, "read failed");
      return ARCHIVE_FATAL;
    }
    source->position_ += static_cast<uint64_t>(n);
    return n;
  }
}

la_int64_t FileRangeSource::Skip(archive*, void* self, la_int64_t request) {
  auto* source = static_cast<FileRangeSource*>(self);
  uint64_t step =
      std::min<uint64_t>(request > 0 ? static_cast<uint64_t>(request) : 0, source->end_ - source->position_);
  source->position_ += step;
  return static_cast<la_int64_t>(step);
}

}  // namespace bulwark::image
