// File descriptor helpers for the directory sources (oci-dir:, dir:): an
// owning fd, opening a relative path beneath a directory without following
// any symbolic link on the way (so a link can never lead out of the root),
// and bounded reads. Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core/status.hpp"

namespace bulwark::image {

class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  ~UniqueFd() { Reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int Release() { return std::exchange(fd_, -1); }
  void Reset();

 private:
  int fd_;
};

// Opens `path` ('/'-separated, relative, normalised) beneath `dir_fd`, every
// component with O_NOFOLLOW: a symbolic link anywhere fails with ELOOP or
// ENOTDIR. `flags` apply to the last component (O_CLOEXEC is added).
// Returns the fd or -errno.
int OpenBeneath(int dir_fd, std::string_view path, int flags);

// Reads an open regular file: kTooLarge past `max_bytes`.
core::Result<std::string> ReadFd(int fd, uint64_t max_bytes);

// Opens a directory for the user's argument (following links: the user
// named it), with errors that say what to use instead.
core::Result<UniqueFd> OpenUserDir(const std::string& spec, const std::string& path);

// An errno as a core status for `what`.
core::Status ErrnoStatus(int error, const std::string& what);

}  // namespace bulwark::image
