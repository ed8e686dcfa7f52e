#include "runtime/output/fd.hpp"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace bulwark::runtime::output {

void UniqueFd::Reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

core::Status ErrnoStatus(std::string_view what, int err) {
  core::ErrorCode code = core::ErrorCode::kIoError;
  if (err == ENOENT) code = core::ErrorCode::kNotFound;
  if (err == EACCES || err == EPERM) code = core::ErrorCode::kPermissionDenied;
  return core::Error(code, std::string(what) + ": " + std::strerror(err));
}

core::Status WriteAll(int fd, std::string_view data, std::string_view what) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(what, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return core::Status::Ok();
}

}  // namespace bulwark::runtime::output
