#include "runtime/sensor/record_decoder.hpp"

#include <time.h>

#include <array>
#include <chrono>
#include <cstring>

#include "runtime/sensor/syscall_table.hpp"

namespace bulwark::runtime::sensor {
namespace {

using Bytes = std::span<const uint8_t>;
constexpr size_t kMaxParams = 16;
constexpr int kAfUnix = 1, kAfInet = 2, kAfInet6 = 10;
constexpr int64_t kPrSetName = 15;
constexpr uint64_t kCapDacOverride = 1ull << 1;

struct Params {
  std::array<Bytes, kMaxParams> at;
  size_t n = 0;
};

core::Status Malformed(const std::string& why) {
  return core::Error(core::ErrorCode::kParseError, "malformed sensor record: " + why);
}

core::Status SplitParams(Bytes body, size_t count, Params& out) {
  if (count > kMaxParams) return Malformed("too many parameters");
  size_t pos = 0;
  for (size_t i = 0; i < count; ++i) {
    if (body.size() - pos < 2) return Malformed("parameter length past the end");
    size_t len = body[pos] | (static_cast<size_t>(body[pos + 1]) << 8);
    pos += 2;
    if (body.size() - pos < len) return Malformed("parameter past the end");
    out.at[out.n++] = body.subspan(pos, len);
    pos += len;
  }
  return core::Status::Ok();
}

template <typename T>
bool ReadStruct(Bytes b, T& out) {
  if (b.size() != sizeof(T)) return false;
  std::memcpy(&out, b.data(), sizeof(T));
  return true;
}

// Text up to the first NUL (kernel strings carry none; a cut one may).
std::string Text(Bytes b) {
  const auto* begin = reinterpret_cast<const char*>(b.data());
  const void* nul = std::memchr(begin, 0, b.size());
  size_t len = nul ? static_cast<size_t>(static_cast<const char*>(nul) - begin) : b.size();
  return std::string(begin, len);
}

std::vector<std::string> SplitNul(Bytes b, size_t max_entries) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= b.size() && out.size() < max_entries; ++i) {
    if (i == b.size() || b[i] == 0) {
      if (i > start || i < b.size()) out.emplace_back(reinterpret_cast<const char*>(b.data()) + start, i - start);
      start = i + 1;
    }
  }
  return out;
}

// Register values are 64 bits; int-typed arguments use the low 32.
int64_t Narrow(uint64_t raw, ArgKind kind) {
  switch (kind) {
    case ArgKind::kUint:
    case ArgKind::kCloneFlags:
    case ArgKind::kMountFlags:
    case ArgKind::kCapabilities:
    case ArgKind::kPtraceRequest:
      return static_cast<int64_t>(raw);
    case ArgKind::kUid:
    case ArgKind::kGid:
    case ArgKind::kMode:
    case ArgKind::kOpenFlags:
    case ArgKind::kNamespaceFlags:
      return static_cast<int64_t>(static_cast<uint32_t>(raw));
    default:
      return static_cast<int64_t>(static_cast<int32_t>(raw));
  }
}

void AddNum(Event& evt, std::string_view name, ArgKind kind, int64_t value) {
  if (EventArg* a = evt.AddArg(name, kind)) a->num = value;
}
void AddText(Event& evt, std::string_view name, ArgKind kind, std::string text) {
  if (EventArg* a = evt.AddArg(name, kind)) a->text = std::move(text);
}

void SetTuple(const bw_tuple& t, KernelFacts& f) {
  f.has_tuple = true;
  f.sock_family = t.family;
  f.local = SockAddr{};
  f.remote = SockAddr{};
  if (t.family != kAfInet && t.family != kAfInet6) return;
  size_t n = t.family == kAfInet ? 4 : 16;
  f.local.family = f.remote.family = t.family;
  std::memcpy(f.local.ip.data(), t.saddr, n);
  std::memcpy(f.remote.ip.data(), t.daddr, n);
  f.local.port = t.sport;
  f.remote.port = t.dport;
  constexpr int kStream = 1, kDgram = 2, kRaw = 3, kIcmp = 1, kIcmp6 = 58;
  if (t.type == kStream) f.l4proto = L4Proto::kTcp;
  else if (t.type == kDgram) f.l4proto = (t.proto == kIcmp || t.proto == kIcmp6) ? L4Proto::kIcmp : L4Proto::kUdp;
  else if (t.type == kRaw) f.l4proto = L4Proto::kRaw;
}

// openat2's struct open_how and pipe's int[2].
core::Status DecodeUserBytes(const SyscallSpec& spec, Bytes b, Event& evt, KernelFacts& f) {
  if (spec.type == EventType::kOpenat2) {
    uint64_t how[3] = {0, 0, 0};
    if (b.size() == sizeof(how)) std::memcpy(how, b.data(), sizeof(how));
    else if (!b.empty()) return Malformed("open_how size");
    AddNum(evt, "flags", ArgKind::kOpenFlags, Narrow(how[0], ArgKind::kOpenFlags));
    AddNum(evt, "mode", ArgKind::kMode, Narrow(how[1], ArgKind::kMode));
    AddNum(evt, "resolve", ArgKind::kInt, static_cast<int64_t>(how[2]));
    return core::Status::Ok();
  }
  if (b.size() == 8) {  // pipe, pipe2
    std::memcpy(f.pipe_fds, b.data(), 8);
    f.has_pipe = evt.res == 0;
    AddNum(evt, "fd1", ArgKind::kFd, f.pipe_fds[0]);
    AddNum(evt, "fd2", ArgKind::kFd, f.pipe_fds[1]);
    return core::Status::Ok();
  }
  if (!b.empty()) return Malformed("unexpected user bytes");
  return core::Status::Ok();
}

core::Status DecodeParam(const SyscallSpec& spec, const ParamSpec& p, Bytes b, Event& evt,
                         KernelFacts& f, int64_t& first_int) {
  switch (p.kernel_kind) {
    case BW_A_INT: {
      uint64_t raw = 0;
      if (!ReadStruct(b, raw)) return Malformed("integer size");
      int64_t v = Narrow(raw, p.kind);
      if (first_int == INT64_MIN) first_int = v;
      AddNum(evt, p.name, p.kind, v);
      return core::Status::Ok();
    }
    case BW_A_STR:
      AddText(evt, p.name, p.kind, Text(b));
      return core::Status::Ok();
    case BW_A_SOCKADDR:
    case BW_A_MSG_NAME:
      if (EventArg* a = evt.AddArg(p.name, ArgKind::kSockaddr)) a->addr = ParseSockaddr(b);
      return core::Status::Ok();
    case BW_A_TUPLE_REG:
    case BW_A_TUPLE_RES: {
      bw_tuple t{};
      if (!ReadStruct(b, t)) return Malformed("socket tuple size");
      SetTuple(t, f);
      if (EventArg* a = evt.AddArg("tuple", ArgKind::kSockaddr)) a->addr = f.remote;
      return core::Status::Ok();
    }
    case BW_A_FILE_RES:
      if (!ReadStruct(b, f.file)) return Malformed("file info size");
      f.has_file = true;
      AddNum(evt, "dev", ArgKind::kUint, static_cast<int64_t>(f.file.dev));
      AddNum(evt, "ino", ArgKind::kUint, static_cast<int64_t>(f.file.ino));
      return core::Status::Ok();
    case BW_A_USER_BYTES:
      return DecodeUserBytes(spec, b, evt, f);
    case BW_A_CREDS:
      if (!ReadStruct(b, f.creds)) return Malformed("credentials size");
      f.has_creds = true;
      if (spec.type == EventType::kCapset) {
        AddNum(evt, "cap_inheritable", ArgKind::kCapabilities, static_cast<int64_t>(f.creds.cap_inheritable));
        AddNum(evt, "cap_permitted", ArgKind::kCapabilities, static_cast<int64_t>(f.creds.cap_permitted));
        AddNum(evt, "cap_effective", ArgKind::kCapabilities, static_cast<int64_t>(f.creds.cap_effective));
      }
      return core::Status::Ok();
    case BW_A_COMM: {
      f.comm = Text(b);
      f.has_comm = true;
      const EventArg* option = evt.Arg("option");
      if (option && option->num == kPrSetName) AddText(evt, p.name, p.kind, f.comm);
      return core::Status::Ok();
    }
  }
  return Malformed("unknown parameter kind");
}

core::Status DecodeSyscall(const bw_hdr& h, const Params& params, Event& evt, KernelFacts& f) {
  const SyscallSpec* spec = FindSyscall(h.nr);
  if (!spec) return Malformed("unknown syscall " + std::to_string(h.nr));
  evt.type = spec->type;
  AddNum(evt, spec->res_name, spec->res_kind, evt.res);
  int64_t first_int = INT64_MIN;
  size_t next = 0;
  for (uint8_t i = 0; i < spec->nparams; ++i) {
    if (next >= params.n) break;  // the kernel stopped early (flagged truncated)
    RETURN_IF_ERROR(DecodeParam(*spec, spec->params[i], params.at[next++], evt, f, first_int));
  }
  if (next < params.n) return Malformed("more parameters than the syscall has");
  if (spec->fd_from == FdFrom::kRes) evt.fd = evt.res >= 0 ? evt.res : -1;
  if (spec->fd_from == FdFrom::kFirstParam && first_int != INT64_MIN) evt.fd = first_int;
  return core::Status::Ok();
}

uint32_t ExeFlags(const bw_exec_info& i) {
  uint32_t flags = 0;
  constexpr uint32_t kWUsr = 0200, kWGrp = 020, kWOth = 02;
  bool writable = (i.cap_effective & kCapDacOverride) != 0 || (i.exe_mode & kWOth) ||
                  (i.exe_uid == i.euid && (i.exe_mode & kWUsr)) ||
                  (i.exe_gid == i.egid && (i.exe_mode & kWGrp));
  if (writable) flags |= kExeWritable;
  if (i.flags & BW_EXEC_UPPER_LAYER) flags |= kExeUpperLayer;
  if (i.flags & BW_EXEC_FROM_MEMFD) flags |= kExeFromMemfd;
  return flags;
}

std::string JoinArgs(const std::vector<std::string>& argv) {
  std::string out;
  for (size_t i = 1; i < argv.size(); ++i) {
    if (i > 1) out += ' ';
    out += argv[i];
  }
  return out;
}

core::Status DecodeExec(const bw_hdr& h, const Params& params, Event& evt, KernelFacts& f) {
  if (params.n < 6) return Malformed("exec record without its facts");
  ExecFacts& x = f.exec;
  if (!ReadStruct(params.at[5], x.info)) return Malformed("exec facts size");
  f.has_exec = true;
  x.filename = Text(params.at[0]);
  x.argv = SplitNul(params.at[1], kMaxArgvEntries);
  x.exepath = JoinLeafFirst(params.at[2]);
  x.cwd = JoinLeafFirst(params.at[3]);
  x.comm = Text(params.at[4]);
  x.cgroup = params.n > 6 ? JoinLeafFirst(params.at[6]) : std::string();
  x.env = params.n > 7 ? SplitNul(params.at[7], kMaxEnvEntries) : std::vector<std::string>();
  x.exe_flags = ExeFlags(x.info);
  // A memfd has no place in the file tree: its path is its name alone
  // ("memfd:runc_cloned:/proc/self/exe"), as Falco renders it.
  if ((x.exe_flags & kExeFromMemfd) && x.exepath.rfind("/memfd:", 0) == 0) x.exepath.erase(0, 1);
  evt.type = h.nr == 322 ? EventType::kExecveat : EventType::kExecve;
  AddNum(evt, "res", ArgKind::kErrno, evt.res);
  AddText(evt, "exe", ArgKind::kPath, x.argv.empty() ? x.filename : x.argv[0]);
  AddText(evt, "args", ArgKind::kString, JoinArgs(x.argv));
  AddNum(evt, "tid", ArgKind::kPid, evt.tid);
  AddNum(evt, "pid", ArgKind::kPid, evt.pid);
  AddNum(evt, "ptid", ArgKind::kPid, x.info.ppid);
  AddText(evt, "cwd", ArgKind::kPath, x.cwd);
  AddNum(evt, "flags", ArgKind::kUint, x.exe_flags);
  return core::Status::Ok();
}

core::Status DecodeFork(const bw_hdr& h, const Params& params, Event& evt, KernelFacts& f) {
  if (params.n != 1 || !ReadStruct(params.at[0], f.fork)) return Malformed("fork facts");
  f.has_fork = true;
  switch (h.nr) {
    case 435: evt.type = EventType::kClone3; break;
    case 57: evt.type = EventType::kFork; break;
    case 58: evt.type = EventType::kVfork; break;
    default: evt.type = EventType::kClone; break;
  }
  AddNum(evt, "res", ArgKind::kPid, evt.res);
  AddNum(evt, "flags", ArgKind::kCloneFlags, static_cast<int64_t>(f.fork.clone_flags));
  AddNum(evt, "tid", ArgKind::kPid, f.fork.child_tid);
  AddNum(evt, "pid", ArgKind::kPid, f.fork.child_pid);
  AddNum(evt, "ptid", ArgKind::kPid, f.fork.child_ppid);
  AddNum(evt, "vpid", ArgKind::kPid, f.fork.child_vpid);
  return core::Status::Ok();
}

core::Status DecodeExit(const Params& params, Event& evt, KernelFacts& f) {
  if (params.n != 1 || !ReadStruct(params.at[0], f.exit)) return Malformed("exit facts");
  f.has_exit = true;
  evt.type = EventType::kProcExit;
  uint32_t code = f.exit.exit_code;
  AddNum(evt, "status", ArgKind::kInt, code);
  AddNum(evt, "ret", ArgKind::kInt, (code >> 8) & 0xff);
  AddNum(evt, "sig", ArgKind::kSignal, code & 0x7f);
  AddNum(evt, "core", ArgKind::kInt, (code & 0x80) ? 1 : 0);
  AddNum(evt, "reaper_tid", ArgKind::kPid, f.exit.reaper_pid);
  return core::Status::Ok();
}

}  // namespace

void KernelFacts::Clear() {
  kind = 0;
  truncated = has_exec = has_fork = has_exit = false;
  has_creds = has_tuple = has_file = has_comm = has_pipe = false;
  sock_family = 0;
  l4proto = L4Proto::kUnknown;
  comm.clear();
  pipe_fds[0] = pipe_fds[1] = -1;
}

SockAddr ParseSockaddr(Bytes b) {
  SockAddr a;
  if (b.size() < 2) return a;
  uint16_t family = b[0] | (b[1] << 8);
  if (family == kAfInet && b.size() >= 8) {
    a.family = family;
    a.port = static_cast<uint16_t>((b[2] << 8) | b[3]);
    std::memcpy(a.ip.data(), b.data() + 4, 4);
  } else if (family == kAfInet6 && b.size() >= 24) {
    a.family = family;
    a.port = static_cast<uint16_t>((b[2] << 8) | b[3]);
    std::memcpy(a.ip.data(), b.data() + 8, 16);
  } else if (family == kAfUnix) {
    a.family = family;
    Bytes path = b.subspan(2);
    // An abstract socket starts with NUL; Falco shows it with a leading '@'.
    if (!path.empty() && path[0] == 0) a.path = "@" + Text(path.subspan(1));
    else a.path = Text(path);
  }
  return a;
}

std::string JoinLeafFirst(Bytes bytes) {
  std::vector<std::string> parts = SplitNul(bytes, BW_PATH_DEPTH + 1);
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (it->empty() || *it == "/") continue;
    out += '/';
    out += *it;
  }
  return out.empty() ? "/" : out;
}

RecordDecoder::RecordDecoder(int64_t boot_to_realtime_ns)
    : offset_ns_(boot_to_realtime_ns),
      last_ts_ns_(static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count())) {}

core::Status RecordDecoder::Decode(Bytes record, Event& evt, KernelFacts& facts) {
  evt.Clear();
  facts.Clear();
  bw_hdr h{};
  if (record.size() < sizeof(h)) return Malformed("shorter than its header");
  std::memcpy(&h, record.data(), sizeof(h));
  if (h.len < sizeof(h) || h.len > record.size() || h.len > BW_RECORD_MAX) {
    return Malformed("bad length");
  }
  Params params;
  RETURN_IF_ERROR(SplitParams(record.subspan(sizeof(h), h.len - sizeof(h)), h.nparams, params));
  if (h.ts != 0) last_ts_ns_ = h.ts + static_cast<uint64_t>(offset_ns_);
  evt.ts_ns = last_ts_ns_;
  evt.tid = h.tid;
  evt.pid = h.pid;
  evt.res = h.res;
  evt.cpu = h.cpu;
  facts.kind = h.kind;
  facts.truncated = (h.flags & BW_HDR_TRUNCATED) != 0;
  core::Status st;
  switch (h.kind) {
    case BW_KIND_SYSCALL: st = DecodeSyscall(h, params, evt, facts); break;
    case BW_KIND_EXEC: st = DecodeExec(h, params, evt, facts); break;
    case BW_KIND_FORK: st = DecodeFork(h, params, evt, facts); break;
    case BW_KIND_EXIT: st = DecodeExit(params, evt, facts); break;
    default: return Malformed("unknown record kind");
  }
  if (!st.ok()) return st;
  evt.num = next_num_++;
  return core::Status::Ok();
}

int64_t BootToRealtimeOffsetNs() {
  timespec real{}, boot{};
  clock_gettime(CLOCK_REALTIME, &real);
  clock_gettime(CLOCK_BOOTTIME, &boot);
  return (static_cast<int64_t>(real.tv_sec) - boot.tv_sec) * 1000000000LL + (real.tv_nsec - boot.tv_nsec);
}

}  // namespace bulwark::runtime::sensor
