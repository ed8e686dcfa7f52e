// A syscall-heavy workload for the `bulwark watch` overhead benchmark
// (bench/run-watch-overhead.sh): each iteration opens a file, reads it and
// closes it, opens a scratch file below /tmp for writing, writes it in place
// and closes it, and makes a socket it closes again: the calls a runtime
// sensor must report (openat, close, socket) between ones it drops in the
// kernel (read, pwrite). Nothing waits on the disk (the scratch file is
// never truncated), so this is the sensor's worst case: cheap syscalls only.
//
//   watch_workload --iterations N            as fast as possible; prints
//                                             "iterations=N seconds=S"
//   watch_workload --rate OPS --seconds S    paced at OPS iterations per
//                                             second for S seconds
//
// It never touches anything outside /tmp and /etc/hostname (read only).
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

namespace {

using Clock = std::chrono::steady_clock;

// One iteration: six reported syscalls (openat x2, close x3, socket) and
// two dropped in the kernel (read, pwrite).
bool Iterate(const char* scratch_path) {
  char buf[256];
  int fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  fd = open(scratch_path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  if (n > 0 && pwrite(fd, buf, static_cast<size_t>(n), 0) < 0) n = -1;
  close(fd);
  int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock >= 0) close(sock);
  return n >= 0;
}

int Usage() {
  std::fprintf(stderr, "usage: watch_workload --iterations N | --rate OPS --seconds S\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  long long iterations = 0;
  double rate = 0;
  double seconds = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--iterations") == 0) {
      iterations = std::atoll(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--rate") == 0) {
      rate = std::atof(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--seconds") == 0) {
      seconds = std::atof(argv[i + 1]);
    } else {
      return Usage();
    }
  }
  if (iterations <= 0 && (rate <= 0 || seconds <= 0)) return Usage();

  const std::string scratch = "/tmp/bulwark-watch-workload." + std::to_string(getpid());
  const int created = open(scratch.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (created < 0) {
    std::perror(scratch.c_str());
    return 1;
  }
  close(created);
  const Clock::time_point start = Clock::now();
  long long done = 0;
  if (iterations > 0) {
    for (; done < iterations; ++done) {
      if (!Iterate(scratch.c_str())) break;
    }
  } else {
    // Paced in 1 ms slices so the rate is even, not bursts once a second.
    const auto end = start + std::chrono::duration<double>(seconds);
    const double per_slice = rate / 1000.0;
    double owed = 0;
    auto next = start;
    while (Clock::now() < end) {
      owed += per_slice;
      for (; owed >= 1; owed -= 1, ++done) {
        if (!Iterate(scratch.c_str())) break;
      }
      next += std::chrono::milliseconds(1);
      std::this_thread::sleep_until(next);
    }
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  unlink(scratch.c_str());
  std::printf("iterations=%lld seconds=%.6f\n", done, elapsed);
  return done > 0 ? 0 : 1;
}
