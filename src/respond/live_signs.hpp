// The process-level signs of `bulwark triage PID`: a process dressed as a
// kernel thread while it runs a file, an executable that was deleted or
// lives in a temporary or hidden directory, memfd / anonymous / writable
// executable memory, a connection to a mining-pool port or a stratum URL
// in its command line, an executable that is not part of its container's
// image. Each sign names a signal of the scoring table (verdict.cpp),
// where the weights and ATT&CK techniques live. Pure; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "respond/live_types.hpp"

namespace bulwark::respond {

// A kernel thread's name (kworker/0:1, ksoftirqd/0, kthreadd, migration/1,
// rcu_sched, ...), or any name in brackets as ps shows kernel threads.
bool LooksLikeKernelThreadName(std::string_view name);
// Under /tmp, /var/tmp, /dev/shm, /run/shm or /dev/mqueue.
bool IsTempPath(std::string_view path);
// A component of the path (not the file name) starts with '.'.
bool IsInHiddenDir(std::string_view path);
// Well-known stratum ports of mining pools (3333, 4444, 5555, 7777, 14444, ...).
bool IsMiningPort(int port);

std::vector<ProcessSign> ProcessSigns(const ProcessFacts& p);

}  // namespace bulwark::respond
