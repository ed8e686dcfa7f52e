#include "image/capture_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>

#include "image/archive_io.hpp"

namespace bulwark::image {
namespace {

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

// Feeds the entry's data to `sink` in order, holes of sparse entries as
// zeros, never more than `size` bytes. Archive read failures are
// kParseError (the layer is damaged or truncated); the sink's are its own.
template <typename Sink>
core::Status ForEachPiece(archive* a, uint64_t size, Sink&& sink) {
  static const char kZeros[4096] = {};
  uint64_t done = 0;
  auto fill_to = [&](uint64_t end) -> core::Status {
    while (done < end) {
      size_t chunk = static_cast<size_t>(std::min<uint64_t>(sizeof(kZeros), end - done));
      RETURN_IF_ERROR(sink(kZeros, chunk));
      done += chunk;
    }
    return core::Status::Ok();
  };
  while (true) {
    const void* data = nullptr;
    size_t n = 0;
    la_int64_t offset = 0;
    int r = archive_read_data_block(a, &data, &n, &offset);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) return core::Error(core::ErrorCode::kParseError, ArchiveError(a));
    if (offset < 0 || static_cast<uint64_t>(offset) < done || static_cast<uint64_t>(offset) + n > size) {
      return core::Error(core::ErrorCode::kParseError, "data blocks do not fit the declared size");
    }
    RETURN_IF_ERROR(fill_to(static_cast<uint64_t>(offset)));
    RETURN_IF_ERROR(sink(static_cast<const char*>(data), n));
    done += n;
  }
  return fill_to(size);
}

core::Status WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return core::Error(core::ErrorCode::kIoError, Errno("write to the capture directory"));
    data += n;
    size -= static_cast<size_t>(n);
  }
  return core::Status::Ok();
}

std::filesystem::path DefaultParent() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp != nullptr && tmp[0] != '\0' ? std::filesystem::path(tmp) : std::filesystem::path("/tmp");
}

}  // namespace

CaptureStore::CaptureStore(std::filesystem::path parent, const ImageLimits& limits)
    : parent_(parent.empty() ? DefaultParent() : std::move(parent)), limits_(limits) {}

CaptureStore::~CaptureStore() {
  if (dir_fd_ < 0) return;
  // Only names we made live here; remove them one by one, then the directory.
  for (CaptureId id = 0; id < slots_.size(); ++id) {
    if (slots_[id].on_disk && !slots_[id].released) unlinkat(dir_fd_, FileName(id).c_str(), 0);
  }
  close(dir_fd_);
  if (rmdir(dir_.c_str()) != 0) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

core::Status CaptureStore::EnsureDir() {
  if (dir_fd_ >= 0) return core::Status::Ok();
  std::string pattern = (parent_ / "bulwark-image-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {  // mkdtemp makes it 0700
    return core::Error(core::ErrorCode::kIoError,
                       Errno("cannot make a temp directory in " + parent_.string()));
  }
  dir_ = pattern;
  dir_fd_ = open(pattern.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dir_fd_ < 0) return core::Error(core::ErrorCode::kIoError, Errno("cannot open " + pattern));
  return core::Status::Ok();
}

core::Result<CaptureId> CaptureStore::CaptureEntry(archive* a, uint64_t size) {
  if (size > limits_.max_capture_file) {
    return core::Error(core::ErrorCode::kTooLarge,
                       std::to_string(size) + " bytes, over the capture limit of " +
                           std::to_string(limits_.max_capture_file) + " per file");
  }
  if (size > limits_.max_capture_total - std::min(total_, limits_.max_capture_total)) {
    return core::Error(core::ErrorCode::kTooLarge, "the capture limit of " +
                                                       std::to_string(limits_.max_capture_total) +
                                                       " bytes for all files is reached");
  }
  if (slots_.size() >= kNoCapture) return core::Error(core::ErrorCode::kTooLarge, "too many captured files");
  auto id = static_cast<CaptureId>(slots_.size());
  if (size > limits_.max_memory_capture_file) {
    RETURN_IF_ERROR(CaptureToFile(a, size, id));
  } else {
    std::string memory;
    memory.reserve(static_cast<size_t>(size));
    RETURN_IF_ERROR(ForEachPiece(a, size, [&](const char* data, size_t n) {
      memory.append(data, n);
      return core::Status::Ok();
    }));
    slots_.push_back(Slot{std::move(memory), size, false, false});
  }
  total_ += size;
  return id;
}

core::Status CaptureStore::CaptureToFile(archive* a, uint64_t size, CaptureId id) {
  RETURN_IF_ERROR(EnsureDir());
  std::string name = FileName(id);
  int fd = openat(dir_fd_, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return core::Error(core::ErrorCode::kIoError, Errno("cannot create a capture file"));
  core::Status status =
      ForEachPiece(a, size, [fd](const char* data, size_t n) { return WriteAll(fd, data, n); });
  if (close(fd) != 0 && status.ok()) {
    status = core::Error(core::ErrorCode::kIoError, Errno("write to the capture directory"));
  }
  if (!status.ok()) {
    unlinkat(dir_fd_, name.c_str(), 0);
    return status;
  }
  slots_.push_back(Slot{std::string(), size, true, false});
  return core::Status::Ok();
}

void CaptureStore::Release(CaptureId id) {
  if (id >= slots_.size() || slots_[id].released) return;
  Slot& slot = slots_[id];
  slot.released = true;
  total_ -= slot.size;
  if (slot.on_disk) {
    unlinkat(dir_fd_, FileName(id).c_str(), 0);
  } else {
    std::string().swap(slot.memory);
  }
}

core::Result<std::string> CaptureStore::Read(CaptureId id, uint64_t max_bytes) const {
  if (id >= slots_.size() || slots_[id].released) {
    return core::Error(core::ErrorCode::kInternal, "captured content " + std::to_string(id) + " is gone");
  }
  const Slot& slot = slots_[id];
  if (slot.size > max_bytes) {
    return core::Error(core::ErrorCode::kTooLarge,
                       std::to_string(slot.size) + " bytes, over the limit of " + std::to_string(max_bytes));
  }
  if (!slot.on_disk) return slot.memory;
  int fd = openat(dir_fd_, FileName(id).c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return core::Error(core::ErrorCode::kIoError, Errno("cannot open captured content"));
  std::string out(static_cast<size_t>(slot.size), '\0');
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  close(fd);
  if (done != out.size()) return core::Error(core::ErrorCode::kIoError, "captured content is short");
  return out;
}

}  // namespace bulwark::image
