// dir: a root filesystem on disk. The walk uses lstat semantics (fstatat
// with AT_SYMLINK_NOFOLLOW) and opens each directory with O_NOFOLLOW
// relative to its parent, so a symbolic link is recorded as a link and never
// walked into. Content is read only when a cataloger asks, by opening the
// path beneath the root one component at a time without following links:
// nothing outside the root is ever read. Other filesystems mounted inside
// the root (proc, sysfs on a live system) are not entered.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "image/fs_util.hpp"
#include "image/notes.hpp"
#include "image/opened_image.hpp"

namespace bulwark::image {
namespace {

constexpr int kMaxDepth = 128;

// The open root directory, shared with the content readers (weakly).
struct RootHandle {
  UniqueFd fd;
};

struct DirCloser {
  void operator()(DIR* dir) const { closedir(dir); }
};

class RootfsWalker {
 public:
  RootfsWalker(std::string dir, const OpenOptions& options)
      : dir_(std::move(dir)), name_("dir:" + dir_), options_(options) {}

  core::Result<std::unique_ptr<Image>> Open() {
    ASSIGN_OR_RETURN(UniqueFd fd, OpenUserDir(name_, dir_));
    struct stat st {};
    if (fstat(fd.get(), &st) != 0) return ErrnoStatus(errno, name_);
    device_ = st.st_dev;
    int walk_fd = openat(fd.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (walk_fd < 0) return ErrnoStatus(errno, name_);
    root_ = std::make_shared<RootHandle>(RootHandle{std::move(fd)});
    RETURN_IF_ERROR(Walk(walk_fd, "", 0));
    view_.Finish();
    ImageInfo info;
    info.source = "dir";
    info.reference = dir_;
    return std::unique_ptr<Image>(
        std::make_unique<OpenedImage>(std::move(info), std::move(view_), notes_.Take(), std::move(root_)));
  }

 private:
  // Takes ownership of `fd`. Directories stay open while their children
  // are walked, so depth is bounded (kMaxDepth open descriptors at most).
  core::Status Walk(int fd, const std::string& prefix, int depth) {
    std::unique_ptr<DIR, DirCloser> dir(fdopendir(fd));
    if (!dir) {
      close(fd);
      notes_.Add(name_ + ": " + Quoted(prefix) + ": cannot list: " + std::strerror(errno));
      return core::Status::Ok();
    }
    while (const dirent* item = readdir(dir.get())) {
      std::string_view name = item->d_name;
      if (name == "." || name == "..") continue;
      if (++entries_ > options_.limits.max_entries) {
        return core::Error(core::ErrorCode::kTooLarge, name_ + ": more than " +
                                                           std::to_string(options_.limits.max_entries) +
                                                           " entries (limit max_entries)");
      }
      std::string path = prefix.empty() ? std::string(name) : prefix + "/" + std::string(name);
      RETURN_IF_ERROR(Entry(dirfd(dir.get()), item->d_name, std::move(path), depth));
    }
    return core::Status::Ok();
  }

  core::Status Entry(int dir_fd, const char* name, std::string path, int depth) {
    struct stat st {};
    if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      notes_.Add(name_ + ": " + Quoted(path) + ": " + std::strerror(errno));
      return core::Status::Ok();
    }
    FileEntry entry;
    entry.path = path;
    entry.mode = st.st_mode & 07777;
    ContentReader reader;
    if (S_ISREG(st.st_mode)) {
      entry.type = FileType::kRegular;
      entry.size = static_cast<uint64_t>(st.st_size);
      reader = MakeReader(path);
    } else if (S_ISLNK(st.st_mode)) {
      entry.type = FileType::kSymlink;
      char target[4096];
      ssize_t n = readlinkat(dir_fd, name, target, sizeof(target));
      if (n > 0) entry.link_target.assign(target, static_cast<size_t>(n));
    } else if (S_ISDIR(st.st_mode)) {
      entry.type = FileType::kDirectory;
    } else {
      entry.type = FileType::kOther;
    }
    view_.Add(std::move(entry), std::move(reader));
    if (!S_ISDIR(st.st_mode)) return core::Status::Ok();
    return Descend(dir_fd, name, path, st, depth);
  }

  core::Status Descend(int dir_fd, const char* name, const std::string& path, const struct stat& st,
                       int depth) {
    if (st.st_dev != device_) {
      notes_.Add(name_ + ": " + Quoted(path) + " is another mounted filesystem; not read");
      return core::Status::Ok();
    }
    if (depth + 1 >= kMaxDepth) {
      notes_.Add(name_ + ": " + Quoted(path) + ": nested deeper than " + std::to_string(kMaxDepth) +
                 "; not read");
      return core::Status::Ok();
    }
    int fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
      notes_.Add(name_ + ": " + Quoted(path) + ": cannot open: " + std::strerror(errno));
      return core::Status::Ok();
    }
    return Walk(fd, path, depth + 1);
  }

  ContentReader MakeReader(const std::string& path) const {
    std::weak_ptr<const RootHandle> root = root_;
    return [root, path](uint64_t max_bytes) -> core::Result<std::string> {
      auto handle = root.lock();
      if (!handle) return core::Error(core::ErrorCode::kUnavailable, "the image was closed");
      // O_NONBLOCK: a FIFO put in a regular file's place must not hang us.
      int fd = OpenBeneath(handle->fd.get(), path, O_RDONLY | O_NONBLOCK);
      if (fd < 0) return ErrnoStatus(-fd, path);
      UniqueFd guard(fd);
      auto text = ReadFd(fd, max_bytes);
      if (!text.ok()) return core::Error(text.status().code(), path + ": " + text.status().message());
      return text;
    };
  }

  std::string dir_;
  std::string name_;
  const OpenOptions& options_;
  std::shared_ptr<RootHandle> root_;
  dev_t device_ = 0;
  uint64_t entries_ = 0;
  FileView view_;
  NoteList notes_;
};

}  // namespace

core::Result<std::unique_ptr<Image>> OpenRootfsDir(const std::string& reference, const OpenOptions& options) {
  return RootfsWalker(reference, options).Open();
}

}  // namespace bulwark::image
