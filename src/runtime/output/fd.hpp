// Small POSIX helpers the file-based outputs share: an owning file
// descriptor and a write that finishes (or fails) a whole buffer.
// Value/handle types; thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "core/status.hpp"

namespace bulwark::runtime::output {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) Reset(std::exchange(other.fd_, -1));
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { Reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void Reset(int fd = -1);

 private:
  int fd_ = -1;
};

// Writes all of `data`, retrying on EINTR and short writes. `what` names the
// target in the error message.
core::Status WriteAll(int fd, std::string_view data, std::string_view what);

// "<what>: <strerror(errno)>" with the code that matches errno.
core::Status ErrnoStatus(std::string_view what, int err);

}  // namespace bulwark::runtime::output
