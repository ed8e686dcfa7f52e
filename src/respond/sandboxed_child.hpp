// Runs a piece of work that parses hostile input (libmagic on the triaged
// file) in a forked child process, so that a crash, a hang or runaway memory
// in that parser costs an answer and never the caller. The child gets
// rlimits (CPU, address space, no core file, few descriptors), no new
// privileges, dies with its parent, and returns at most kMaxAnswerBytes of
// text through a pipe; the parent kills it at the deadline.
//
// The work runs after fork() in a copy of the caller: call this from a
// single-threaded point (a lock held by another thread at fork time would
// block the child until the deadline kills it: no answer, never a hang of
// the caller). Each call is independent; thread-compatible.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "core/status.hpp"

namespace bulwark::respond {

inline constexpr size_t kMaxAnswerBytes = 1024;

struct SandboxLimits {
  std::chrono::milliseconds deadline{3000};  // wall clock; then SIGKILL
  unsigned cpu_seconds = 2;                  // RLIMIT_CPU
  unsigned long long address_space = 512ull << 20;  // RLIMIT_AS (skipped under ASan)
  unsigned open_files = 16;                  // RLIMIT_NOFILE
};

// What the child does: an answer, or an error whose message the parent
// reports. It may crash, hang or allocate without bound: that is the point.
using SandboxWork = std::function<core::Result<std::string>()>;

// The child's answer (at most kMaxAnswerBytes, trailing newlines removed).
// kUnavailable with the reason when there is none: the child crashed, was
// killed at the deadline, failed, or answered nothing or binary garbage.
core::Result<std::string> RunSandboxed(const SandboxWork& work, const SandboxLimits& limits = {});

}  // namespace bulwark::respond
