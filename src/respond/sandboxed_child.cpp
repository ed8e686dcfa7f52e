#include "respond/sandboxed_child.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#if defined(__SANITIZE_ADDRESS__)
#define BULWARK_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BULWARK_UNDER_ASAN 1
#endif
#endif

namespace bulwark::respond {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kAnswerFd = 3;     // the only descriptor the child keeps besides 0-2
constexpr int kWorkFailed = 2;   // child exit status: the work returned an error

void Limit(int resource, rlim_t value, rlim_t hard_extra = 0) {
  struct rlimit limit {value, value + hard_extra};
  ::setrlimit(resource, &limit);  // best effort: a refused limit leaves the deadline
}

void WriteAll(int fd, const char* data, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    data += w;
    n -= static_cast<size_t>(w);
  }
}

// The child: confine, work, answer, _exit (no atexit handlers, no flushing
// of stdio buffers copied from the parent).
[[noreturn]] void ChildMain(int answer_fd, const SandboxWork& work, const SandboxLimits& limits) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() == 1) ::_exit(1);  // the parent died before the line above
  ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  if (answer_fd != kAnswerFd && ::dup2(answer_fd, kAnswerFd) < 0) ::_exit(1);
  ::close_range(kAnswerFd + 1, ~0U, 0);
  Limit(RLIMIT_CORE, 0);
  Limit(RLIMIT_CPU, limits.cpu_seconds, 1);  // SIGXCPU at the soft limit, SIGKILL a second later
  Limit(RLIMIT_NOFILE, limits.open_files);
#ifndef BULWARK_UNDER_ASAN  // ASan reserves terabytes of shadow address space
  Limit(RLIMIT_AS, limits.address_space);
#endif
  auto result = work();
  const std::string& text = result.ok() ? result.value() : result.status().message();
  WriteAll(kAnswerFd, text.data(), std::min(text.size(), kMaxAnswerBytes));
  ::_exit(result.ok() ? 0 : kWorkFailed);
}

// Reads up to kMaxAnswerBytes until end of file or the deadline; false at
// the deadline.
bool ReadAnswer(int fd, Clock::time_point deadline, std::string& out) {
  char buf[kMaxAnswerBytes];
  while (out.size() < kMaxAnswerBytes) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    struct pollfd pfd {fd, POLLIN, 0};
    int ready = ::poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) return false;
    if (ready < 0) return true;  // poll failed: the exit status decides
    ssize_t n = ::read(fd, buf, kMaxAnswerBytes - out.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;  // end of file (or an error: the exit status decides)
    out.append(buf, static_cast<size_t>(n));
  }
  return true;
}

enum class Reaped { kExited, kKilled, kLost };

// Waits for the child until the deadline, then kills it.
Reaped Reap(pid_t pid, Clock::time_point deadline, int& status) {
  while (true) {
    pid_t got = ::waitpid(pid, &status, WNOHANG);
    if (got == pid) return Reaped::kExited;
    // Reaped elsewhere (SIGCHLD ignored): the pid may be reused, never kill it.
    if (got < 0 && errno != EINTR) return Reaped::kLost;
    if (Clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ::kill(pid, SIGKILL);
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return Reaped::kKilled;
}

bool LooksLikeText(const std::string& s) {
  for (unsigned char c : s) {
    if (c < 0x20 && c != '\t' && c != '\n') return false;
  }
  return true;
}

core::Status NoAnswer(std::string why) { return core::Error(core::ErrorCode::kUnavailable, std::move(why)); }

}  // namespace

core::Result<std::string> RunSandboxed(const SandboxWork& work, const SandboxLimits& limits) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return NoAnswer(std::string("pipe: ") + std::strerror(errno));
  auto deadline = Clock::now() + limits.deadline;
  pid_t pid = ::fork();
  if (pid < 0) {
    int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return NoAnswer(std::string("fork: ") + std::strerror(err));
  }
  if (pid == 0) ChildMain(fds[1], work, limits);
  ::close(fds[1]);
  std::string answer;
  bool in_time = ReadAnswer(fds[0], deadline, answer);
  ::close(fds[0]);
  int status = 0;
  Reaped reaped = Reap(pid, in_time ? deadline : Clock::now(), status);
  if (reaped == Reaped::kLost) return NoAnswer("the child's exit status was lost");
  if (!in_time || reaped == Reaped::kKilled) {
    return NoAnswer("no answer within " + std::to_string(limits.deadline.count()) +
                    " ms; the child was killed");
  }
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    return NoAnswer(sig == SIGXCPU ? std::string("the child hit its CPU limit")
                                   : "the child died of signal " + std::to_string(sig));
  }
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (code == kWorkFailed) return NoAnswer("the child failed: " + answer);
  if (code != 0) return NoAnswer("the child exited with status " + std::to_string(code));
  while (!answer.empty() && answer.back() == '\n') answer.pop_back();
  if (answer.empty()) return NoAnswer("the child gave an empty answer");
  if (!LooksLikeText(answer)) return NoAnswer("the child answered binary garbage");
  return answer;
}

}  // namespace bulwark::respond
