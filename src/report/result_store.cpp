#include "report/result_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <tuple>
#include <vector>

#include "core/version.hpp"
#include "report/result_time.hpp"

namespace bulwark::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr size_t kMaxSlug = 80;
// Results started in the same second get -2, -3, ...; past this many the
// directory is being flooded and the run says so instead of looping.
constexpr int kMaxSameSecond = 1000;

bool SlugChar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

void TrimSlug(std::string& slug) {
  size_t begin = slug.find_first_not_of("-.");
  if (begin == std::string::npos) {
    slug.clear();
    return;
  }
  slug = slug.substr(begin, slug.find_last_not_of("-.") - begin + 1);
}

// FNV-1a: a target made only of characters a file name cannot keep (e.g.
// all non-ASCII) still gets a slug of its own.
std::string ShortHash(std::string_view text) {
  uint32_t h = 2166136261u;
  for (unsigned char c : text) h = (h ^ c) * 16777619u;
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", h);
  return buf;
}

core::Status IoError(const std::string& what, const fs::path& path, int err) {
  auto code = err == EACCES || err == EPERM ? core::ErrorCode::kPermissionDenied
                                            : core::ErrorCode::kIoError;
  return core::Error(code, "cannot " + what + " " + path.string() + ": " + std::strerror(err));
}

// Creates DIR with mode 0700 (its parents as the umask says): results
// name the user's targets and findings, which are nobody else's business.
core::Status EnsureDirectory(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return core::Status::Ok();
  if (dir.has_parent_path() && !dir.parent_path().empty()) {
    fs::create_directories(dir.parent_path(), ec);
    if (ec) return IoError("create", dir.parent_path(), ec.value());
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return IoError("create", dir, errno);
  if (!fs::is_directory(dir, ec)) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       dir.string() + " exists and is not a directory");
  }
  return core::Status::Ok();
}

core::Status WriteAll(int fd, std::string_view data, const fs::path& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return IoError("write", path, n < 0 ? errno : EIO);
    data.remove_prefix(static_cast<size_t>(n));
  }
  return ::fsync(fd) == 0 ? core::Status::Ok() : IoError("sync", path, errno);
}

core::Result<fs::path> WriteTemp(const fs::path& dir, std::string_view text) {
  static std::atomic<unsigned> counter{0};
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path tmp =
        dir / (".result-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".tmp");
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST) continue;
    if (fd < 0) return IoError("create", tmp, errno);
    core::Status st = WriteAll(fd, text, tmp);
    if (::close(fd) != 0 && st.ok()) st = IoError("close", tmp, errno);
    if (!st.ok()) {
      ::unlink(tmp.c_str());
      return st;
    }
    return tmp;
  }
  return core::Error(core::ErrorCode::kIoError,
                     "cannot create a temporary file in " + dir.string());
}

// Moves tmp to target unless target exists: 0, EEXIST, or another errno.
// A hard link is atomic and never replaces; filesystems without hard links
// get renameat2(RENAME_NOREPLACE), then a checked rename.
int PublishNoReplace(const fs::path& tmp, const fs::path& target) {
  if (::link(tmp.c_str(), target.c_str()) == 0) {
    ::unlink(tmp.c_str());
    return 0;
  }
  if (errno == EEXIST) return EEXIST;
#ifdef RENAME_NOREPLACE
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno == EEXIST) return EEXIST;
#endif
  std::error_code ec;
  if (fs::exists(fs::symlink_status(target, ec))) return EEXIST;
  return ::rename(tmp.c_str(), target.c_str()) == 0 ? 0 : errno;
}

std::string ResultFileName(const std::string& prefix, const std::string& stamp, int n) {
  return prefix + stamp + (n > 1 ? "-" + std::to_string(n) : "") + ".json";
}

bool IsStamp(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return false;
  for (size_t i = 0; i < 15; ++i) {
    if (i != 8 && (s[i] < '0' || s[i] > '9')) return false;
  }
  return true;
}

// "<prefix><stamp>[-N].json" -> (stamp, N); anything else is not ours.
std::optional<std::pair<std::string, int>> ParseResultName(std::string_view name,
                                                           std::string_view prefix) {
  constexpr std::string_view kExt = ".json";
  if (name.size() < prefix.size() + 16 + kExt.size() || name.substr(0, prefix.size()) != prefix ||
      name.substr(name.size() - kExt.size()) != kExt) {
    return std::nullopt;
  }
  std::string_view middle = name.substr(prefix.size(), name.size() - prefix.size() - kExt.size());
  if (!IsStamp(middle.substr(0, 16))) return std::nullopt;
  std::string_view rest = middle.substr(16);
  if (rest.empty()) return std::make_pair(std::string(middle), 1);
  if (rest.size() < 2 || rest.size() > 6 || rest[0] != '-') return std::nullopt;
  int n = 0;
  for (char c : rest.substr(1)) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return std::make_pair(std::string(middle.substr(0, 16)), n);
}

// Keeps the oldest result (the "before") and the newest keep-1. A file that
// cannot be removed stays: pruning is housekeeping, never a failure.
void Prune(const fs::path& dir, const std::string& prefix, int keep) {
  keep = std::max(keep, 2);
  struct Entry {
    std::string stamp;
    int n;
    fs::path path;
  };
  std::vector<Entry> entries;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    auto parsed = ParseResultName(it->path().filename().string(), prefix);
    if (parsed) entries.push_back(Entry{parsed->first, parsed->second, it->path()});
  }
  if (entries.size() <= static_cast<size_t>(keep)) return;
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.stamp, a.n) < std::tie(b.stamp, b.n);
  });
  size_t remove_end = entries.size() - static_cast<size_t>(keep - 1);
  for (size_t i = 1; i < remove_end; ++i) fs::remove(entries[i].path, ec);
}

std::string TrimJson(std::string_view text) {
  size_t end = text.find_last_not_of(" \t\r\n");
  return end == std::string_view::npos ? std::string() : std::string(text.substr(0, end + 1));
}

std::string WrapResult(const RunInfo& run, const std::string& iso_time,
                       std::string_view report_json) {
  json info{{"command", run.command},
            {"target", run.target},
            {"time", iso_time},
            {"baseline", run.baseline},
            {"tool_version", core::kVersion}};
  // The report is spliced in as written: it is already valid JSON, and
  // re-serialising a large scan would only cost time.
  return "{\"bulwark_result\": 1,\n \"run\": " +
         info.dump(-1, ' ', false, json::error_handler_t::replace) +
         ",\n \"report\": " + TrimJson(report_json) + "}\n";
}

}  // namespace

std::string TargetSlug(std::string_view target) {
  std::string slug;
  for (unsigned char c : target) {
    char ch = SlugChar(c) ? static_cast<char>(c) : '-';
    if (ch == '-' && !slug.empty() && slug.back() == '-') continue;
    slug.push_back(ch);
  }
  TrimSlug(slug);
  if (slug.size() > kMaxSlug) {
    slug.resize(kMaxSlug);
    TrimSlug(slug);
  }
  if (!slug.empty()) return slug;
  return target.empty() ? "target" : "target-" + ShortHash(target);
}

core::Result<std::filesystem::path> SaveResult(const std::filesystem::path& dir, const RunInfo& run,
                                               std::string_view report_json, int keep) {
  if (run.command.empty())
    return core::Error(core::ErrorCode::kInvalidArgument, "a result needs a command");
  if (!json::accept(report_json)) {
    return core::Error(core::ErrorCode::kParseError,
                       "the " + run.command + " report to keep is not JSON");
  }
  int64_t when = NowUtcSeconds();
  if (!run.time.empty()) {
    auto parsed = ParseIsoTime(run.time);
    if (!parsed) {
      return core::Error(core::ErrorCode::kInvalidArgument,
                         "result time '" + run.time + "' is not ISO 8601 (YYYY-MM-DDTHH:MM:SSZ)");
    }
    when = *parsed;
  }
  RETURN_IF_ERROR(EnsureDirectory(dir));
  ASSIGN_OR_RETURN(fs::path tmp, WriteTemp(dir, WrapResult(run, FormatIsoTime(when), report_json)));
  const std::string prefix = TargetSlug(run.command) + "-" + TargetSlug(run.target) + "-";
  const std::string stamp = FileStamp(when);
  for (int n = 1; n <= kMaxSameSecond; ++n) {
    fs::path target = dir / ResultFileName(prefix, stamp, n);
    int err = PublishNoReplace(tmp, target);
    if (err == EEXIST) continue;
    if (err != 0) {
      ::unlink(tmp.c_str());
      return IoError("write", target, err);
    }
    Prune(dir, prefix, keep);
    return target;
  }
  ::unlink(tmp.c_str());
  return core::Error(core::ErrorCode::kTooLarge, "more than " + std::to_string(kMaxSameSecond) +
                                                     " " + run.command +
                                                     " results in one second in " + dir.string());
}

}  // namespace bulwark::report
