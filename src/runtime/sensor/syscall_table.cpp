#include "runtime/sensor/syscall_table.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>

namespace bulwark::runtime::sensor {
namespace {

using K = ArgKind;
using T = EventType;

// Builders for one kernel parameter. Registers: 0 di, 1 si, 2 dx, 3 r10, 4 r8, 5 r9.
constexpr ParamSpec I(uint8_t reg, std::string_view name, ArgKind kind) {
  return {reg, BW_A_INT, 0, name, kind};
}
constexpr ParamSpec S(uint8_t reg, std::string_view name, ArgKind kind = K::kPath) {
  return {reg, BW_A_STR, 0, name, kind};
}
constexpr ParamSpec Addr(uint8_t reg, uint8_t len_reg) {
  return {reg, BW_A_SOCKADDR, len_reg, "addr", K::kSockaddr};
}
constexpr ParamSpec MsgName(uint8_t reg) { return {reg, BW_A_MSG_NAME, 0, "addr", K::kSockaddr}; }
constexpr ParamSpec Bytes(uint8_t reg, uint8_t count) {
  return {reg, BW_A_USER_BYTES, count, "", K::kBytes};
}
constexpr ParamSpec TupleOfReg(uint8_t fd_reg) {
  return {kExtraReg, BW_A_TUPLE_REG, fd_reg, "tuple", K::kSockaddr};
}
constexpr ParamSpec kTupleOfRes{kExtraReg, BW_A_TUPLE_RES, 0, "tuple", K::kSockaddr};
constexpr ParamSpec kFileOfRes{kExtraReg, BW_A_FILE_RES, 0, "", K::kUint};
constexpr ParamSpec kCreds{kExtraReg, BW_A_CREDS, 0, "", K::kUint};
constexpr ParamSpec kComm{kExtraReg, BW_A_COMM, 0, "arg2_str", K::kString};

SyscallSpec Sys(uint16_t nr, EventType type, uint8_t category, std::initializer_list<ParamSpec> params,
                FdFrom fd_from = FdFrom::kNone, std::string_view res_name = "res",
                ArgKind res_kind = K::kErrno) {
  SyscallSpec s;
  s.nr = nr;
  s.type = type;
  s.category = category;
  s.res_name = res_name;
  s.res_kind = res_kind;
  s.fd_from = fd_from;
  for (const ParamSpec& p : params) {
    if (s.nparams < s.params.size()) s.params[s.nparams++] = p;
  }
  return s;
}

// A syscall whose return value is a new descriptor (Falco names it "fd").
SyscallSpec NewFd(uint16_t nr, EventType type, uint8_t category,
                  std::initializer_list<ParamSpec> params) {
  return Sys(nr, type, category, params, FdFrom::kRes, "fd", K::kFd);
}

constexpr uint8_t kOpen = BW_CAT_OPEN, kDir = BW_CAT_DIR_FILE, kOther = BW_CAT_OTHER;

std::vector<SyscallSpec> BuildTable() {
  std::vector<SyscallSpec> t = {
      // files
      NewFd(2, T::kOpen, kOpen, {S(0, "name"), I(1, "flags", K::kOpenFlags), I(2, "mode", K::kMode), kFileOfRes}),
      NewFd(257, T::kOpenat, kOpen,
            {I(0, "dirfd", K::kFd), S(1, "name"), I(2, "flags", K::kOpenFlags), I(3, "mode", K::kMode),
             kFileOfRes}),
      NewFd(437, T::kOpenat2, kOpen, {I(0, "dirfd", K::kFd), S(1, "name"), Bytes(2, 24), kFileOfRes}),
      NewFd(85, T::kCreat, kOpen, {S(0, "name"), I(1, "mode", K::kMode), kFileOfRes}),
      Sys(3, T::kClose, BW_CAT_CLOSE, {I(0, "fd", K::kFd)}, FdFrom::kFirstParam),
      Sys(82, T::kRename, kDir, {S(0, "oldpath"), S(1, "newpath")}),
      Sys(264, T::kRenameat, kDir,
          {I(0, "olddirfd", K::kFd), S(1, "oldpath"), I(2, "newdirfd", K::kFd), S(3, "newpath")}),
      Sys(316, T::kRenameat2, kDir,
          {I(0, "olddirfd", K::kFd), S(1, "oldpath"), I(2, "newdirfd", K::kFd), S(3, "newpath"),
           I(4, "flags", K::kRenameFlags)}),
      Sys(87, T::kUnlink, kDir, {S(0, "path")}),
      Sys(263, T::kUnlinkat, kDir, {I(0, "dirfd", K::kFd), S(1, "name"), I(2, "flags", K::kUnlinkatFlags)}),
      Sys(83, T::kMkdir, kDir, {S(0, "path"), I(1, "mode", K::kMode)}),
      Sys(258, T::kMkdirat, kDir, {I(0, "dirfd", K::kFd), S(1, "path"), I(2, "mode", K::kMode)}),
      Sys(84, T::kRmdir, kDir, {S(0, "path")}),
      Sys(88, T::kSymlink, kDir, {S(0, "target"), S(1, "linkpath")}),
      Sys(266, T::kSymlinkat, kDir, {S(0, "target"), I(1, "linkdirfd", K::kFd), S(2, "linkpath")}),
      Sys(86, T::kLink, kDir, {S(0, "oldpath"), S(1, "newpath")}),
      Sys(265, T::kLinkat, kDir,
          {I(0, "olddir", K::kFd), S(1, "oldpath"), I(2, "newdir", K::kFd), S(3, "newpath"),
           I(4, "flags", K::kLinkatFlags)}),
      Sys(90, T::kChmod, kDir, {S(0, "filename"), I(1, "mode", K::kMode)}),
      Sys(91, T::kFchmod, kDir, {I(0, "fd", K::kFd), I(1, "mode", K::kMode)}, FdFrom::kFirstParam),
      Sys(268, T::kFchmodat, kDir, {I(0, "dirfd", K::kFd), S(1, "filename"), I(2, "mode", K::kMode)}),
      Sys(92, T::kChown, kDir, {S(0, "path"), I(1, "uid", K::kUid), I(2, "gid", K::kGid)}),
      Sys(93, T::kFchown, kDir, {I(0, "fd", K::kFd), I(1, "uid", K::kUid), I(2, "gid", K::kGid)},
          FdFrom::kFirstParam),
      Sys(94, T::kLchown, kDir, {S(0, "path"), I(1, "uid", K::kUid), I(2, "gid", K::kGid)}),
      Sys(260, T::kFchownat, kDir,
          {I(0, "dirfd", K::kFd), S(1, "pathname"), I(2, "uid", K::kUid), I(3, "gid", K::kGid),
           I(4, "flags", K::kInt)}),
      Sys(80, T::kChdir, kDir, {S(0, "path")}),
      Sys(81, T::kFchdir, kDir, {I(0, "fd", K::kFd)}, FdFrom::kFirstParam),
      Sys(161, T::kChroot, kDir, {S(0, "path")}),
      // network
      NewFd(41, T::kSocket, kOther,
            {I(0, "domain", K::kSocketDomain), I(1, "type", K::kSocketType), I(2, "proto", K::kInt)}),
      Sys(42, T::kConnect, BW_CAT_CONNECT, {I(0, "fd", K::kFd), Addr(1, 2), TupleOfReg(0)},
          FdFrom::kFirstParam),
      NewFd(43, T::kAccept, kOther, {kTupleOfRes}),
      NewFd(288, T::kAccept4, kOther, {I(3, "flags", K::kInt), kTupleOfRes}),
      Sys(49, T::kBind, kOther, {I(0, "fd", K::kFd), Addr(1, 2), TupleOfReg(0)}, FdFrom::kFirstParam),
      Sys(50, T::kListen, kOther, {I(0, "fd", K::kFd), I(1, "backlog", K::kInt)}, FdFrom::kFirstParam),
      Sys(44, T::kSendto, kOther,
          {I(0, "fd", K::kFd), I(2, "size", K::kUint), Addr(4, 5), TupleOfReg(0)}, FdFrom::kFirstParam),
      Sys(46, T::kSendmsg, kOther, {I(0, "fd", K::kFd), MsgName(1), TupleOfReg(0)}, FdFrom::kFirstParam),
      Sys(45, T::kRecvfrom, kOther, {I(0, "fd", K::kFd), I(2, "size", K::kUint), TupleOfReg(0)},
          FdFrom::kFirstParam),
      Sys(47, T::kRecvmsg, kOther, {I(0, "fd", K::kFd), TupleOfReg(0)}, FdFrom::kFirstParam),
      // descriptors
      Sys(32, T::kDup, kOther, {I(0, "oldfd", K::kFd)}, FdFrom::kRes),
      Sys(33, T::kDup2, kOther, {I(0, "oldfd", K::kFd), I(1, "newfd", K::kFd)}, FdFrom::kRes),
      Sys(292, T::kDup3, kOther, {I(0, "oldfd", K::kFd), I(1, "newfd", K::kFd), I(2, "flags", K::kDupFlags)},
          FdFrom::kRes),
      Sys(72, T::kFcntl, kOther, {I(0, "fd", K::kFd), I(1, "cmd", K::kFcntlCommand)}, FdFrom::kFirstParam),
      Sys(22, T::kPipe, kOther, {Bytes(0, 8)}),
      Sys(293, T::kPipe2, kOther, {Bytes(0, 8), I(1, "flags", K::kOpenFlags)}),
      NewFd(319, T::kMemfdCreate, kOther, {S(0, "name", K::kString), I(1, "flags", K::kMemfdFlags)}),
      // identity and privileges
      Sys(105, T::kSetuid, kOther, {I(0, "uid", K::kUid), kCreds}),
      Sys(106, T::kSetgid, kOther, {I(0, "gid", K::kGid), kCreds}),
      Sys(113, T::kSetreuid, kOther, {I(0, "ruid", K::kUid), I(1, "euid", K::kUid), kCreds}),
      Sys(114, T::kSetregid, kOther, {I(0, "rgid", K::kGid), I(1, "egid", K::kGid), kCreds}),
      Sys(117, T::kSetresuid, kOther,
          {I(0, "ruid", K::kUid), I(1, "euid", K::kUid), I(2, "suid", K::kUid), kCreds}),
      Sys(119, T::kSetresgid, kOther,
          {I(0, "rgid", K::kGid), I(1, "egid", K::kGid), I(2, "sgid", K::kGid), kCreds}),
      Sys(126, T::kCapset, kOther, {kCreds}),
      Sys(157, T::kPrctl, kOther, {I(0, "option", K::kPrctlOption), I(1, "arg2_int", K::kUint), kComm}),
      // the kernel and other processes
      Sys(101, T::kPtrace, kOther,
          {I(0, "request", K::kPtraceRequest), I(1, "pid", K::kPid), I(2, "addr", K::kUint),
           I(3, "data", K::kUint)}),
      Sys(165, T::kMount, kOther,
          {S(0, "dev"), S(1, "dir"), S(2, "type", K::kString), I(3, "flags", K::kMountFlags)}),
      Sys(166, T::kUmount2, kOther, {S(0, "name"), I(1, "flags", K::kUmountFlags)}),
      Sys(175, T::kInitModule, kOther, {I(1, "length", K::kUint), S(2, "uargs", K::kString)}),
      Sys(313, T::kFinitModule, kOther,
          {I(0, "fd", K::kFd), S(1, "uargs", K::kString), I(2, "flags", K::kInt)}, FdFrom::kFirstParam),
      Sys(176, T::kDeleteModule, kOther, {S(0, "name", K::kString), I(1, "flags", K::kInt)}),
      Sys(321, T::kBpf, kOther, {I(0, "cmd", K::kBpfCommand)}),
      Sys(62, T::kKill, kOther, {I(0, "pid", K::kPid), I(1, "sig", K::kSignal)}),
      Sys(200, T::kTkill, kOther, {I(0, "tid", K::kPid), I(1, "sig", K::kSignal)}),
      Sys(234, T::kTgkill, kOther, {I(0, "pid", K::kPid), I(1, "tid", K::kPid), I(2, "sig", K::kSignal)}),
      Sys(308, T::kSetns, kOther, {I(0, "fd", K::kFd), I(1, "nstype", K::kNamespaceFlags)},
          FdFrom::kFirstParam),
      Sys(272, T::kUnshare, kOther, {I(0, "flags", K::kNamespaceFlags)}),
      Sys(323, T::kUserfaultfd, kOther, {I(0, "flags", K::kInt)}, FdFrom::kRes),
      Sys(135, T::kPersonality, kOther, {I(0, "persona", K::kUint)}),
      // processes: successful execs and forks come from the sched tracepoints;
      // the syscall exit reports failed execs only.
      Sys(59, T::kExecve, BW_CAT_EXECVE, {S(0, "filename")}),
      Sys(322, T::kExecveat, BW_CAT_EXECVE,
          {I(0, "dirfd", K::kFd), S(1, "pathname"), I(4, "flags", K::kInt)}),
      Sys(56, T::kClone, BW_CAT_CLONE_FORK, {}),
      Sys(435, T::kClone3, BW_CAT_CLONE_FORK, {}),
      Sys(57, T::kFork, BW_CAT_CLONE_FORK, {}),
      Sys(58, T::kVfork, BW_CAT_CLONE_FORK, {}),
  };
  std::sort(t.begin(), t.end(), [](const SyscallSpec& a, const SyscallSpec& b) { return a.nr < b.nr; });
  return t;
}

const std::vector<SyscallSpec>& Table() {
  static const std::vector<SyscallSpec> table = BuildTable();
  return table;
}

}  // namespace

std::span<const SyscallSpec> AllSyscalls() { return Table(); }

// Every record is looked up here: an array indexed by number, not a search.
const SyscallSpec* FindSyscall(uint16_t nr) {
  static const std::array<const SyscallSpec*, BW_SYSCALL_MAX> by_nr = [] {
    std::array<const SyscallSpec*, BW_SYSCALL_MAX> out{};
    for (const SyscallSpec& s : Table()) {
      if (s.nr < out.size()) out[s.nr] = &s;
    }
    return out;
  }();
  return nr < by_nr.size() ? by_nr[nr] : nullptr;
}

std::vector<uint16_t> SyscallsFor(EventType type) {
  std::vector<uint16_t> out;
  for (const SyscallSpec& s : Table()) {
    if (s.type == type) out.push_back(s.nr);
  }
  return out;
}

bw_spec KernelSpec(const SyscallSpec& spec, bool interesting, bool state_only) {
  bw_spec k{};
  k.interesting = interesting ? 1 : 0;
  k.state_only = interesting && state_only ? 1 : 0;
  k.category = spec.category;
  for (uint8_t i = 0; i < spec.nparams; ++i) {
    const ParamSpec& p = spec.params[i];
    if (p.reg < BW_MAX_ARGS) {
      k.arg_kind[p.reg] = p.kernel_kind;
      k.arg_aux[p.reg] = p.aux;
    } else {
      k.extra_kind = p.kernel_kind;
      k.extra_aux = p.aux;
    }
  }
  return k;
}

EventTypeSet StateEventTypes() {
  EventTypeSet set;
  for (EventType t : {T::kClone, T::kClone3, T::kFork, T::kVfork, T::kExecve, T::kExecveat, T::kProcExit,
                      T::kClose, T::kDup, T::kDup2, T::kDup3, T::kFcntl, T::kChdir, T::kFchdir,
                      T::kOpen, T::kOpenat, T::kOpenat2, T::kCreat, T::kSocket, T::kConnect,
                      T::kAccept, T::kAccept4, T::kBind, T::kSetuid, T::kSetgid, T::kSetreuid,
                      T::kSetregid, T::kSetresuid, T::kSetresgid, T::kCapset, T::kPrctl}) {
    set.set(static_cast<size_t>(t));
  }
  return set;
}

}  // namespace bulwark::runtime::sensor
