#include "runtime/sensor/user_db.hpp"

#include <algorithm>
#include <fstream>

namespace bulwark::runtime::sensor {
namespace {

constexpr size_t kMaxEntries = 65536;

std::string ReadBounded(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::string text(UserDb::kMaxFileBytes, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  return text;
}

}  // namespace

std::unordered_map<uint32_t, std::string> ParseIdFile(std::string_view text) {
  std::unordered_map<uint32_t, std::string> out;
  size_t start = 0;
  while (start < text.size() && out.size() < kMaxEntries) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    // name:password:ID:...
    size_t c1 = line.find(':');
    size_t c2 = c1 == std::string_view::npos ? c1 : line.find(':', c1 + 1);
    if (c1 == 0 || c2 == std::string_view::npos) continue;
    size_t c3 = line.find(':', c2 + 1);
    std::string_view id = line.substr(c2 + 1, (c3 == std::string_view::npos ? line.size() : c3) - c2 - 1);
    if (id.empty() || id.size() > 10) continue;
    uint64_t value = 0;
    bool digits = true;
    for (char ch : id) {
      if (ch < '0' || ch > '9') digits = false;
      else value = value * 10 + static_cast<uint64_t>(ch - '0');
    }
    if (!digits || value > UINT32_MAX || line[0] == '#' || line[0] == '+' || line[0] == '-') continue;
    out.emplace(static_cast<uint32_t>(value), std::string(line.substr(0, c1)));
  }
  return out;
}

UserDb::Root& UserDb::Load(const std::string& key, const RootCandidates& roots, uint64_t now_ns) {
  auto it = roots_.find(key);
  if (it != roots_.end() && now_ns >= it->second.loaded_ns) {
    // A root that gave no users (the process was gone, or the container not
    // yet set up) is retried soon, not trusted for the whole TTL.
    const uint64_t ttl = it->second.users.empty() ? std::min(ttl_ns_, kRetryNs) : ttl_ns_;
    if (now_ns - it->second.loaded_ns < ttl) return it->second;
  }
  if (it == roots_.end() && roots_.size() >= kMaxRoots) roots_.clear();
  Root& root = roots_[key];
  root.loaded_ns = now_ns;
  root.users.clear();
  root.groups.clear();
  for (const std::string& dir : roots()) {
    root.users = ParseIdFile(ReadBounded(dir + "/etc/passwd"));
    if (root.users.empty()) continue;
    root.groups = ParseIdFile(ReadBounded(dir + "/etc/group"));
    break;
  }
  return root;
}

std::string UserDb::UserName(const std::string& key, const RootCandidates& roots, uint32_t uid,
                             uint64_t now_ns) {
  Root& root = Load(key, roots, now_ns);
  auto it = root.users.find(uid);
  return it == root.users.end() ? std::string() : it->second;
}

std::string UserDb::GroupName(const std::string& key, const RootCandidates& roots, uint32_t gid,
                              uint64_t now_ns) {
  Root& root = Load(key, roots, now_ns);
  auto it = root.groups.find(gid);
  return it == root.groups.end() ? std::string() : it->second;
}

std::string UserDb::UserName(const std::string& key, const std::string& root_dir, uint32_t uid,
                             uint64_t now_ns) {
  return UserName(key, [&] { return std::vector<std::string>{root_dir}; }, uid, now_ns);
}

std::string UserDb::GroupName(const std::string& key, const std::string& root_dir, uint32_t gid,
                              uint64_t now_ns) {
  return GroupName(key, [&] { return std::vector<std::string>{root_dir}; }, gid, now_ns);
}

}  // namespace bulwark::runtime::sensor
