// Parsers of a network namespace's socket tables as procfs shows them in
// /proc/PID/net/{tcp,tcp6,udp,udp6,unix}, and of an fd link "socket:[N]".
// Reading them through the process's own /proc/PID/net resolves its
// sockets in its own namespace (a container's). Bounded (kMaxNetLines),
// malformed lines skipped. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bulwark::respond {

inline constexpr size_t kMaxNetLines = 200000;

struct NetEntry {
  uint64_t inode = 0;
  std::string local;   // "127.0.0.1:3333", "[::1]:80"
  std::string remote;  // "" when the remote is the wildcard (listening, unconnected)
  int local_port = 0;
  int remote_port = 0;
  std::string state;   // "ESTABLISHED", "LISTEN", ...; "UNCONNECTED" for a udp socket
};

// The tcp/udp tables: "sl local_address rem_address st ... inode". `v6`
// selects 32 hex digits per address; `udp` names states as UDP does.
std::vector<NetEntry> ParseNetInet(std::string_view text, bool v6, bool udp);

struct UnixEntry {
  uint64_t inode = 0;
  std::string path;   // "@name" for abstract sockets, "" when unnamed
  std::string type;   // stream, dgram, seqpacket
  std::string state;  // UNCONNECTED, CONNECTING, CONNECTED, DISCONNECTING, LISTEN (FREE)
};

// "Num RefCount Protocol Flags Type St Inode Path".
std::vector<UnixEntry> ParseNetUnix(std::string_view text);

// N of "socket:[N]"; nullopt for any other link text.
std::optional<uint64_t> SocketInode(std::string_view link);

}  // namespace bulwark::respond
