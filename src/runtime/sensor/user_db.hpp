// User and group names as a process sees them: /etc/passwd and /etc/group
// read from the process's own root (/proc/<pid>/root/etc/passwd), so a
// container's users resolve by its image's files, not the host's. Cached per
// root (container ID, "" for the host) for a bounded time; file sizes and
// entry counts are bounded. Not thread-safe (owned by the state tables).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bulwark::runtime::sensor {

// uid (or gid) -> name from passwd/group text; malformed lines are skipped.
std::unordered_map<uint32_t, std::string> ParseIdFile(std::string_view text);

class UserDb {
 public:
  static constexpr size_t kMaxFileBytes = 1 << 20;
  static constexpr size_t kMaxRoots = 256;
  static constexpr uint64_t kRetryNs = 1'000'000'000ULL;  // after a load that found no users

  explicit UserDb(uint64_t ttl_ns = 60'000'000'000ULL) : ttl_ns_(ttl_ns) {}

  // Roots to read, in order, when the cache for a key must be (re)loaded:
  // the first that names any user wins. Called only then.
  using RootCandidates = std::function<std::vector<std::string>()>;

  // Names for `uid` / `gid` in the root `root_dir` (e.g. "/proc/42/root"),
  // cached under `key`. Empty when unknown.
  std::string UserName(const std::string& key, const std::string& root_dir, uint32_t uid, uint64_t now_ns);
  std::string GroupName(const std::string& key, const std::string& root_dir, uint32_t gid, uint64_t now_ns);
  std::string UserName(const std::string& key, const RootCandidates& roots, uint32_t uid, uint64_t now_ns);
  std::string GroupName(const std::string& key, const RootCandidates& roots, uint32_t gid, uint64_t now_ns);

 private:
  struct Root {
    uint64_t loaded_ns = 0;
    std::unordered_map<uint32_t, std::string> users, groups;
  };
  Root& Load(const std::string& key, const RootCandidates& roots, uint64_t now_ns);

  uint64_t ttl_ns_;
  std::map<std::string, Root> roots_;
};

}  // namespace bulwark::runtime::sensor
