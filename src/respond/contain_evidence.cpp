#include "respond/contain_evidence.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "respond/hashes.hpp"

namespace bulwark::respond {
namespace {

// Evidence can be a whole container's file system.
constexpr uint64_t kMaxHashBytes = uint64_t{1} << 40;

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    Reset();
    fd_ = other.Release();
  }
  return *this;
}

int UniqueFd::Release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

void UniqueFd::Reset() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

core::Status ErrnoError(std::string_view what, int err) {
  core::ErrorCode code = core::ErrorCode::kIoError;
  if (err == ENOENT) code = core::ErrorCode::kNotFound;
  if (err == EACCES || err == EPERM) code = core::ErrorCode::kPermissionDenied;
  return core::Error(code, std::string(what) + ": " + std::strerror(err));
}

bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

core::Result<EvidenceDir> EvidenceDir::Create(const std::string& path) {
  if (path.empty()) return core::Error(core::ErrorCode::kInvalidArgument, "empty evidence directory");
  std::filesystem::path target(path);
  std::filesystem::path parent = target.parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) return core::Error(core::ErrorCode::kIoError, "cannot create " + parent.string() + ": " + ec.message());
  }
  // mkdir never follows a symlink and fails on anything already there.
  if (mkdir(path.c_str(), 0700) != 0) {
    if (errno == EEXIST) {
      return core::Error(core::ErrorCode::kInvalidArgument,
                         "evidence directory " + path + " already exists: name a new one (--evidence-dir)");
    }
    return ErrnoError("cannot create evidence directory " + path, errno);
  }
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) return ErrnoError("cannot open evidence directory " + path, errno);
  if (fchmod(fd.get(), 0700) != 0) return ErrnoError("chmod 0700 " + path, errno);
  return EvidenceDir(path, std::move(fd));
}

core::Status EvidenceDir::MakeDir(const std::string& rel) {
  if (mkdirat(fd(), rel.c_str(), 0700) != 0) return ErrnoError("cannot create " + rel, errno);
  return core::Status::Ok();
}

core::Result<UniqueFd> EvidenceDir::CreateFile(const std::string& rel) {
  UniqueFd out(openat(fd(), rel.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!out.valid()) return ErrnoError("cannot create " + rel, errno);
  return out;
}

core::Result<EvidenceFile> EvidenceDir::WriteFile(const std::string& rel, std::string_view data) {
  ASSIGN_OR_RETURN(UniqueFd out, CreateFile(rel));
  if (!WriteAll(out.get(), data.data(), data.size()) || fsync(out.get()) != 0) {
    return ErrnoError("cannot write " + rel, errno);
  }
  return Describe(rel);
}

core::Result<EvidenceFile> EvidenceDir::CopyFrom(int source, const std::string& rel, uint64_t max_bytes) {
  ASSIGN_OR_RETURN(UniqueFd out, CreateFile(rel));
  std::vector<char> buffer(size_t{1} << 16);
  uint64_t total = 0;
  for (;;) {
    ssize_t n = read(source, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      unlinkat(fd(), rel.c_str(), 0);
      return ErrnoError("cannot read the source of " + rel, err);
    }
    if (n == 0) break;
    total += static_cast<uint64_t>(n);
    if (total > max_bytes) {
      unlinkat(fd(), rel.c_str(), 0);
      return core::Error(core::ErrorCode::kTooLarge,
                         "larger than " + std::to_string(max_bytes >> 20) + " MiB: not copied");
    }
    if (!WriteAll(out.get(), buffer.data(), static_cast<size_t>(n))) return ErrnoError("cannot write " + rel, errno);
  }
  if (fsync(out.get()) != 0) return ErrnoError("cannot write " + rel, errno);
  return Describe(rel);
}

core::Result<EvidenceFile> EvidenceDir::Describe(const std::string& rel) const {
  ASSIGN_OR_RETURN(Hashes hashes, HashFile(path_ + "/" + rel, kMaxHashBytes));
  struct stat st {};
  if (fstatat(fd(), rel.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return ErrnoError("stat " + rel, errno);
  return EvidenceFile{rel, hashes.sha256, static_cast<uint64_t>(st.st_size)};
}

}  // namespace bulwark::respond
