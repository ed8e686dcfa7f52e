// What the rule engine may ask about the world around an event: the process
// that made it (and its ancestors), the descriptor it is about, and the
// container it runs in. The sensor's state tables (src/runtime/sensor) keep
// these up to date from /proc, fork/exec/exit and the Docker Engine API;
// tests build them by hand. The engine only reads.
//
// Missing facts are empty strings / absent optionals, never placeholders:
// Falco's rules rely on "a field that cannot be read makes every comparison
// false" (`proc.pname exists`), so a placeholder would change verdicts.
// Value types are thread-compatible; a StateView is read from the thread that
// evaluates rules while the sensor is not updating it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/event/event.hpp"

namespace bulwark::runtime {

// One process (thread-group leader) as proc.* and user.* read it.
struct Process {
  int64_t pid = 0;    // host thread-group ID
  int64_t ppid = 0;   // host parent pid (0: none or unknown)
  int64_t vpid = 0;   // pid inside its namespace
  int64_t sid = 0;    // session leader pid
  int64_t pgid = 0;
  std::string comm;   // proc.name: task->comm (at most 15 bytes)
  std::string exe;    // proc.exe: argv[0]
  std::string exepath;  // proc.exepath: the resolved executable path
  std::vector<std::string> args;  // proc.args: argv[1..]
  std::vector<std::string> env;   // proc.env: "NAME=value", bounded by the sensor
  std::string cwd;
  uint32_t uid = 0, gid = 0, euid = 0, egid = 0;
  std::optional<uint32_t> loginuid;  // absent when unset (4294967295)
  std::string user_name;             // resolved in the process's own root
  std::string group_name;
  std::string login_name;
  uint32_t tty = 0;                  // 0: no controlling terminal
  uint64_t cap_effective = 0, cap_permitted = 0, cap_inheritable = 0;
  bool exe_upper_layer = false;      // executable in an overlayfs upper layer
  bool exe_from_memfd = false;       // executed through a memfd
  bool exe_writable = false;         // the executable is writable by the process
  uint64_t exe_ino = 0;
  uint64_t exe_ino_ctime_ns = 0, exe_ino_mtime_ns = 0;
  uint64_t start_ts_ns = 0;          // clone time (proc.duration = now - this)
  uint64_t pidns_init_start_ts_ns = 0;
  std::string container_id;          // 12 hex characters; empty on the host
};

enum class FdType : uint8_t {
  kUnknown, kFile, kDirectory, kIpv4, kIpv6, kUnix, kPipe, kEventFd, kSignalFd,
  kEventPoll, kInotify, kTimerFd, kNetlink, kBpf, kUserfaultFd, kIoUring, kMemfd,
};

enum class L4Proto : uint8_t { kUnknown, kTcp, kUdp, kIcmp, kRaw };

// One descriptor as fd.* reads it. For sockets, `local` and `remote` are as
// the process sees them; `local_is_server` says which is the server side
// (accept: the local side; connect: the remote side).
struct Fd {
  int64_t num = -1;
  FdType type = FdType::kUnknown;
  std::string name;     // fd.name: the resolved path, or "1.2.3.4:5->6.7.8.9:80"
  std::string nameraw;  // fd.nameraw: the path as passed (no resolution)
  std::string oldname;  // the name before its last change
  uint64_t name_changed_evt = 0;  // evt.num of the event that last changed the name (0: none)
  uint32_t open_flags = 0;  // O_* the fd was opened with
  L4Proto l4proto = L4Proto::kUnknown;
  SockAddr local, remote;
  bool local_is_server = false;
  bool connected = false;
  uint64_t dev = 0, ino = 0;
};

struct Mount {
  std::string source, destination, mode;
  bool read_write = true;
  std::string propagation;
};

// One container as container.* and k8s.* read it.
struct Container {
  std::string id;        // 12 hex characters
  std::string full_id;
  std::string name;
  std::string image;             // as the container was created ("lab-web:latest")
  std::string image_repository;  // "lab-web"
  std::string image_tag;         // "latest"
  std::string image_digest;
  std::string image_id;
  std::string type = "docker";
  bool privileged = false;
  std::map<std::string, std::string> labels;
  std::vector<Mount> mounts;
  uint64_t start_ts_ns = 0;
  // Kubernetes, from the CRI labels (io.kubernetes.*); empty elsewhere.
  std::string k8s_pod_name, k8s_pod_uid, k8s_ns_name;
};

// Read access to the state tables. Lookups return nullptr for what is not
// known; pointers stay valid until the next event is applied.
class StateView {
 public:
  virtual ~StateView() = default;
  virtual const Process* FindProcess(int64_t pid) const = 0;
  virtual const Container* FindContainer(std::string_view id) const = 0;
  virtual std::string_view Hostname() const = 0;
};

// Everything one rule evaluation reads. `proc`, `fd` and `container` are
// resolved once by the state tables; any may be null.
struct EventContext {
  const Event* evt = nullptr;
  const Process* proc = nullptr;
  const Fd* fd = nullptr;
  const Container* container = nullptr;
  const StateView* state = nullptr;
};

}  // namespace bulwark::runtime
