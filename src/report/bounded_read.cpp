#include "report/bounded_read.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bulwark::report {

core::Result<BoundedFile> ReadBoundedFile(const std::filesystem::path& path, uintmax_t max_bytes,
                                          SymlinkPolicy links) {
  int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (links == SymlinkPolicy::kRefuse ? O_NOFOLLOW : 0);
  int fd = ::open(path.c_str(), flags);
  if (fd < 0) {
    return core::Error(core::ErrorCode::kIoError, std::string("cannot be read: ") + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return core::Error(core::ErrorCode::kInvalidArgument, "is not a regular file");
  }
  if (static_cast<uintmax_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return core::Error(core::ErrorCode::kTooLarge,
                       "is larger than " + std::to_string(max_bytes >> 20) + " MiB: not read");
  }
  BoundedFile out;
  out.mtime = static_cast<int64_t>(st.st_mtime);
  // The file may grow while read: stop one byte past the limit.
  char buf[65536];
  while (out.text.size() <= max_bytes) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  if (out.text.size() > max_bytes) return core::Error(core::ErrorCode::kTooLarge, "grew past the size limit");
  return out;
}

}  // namespace bulwark::report
