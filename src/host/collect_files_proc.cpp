// The host's mount table (/proc/PID/mountinfo) and listening TCP sockets
// (/proc/net/tcp, tcp6), read under the root prefix. Both files come from
// the kernel but are still parsed defensively: a malformed line is skipped.
#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <utility>

#include "host/collect_files.hpp"

namespace bulwark::host {
namespace {

std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> words;
  size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    size_t end = pos;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
    if (end > pos) words.push_back(line.substr(pos, end - pos));
    pos = end;
  }
  return words;
}

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

// The kernel escapes space, tab, newline and backslash as \ooo.
std::string DecodeOctalEscapes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size() && IsOctal(text[i + 1]) && IsOctal(text[i + 2]) &&
        IsOctal(text[i + 3])) {
      int value = (text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 + (text[i + 3] - '0');
      if (value <= 0377) {
        out.push_back(static_cast<char>(value));
        i += 3;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

template <typename Fn>
void ForEachLine(std::string_view text, Fn fn) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t next = text.find('\n', pos);
    if (next == std::string_view::npos) next = text.size();
    fn(text.substr(pos, next - pos));
    pos = next + 1;
  }
}

bool IsPrefixPath(const std::string& prefix, const std::string& path) {
  if (prefix == "/") return !path.empty() && path[0] == '/';
  if (path.compare(0, prefix.size(), prefix) != 0) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

std::optional<uint32_t> ParseHex32(std::string_view text) {
  if (text.empty() || text.size() > 8) return std::nullopt;
  uint32_t value = 0;
  for (char c : text) {
    uint32_t digit;
    if (c >= '0' && c <= '9') {
      digit = static_cast<uint32_t>(c - '0');
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<uint32_t>(c - 'A' + 10);
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<uint32_t>(c - 'a' + 10);
    } else {
      return std::nullopt;
    }
    value = value * 16 + digit;
  }
  return value;
}

// "0100007F" (IPv4) or 32 hex digits (IPv6): each 32-bit word as the
// kernel printed it from memory, so memcpy in this machine's byte order
// gives the address bytes back.
std::optional<std::string> DecodeAddress(std::string_view hex, bool ipv6) {
  size_t words = ipv6 ? 4 : 1;
  if (hex.size() != words * 8) return std::nullopt;
  unsigned char bytes[16] = {};
  for (size_t i = 0; i < words; ++i) {
    std::optional<uint32_t> word = ParseHex32(hex.substr(i * 8, 8));
    if (!word) return std::nullopt;
    std::memcpy(bytes + i * 4, &*word, 4);
  }
  char text[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(ipv6 ? AF_INET6 : AF_INET, bytes, text, sizeof text) == nullptr)
    return std::nullopt;
  return std::string(text);
}

}  // namespace

std::vector<MountEntry> ParseMountInfo(std::string_view text) {
  std::vector<MountEntry> mounts;
  ForEachLine(text, [&](std::string_view line) {
    std::vector<std::string_view> w = Words(line);
    // id parent major:minor root mount_point options [optional...] - fstype source super_options
    auto dash = std::find(w.begin(), w.end(), std::string_view("-"));
    if (dash == w.end() || dash - w.begin() < 6 || w.end() - dash < 3) return;
    MountEntry entry;
    entry.mount_point = DecodeOctalEscapes(w[4]);
    entry.options = std::string(w[5]);
    entry.fstype = std::string(*(dash + 1));
    entry.source = DecodeOctalEscapes(*(dash + 2));
    if (entry.mount_point.empty() || entry.mount_point[0] != '/') return;
    mounts.push_back(std::move(entry));
  });
  return mounts;
}

core::Result<std::vector<MountEntry>> ReadMountTable(const std::string& root) {
  core::Result<std::string> text = ReadHostFile(root, "/proc/1/mountinfo", kMaxProcFileBytes);
  if (!text.ok()) text = ReadHostFile(root, "/proc/self/mountinfo", kMaxProcFileBytes);
  if (!text.ok()) return text.status();
  std::vector<MountEntry> mounts = ParseMountInfo(*text);
  if (mounts.empty())
    return core::Status(core::ErrorCode::kParseError, "no mount in /proc/1/mountinfo");
  return mounts;
}

const MountEntry* MountFor(const std::vector<MountEntry>& mounts, const std::string& path) {
  const MountEntry* best = nullptr;
  for (const MountEntry& mount : mounts) {
    if (!IsPrefixPath(mount.mount_point, path)) continue;
    if (best == nullptr || mount.mount_point.size() >= best->mount_point.size()) best = &mount;
  }
  return best;
}

std::vector<ListeningSocket> ParseProcNetTcp(std::string_view text, bool ipv6) {
  std::vector<ListeningSocket> sockets;
  ForEachLine(text, [&](std::string_view line) {
    // sl local_address rem_address st ...
    std::vector<std::string_view> w = Words(line);
    if (w.size() < 4 || w[3] != "0A") return;
    std::string_view local = w[1];
    size_t colon = local.find(':');
    if (colon == std::string_view::npos) return;
    std::optional<std::string> address = DecodeAddress(local.substr(0, colon), ipv6);
    std::optional<uint32_t> port = ParseHex32(local.substr(colon + 1));
    if (!address || !port || *port > 65535) return;
    sockets.push_back(ListeningSocket{*address, static_cast<int>(*port)});
  });
  return sockets;
}

std::vector<ListeningSocket> ReadListeningSockets(const std::string& root) {
  std::vector<ListeningSocket> all;
  for (bool ipv6 : {false, true}) {
    std::string name = ipv6 ? "tcp6" : "tcp";
    core::Result<std::string> text = ReadHostFile(root, "/proc/1/net/" + name, kMaxProcFileBytes);
    if (!text.ok()) text = ReadHostFile(root, "/proc/net/" + name, kMaxProcFileBytes);
    if (!text.ok()) continue;
    for (ListeningSocket& socket : ParseProcNetTcp(*text, ipv6)) all.push_back(std::move(socket));
  }
  // SO_REUSEPORT and per-CPU listeners repeat a pair; keep the first of each.
  std::set<std::pair<std::string, int>> seen;
  std::vector<ListeningSocket> unique;
  for (ListeningSocket& socket : all) {
    if (seen.insert({socket.address, socket.port}).second) unique.push_back(std::move(socket));
  }
  return unique;
}

}  // namespace bulwark::host
