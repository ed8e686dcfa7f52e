// fd.* fields: the descriptor the event is about (file name and parts,
// type, socket ends as client/server and local/remote, networks, ports,
// protocol, connection state, and the names of addresses through the DNS
// cache).
#include <cstring>

#include "runtime/rules/fields_internal.hpp"

namespace bulwark::runtime::rules {
namespace {

enum Id : uint16_t {
  kNum, kType, kTypeChar, kName, kNameRaw, kDirectory, kFilename, kL4Proto, kSockFamily, kConnected, kNameChanged,
  kIsServer, kIp, kCip, kSip, kLip, kRip, kPort, kCport, kSport, kLport, kRport, kNet, kCnet, kSnet, kLnet, kRnet,
  kCipName, kSipName, kLipName, kRipName, kDev, kIno,
};

std::vector<FieldDesc> Table() {
  using T = FieldType;
  using A = ArgMode;
  const auto S = Multiplicity::kSingle;
  const auto E = Multiplicity::kEitherEnd;
  const auto P = RenderStyle::kPlain;
  return {
      {"fd.num", T::kInt, A::kNone, kNum, S, P, "the number of the file descriptor (-1 for a failed open)."},
      {"fd.type", T::kString, A::kNone, kType, S, P, "type of FD: file, directory, ipv4, ipv6, unix, pipe, ..."},
      {"fd.typechar", T::kString, A::kNone, kTypeChar, S, P, "type of FD as a single character: f, d, 4, 6, u, p, ..."},
      {"fd.name", T::kString, A::kNone, kName, S, P, "FD full name: the path, or the connection tuple."},
      {"fd.nameraw", T::kString, A::kNone, kNameRaw, S, P, "FD name as the process passed it, without path resolution."},
      {"fd.directory", T::kString, A::kNone, kDirectory, S, P, "If the fd is a file, the directory that contains it."},
      {"fd.filename", T::kString, A::kNone, kFilename, S, P, "If the fd is a file, the filename without the path."},
      {"fd.l4proto", T::kString, A::kNone, kL4Proto, S, P, "the IP protocol of a socket: tcp, udp, icmp or raw."},
      {"fd.sockfamily", T::kString, A::kNone, kSockFamily, S, P, "the socket family: ip or unix."},
      {"fd.connected", T::kBool, A::kNone, kConnected, S, P, "'true' if the socket is connected."},
      {"fd.name_changed", T::kBool, A::kNone, kNameChanged, S, P, "'true' when this event changed the FD's name."},
      {"fd.is_server", T::kBool, A::kNone, kIsServer, S, P, "'true' if the process is the server end of the connection."},
      {"fd.ip", T::kIp, A::kNone, kIp, E, P, "matches the IP address of either end (client or server)."},
      {"fd.cip", T::kIp, A::kNone, kCip, S, P, "client IP address."},
      {"fd.sip", T::kIp, A::kNone, kSip, S, P, "server IP address."},
      {"fd.lip", T::kIp, A::kNone, kLip, S, P, "local IP address."},
      {"fd.rip", T::kIp, A::kNone, kRip, S, P, "remote IP address."},
      {"fd.port", T::kInt, A::kNone, kPort, E, P, "matches the port of either end (client or server)."},
      {"fd.cport", T::kInt, A::kNone, kCport, S, P, "client port."},
      {"fd.sport", T::kInt, A::kNone, kSport, S, P, "server port."},
      {"fd.lport", T::kInt, A::kNone, kLport, S, P, "local port."},
      {"fd.rport", T::kInt, A::kNone, kRport, S, P, "remote port."},
      {"fd.net", T::kNet, A::kNone, kNet, E, P, "matches the IP network (CIDR) of either end."},
      {"fd.cnet", T::kNet, A::kNone, kCnet, S, P, "matches the client IP network (CIDR)."},
      {"fd.snet", T::kNet, A::kNone, kSnet, S, P, "matches the server IP network (CIDR)."},
      {"fd.lnet", T::kNet, A::kNone, kLnet, S, P, "matches the local IP network (CIDR)."},
      {"fd.rnet", T::kNet, A::kNone, kRnet, S, P, "matches the remote IP network (CIDR)."},
      {"fd.cip.name", T::kDnsName, A::kNone, kCipName, S, P, "domain name of the client IP (through the DNS cache)."},
      {"fd.sip.name", T::kDnsName, A::kNone, kSipName, S, P, "domain name of the server IP (through the DNS cache)."},
      {"fd.lip.name", T::kDnsName, A::kNone, kLipName, S, P, "domain name of the local IP (through the DNS cache)."},
      {"fd.rip.name", T::kDnsName, A::kNone, kRipName, S, P, "domain name of the remote IP (through the DNS cache)."},
      {"fd.dev", T::kInt, A::kNone, kDev, S, P, "device number of the file."},
      {"fd.ino", T::kInt, A::kNone, kIno, S, P, "inode number of the file."},
  };
}

std::string_view TypeName(FdType t) {
  switch (t) {
    case FdType::kFile: return "file";
    case FdType::kDirectory: return "directory";
    case FdType::kIpv4: return "ipv4";
    case FdType::kIpv6: return "ipv6";
    case FdType::kUnix: return "unix";
    case FdType::kPipe: return "pipe";
    case FdType::kEventFd: return "event";
    case FdType::kSignalFd: return "signalfd";
    case FdType::kEventPoll: return "eventpoll";
    case FdType::kInotify: return "inotify";
    case FdType::kTimerFd: return "timerfd";
    case FdType::kNetlink: return "netlink";
    case FdType::kBpf: return "bpf";
    case FdType::kUserfaultFd: return "userfaultfd";
    case FdType::kIoUring: return "io_uring";
    case FdType::kMemfd: return "memfd";
    case FdType::kUnknown: return {};
  }
  return {};
}

std::string_view TypeChar(FdType t) {
  switch (t) {
    case FdType::kFile: return "f";
    case FdType::kDirectory: return "d";
    case FdType::kIpv4: return "4";
    case FdType::kIpv6: return "6";
    case FdType::kUnix: return "u";
    case FdType::kPipe: return "p";
    case FdType::kEventFd: return "e";
    case FdType::kSignalFd: return "s";
    case FdType::kEventPoll: return "l";
    case FdType::kInotify: return "i";
    case FdType::kTimerFd: return "t";
    case FdType::kNetlink: return "n";
    case FdType::kBpf: return "b";
    case FdType::kUserfaultFd: return "u";
    case FdType::kIoUring: return "r";
    case FdType::kMemfd: return "m";
    case FdType::kUnknown: return "o";
  }
  return "o";
}

std::string_view ProtoName(L4Proto p) {
  switch (p) {
    case L4Proto::kTcp: return "tcp";
    case L4Proto::kUdp: return "udp";
    case L4Proto::kIcmp: return "icmp";
    case L4Proto::kRaw: return "raw";
    case L4Proto::kUnknown: return {};
  }
  return {};
}

bool IsIpSocket(const Fd& fd) { return fd.type == FdType::kIpv4 || fd.type == FdType::kIpv6; }

IpAddr ToIp(const SockAddr& a) {
  IpAddr ip;
  if (a.family == 2) {
    ip.family = 4;
    std::memcpy(ip.bytes.data(), a.ip.data(), 4);
  } else if (a.family == 10) {
    ip.family = 6;
    ip.bytes = a.ip;
  }
  return ip;
}

class FdFields : public internal::TableProvider {
 public:
  FdFields() : TableProvider("fd", Table()) {}

  void Extract(const FieldDesc& f, const FieldArg&, const EventContext& ctx, Extraction& out) const override {
    if (ctx.fd == nullptr) return;
    const Fd& fd = *ctx.fd;
    if (IsIpSocket(fd) && ExtractSocket(f.id, fd, out)) return;
    std::string_view name = fd.name;
    switch (f.id) {
      case kNum: out.Set(Value::Int(fd.num)); break;
      case kType: if (!TypeName(fd.type).empty()) out.Set(Value::Str(TypeName(fd.type))); break;
      case kTypeChar: out.Set(Value::Str(TypeChar(fd.type))); break;
      case kName: out.Set(Value::Str(name)); break;
      case kNameRaw: out.Set(Value::Str(fd.nameraw.empty() ? name : std::string_view(fd.nameraw))); break;
      case kDirectory:
        if (fd.type == FdType::kDirectory) {
          out.Set(Value::Str(name));
        } else if (fd.type == FdType::kFile) {
          size_t slash = name.rfind('/');
          if (slash != std::string_view::npos) out.Set(Value::Str(slash == 0 ? name.substr(0, 1) : name.substr(0, slash)));
        }
        break;
      case kFilename:
        if (fd.type == FdType::kFile || fd.type == FdType::kDirectory) {
          size_t slash = name.rfind('/');
          out.Set(Value::Str(slash == std::string_view::npos ? name : name.substr(slash + 1)));
        }
        break;
      case kSockFamily: if (fd.type == FdType::kUnix) out.Set(Value::Str("unix")); break;
      case kConnected: out.Set(Value::Bool(fd.connected)); break;
      case kNameChanged:
        out.Set(Value::Bool(ctx.evt != nullptr && fd.name_changed_evt != 0 && fd.name_changed_evt == ctx.evt->num));
        break;
      case kDev: out.Set(Value::Int(static_cast<int64_t>(fd.dev))); break;
      case kIno: out.Set(Value::Int(static_cast<int64_t>(fd.ino))); break;
      default: break;
    }
  }

 private:
  // Socket-only fields of an IPv4/IPv6 socket; false for the others.
  bool ExtractSocket(uint16_t id, const Fd& fd, Extraction& out) const {
    const SockAddr& server = fd.local_is_server ? fd.local : fd.remote;
    const SockAddr& client = fd.local_is_server ? fd.remote : fd.local;
    auto set_ip = [&out](const SockAddr& a) {
      if (a.family == 2 || a.family == 10) out.Set(Value::Ip(ToIp(a)));
    };
    auto set_port = [&out](const SockAddr& a) {
      if (a.family == 2 || a.family == 10) out.Set(Value::Int(a.port));
    };
    switch (id) {
      case kL4Proto: if (!ProtoName(fd.l4proto).empty()) out.Set(Value::Str(ProtoName(fd.l4proto))); return true;
      case kSockFamily: out.Set(Value::Str("ip")); return true;
      case kIsServer: out.Set(Value::Bool(fd.local_is_server)); return true;
      case kIp: case kNet: set_ip(client); set_ip(server); return true;
      case kCip: case kCnet: case kCipName: set_ip(client); return true;
      case kSip: case kSnet: case kSipName: set_ip(server); return true;
      case kLip: case kLnet: case kLipName: set_ip(fd.local); return true;
      case kRip: case kRnet: case kRipName: set_ip(fd.remote); return true;
      case kPort: set_port(client); set_port(server); return true;
      case kCport: set_port(client); return true;
      case kSport: set_port(server); return true;
      case kLport: set_port(fd.local); return true;
      case kRport: set_port(fd.remote); return true;
      default: return false;
    }
  }
};

}  // namespace

std::unique_ptr<FieldProvider> MakeFdFields() { return std::make_unique<FdFields>(); }

}  // namespace bulwark::runtime::rules
