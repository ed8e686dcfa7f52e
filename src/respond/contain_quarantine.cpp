#include "respond/contain_quarantine.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "respond/contain_log.hpp"

namespace bulwark::respond {
namespace {

int OpenInRoot(int root, const std::string& path, uint64_t flags) {
  open_how how{};
  how.flags = flags | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  return static_cast<int>(syscall(SYS_openat2, root, path.c_str(), &how, sizeof(how)));
}

struct Opened {
  UniqueFd root;
  UniqueFd file;
  struct stat st {};
};

std::string DescribeOpenError(const std::string& path, int err) {
  if (err == ELOOP) return path + " is a symlink: quarantine the file it points to, by its own path";
  if (err == ENOSYS) return "this kernel has no openat2 (Linux 5.6+ is needed to read inside a container safely)";
  return ErrnoError(path, err).message();
}

core::Result<Opened> OpenContainerFile(const std::string& root_dir, const std::string& path) {
  RETURN_IF_ERROR(CheckContainerPath(path));
  Opened opened;
  opened.root = UniqueFd(open(root_dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!opened.root.valid()) return ErrnoError("container root " + root_dir, errno);
  // O_NONBLOCK: a FIFO planted at the path must not hang us before the type check.
  opened.file = UniqueFd(OpenInRoot(opened.root.get(), path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK));
  if (!opened.file.valid()) {
    int err = errno;
    return core::Error(err == ENOENT ? core::ErrorCode::kNotFound : core::ErrorCode::kInvalidArgument,
                       DescribeOpenError(path, err));
  }
  if (fstat(opened.file.get(), &opened.st) != 0) return ErrnoError(path, errno);
  if (!S_ISREG(opened.st.st_mode)) {
    return core::Error(core::ErrorCode::kInvalidArgument, path + " is not a regular file: not quarantined");
  }
  if (static_cast<uint64_t>(opened.st.st_size) > kMaxQuarantineBytes) {
    return core::Error(core::ErrorCode::kTooLarge, path + " is larger than 1 GiB: not quarantined");
  }
  return opened;
}

std::string Sidecar(const std::string& path, const struct stat& st, const std::string& sha256) {
  char mode[8];
  std::snprintf(mode, sizeof(mode), "%04o", static_cast<unsigned>(st.st_mode & 07777));
  nlohmann::ordered_json doc = {{"original_path", path}, {"sha256", sha256},    {"bytes", st.st_size},
                        {"mode", mode},          {"uid", st.st_uid},    {"gid", st.st_gid},
                        {"mtime", st.st_mtime},  {"quarantined", UtcTimeMillis()}};
  return DumpJson(doc, 2) + "\n";
}

// Removes the file from the container: its parent directory is opened
// inside the root too, and the name must still be the inode we copied.
core::Status RemoveFromContainer(const Opened& opened, const std::string& path) {
  size_t slash = path.rfind('/');
  std::string parent = slash == 0 ? "/" : path.substr(0, slash);
  std::string name = path.substr(slash + 1);
  UniqueFd dir(OpenInRoot(opened.root.get(), parent, O_RDONLY | O_DIRECTORY));
  if (!dir.valid()) return ErrnoError("parent directory of " + path, errno);
  struct stat now {};
  if (fstatat(dir.get(), name.c_str(), &now, AT_SYMLINK_NOFOLLOW) != 0) return ErrnoError(path, errno);
  if (now.st_dev != opened.st.st_dev || now.st_ino != opened.st.st_ino) {
    return core::Error(core::ErrorCode::kInvalidArgument, path + " was replaced while it was copied: left in place");
  }
  if (unlinkat(dir.get(), name.c_str(), 0) != 0) return ErrnoError("cannot remove " + path, errno);
  return core::Status::Ok();
}

}  // namespace

core::Status CheckContainerPath(const std::string& path) {
  if (path.empty() || path.front() != '/' || path.size() > 4096) {
    return core::Error(core::ErrorCode::kInvalidArgument, "'" + path + "' is not an absolute path inside the container");
  }
  if (path.find('\0') != std::string::npos) {
    return core::Error(core::ErrorCode::kInvalidArgument, "a path inside the container holds a NUL byte");
  }
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string_view part(path.data() + start, end - start);
    if (part.empty() || part == "." || part == "..") {
      return core::Error(core::ErrorCode::kInvalidArgument,
                         "'" + path + "' has an empty, '.' or '..' component: name the file by its plain absolute path");
    }
    start = end + 1;
  }
  return core::Status::Ok();
}

core::Result<uint64_t> ProbeContainerFile(const std::string& root_dir, const std::string& path) {
  ASSIGN_OR_RETURN(Opened opened, OpenContainerFile(root_dir, path));
  return static_cast<uint64_t>(opened.st.st_size);
}

core::Result<QuarantineResult> QuarantineFile(const std::string& root_dir, const std::string& path,
                                              EvidenceDir& evidence) {
  ASSIGN_OR_RETURN(Opened opened, OpenContainerFile(root_dir, path));
  // Back to blocking reads: it is a regular file.
  fcntl(opened.file.get(), F_SETFL, fcntl(opened.file.get(), F_GETFL) & ~O_NONBLOCK);
  std::string incoming = "quarantine/.incoming-" + std::to_string(opened.st.st_ino);
  ASSIGN_OR_RETURN(EvidenceFile copy, evidence.CopyFrom(opened.file.get(), incoming, kMaxQuarantineBytes));
  std::string final_name = "quarantine/" + copy.sha256;
  // The same content quarantined twice is one file.
  if (renameat2(evidence.fd(), incoming.c_str(), evidence.fd(), final_name.c_str(), RENAME_NOREPLACE) != 0) {
    int err = errno;
    unlinkat(evidence.fd(), incoming.c_str(), 0);
    if (err != EEXIST) return ErrnoError("cannot store " + final_name, err);
  }
  if (fchmodat(evidence.fd(), final_name.c_str(), 0, 0) != 0) return ErrnoError("chmod 000 " + final_name, errno);
  copy.path = final_name;
  QuarantineResult result;
  result.file = copy;
  auto sidecar = evidence.WriteFile(final_name + ".json", Sidecar(path, opened.st, copy.sha256));
  if (sidecar.ok()) result.sidecar = *sidecar;
  core::Status removed = RemoveFromContainer(opened, path);
  result.removed = removed.ok();
  result.detail = removed.ok() ? "moved into " + final_name + " (mode 000), " + std::to_string(copy.bytes) + " bytes"
                               : "copied into " + final_name + " but " + removed.message();
  return result;
}

}  // namespace bulwark::respond
