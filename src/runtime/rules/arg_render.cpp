#include "runtime/rules/arg_render.hpp"

#include <fcntl.h>
#include <sys/socket.h>

#include <array>
#include <charconv>
#include <cstring>
#include <span>

#include "runtime/rules/field_value.hpp"

namespace bulwark::runtime::rules {
namespace {

struct Name {
  uint64_t value;
  std::string_view name;
};

constexpr Name kMountFlags[] = {
    {1, "MS_RDONLY"},         {2, "MS_NOSUID"},          {4, "MS_NODEV"},          {8, "MS_NOEXEC"},
    {16, "MS_SYNCHRONOUS"},   {32, "MS_REMOUNT"},        {64, "MS_MANDLOCK"},      {128, "MS_DIRSYNC"},
    {256, "MS_NOSYMFOLLOW"},  {1024, "MS_NOATIME"},      {2048, "MS_NODIRATIME"},  {4096, "MS_BIND"},
    {8192, "MS_MOVE"},        {16384, "MS_REC"},         {32768, "MS_SILENT"},     {1 << 16, "MS_POSIXACL"},
    {1 << 17, "MS_UNBINDABLE"}, {1 << 18, "MS_PRIVATE"}, {1 << 19, "MS_SLAVE"},    {1 << 20, "MS_SHARED"},
    {1 << 21, "MS_RELATIME"}, {1 << 22, "MS_KERNMOUNT"}, {1 << 23, "MS_I_VERSION"}, {1 << 24, "MS_STRICTATIME"},
    {1 << 25, "MS_LAZYTIME"}};
constexpr Name kUmountFlags[] = {{1, "MNT_FORCE"}, {2, "MNT_DETACH"}, {4, "MNT_EXPIRE"}, {8, "UMOUNT_NOFOLLOW"}};
constexpr Name kCloneFlags[] = {
    {0x80, "CLONE_NEWTIME"},          {0x100, "CLONE_VM"},           {0x200, "CLONE_FS"},
    {0x400, "CLONE_FILES"},           {0x800, "CLONE_SIGHAND"},      {0x1000, "CLONE_PIDFD"},
    {0x2000, "CLONE_PTRACE"},         {0x4000, "CLONE_VFORK"},       {0x8000, "CLONE_PARENT"},
    {0x10000, "CLONE_THREAD"},        {0x20000, "CLONE_NEWNS"},      {0x40000, "CLONE_SYSVSEM"},
    {0x80000, "CLONE_SETTLS"},        {0x100000, "CLONE_PARENT_SETTID"}, {0x200000, "CLONE_CHILD_CLEARTID"},
    {0x400000, "CLONE_DETACHED"},     {0x800000, "CLONE_UNTRACED"},  {0x1000000, "CLONE_CHILD_SETTID"},
    {0x2000000, "CLONE_NEWCGROUP"},   {0x4000000, "CLONE_NEWUTS"},   {0x8000000, "CLONE_NEWIPC"},
    {0x10000000, "CLONE_NEWUSER"},    {0x20000000, "CLONE_NEWPID"},  {0x40000000, "CLONE_NEWNET"},
    {0x80000000, "CLONE_IO"},         {0x100000000ULL, "CLONE_CLEAR_SIGHAND"}, {0x200000000ULL, "CLONE_INTO_CGROUP"}};
constexpr Name kSocketDomains[] = {
    {0, "AF_UNSPEC"},   {1, "AF_UNIX"},     {2, "AF_INET"},   {3, "AF_AX25"},      {4, "AF_IPX"},
    {5, "AF_APPLETALK"}, {6, "AF_NETROM"},  {7, "AF_BRIDGE"}, {8, "AF_ATMPVC"},    {9, "AF_X25"},
    {10, "AF_INET6"},   {11, "AF_ROSE"},    {12, "AF_DECnet"}, {13, "AF_NETBEUI"}, {14, "AF_SECURITY"},
    {15, "AF_KEY"},     {16, "AF_NETLINK"}, {17, "AF_PACKET"}, {18, "AF_ASH"},     {19, "AF_ECONET"},
    {20, "AF_ATMSVC"},  {21, "AF_RDS"},     {22, "AF_SNA"},   {23, "AF_IRDA"},     {24, "AF_PPPOX"},
    {25, "AF_WANPIPE"}, {26, "AF_LLC"},     {27, "AF_IB"},    {28, "AF_MPLS"},     {29, "AF_CAN"},
    {30, "AF_TIPC"},    {31, "AF_BLUETOOTH"}, {32, "AF_IUCV"}, {33, "AF_RXRPC"},   {34, "AF_ISDN"},
    {35, "AF_PHONET"},  {36, "AF_IEEE802154"}, {37, "AF_CAIF"}, {38, "AF_ALG"},    {39, "AF_NFC"},
    {40, "AF_VSOCK"},   {41, "AF_KCM"},     {42, "AF_QIPCRTR"}, {43, "AF_SMC"},    {44, "AF_XDP"},
    {45, "AF_MCTP"}};
constexpr Name kSocketTypes[] = {{1, "SOCK_STREAM"}, {2, "SOCK_DGRAM"},     {3, "SOCK_RAW"}, {4, "SOCK_RDM"},
                                 {5, "SOCK_SEQPACKET"}, {6, "SOCK_DCCP"}, {10, "SOCK_PACKET"}};
constexpr Name kSocketTypeFlags[] = {{SOCK_NONBLOCK, "SOCK_NONBLOCK"}, {SOCK_CLOEXEC, "SOCK_CLOEXEC"}};
constexpr Name kPtraceRequests[] = {
    {0, "PTRACE_TRACEME"},        {1, "PTRACE_PEEKTEXT"},      {2, "PTRACE_PEEKDATA"},     {3, "PTRACE_PEEKUSR"},
    {4, "PTRACE_POKETEXT"},       {5, "PTRACE_POKEDATA"},      {6, "PTRACE_POKEUSR"},      {7, "PTRACE_CONT"},
    {8, "PTRACE_KILL"},           {9, "PTRACE_SINGLESTEP"},    {12, "PTRACE_GETREGS"},     {13, "PTRACE_SETREGS"},
    {14, "PTRACE_GETFPREGS"},     {15, "PTRACE_SETFPREGS"},    {16, "PTRACE_ATTACH"},      {17, "PTRACE_DETACH"},
    {18, "PTRACE_GETFPXREGS"},    {19, "PTRACE_SETFPXREGS"},   {24, "PTRACE_SYSCALL"},     {25, "PTRACE_GET_THREAD_AREA"},
    {26, "PTRACE_SET_THREAD_AREA"}, {30, "PTRACE_ARCH_PRCTL"}, {31, "PTRACE_SYSEMU"},      {32, "PTRACE_SYSEMU_SINGLESTEP"},
    {0x4200, "PTRACE_SETOPTIONS"}, {0x4201, "PTRACE_GETEVENTMSG"}, {0x4202, "PTRACE_GETSIGINFO"},
    {0x4203, "PTRACE_SETSIGINFO"}, {0x4204, "PTRACE_GETREGSET"}, {0x4205, "PTRACE_SETREGSET"},
    {0x4206, "PTRACE_SEIZE"},      {0x4207, "PTRACE_INTERRUPT"}, {0x4208, "PTRACE_LISTEN"},
    {0x4209, "PTRACE_PEEKSIGINFO"}, {0x420a, "PTRACE_GETSIGMASK"}, {0x420b, "PTRACE_SETSIGMASK"},
    {0x420c, "PTRACE_SECCOMP_GET_FILTER"}, {0x420d, "PTRACE_SECCOMP_GET_METADATA"},
    {0x420e, "PTRACE_GET_SYSCALL_INFO"}};
constexpr Name kUnlinkatFlags[] = {{0x200, "AT_REMOVEDIR"}};
constexpr Name kLinkatFlags[] = {{0x400, "AT_SYMLINK_FOLLOW"}, {0x1000, "AT_EMPTY_PATH"}};
constexpr Name kRenameFlags[] = {{1, "RENAME_NOREPLACE"}, {2, "RENAME_EXCHANGE"}, {4, "RENAME_WHITEOUT"}};
constexpr Name kMemfdFlags[] = {{1, "MFD_CLOEXEC"}, {2, "MFD_ALLOW_SEALING"}, {4, "MFD_HUGETLB"},
                                {8, "MFD_NOEXEC_SEAL"}, {0x10, "MFD_EXEC"}};
constexpr Name kDupFlags[] = {{O_CLOEXEC, "O_CLOEXEC"}};
constexpr Name kFcntlCommands[] = {
    {0, "F_DUPFD"},        {1, "F_GETFD"},       {2, "F_SETFD"},          {3, "F_GETFL"},        {4, "F_SETFL"},
    {5, "F_GETLK"},        {6, "F_SETLK"},       {7, "F_SETLKW"},         {8, "F_SETOWN"},       {9, "F_GETOWN"},
    {10, "F_SETSIG"},      {11, "F_GETSIG"},     {15, "F_SETOWN_EX"},     {16, "F_GETOWN_EX"},   {36, "F_OFD_GETLK"},
    {37, "F_OFD_SETLK"},   {38, "F_OFD_SETLKW"}, {1024, "F_SETLEASE"},    {1025, "F_GETLEASE"},  {1026, "F_NOTIFY"},
    {1030, "F_DUPFD_CLOEXEC"}, {1031, "F_SETPIPE_SZ"}, {1032, "F_GETPIPE_SZ"}, {1033, "F_ADD_SEALS"}, {1034, "F_GET_SEALS"}};
constexpr Name kBpfCommands[] = {
    {0, "BPF_MAP_CREATE"},       {1, "BPF_MAP_LOOKUP_ELEM"},   {2, "BPF_MAP_UPDATE_ELEM"},  {3, "BPF_MAP_DELETE_ELEM"},
    {4, "BPF_MAP_GET_NEXT_KEY"}, {5, "BPF_PROG_LOAD"},         {6, "BPF_OBJ_PIN"},          {7, "BPF_OBJ_GET"},
    {8, "BPF_PROG_ATTACH"},      {9, "BPF_PROG_DETACH"},       {10, "BPF_PROG_TEST_RUN"},   {11, "BPF_PROG_GET_NEXT_ID"},
    {12, "BPF_MAP_GET_NEXT_ID"}, {13, "BPF_PROG_GET_FD_BY_ID"}, {14, "BPF_MAP_GET_FD_BY_ID"},
    {15, "BPF_OBJ_GET_INFO_BY_FD"}, {16, "BPF_PROG_QUERY"},    {17, "BPF_RAW_TRACEPOINT_OPEN"}, {18, "BPF_BTF_LOAD"},
    {19, "BPF_BTF_GET_FD_BY_ID"}, {20, "BPF_TASK_FD_QUERY"},   {21, "BPF_MAP_LOOKUP_AND_DELETE_ELEM"},
    {22, "BPF_MAP_FREEZE"},      {23, "BPF_BTF_GET_NEXT_ID"},  {24, "BPF_MAP_LOOKUP_BATCH"},
    {25, "BPF_MAP_LOOKUP_AND_DELETE_BATCH"}, {26, "BPF_MAP_UPDATE_BATCH"}, {27, "BPF_MAP_DELETE_BATCH"},
    {28, "BPF_LINK_CREATE"},     {29, "BPF_LINK_UPDATE"},      {30, "BPF_LINK_GET_FD_BY_ID"}, {31, "BPF_LINK_GET_NEXT_ID"},
    {32, "BPF_ENABLE_STATS"},    {33, "BPF_ITER_CREATE"},      {34, "BPF_LINK_DETACH"},     {35, "BPF_PROG_BIND_MAP"}};
constexpr Name kPrctlOptions[] = {
    {1, "PR_SET_PDEATHSIG"},   {2, "PR_GET_PDEATHSIG"},   {3, "PR_GET_DUMPABLE"},      {4, "PR_SET_DUMPABLE"},
    {7, "PR_GET_KEEPCAPS"},    {8, "PR_SET_KEEPCAPS"},    {15, "PR_SET_NAME"},         {16, "PR_GET_NAME"},
    {21, "PR_GET_SECCOMP"},    {22, "PR_SET_SECCOMP"},    {23, "PR_CAPBSET_READ"},     {24, "PR_CAPBSET_DROP"},
    {27, "PR_GET_SECUREBITS"}, {28, "PR_SET_SECUREBITS"}, {35, "PR_SET_MM"},           {36, "PR_SET_CHILD_SUBREAPER"},
    {37, "PR_GET_CHILD_SUBREAPER"}, {38, "PR_SET_NO_NEW_PRIVS"}, {39, "PR_GET_NO_NEW_PRIVS"}, {47, "PR_CAP_AMBIENT"},
    {0x59616d61, "PR_SET_PTRACER"}};
constexpr Name kAccessModes[] = {{1, "X_OK"}, {2, "W_OK"}, {4, "R_OK"}};
constexpr Name kModeBits[] = {{04000, "S_ISUID"}, {02000, "S_ISGID"}, {01000, "S_ISVTX"}, {0400, "S_IRUSR"},
                              {0200, "S_IWUSR"},  {0100, "S_IXUSR"},  {040, "S_IRGRP"},   {020, "S_IWGRP"},
                              {010, "S_IXGRP"},   {04, "S_IROTH"},    {02, "S_IWOTH"},    {01, "S_IXOTH"}};
constexpr std::array<std::string_view, 41> kCapabilities = {
    "CAP_CHOWN",       "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",          "CAP_FSETID",
    "CAP_KILL",        "CAP_SETGID",       "CAP_SETUID",          "CAP_SETPCAP",         "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",         "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",   "CAP_SYS_MODULE",   "CAP_SYS_RAWIO",       "CAP_SYS_CHROOT",      "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",   "CAP_SYS_ADMIN",    "CAP_SYS_BOOT",        "CAP_SYS_NICE",        "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",    "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",         "CAP_LEASE",           "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL", "CAP_SETFCAP",    "CAP_MAC_OVERRIDE",    "CAP_MAC_ADMIN",       "CAP_SYSLOG",
    "CAP_WAKE_ALARM",  "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",     "CAP_PERFMON",         "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE"};

void AppendInt(int64_t v, std::string& out) { AppendValue(Value::Int(v), out); }

void AppendOctal(uint64_t v, std::string& out) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v, 8);
  out += '0';
  if (v != 0) out.append(buf, ec == std::errc() ? end : buf);
}

// "A|B|C"; the number when no name applies.
void AppendFlags(uint64_t value, std::span<const Name> table, std::string& out) {
  size_t start = out.size();
  for (const auto& f : table) {
    if (f.value != 0 && (value & f.value) == f.value) {
      if (out.size() > start) out += '|';
      out += f.name;
    }
  }
  if (out.size() == start) AppendInt(static_cast<int64_t>(value), out);
}

void AppendEnum(int64_t value, std::span<const Name> table, std::string& out) {
  for (const auto& f : table) {
    if (static_cast<int64_t>(f.value) == value) {
      out += f.name;
      return;
    }
  }
  AppendInt(value, out);
}

void AppendOpenFlags(int64_t flags, std::string& out) {
  static const Name kOpenBits[] = {
      {O_CREAT, "O_CREAT"},       {O_EXCL, "O_EXCL"},         {O_NOCTTY, "O_NOCTTY"},
      {O_TRUNC, "O_TRUNC"},       {O_APPEND, "O_APPEND"},     {O_NONBLOCK, "O_NONBLOCK"},
      {O_DSYNC, "O_DSYNC"},       {O_ASYNC, "O_ASYNC"},       {O_DIRECT, "O_DIRECT"},
#if defined(__x86_64__)
      {0100000, "O_LARGEFILE"},  // the kernel's value; glibc defines it as 0 on 64-bit
#endif
      {O_DIRECTORY, "O_DIRECTORY"}, {O_NOFOLLOW, "O_NOFOLLOW"}, {O_NOATIME, "O_NOATIME"},
      {O_CLOEXEC, "O_CLOEXEC"},   {O_SYNC, "O_SYNC"},         {O_PATH, "O_PATH"},
      {O_TMPFILE, "O_TMPFILE"}};
  auto v = static_cast<uint64_t>(flags);
  switch (v & O_ACCMODE) {
    case O_WRONLY: out += "O_WRONLY"; break;
    case O_RDWR: out += "O_RDWR"; break;
    default: out += "O_RDONLY"; break;
  }
  for (const auto& f : kOpenBits) {
    if (f.value != 0 && (v & f.value) == f.value) {
      out += '|';
      out += f.name;
    }
  }
}

void AppendSignal(int64_t sig, std::string& out) {
  const char* abbrev = sig > 0 && sig < 65 ? sigabbrev_np(static_cast<int>(sig)) : nullptr;
  if (abbrev != nullptr) {
    out += "SIG";
    out += abbrev;
  } else {
    AppendInt(sig, out);
  }
}

bool IsChmod(EventType type) {
  return type == EventType::kChmod || type == EventType::kFchmod || type == EventType::kFchmodat;
}

}  // namespace

std::string_view ErrnoName(int64_t err) {
  if (err < 0) err = -err;
  if (err <= 0 || err > 4095) return {};
  const char* name = strerrorname_np(static_cast<int>(err));
  return name != nullptr ? std::string_view(name) : std::string_view();
}

void AppendResult(int64_t res, std::string& out) {
  if (res >= 0) {
    out += "SUCCESS";
    return;
  }
  std::string_view name = ErrnoName(res);
  if (name.empty()) {
    AppendInt(res, out);
  } else {
    out += name;
  }
}

void AppendCapabilities(uint64_t mask, std::string& out) {
  bool first = true;
  for (size_t i = 0; i < 64; ++i) {
    if ((mask & (uint64_t{1} << i)) == 0) continue;
    if (!first) out += ' ';
    first = false;
    if (i < kCapabilities.size()) {
      out += kCapabilities[i];
    } else {
      out += "CAP_" + std::to_string(i);
    }
  }
}

void AppendSockAddr(const SockAddr& addr, std::string& out) {
  if (addr.family == 1) {  // AF_UNIX
    out += addr.path;
    return;
  }
  IpAddr ip;
  if (addr.family == 2) {
    ip.family = 4;
    std::memcpy(ip.bytes.data(), addr.ip.data(), 4);
  } else if (addr.family == 10) {
    ip.family = 6;
    ip.bytes = addr.ip;
  } else {
    return;
  }
  AppendIp(ip, out);
  out += ':';
  AppendInt(addr.port, out);
}

bool OpenFlagsRead(int64_t flags) {
  auto mode = static_cast<uint64_t>(flags) & O_ACCMODE;
  return mode == O_RDONLY || mode == O_RDWR;
}

bool OpenFlagsWrite(int64_t flags) {
  auto mode = static_cast<uint64_t>(flags) & O_ACCMODE;
  return mode == O_WRONLY || mode == O_RDWR;
}

bool OpenFlagsCreate(int64_t flags) {
  auto v = static_cast<uint64_t>(flags);
  return (v & O_CREAT) != 0 || (v & O_TMPFILE) == static_cast<uint64_t>(O_TMPFILE);
}

void RenderArg(const EventArg& arg, EventType type, std::string& out) {
  auto u = static_cast<uint64_t>(arg.num);
  switch (arg.kind) {
    case ArgKind::kInt:
    case ArgKind::kFd:
    case ArgKind::kPid:
    case ArgKind::kUid:
    case ArgKind::kGid: AppendInt(arg.num, out); break;
    case ArgKind::kUint: out += std::to_string(u); break;
    case ArgKind::kErrno:
      if (arg.num < 0 && !ErrnoName(arg.num).empty()) {
        out += ErrnoName(arg.num);
      } else {
        AppendInt(arg.num, out);
      }
      break;
    case ArgKind::kPath:
    case ArgKind::kString:
    case ArgKind::kBytes: out += arg.text; break;
    case ArgKind::kSockaddr: AppendSockAddr(arg.addr, out); break;
    case ArgKind::kMode:
      if (IsChmod(type)) {
        AppendFlags(u & 07777, kModeBits, out);
      } else {
        AppendOctal(u, out);
      }
      break;
    case ArgKind::kOpenFlags: AppendOpenFlags(arg.num, out); break;
    case ArgKind::kSocketDomain: AppendEnum(arg.num, kSocketDomains, out); break;
    case ArgKind::kSocketType: {
      AppendEnum(static_cast<int64_t>(u & 0xf), kSocketTypes, out);
      for (const auto& f : kSocketTypeFlags) {
        if ((u & f.value) != 0) {
          out += '|';
          out += f.name;
        }
      }
      break;
    }
    case ArgKind::kPtraceRequest: AppendEnum(arg.num, kPtraceRequests, out); break;
    case ArgKind::kMountFlags:
      // The legacy magic number in the upper half means nothing.
      if ((u & 0xffff0000ULL) == 0xC0ED0000ULL) u &= 0xffffULL;
      AppendFlags(u, kMountFlags, out);
      break;
    case ArgKind::kUmountFlags: AppendFlags(u, kUmountFlags, out); break;
    case ArgKind::kCloneFlags:
    case ArgKind::kNamespaceFlags: AppendFlags(u & ~uint64_t{0x7f}, kCloneFlags, out); break;
    case ArgKind::kSignal: AppendSignal(arg.num, out); break;
    case ArgKind::kUnlinkatFlags: AppendFlags(u, kUnlinkatFlags, out); break;
    case ArgKind::kLinkatFlags: AppendFlags(u, kLinkatFlags, out); break;
    case ArgKind::kRenameFlags: AppendFlags(u, kRenameFlags, out); break;
    case ArgKind::kMemfdFlags: AppendFlags(u, kMemfdFlags, out); break;
    case ArgKind::kDupFlags: AppendFlags(u, kDupFlags, out); break;
    case ArgKind::kFcntlCommand: AppendEnum(arg.num, kFcntlCommands, out); break;
    case ArgKind::kBpfCommand: AppendEnum(arg.num, kBpfCommands, out); break;
    case ArgKind::kPrctlOption: AppendEnum(arg.num, kPrctlOptions, out); break;
    case ArgKind::kCapabilities: AppendCapabilities(u, out); break;
    case ArgKind::kAccessMode:
      if (u == 0) {
        out += "F_OK";
      } else {
        AppendFlags(u, kAccessModes, out);
      }
      break;
  }
}

}  // namespace bulwark::runtime::rules
