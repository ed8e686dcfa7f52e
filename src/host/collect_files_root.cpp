// Reading the host's files under a root prefix without ever leaving it:
// path resolution, bounded reads, directory listings, lstat, and the local
// accounts that name owners.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>

#include "host/collect_files.hpp"

namespace bulwark::host {
namespace {

using core::ErrorCode;

std::string ErrnoText(int err) {
  std::string text = std::strerror(err);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

ErrorCode ErrnoCode(int err) {
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return ErrorCode::kNotFound;
    case EACCES:
    case EPERM:
      return ErrorCode::kPermissionDenied;
    default:
      return ErrorCode::kIoError;
  }
}

core::Status ErrnoStatus(int err, const std::string& host_path) {
  return core::Status(ErrnoCode(err), host_path + ": " + ErrnoText(err));
}

std::vector<std::string> SplitComponents(std::string_view path) {
  std::vector<std::string> parts;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t next = path.find('/', pos);
    if (next == std::string_view::npos) next = path.size();
    std::string_view part = path.substr(pos, next - pos);
    if (!part.empty() && part != ".") parts.emplace_back(part);
    pos = next + 1;
  }
  return parts;
}

std::string RootPrefix(const std::string& root) {
  std::string prefix = root.empty() ? "/" : root;
  while (prefix.size() > 1 && prefix.back() == '/') prefix.pop_back();
  return prefix == "/" ? "" : prefix;
}

std::string Join(const std::string& prefix, const std::vector<std::string>& parts) {
  std::string out = prefix;
  for (const std::string& part : parts) out += "/" + part;
  return out.empty() ? "/" : out;
}

core::Result<std::string> ReadLinkAt(const std::string& real_path) {
  char buffer[4096];
  ssize_t n = readlink(real_path.c_str(), buffer, sizeof buffer);
  if (n < 0) return core::Status(ErrnoCode(errno), real_path + ": " + ErrnoText(errno));
  if (static_cast<size_t>(n) >= sizeof buffer) {
    return core::Status(ErrorCode::kTooLarge, real_path + ": symlink target too long");
  }
  return std::string(buffer, static_cast<size_t>(n));
}

// Closes a file descriptor when it goes out of scope.
struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) close(fd);
  }
};

}  // namespace

core::Result<std::string> ResolveHostPath(const std::string& root, const std::string& host_path,
                                          bool follow_final) {
  if (host_path.empty() || host_path[0] != '/') {
    return core::Status(ErrorCode::kInvalidArgument, "not an absolute path: " + host_path);
  }
  std::deque<std::string> pending;
  for (std::string& part : SplitComponents(host_path)) {
    if (part == "..")
      return core::Status(ErrorCode::kInvalidArgument, "refused: '..' in path " + host_path);
    pending.push_back(std::move(part));
  }
  const std::string prefix = RootPrefix(root);
  std::vector<std::string> resolved;
  int hops = 0;
  while (!pending.empty()) {
    std::string part = std::move(pending.front());
    pending.pop_front();
    if (part == "..") {  // only from a symlink's target; stops at the root
      if (!resolved.empty()) resolved.pop_back();
      continue;
    }
    resolved.push_back(std::move(part));
    if (pending.empty() && !follow_final) break;
    std::string real = Join(prefix, resolved);
    struct stat st {};
    if (lstat(real.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) {
      // Not a link, or not there: the caller's own stat/open reports it.
      continue;
    }
    if (++hops > kMaxSymlinkHops) {
      return core::Status(ErrorCode::kIoError, host_path + ": too many levels of symbolic links");
    }
    ASSIGN_OR_RETURN(std::string target, ReadLinkAt(real));
    resolved.pop_back();
    if (!target.empty() && target[0] == '/') resolved.clear();  // absolute: back to the root
    std::vector<std::string> target_parts = SplitComponents(target);
    pending.insert(pending.begin(), target_parts.begin(), target_parts.end());
  }
  return Join(prefix, resolved);
}

core::Result<std::string> ReadHostFile(const std::string& root, const std::string& host_path,
                                       size_t max_bytes) {
  ASSIGN_OR_RETURN(std::string real, ResolveHostPath(root, host_path, /*follow_final=*/true));
  // O_NONBLOCK: a FIFO planted where a file should be must not hang the audit.
  int fd = open(real.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return ErrnoStatus(errno, host_path);
  FdCloser closer{fd};
  struct stat st {};
  if (fstat(fd, &st) != 0) return ErrnoStatus(errno, host_path);
  if (!S_ISREG(st.st_mode))
    return core::Status(ErrorCode::kIoError, host_path + ": not a regular file");
  if (st.st_size > 0 && static_cast<uint64_t>(st.st_size) > max_bytes) {
    return core::Status(ErrorCode::kTooLarge,
                        host_path + ": larger than " + std::to_string(max_bytes) + " bytes");
  }
  std::string content;
  char buffer[65536];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, host_path);
    }
    if (n == 0) break;
    content.append(buffer, static_cast<size_t>(n));
    // /proc files report size 0, so the bound is enforced while reading.
    if (content.size() > max_bytes) {
      return core::Status(ErrorCode::kTooLarge,
                          host_path + ": larger than " + std::to_string(max_bytes) + " bytes");
    }
  }
  return content;
}

core::Result<DirListing> ListHostDir(const std::string& root, const std::string& host_path,
                                     size_t max_entries) {
  ASSIGN_OR_RETURN(std::string real, ResolveHostPath(root, host_path, /*follow_final=*/true));
  int fd = open(real.c_str(), O_RDONLY | O_CLOEXEC | O_DIRECTORY | O_NOFOLLOW);
  if (fd < 0) return ErrnoStatus(errno, host_path);
  std::unique_ptr<DIR, int (*)(DIR*)> dir(fdopendir(fd), closedir);
  if (!dir) {
    int err = errno;
    close(fd);
    return ErrnoStatus(err, host_path);
  }
  DirListing listing;
  while (struct dirent* entry = readdir(dir.get())) {
    std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    if (listing.names.size() >= max_entries) {
      listing.truncated = true;
      break;
    }
    listing.names.push_back(std::move(name));
  }
  std::sort(listing.names.begin(), listing.names.end());
  return listing;
}

core::Result<std::string> ReadHostLink(const std::string& root, const std::string& host_path) {
  ASSIGN_OR_RETURN(std::string real, ResolveHostPath(root, host_path, /*follow_final=*/false));
  core::Result<std::string> target = ReadLinkAt(real);
  if (!target.ok())
    return core::Status(target.status().code(), host_path + ": " + target.status().message());
  return target;
}

// ---- Accounts -----------------------------------------------------------------

namespace {

std::vector<std::string_view> SplitFields(std::string_view line, char sep) {
  std::vector<std::string_view> fields;
  size_t pos = 0;
  while (true) {
    size_t next = line.find(sep, pos);
    fields.push_back(
        line.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos));
    if (next == std::string_view::npos) break;
    pos = next + 1;
  }
  return fields;
}

std::optional<uint32_t> ParseId(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(value);
}

template <typename Fn>
void ForEachLine(std::string_view text, Fn fn) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t next = text.find('\n', pos);
    if (next == std::string_view::npos) next = text.size();
    std::string_view line = text.substr(pos, next - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    fn(line);
    pos = next + 1;
  }
}

}  // namespace

HostAccounts ParseHostAccounts(std::string_view passwd, std::string_view group) {
  HostAccounts accounts;
  ForEachLine(passwd, [&](std::string_view line) {
    if (line.empty() || line[0] == '#' || line[0] == '+' || line[0] == '-') return;
    std::vector<std::string_view> f = SplitFields(line, ':');
    if (f.size() < 4 || f[0].empty()) return;
    std::optional<uint32_t> uid = ParseId(f[2]);
    std::optional<uint32_t> gid = ParseId(f[3]);
    if (!uid || !gid) return;
    accounts.users.push_back({std::string(f[0]), *uid, *gid});
  });
  ForEachLine(group, [&](std::string_view line) {
    if (line.empty() || line[0] == '#' || line[0] == '+' || line[0] == '-') return;
    std::vector<std::string_view> f = SplitFields(line, ':');
    if (f.size() < 3 || f[0].empty()) return;
    std::optional<uint32_t> gid = ParseId(f[2]);
    if (!gid) return;
    HostAccounts::GroupEntry entry{std::string(f[0]), *gid, {}};
    if (f.size() >= 4) {
      for (std::string_view member : SplitFields(f[3], ',')) {
        if (!member.empty()) entry.members.emplace_back(member);
      }
    }
    accounts.groups.push_back(std::move(entry));
  });
  return accounts;
}

HostAccounts ReadHostAccounts(const std::string& root) {
  core::Result<std::string> passwd = ReadHostFile(root, "/etc/passwd", kMaxAccountsBytes);
  core::Result<std::string> group = ReadHostFile(root, "/etc/group", kMaxAccountsBytes);
  return ParseHostAccounts(passwd.ok() ? *passwd : "", group.ok() ? *group : "");
}

std::string HostAccounts::UserName(uint32_t uid) const {
  for (const UserEntry& user : users) {
    if (user.uid == uid) return user.name;
  }
  return "";
}

std::string HostAccounts::GroupName(uint32_t gid) const {
  for (const GroupEntry& group : groups) {
    if (group.gid == gid) return group.name;
  }
  return "";
}

GroupFact HostAccounts::Group(const std::string& name) const {
  GroupFact fact;
  for (const GroupEntry& group : groups) {
    if (group.name != name) continue;
    fact.exists = true;
    fact.gid = group.gid;
    fact.members = group.members;
    break;
  }
  if (!fact.exists) return fact;
  for (const UserEntry& user : users) {
    if (user.gid == fact.gid) fact.members.push_back(user.name);
  }
  std::sort(fact.members.begin(), fact.members.end());
  fact.members.erase(std::unique(fact.members.begin(), fact.members.end()), fact.members.end());
  return fact;
}

// ---- stat -----------------------------------------------------------------------

namespace {

std::string TypeName(mode_t mode) {
  if (S_ISREG(mode)) return "file";
  if (S_ISDIR(mode)) return "directory";
  if (S_ISSOCK(mode)) return "socket";
  if (S_ISLNK(mode)) return "symlink";
  return "other";
}

}  // namespace

FileFact StatHostFile(const std::string& root, const std::string& host_path,
                      const HostAccounts& accounts) {
  FileFact fact;
  fact.path = host_path;
  core::Result<std::string> real = ResolveHostPath(root, host_path, /*follow_final=*/false);
  if (!real.ok()) {
    fact.error = real.status().message();
    return fact;
  }
  struct stat st {};
  if (lstat(real->c_str(), &st) != 0) {
    if (errno != ENOENT && errno != ENOTDIR) fact.error = ErrnoText(errno);
    return fact;
  }
  fact.exists = true;
  fact.type = TypeName(st.st_mode);
  fact.uid = st.st_uid;
  fact.gid = st.st_gid;
  fact.mode = st.st_mode & 07777;
  fact.owner = accounts.UserName(st.st_uid);
  fact.group = accounts.GroupName(st.st_gid);
  return fact;
}

std::string OctalMode(uint32_t mode) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%04o", mode & 07777);
  return buffer;
}

std::string FileEvidence(const FileFact& fact) {
  std::string owner = fact.owner.empty() ? std::to_string(fact.uid) : fact.owner;
  std::string group = fact.group.empty() ? std::to_string(fact.gid) : fact.group;
  return "mode " + OctalMode(fact.mode) + " owner " + owner + ":" + group + " (" +
         std::to_string(fact.uid) + ":" + std::to_string(fact.gid) + ")";
}

}  // namespace bulwark::host
