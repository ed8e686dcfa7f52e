#include "runtime/output/file_sink.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>

namespace bulwark::runtime::output {
namespace {

// Bumped by RequestFileSinkReopen; each sink compares it with the value it saw.
std::atomic<uint64_t> g_reopen_generation{0};
static_assert(std::atomic<uint64_t>::is_always_lock_free,
              "the reopen request must be async-signal-safe");

void OnSighup(int /*signo*/) { RequestFileSinkReopen(); }

}  // namespace

void RequestFileSinkReopen() { g_reopen_generation.fetch_add(1, std::memory_order_relaxed); }

core::Status InstallSighupReopen() {
  struct sigaction action = {};
  action.sa_handler = OnSighup;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  if (sigaction(SIGHUP, &action, nullptr) != 0) return ErrnoStatus("sigaction(SIGHUP)", errno);
  return core::Status::Ok();
}

core::Result<std::unique_ptr<FileSink>> FileSink::Open(std::filesystem::path path,
                                                       AlertFormat format) {
  std::unique_ptr<FileSink> sink(new FileSink(std::move(path), format));
  RETURN_IF_ERROR(sink->OpenFile());
  return sink;
}

core::Status FileSink::OpenFile() {
  seen_generation_ = g_reopen_generation.load(std::memory_order_relaxed);
  int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoStatus("cannot open alert file " + path_.string(), errno);
  fd_.Reset(fd);
  struct stat st = {};
  if (::fstat(fd, &st) != 0) return ErrnoStatus("fstat " + path_.string(), errno);
  dev_ = st.st_dev;
  ino_ = st.st_ino;
  return core::Status::Ok();
}

core::Status FileSink::ReopenIfRotated() {
  bool reopen = !fd_.valid() ||
                g_reopen_generation.load(std::memory_order_relaxed) != seen_generation_;
  if (!reopen) {
    struct stat st = {};
    // Moved away or replaced: the name no longer leads to our inode.
    reopen = ::stat(path_.c_str(), &st) != 0 || st.st_dev != dev_ || st.st_ino != ino_;
  }
  if (!reopen) return core::Status::Ok();
  ++reopens_;
  fd_.Reset();
  return OpenFile();
}

core::Status FileSink::Write(const Alert& alert) {
  RETURN_IF_ERROR(ReopenIfRotated());
  std::string line = FormatAlert(alert, format_);
  line.push_back('\n');
  core::Status status = WriteAll(fd_.get(), line, path_.string());
  // After an error (disk full, a file system gone) start over with a fresh
  // descriptor on the next alert.
  if (!status.ok()) fd_.Reset();
  return status;
}

core::Status FileSink::Close() {
  fd_.Reset();
  return core::Status::Ok();
}

}  // namespace bulwark::runtime::output
