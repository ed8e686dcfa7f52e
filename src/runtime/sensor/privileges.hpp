// Dropping privileges once the sensor is loaded and attached: every
// capability except what the running sensor still needs leaves the
// effective, permitted, inheritable, ambient and bounding sets. What is kept
// and why (docs/sensor.md):
//   CAP_BPF, CAP_PERFMON   BPF map access and re-attaching programs
//                          (SetEventTypes writes the syscall table)
//   CAP_SYS_RESOURCE       memlock/rlimit headroom for BPF maps on kernels
//                          without memcg accounting
//   CAP_SYS_PTRACE         /proc/<pid>/{exe,cwd,root,environ,fd} of other
//                          users' processes (ptrace access mode checks)
//   CAP_DAC_READ_SEARCH    reading /proc/<pid>/root/etc/passwd and /proc
//                          entries of processes whose files are not
//                          world-readable (a container's /etc may be 0700)
// The Docker socket needs no capability: the sensor keeps uid 0, which owns
// it. Process-wide; call once from the main thread before other threads start.
#pragma once

#include <string>
#include <vector>

#include "core/status.hpp"

namespace bulwark::runtime::sensor {

// The capability names kept by DropPrivileges() by default.
std::vector<std::string> SensorCapabilities();

// Drops every capability not named in `keep` ("cap_bpf", ...). Names this
// process does not hold are skipped. Returns the names actually kept.
core::Result<std::vector<std::string>> DropPrivileges(const std::vector<std::string>& keep = SensorCapabilities());

// The names of the capabilities in this process's effective set.
std::vector<std::string> EffectiveCapabilities();

}  // namespace bulwark::runtime::sensor
