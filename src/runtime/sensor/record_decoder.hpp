// Turns one raw ring-buffer record (sensor_abi.h) into an Event with Falco's
// argument names, plus the KernelFacts the state tables need beyond what an
// Event carries (exec facts, the fork's child, credentials, socket ends,
// the file's dev/inode). Records are untrusted bytes: every length is
// checked, a malformed record is an error value, never a crash or an
// out-of-bounds read (fuzz/fuzz_sensor_decode.cpp).
//
// A RecordDecoder numbers events (evt.num) and converts boot-time stamps to
// wall-clock time. Thread-compatible (one per consumer thread).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "runtime/bpf/sensor_abi.h"
#include "runtime/event/event.hpp"
#include "runtime/event/state.hpp"

namespace bulwark::runtime::sensor {

// Falco's exe_flags bits (PPM_EXE_*), as evt.arg.flags of execve.
inline constexpr uint32_t kExeWritable = 1, kExeUpperLayer = 2, kExeFromMemfd = 4;

// Bounds the decoder applies to what it keeps.
inline constexpr size_t kMaxArgvEntries = 256;
inline constexpr size_t kMaxEnvEntries = 128;

struct ExecFacts {
  std::string filename;  // as passed to execve (bprm->filename)
  std::string exepath;   // the executable, resolved in the process's root
  std::string cwd;
  std::string comm;
  std::string cgroup;    // memory-controller cgroup path, "/docker/<id>"
  std::vector<std::string> argv;  // argv[0..]
  std::vector<std::string> env;
  bw_exec_info info{};
  uint32_t exe_flags = 0;  // kExe* bits
};

// What one record says beyond the Event. Which parts are set depends on the
// record; the has_* flags say so. Reused between records (cleared by Decode).
struct KernelFacts {
  uint16_t kind = 0;  // enum bw_kind
  bool truncated = false;
  bool has_exec = false, has_fork = false, has_exit = false;
  bool has_creds = false, has_tuple = false, has_file = false, has_comm = false;
  bool has_pipe = false;
  ExecFacts exec;
  bw_fork_info fork{};
  bw_exit_info exit{};
  bw_creds creds{};
  // The socket as the kernel knows it: local and remote ends, L4 protocol.
  int sock_family = 0;
  L4Proto l4proto = L4Proto::kUnknown;
  SockAddr local, remote;
  bw_file file{};
  std::string comm;
  int32_t pipe_fds[2] = {-1, -1};

  void Clear();
};

// Decodes a socket address as the kernel copies it (struct sockaddr_*).
SockAddr ParseSockaddr(std::span<const uint8_t> bytes);

// Joins path components sent leaf first ("b\0a\0" -> "/a/b").
std::string JoinLeafFirst(std::span<const uint8_t> bytes);

class RecordDecoder {
 public:
  // boot_to_realtime_ns: CLOCK_REALTIME minus CLOCK_BOOTTIME, added to stamps.
  explicit RecordDecoder(int64_t boot_to_realtime_ns = 0);

  // Fills `evt` and `facts` from one record. kParseError when the record is
  // malformed; `evt` is then unspecified. Events are numbered from 1. A
  // record without a stamp (ts 0: one only the state tables read) gets the
  // time of the record before it.
  core::Status Decode(std::span<const uint8_t> record, Event& evt, KernelFacts& facts);

  uint64_t decoded() const { return next_num_ - 1; }

 private:
  int64_t offset_ns_;
  uint64_t next_num_ = 1;
  // The last stamped record's time; at first the decoder's creation, so an
  // unstamped record is never dated after it happened.
  uint64_t last_ts_ns_;
};

// The offset RecordDecoder wants, measured now.
int64_t BootToRealtimeOffsetNs();

}  // namespace bulwark::runtime::sensor
