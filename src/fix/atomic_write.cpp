#include "fix/atomic_write.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace bulwark::fix {

namespace {

core::Status IoError(const std::filesystem::path& path, std::string_view what, int error) {
  return core::Status(core::ErrorCode::kIoError,
                      path.string() + ": " + std::string(what) + ": " + std::strerror(error));
}

// Closes a descriptor and removes the temporary file unless released.
class TempFile {
 public:
  TempFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  int Close() {
    int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }
  void Release() { path_.clear(); }

 private:
  int fd_;
  std::string path_;
};

bool WriteAll(int fd, std::string_view content) {
  while (!content.empty()) {
    ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    content.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

core::Status AtomicWriteFile(const std::filesystem::path& path, std::string_view content,
                             const WriteOptions& options) {
  struct stat original {};
  bool exists = ::lstat(path.c_str(), &original) == 0;
  if (!exists && errno != ENOENT) return IoError(path, "cannot inspect", errno);
  if (exists && S_ISLNK(original.st_mode)) {
    return core::Status(core::ErrorCode::kInvalidArgument,
                        path.string() + " is a symbolic link; fix the file it points to instead");
  }
  if (exists && !S_ISREG(original.st_mode)) {
    return core::Status(core::ErrorCode::kInvalidArgument, path.string() + " is not a regular file");
  }

  std::filesystem::path dir = path.parent_path().empty() ? "." : path.parent_path();
  std::string pattern = (dir / ("." + path.filename().string() + ".bulwark-XXXXXX")).string();
  int fd = ::mkstemp(pattern.data());
  if (fd < 0) return IoError(path, "cannot create a temporary file beside it", errno);
  TempFile temp(fd, pattern);

  mode_t mode = exists ? (original.st_mode & 07777) : static_cast<mode_t>(options.new_file_mode);
  if (options.force_mode) mode = static_cast<mode_t>(*options.force_mode);
  if (::fchmod(temp.fd(), mode) != 0) return IoError(path, "cannot set the mode", errno);
  // Keep the owner; only root may give a file away, so a failure for an
  // unprivileged user writing their own file is expected and harmless.
  if (exists && (original.st_uid != ::geteuid() || original.st_gid != ::getegid())) {
    if (::fchown(temp.fd(), original.st_uid, original.st_gid) != 0 && ::geteuid() == 0) {
      return IoError(path, "cannot keep the owner", errno);
    }
  }
  if (!WriteAll(temp.fd(), content)) return IoError(path, "cannot write", errno);
  if (::fsync(temp.fd()) != 0) return IoError(path, "cannot flush to disk", errno);
  if (temp.Close() != 0) return IoError(path, "cannot close", errno);
  if (::rename(temp.path().c_str(), path.c_str()) != 0) return IoError(path, "cannot replace", errno);
  temp.Release();
  // Make the rename itself durable.
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return core::Status::Ok();
}

core::Result<std::string> ReadRegularFile(const std::filesystem::path& path, size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    int error = errno;
    if (error == ENOENT) return core::Status(core::ErrorCode::kNotFound, path.string() + " does not exist");
    if (error == ELOOP) {
      return core::Status(core::ErrorCode::kInvalidArgument,
                          path.string() + " is a symbolic link; fix the file it points to instead");
    }
    return IoError(path, "cannot open", error);
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return core::Status(core::ErrorCode::kInvalidArgument, path.string() + " is not a regular file");
  }
  if (static_cast<uint64_t>(info.st_size) > max_bytes) {
    ::close(fd);
    return core::Status(core::ErrorCode::kTooLarge, path.string() + " is larger than " +
                                                        std::to_string(max_bytes >> 20) + " MiB");
  }
  std::string content;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      ::close(fd);
      return IoError(path, "cannot read", error);
    }
    if (n == 0) break;
    content.append(buffer, static_cast<size_t>(n));
    if (content.size() > max_bytes) {
      ::close(fd);
      return core::Status(core::ErrorCode::kTooLarge, path.string() + " grew past the size limit");
    }
  }
  ::close(fd);
  return content;
}

core::Status WriteBackup(const std::filesystem::path& path) {
  ASSIGN_OR_RETURN(std::string content, ReadRegularFile(path));
  struct stat original {};
  if (::stat(path.c_str(), &original) != 0) return IoError(path, "cannot inspect", errno);
  std::filesystem::path backup = path;
  backup += ".bulwark.bak";
  WriteOptions options;
  options.new_file_mode = original.st_mode & 07777;
  options.force_mode = original.st_mode & 07777;
  return AtomicWriteFile(backup, content, options);
}

}  // namespace bulwark::fix
