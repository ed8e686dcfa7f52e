#include "respond/proc_stat.hpp"

#include <array>
#include <charconv>

namespace bulwark::respond {
namespace {

template <typename T>
bool ParseNumber(std::string_view s, T& out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

std::vector<std::string_view> SplitSpaces(std::string_view s, size_t limit) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size() && out.size() < limit) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
    size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != '\n') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

ProcIds ParseIds(std::string_view value) {
  ProcIds ids;
  auto parts = SplitSpaces(value, 4);
  std::array<int64_t*, 4> slots = {&ids.real, &ids.effective, &ids.saved, &ids.fs};
  for (size_t i = 0; i < parts.size(); ++i) {
    int64_t v = -1;
    if (ParseNumber(parts[i], v) && v >= 0) *slots[i] = v;
  }
  return ids;
}

bool IsHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// One path component: "<id>", "docker-<id>.scope", "cri-containerd:<id>", ...
std::optional<std::string> IdOfComponent(std::string_view c) {
  if (c.size() > 6 && c.substr(c.size() - 6) == ".scope") c.remove_suffix(6);
  if (size_t colon = c.rfind(':'); colon != std::string_view::npos) c.remove_prefix(colon + 1);
  if (size_t dash = c.rfind('-'); dash != std::string_view::npos) c.remove_prefix(dash + 1);
  if (!IsHex64(c)) return std::nullopt;
  return std::string(c);
}

}  // namespace

core::Result<ProcStat> ParseProcStat(std::string_view text) {
  size_t open = text.find('(');
  size_t close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return core::Error(core::ErrorCode::kParseError, "stat: no (comm)");
  }
  ProcStat st;
  std::string_view pid_text = text.substr(0, open);
  while (!pid_text.empty() && pid_text.back() == ' ') pid_text.remove_suffix(1);
  if (!ParseNumber(pid_text, st.pid) || st.pid <= 0) return core::Error(core::ErrorCode::kParseError, "stat: bad pid");
  st.comm = std::string(text.substr(open + 1, std::min<size_t>(close - open - 1, 64)));
  // After the comm: state (field 3), ppid (4), ... starttime (22).
  auto fields = SplitSpaces(text.substr(close + 1), 20);
  if (fields.size() < 20) return core::Error(core::ErrorCode::kParseError, "stat: too few fields");
  if (fields[0].size() != 1) return core::Error(core::ErrorCode::kParseError, "stat: bad state");
  st.state = fields[0][0];
  if (!ParseNumber(fields[1], st.ppid) || st.ppid < 0) return core::Error(core::ErrorCode::kParseError, "stat: bad ppid");
  if (!ParseNumber(fields[19], st.start_ticks)) return core::Error(core::ErrorCode::kParseError, "stat: bad starttime");
  return st;
}

ProcStatus ParseProcStatus(std::string_view text) {
  ProcStatus st;
  size_t lines = 0;
  while (!text.empty() && lines++ < 256) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view key = line.substr(0, colon);
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == '\t' || value.front() == ' ')) value.remove_prefix(1);
    if (key == "Name") st.name = std::string(value.substr(0, 64));
    else if (key == "Tgid") (void)ParseNumber(value, st.tgid);
    else if (key == "PPid") (void)ParseNumber(value, st.ppid);
    else if (key == "Uid") st.uid = ParseIds(value);
    else if (key == "Gid") st.gid = ParseIds(value);
  }
  return st;
}

std::vector<std::string> ParseCmdline(std::string_view bytes, bool& truncated) {
  truncated = false;
  if (bytes.size() > kMaxCmdlineBytes) {
    bytes = bytes.substr(0, kMaxCmdlineBytes);
    truncated = true;
  }
  if (!bytes.empty() && bytes.back() == '\0') bytes.remove_suffix(1);
  std::vector<std::string> args;
  if (bytes.empty()) return args;
  size_t start = 0;
  while (start <= bytes.size()) {
    if (args.size() == kMaxArgs) {
      truncated = true;
      break;
    }
    size_t end = bytes.find('\0', start);
    if (end == std::string_view::npos) end = bytes.size();
    std::string_view arg = bytes.substr(start, end - start);
    if (arg.size() > kMaxArgBytes) {
      arg = arg.substr(0, kMaxArgBytes);
      truncated = true;
    }
    args.emplace_back(arg);
    start = end + 1;
  }
  // A process that blanked its argv area (to rewrite its command line)
  // leaves a run of NULs: empty trailing arguments, not real ones.
  while (!args.empty() && args.back().empty()) args.pop_back();
  return args;
}

std::optional<std::string> ContainerIdFromCgroup(std::string_view text) {
  size_t lines = 0;
  while (!text.empty() && lines++ < 64) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, std::min(nl, size_t{4096}));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    // "hierarchy-ID:controllers:path"; the path may itself hold ':'.
    size_t first = line.find(':');
    size_t second = first == std::string_view::npos ? first : line.find(':', first + 1);
    if (second == std::string_view::npos) continue;
    std::string_view path = line.substr(second + 1);
    // Leaf first: the innermost component that is a container ID.
    while (!path.empty()) {
      size_t slash = path.rfind('/');
      std::string_view comp = slash == std::string_view::npos ? path : path.substr(slash + 1);
      if (auto id = IdOfComponent(comp)) return id;
      if (slash == std::string_view::npos) break;
      path = path.substr(0, slash);
    }
  }
  return std::nullopt;
}

std::optional<int64_t> ParseBootTime(std::string_view proc_stat) {
  size_t pos = 0;
  while (pos < proc_stat.size()) {
    size_t nl = proc_stat.find('\n', pos);
    if (nl == std::string_view::npos) nl = proc_stat.size();
    std::string_view line = proc_stat.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.substr(0, 6) != "btime ") continue;
    int64_t v = 0;
    std::string_view num = line.substr(6);
    while (!num.empty() && num.back() == ' ') num.remove_suffix(1);
    if (ParseNumber(num, v) && v > 0) return v;
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace bulwark::respond
