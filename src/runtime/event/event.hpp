// A decoded runtime event: one syscall exit (or scheduler event) of one
// thread, as the sensor hands it to the state tables and the rule engine.
// Names follow Falco's (evt.type values, evt.arg.<name> argument names) so
// that Falco rules read our events unchanged.
//
// Ownership: an Event owns its argument strings. Sources may reuse one Event
// object between reads (strings keep their capacity), so consumers copy what
// they keep. Value type; thread-compatible.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bulwark::runtime {

// Every event type the sensor can produce, by its Falco name (EventTypeName).
// The order is an index (bitsets, per-type rule buckets); append only.
enum class EventType : uint16_t {
  kUnknown = 0,
  // processes
  kExecve, kExecveat, kClone, kClone3, kFork, kVfork, kProcExit,
  // files
  kOpen, kOpenat, kOpenat2, kCreat, kClose,
  kRename, kRenameat, kRenameat2, kUnlink, kUnlinkat, kMkdir, kMkdirat, kRmdir,
  kSymlink, kSymlinkat, kLink, kLinkat,
  kChmod, kFchmod, kFchmodat, kChown, kFchown, kFchownat, kLchown,
  kChdir, kFchdir, kChroot,
  // network
  kSocket, kConnect, kAccept, kAccept4, kBind, kListen,
  kSendto, kSendmsg, kRecvfrom, kRecvmsg,
  // descriptors
  kDup, kDup2, kDup3, kFcntl, kPipe, kPipe2, kMemfdCreate,
  // identity and privileges
  kSetuid, kSetgid, kSetreuid, kSetregid, kSetresuid, kSetresgid, kCapset, kPrctl,
  // the kernel and other processes
  kPtrace, kMount, kUmount, kUmount2, kInitModule, kFinitModule, kDeleteModule, kBpf,
  kKill, kTkill, kTgkill, kSetns, kUnshare, kUserfaultfd, kPersonality,
  kCount,
};

inline constexpr size_t kEventTypeCount = static_cast<size_t>(EventType::kCount);

// "execve", "openat", ...; "unknown" for kUnknown and out-of-range values.
std::string_view EventTypeName(EventType type);
// The inverse of EventTypeName; nullopt for names the sensor never produces.
std::optional<EventType> EventTypeFromName(std::string_view name);

// How an argument's number or text is to be read and rendered: flags render
// symbolically ("O_WRONLY|O_CREAT|O_TRUNC"), as Falco renders evt.arg.flags.
enum class ArgKind : uint8_t {
  kInt,            // signed number
  kUint,           // unsigned number (sizes, modes printed in octal by kMode)
  kFd,             // a file descriptor number
  kPid,
  kUid,
  kGid,
  kErrno,          // a return value: 0 or positive, or -errno
  kPath,           // text: a path as the process passed it
  kString,         // text
  kBytes,          // text: raw bytes (a buffer), may hold NUL
  kSockaddr,       // addr: a socket address
  kMode,           // file mode bits (0755)
  kOpenFlags,      // O_* for open/openat/openat2/creat
  kSocketDomain,   // AF_*
  kSocketType,     // SOCK_* (with SOCK_NONBLOCK / SOCK_CLOEXEC)
  kPtraceRequest,  // PTRACE_*
  kMountFlags,     // MS_*
  kUmountFlags,    // MNT_* / UMOUNT_*
  kCloneFlags,     // CLONE_*
  kSignal,         // SIGKILL, ...
  kUnlinkatFlags,  // AT_REMOVEDIR
  kLinkatFlags,    // AT_SYMLINK_FOLLOW / AT_EMPTY_PATH
  kRenameFlags,    // RENAME_*
  kMemfdFlags,     // MFD_*
  kDupFlags,       // O_CLOEXEC for dup3
  kFcntlCommand,   // F_DUPFD, F_SETFL, ...
  kBpfCommand,     // BPF_PROG_LOAD, ...
  kPrctlOption,    // PR_SET_NAME, ...
  kCapabilities,   // a capability set (num is the 64-bit mask)
  kNamespaceFlags, // CLONE_NEW* for setns / unshare
  kAccessMode,     // F_OK / R_OK / W_OK / X_OK
};

// A socket address: IPv4 (4 bytes in ip), IPv6 (16), or a UNIX path.
struct SockAddr {
  uint16_t family = 0;  // AF_INET, AF_INET6, AF_UNIX, 0 when unknown
  std::array<uint8_t, 16> ip{};
  uint16_t port = 0;    // host byte order
  std::string path;     // AF_UNIX
};

struct EventArg {
  std::string_view name;  // Falco's parameter name; static storage
  ArgKind kind = ArgKind::kInt;
  int64_t num = 0;        // numbers, flags, fds, errno
  std::string text;       // paths, strings, bytes
  SockAddr addr;          // kSockaddr
};

inline constexpr size_t kMaxEventArgs = 8;

struct Event {
  uint64_t ts_ns = 0;  // CLOCK_REALTIME nanoseconds
  uint64_t num = 0;    // the sensor's sequence number (evt.num), from 1
  EventType type = EventType::kUnknown;
  int64_t tid = 0;     // host thread ID
  int64_t pid = 0;     // host thread-group ID
  int64_t res = 0;     // the syscall's return value (fd, count, or -errno)
  uint16_t cpu = 0;
  // The descriptor the fd.* fields describe (the new fd of an open, the
  // socket of a connect, the duplicated fd of a dup); -1 when none.
  int64_t fd = -1;
  uint8_t nargs = 0;
  std::array<EventArg, kMaxEventArgs> args;

  // The argument with Falco's name `name`, or nullptr.
  const EventArg* Arg(std::string_view name) const {
    for (uint8_t i = 0; i < nargs; ++i) {
      if (args[i].name == name) return &args[i];
    }
    return nullptr;
  }
  // Appends an argument; ignored (and false) past kMaxEventArgs.
  EventArg* AddArg(std::string_view name, ArgKind kind) {
    if (nargs >= kMaxEventArgs) return nullptr;
    EventArg& a = args[nargs++];
    a.name = name;
    a.kind = kind;
    a.num = 0;
    a.text.clear();
    a.addr = SockAddr{};
    return &a;
  }
  // Resets the event for reuse, keeping string capacity.
  void Clear() {
    ts_ns = num = 0;
    type = EventType::kUnknown;
    tid = pid = res = 0;
    cpu = 0;
    fd = -1;
    nargs = 0;
  }
};

}  // namespace bulwark::runtime
