// The per-syscall hook of the sensor: one BPF program attached to
// syscalls:sys_exit_<name> of each interesting syscall, kept in step with
// the interesting set. A syscall with no such tracepoint (the kernel was
// built without it, e.g. module loading without CONFIG_MODULES) cannot be
// seen this way: Sync() lists it so the user can be told, or choose the
// raw_syscalls hook instead.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

struct bpf_program;
struct bpf_link;

namespace bulwark::runtime::sensor {

// The tracefs events directory, mounting tracefs at /sys/kernel/tracing
// when neither it nor debugfs's copy is there; "" when there is none (no
// CONFIG_FTRACE_SYSCALLS, or the mount was refused), with `why` set.
std::string SyscallEventsDir(std::string& why);

// The name of syscall `nr`'s tracepoints (sys_exit_<name>): the event
// type's name, except where the kernel's differs (umount2 -> umount).
std::string TracepointSyscallName(uint16_t nr);

class SyscallTracepoints {
 public:
  SyscallTracepoints(bpf_program* program, std::string events_dir)
      : program_(program), events_dir_(std::move(events_dir)) {}
  ~SyscallTracepoints();
  SyscallTracepoints(const SyscallTracepoints&) = delete;
  SyscallTracepoints& operator=(const SyscallTracepoints&) = delete;

  // Attaches the program to the exit tracepoint of every syscall in
  // `wanted` and detaches it from the others. Syscalls without one are
  // left out and listed by Untraced().
  core::Status Sync(const std::vector<uint16_t>& wanted);
  const std::vector<std::string>& Untraced() const { return untraced_; }
  size_t Attached() const { return links_.size(); }

 private:
  bpf_program* program_;
  std::string events_dir_;
  std::map<uint16_t, bpf_link*> links_;
  std::vector<std::string> untraced_;
};

}  // namespace bulwark::runtime::sensor
