#include "respond/proc_net.hpp"

#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <cstring>

namespace bulwark::respond {
namespace {

template <typename T>
bool Num(std::string_view s, T& out, int base = 10) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return ec == std::errc() && ptr == s.data() + s.size();
}

std::vector<std::string_view> Fields(std::string_view line, size_t limit) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size() && out.size() < limit) {
    while (i < line.size() && line[i] == ' ') ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

// The kernel prints each 32-bit word of the address as the hex of its
// in-memory value, so the bytes come back by storing the word natively.
bool Address(std::string_view hex, bool v6, std::string& text, bool& wildcard) {
  size_t words = v6 ? 4 : 1;
  if (hex.size() != words * 8) return false;
  std::array<uint8_t, 16> bytes{};
  for (size_t w = 0; w < words; ++w) {
    uint32_t word = 0;
    if (!Num(hex.substr(w * 8, 8), word, 16)) return false;
    std::memcpy(bytes.data() + w * 4, &word, 4);
  }
  char buf[INET6_ADDRSTRLEN] = {};
  if (!inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof(buf))) return false;
  wildcard = true;
  for (size_t i = 0; i < words * 4; ++i) wildcard = wildcard && bytes[i] == 0;
  text = v6 ? "[" + std::string(buf) + "]" : std::string(buf);
  return true;
}

bool Endpoint(std::string_view field, bool v6, std::string& text, int& port, bool& wildcard) {
  size_t colon = field.find(':');
  if (colon == std::string_view::npos) return false;
  unsigned p = 0;
  if (!Num(field.substr(colon + 1), p, 16) || p > 65535) return false;
  if (!Address(field.substr(0, colon), v6, text, wildcard)) return false;
  port = static_cast<int>(p);
  wildcard = wildcard && p == 0;
  text += ":" + std::to_string(p);
  return true;
}

std::string TcpState(unsigned st, bool udp) {
  static constexpr std::array<const char*, 13> kNames = {
      "UNKNOWN",   "ESTABLISHED", "SYN_SENT", "SYN_RECV",   "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
      "CLOSE",     "CLOSE_WAIT",  "LAST_ACK", "LISTEN",     "CLOSING",   "NEW_SYN_RECV"};
  if (udp) return st == 1 ? "ESTABLISHED" : st == 7 ? "UNCONNECTED" : "STATE_" + std::to_string(st);
  return st < kNames.size() ? kNames[st] : "STATE_" + std::to_string(st);
}

// Calls `fn` for each line after the header, within the bound.
template <typename Fn>
void EachLine(std::string_view text, Fn fn) {
  size_t lines = 0;
  bool header = true;
  while (!text.empty() && lines++ < kMaxNetLines) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (header) {
      header = false;
      continue;
    }
    fn(line);
  }
}

}  // namespace

std::vector<NetEntry> ParseNetInet(std::string_view text, bool v6, bool udp) {
  std::vector<NetEntry> out;
  EachLine(text, [&](std::string_view line) {
    auto f = Fields(line, 10);  // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
    if (f.size() < 10) return;
    NetEntry e;
    bool local_any = false, remote_any = false;
    unsigned st = 0;
    if (!Endpoint(f[1], v6, e.local, e.local_port, local_any)) return;
    if (!Endpoint(f[2], v6, e.remote, e.remote_port, remote_any)) return;
    if (!Num(f[3], st, 16) || !Num(f[9], e.inode)) return;
    if (remote_any) e.remote.clear();
    e.state = TcpState(st, udp);
    out.push_back(std::move(e));
  });
  return out;
}

std::vector<UnixEntry> ParseNetUnix(std::string_view text) {
  std::vector<UnixEntry> out;
  EachLine(text, [&](std::string_view line) {
    auto f = Fields(line, 7);  // Num RefCount Protocol Flags Type St Inode [Path]
    if (f.size() < 7) return;
    UnixEntry e;
    unsigned type = 0, st = 0;
    if (!Num(f[4], type, 16) || !Num(f[5], st, 16) || !Num(f[6], e.inode)) return;
    e.type = type == 1 ? "stream" : type == 2 ? "dgram" : type == 5 ? "seqpacket" : "type " + std::to_string(type);
    // socket_state: SS_FREE, SS_UNCONNECTED, SS_CONNECTING, SS_CONNECTED, SS_DISCONNECTING.
    static constexpr std::array<const char*, 5> kStates = {"FREE", "UNCONNECTED", "CONNECTING", "CONNECTED",
                                                           "DISCONNECTING"};
    e.state = st < kStates.size() ? kStates[st] : "STATE_" + std::to_string(st);
    // The path is the rest of the line after the inode (it may hold spaces).
    size_t at = static_cast<size_t>(f[6].data() + f[6].size() - line.data());
    std::string_view rest = line.substr(at);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    e.path = std::string(rest.substr(0, 4096));
    // Flags 0x10000 (__SO_ACCEPTCON) marks a listening socket.
    unsigned long flags = 0;
    if (Num(f[3], flags, 16) && (flags & 0x10000)) e.state = "LISTEN";
    out.push_back(std::move(e));
  });
  return out;
}

std::optional<uint64_t> SocketInode(std::string_view link) {
  constexpr std::string_view kPrefix = "socket:[";
  if (link.size() <= kPrefix.size() + 1 || link.substr(0, kPrefix.size()) != kPrefix || link.back() != ']') {
    return std::nullopt;
  }
  uint64_t inode = 0;
  if (!Num(link.substr(kPrefix.size(), link.size() - kPrefix.size() - 1), inode)) return std::nullopt;
  return inode;
}

}  // namespace bulwark::respond
