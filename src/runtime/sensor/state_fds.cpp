// Descriptor tables: open, socket, connect/accept/bind/sendto, dup, pipe,
// memfd, close; fchdir/chdir keep the cwd. Paths resolve lexically against
// the cwd or the directory fd, as libsinsp does.
#include <arpa/inet.h>

#include <cstdio>
#include <vector>

#include "runtime/sensor/state_tables.hpp"

namespace bulwark::runtime::sensor {
namespace {

constexpr int64_t kAtFdcwd = -100;
constexpr int64_t kEinprogress = -115;
constexpr uint32_t kODirectory = 0200000, kOCreat = 0100, kOWronly = 01, kOTrunc = 01000;
constexpr uint32_t kOCloexec = 02000000;
constexpr uint32_t kSIfmt = 0170000, kSIfdir = 0040000;
constexpr int64_t kFDupfd = 0, kFDupfdCloexec = 1030;
constexpr int kAfUnix = 1, kAfInet = 2, kAfInet6 = 10, kAfNetlink = 16;

const EventArg* A(const Event& evt, std::string_view name) { return evt.Arg(name); }
int64_t Num(const Event& evt, std::string_view name, int64_t fallback) {
  const EventArg* a = evt.Arg(name);
  return a ? a->num : fallback;
}

std::string AddrText(const SockAddr& a) {
  char ip[INET6_ADDRSTRLEN] = {};
  if (a.family == kAfInet) inet_ntop(AF_INET, a.ip.data(), ip, sizeof(ip));
  else if (a.family == kAfInet6) inet_ntop(AF_INET6, a.ip.data(), ip, sizeof(ip));
  else return {};
  return std::string(ip) + ":" + std::to_string(a.port);
}

FdType TypeForFamily(int family) {
  switch (family) {
    case kAfInet: return FdType::kIpv4;
    case kAfInet6: return FdType::kIpv6;
    case kAfUnix: return FdType::kUnix;
    case kAfNetlink: return FdType::kNetlink;
    default: return FdType::kUnknown;
  }
}

L4Proto ProtoForSocket(int64_t type, int64_t proto) {
  switch (type & 0xf) {
    case 1: return L4Proto::kTcp;
    case 2: return proto == 1 || proto == 58 ? L4Proto::kIcmp : L4Proto::kUdp;
    case 3: return L4Proto::kRaw;
    default: return L4Proto::kUnknown;
  }
}

// Records which event changed the name: fd.name_changed is true for that
// event only, including a first name (an unconnected UDP socket's first
// sendto), as in Falco.
void Rename(Fd& fd, std::string name, uint64_t evt_num) {
  if (fd.name != name) {
    fd.oldname = fd.name;
    fd.name = std::move(name);
    fd.name_changed_evt = evt_num;
  }
}

}  // namespace

namespace {

// Appends the components of `path` to the normalised path `out`: "." and
// empty ones are skipped, ".." removes the last one. One pass, no
// allocation beyond `out`'s (this runs for every open).
void AppendComponents(std::string& out, std::string_view path) {
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    const std::string_view part = path.substr(start, slash - start);
    if (part == "..") {
      const size_t last = out.rfind('/');
      out.resize(last == std::string::npos ? 0 : last);
    } else if (!part.empty() && part != ".") {
      out += '/';
      out += part;
    }
    start = slash + 1;
  }
}

}  // namespace

std::string NormalizePath(std::string_view path) {
  std::string out;
  out.reserve(path.size() + 1);
  AppendComponents(out, path);
  if (out.empty()) out = "/";
  return out;
}

std::string ResolvePath(std::string_view base, std::string_view path) {
  if (!path.empty() && path[0] == '/') return NormalizePath(path);
  if (base.empty() || base[0] != '/') return std::string(path);  // nothing to resolve against
  // Normalising base + "/" + path, without building that string.
  std::string out;
  out.reserve(base.size() + path.size() + 2);
  AppendComponents(out, base);
  AppendComponents(out, path);
  if (out.empty()) out = "/";
  return out;
}

std::string SocketName(const SockAddr& client, const SockAddr& server) {
  if (client.family == kAfUnix || server.family == kAfUnix) {
    return !server.path.empty() ? server.path : client.path;
  }
  std::string c = AddrText(client), s = AddrText(server);
  if (c.empty() && s.empty()) return {};
  return c + "->" + s;
}

Fd* StateTables::PutFd(Entry& e, Fd&& fd) {
  auto it = e.fds.find(fd.num);
  if (it == e.fds.end() && e.fds.size() >= options_.max_fds_per_process) {
    ++counters_.n_drops_full_fd_table;
    return nullptr;
  }
  ++counters_.n_added_fds;
  Fd& slot = e.fds[fd.num];
  slot = std::move(fd);
  return &slot;
}

const Fd* StateTables::OnFdEvent(Event& evt, const KernelFacts* facts, Entry& e) {
  switch (evt.type) {
    case EventType::kOpen: case EventType::kOpenat: case EventType::kOpenat2: case EventType::kCreat:
      return OnOpen(evt, facts, e);
    case EventType::kSocket: case EventType::kConnect: case EventType::kAccept: case EventType::kAccept4:
    case EventType::kBind: case EventType::kSendto: case EventType::kSendmsg:
      return OnSocketEvent(evt, facts, e);
    case EventType::kDup: case EventType::kDup2: case EventType::kDup3: case EventType::kFcntl:
      return OnDup(evt, e);
    case EventType::kClose:
      return OnClose(evt, e);
    case EventType::kPipe: case EventType::kPipe2: {
      if (evt.res != 0) return nullptr;
      for (const char* name : {"fd1", "fd2"}) {
        Fd fd;
        fd.num = Num(evt, name, -1);
        fd.type = FdType::kPipe;
        if (fd.num >= 0) PutFd(e, std::move(fd));
      }
      return nullptr;
    }
    case EventType::kMemfdCreate: {
      if (evt.res < 0) return nullptr;
      Fd fd;
      fd.num = evt.res;
      fd.type = FdType::kMemfd;
      const EventArg* name = A(evt, "name");
      fd.name = fd.nameraw = "memfd:" + (name ? name->text : std::string());
      return PutFd(e, std::move(fd));
    }
    case EventType::kChdir:
      if (evt.res == 0) {
        if (const EventArg* path = A(evt, "path")) e.proc.cwd = ResolvePath(e.proc.cwd, path->text);
      }
      return nullptr;
    case EventType::kFchdir: {
      auto it = e.fds.find(evt.fd);
      if (evt.res == 0 && it != e.fds.end() && !it->second.name.empty()) e.proc.cwd = it->second.name;
      return it == e.fds.end() ? nullptr : &it->second;
    }
    default: {
      if (evt.fd < 0) return nullptr;
      auto it = e.fds.find(evt.fd);
      return it == e.fds.end() ? nullptr : &it->second;
    }
  }
}

const Fd* StateTables::OnOpen(const Event& evt, const KernelFacts* facts, Entry& e) {
  Fd fd;
  const EventArg* name = A(evt, "name");
  fd.nameraw = name ? name->text : std::string();
  std::string_view base = e.proc.cwd;  // read before PutFd changes the table
  int64_t dirfd = Num(evt, "dirfd", kAtFdcwd);
  if (dirfd != kAtFdcwd) {
    auto dir = e.fds.find(dirfd);
    base = dir == e.fds.end() ? std::string_view() : std::string_view(dir->second.name);
  }
  fd.name = ResolvePath(base, fd.nameraw);
  fd.open_flags = evt.type == EventType::kCreat ? (kOCreat | kOWronly | kOTrunc)
                                                : static_cast<uint32_t>(Num(evt, "flags", 0));
  fd.type = (fd.open_flags & kODirectory) ? FdType::kDirectory : FdType::kFile;
  if (facts && facts->has_file) {
    fd.dev = facts->file.dev;
    fd.ino = facts->file.ino;
    if ((facts->file.mode & kSIfmt) == kSIfdir) fd.type = FdType::kDirectory;
  } else {
    fd.dev = static_cast<uint64_t>(Num(evt, "dev", 0));
    fd.ino = static_cast<uint64_t>(Num(evt, "ino", 0));
  }
  if (evt.res < 0) {  // a failed open: fd.name still works, fd.num is -1
    fd.num = -1;
    scratch_fd_ = std::move(fd);
    return &scratch_fd_;
  }
  fd.num = evt.res;
  if (Fd* slot = PutFd(e, std::move(fd))) return slot;  // fd stays whole when it does not fit
  scratch_fd_ = std::move(fd);
  return &scratch_fd_;
}

const Fd* StateTables::OnSocketEvent(const Event& evt, const KernelFacts* facts, Entry& e) {
  const bool tuple = facts && facts->has_tuple && facts->sock_family != 0;
  if (evt.type == EventType::kSocket) {
    if (evt.res < 0) return nullptr;
    Fd fd;
    fd.num = evt.res;
    fd.type = TypeForFamily(static_cast<int>(Num(evt, "domain", 0)));
    fd.l4proto = ProtoForSocket(Num(evt, "type", 0), Num(evt, "proto", 0));
    return PutFd(e, std::move(fd));
  }
  const bool accepted = evt.type == EventType::kAccept || evt.type == EventType::kAccept4;
  const int64_t num = accepted ? evt.res : evt.fd;
  if (num < 0) return nullptr;
  Fd* fd = nullptr;
  if (auto it = e.fds.find(num); it != e.fds.end() && !accepted) fd = &it->second;
  if (!fd) {
    Fd fresh;
    fresh.num = num;
    fd = PutFd(e, std::move(fresh));
    if (!fd) return nullptr;
  }
  const EventArg* addr = A(evt, "addr");
  if (tuple) {
    fd->type = TypeForFamily(facts->sock_family);
    if (facts->l4proto != L4Proto::kUnknown) fd->l4proto = facts->l4proto;
  } else if (addr && addr->addr.family && fd->type == FdType::kUnknown) {
    fd->type = TypeForFamily(addr->addr.family);
  }
  const bool ok = evt.res >= 0 || (evt.type == EventType::kConnect && evt.res == kEinprogress);
  if (!ok) return fd;
  switch (evt.type) {
    case EventType::kConnect:
      fd->local = tuple ? facts->local : fd->local;
      fd->remote = tuple && facts->remote.family ? facts->remote : (addr ? addr->addr : SockAddr{});
      fd->connected = true;
      fd->local_is_server = false;
      Rename(*fd, SocketName(fd->local, fd->remote), evt.num);
      break;
    case EventType::kAccept: case EventType::kAccept4:
      if (tuple) {
        fd->local = facts->local;
        fd->remote = facts->remote;
      }
      fd->connected = true;
      fd->local_is_server = true;
      Rename(*fd, SocketName(fd->remote, fd->local), evt.num);
      break;
    case EventType::kBind:
      fd->local = tuple && facts->local.family ? facts->local : (addr ? addr->addr : SockAddr{});
      fd->local_is_server = true;
      if (fd->local.family == kAfUnix) Rename(*fd, fd->local.path, evt.num);
      break;
    default:  // sendto / sendmsg: an unconnected datagram socket names its peer here
      if (!fd->connected && addr && addr->addr.family) {
        if (tuple) fd->local = facts->local;
        fd->remote = addr->addr;
        Rename(*fd, SocketName(fd->local, fd->remote), evt.num);
      }
      break;
  }
  return fd;
}

const Fd* StateTables::OnDup(const Event& evt, Entry& e) {
  if (evt.type == EventType::kFcntl) {
    int64_t cmd = Num(evt, "cmd", -1);
    if (cmd != kFDupfd && cmd != kFDupfdCloexec) {
      auto it = e.fds.find(evt.fd);
      return it == e.fds.end() ? nullptr : &it->second;
    }
  }
  const int64_t oldfd = evt.type == EventType::kFcntl ? Num(evt, "fd", -1) : Num(evt, "oldfd", -1);
  auto old = e.fds.find(oldfd);
  if (evt.res < 0 || evt.res == oldfd) return old == e.fds.end() ? nullptr : &old->second;
  if (old == e.fds.end()) {
    e.fds.erase(evt.res);  // whatever newfd was is closed, and we do not know the copy
    return nullptr;
  }
  Fd copy = old->second;
  copy.num = evt.res;
  copy.open_flags &= ~kOCloexec;
  if ((evt.type == EventType::kDup3 && (Num(evt, "flags", 0) & kOCloexec)) ||
      (evt.type == EventType::kFcntl && Num(evt, "cmd", 0) == kFDupfdCloexec)) {
    copy.open_flags |= kOCloexec;
  }
  return PutFd(e, std::move(copy));
}

const Fd* StateTables::OnClose(const Event& evt, Entry& e) {
  auto it = e.fds.find(evt.fd);
  if (it == e.fds.end()) return nullptr;
  if (evt.res != 0) return &it->second;
  scratch_fd_ = std::move(it->second);
  e.fds.erase(it);
  ++counters_.n_removed_fds;
  return &scratch_fd_;
}

}  // namespace bulwark::runtime::sensor
