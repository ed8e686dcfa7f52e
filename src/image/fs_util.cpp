#include "image/fs_util.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace bulwark::image {

void UniqueFd::Reset() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

int OpenBeneath(int dir_fd, std::string_view path, int flags) {
  UniqueFd current;
  int at = dir_fd;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    bool last = slash == std::string_view::npos;
    std::string part(path.substr(start, last ? std::string_view::npos : slash - start));
    if (part.empty() || part == "." || part == "..") return -EINVAL;
    int part_flags = last ? flags : O_RDONLY | O_DIRECTORY;
    int fd = openat(at, part.c_str(), part_flags | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return -errno;
    if (last) return fd;
    current = UniqueFd(fd);  // closes the previous component's fd
    at = current.get();
    start = slash + 1;
  }
}

core::Result<std::string> ReadFd(int fd, uint64_t max_bytes) {
  struct stat st {};
  if (fstat(fd, &st) != 0) return ErrnoStatus(errno, "stat");
  if (!S_ISREG(st.st_mode)) return core::Error(core::ErrorCode::kInvalidArgument, "not a regular file");
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    return core::Error(core::ErrorCode::kTooLarge,
                       std::to_string(st.st_size) + " bytes, over the limit of " + std::to_string(max_bytes));
  }
  std::string out;
  out.resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (true) {
    if (done == out.size()) {
      // The file may have grown since fstat: read on, within the bound.
      if (out.size() >= max_bytes + 1) break;
      out.resize(std::min<uint64_t>(out.size() + 65536, max_bytes + 1));
    }
    ssize_t n = read(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus(errno, "read");
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  if (done > max_bytes) {
    return core::Error(core::ErrorCode::kTooLarge,
                       "over the limit of " + std::to_string(max_bytes) + " bytes");
  }
  out.resize(done);
  return out;
}

core::Result<UniqueFd> OpenUserDir(const std::string& spec, const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) return UniqueFd(fd);
  int error = errno;
  if (error == ENOTDIR) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       spec + " is not a directory (use docker-archive: for a docker save tar file)");
  }
  return ErrnoStatus(error, spec);
}

core::Status ErrnoStatus(int error, const std::string& what) {
  auto code = error == ENOENT                        ? core::ErrorCode::kNotFound
              : (error == EACCES || error == EPERM)  ? core::ErrorCode::kPermissionDenied
              : (error == ELOOP || error == ENOTDIR) ? core::ErrorCode::kInvalidArgument
                                                     : core::ErrorCode::kIoError;
  std::string text = what + ": " + std::strerror(error);
  if (error == ELOOP) text += " (a symbolic link on the way, not followed)";
  return core::Error(code, text);
}

}  // namespace bulwark::image
