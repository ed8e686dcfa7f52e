#include "web/alert_tail.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "web/alert_parse.hpp"

namespace bulwark::web {

AlertTail::AlertTail(std::filesystem::path path, AlertStore& store,
                     std::chrono::milliseconds interval)
    : path_(std::move(path)), store_(store), interval_(interval) {}

AlertTail::~AlertTail() {
  Stop();
  Close();
}

void AlertTail::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  offset_ = 0;
  pending_.clear();
  skipping_long_ = false;
}

void AlertTail::Start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      Poll();
      lock.lock();
      cv_.wait_for(lock, interval_, [this] { return stop_; });
    }
  });
}

void AlertTail::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

size_t AlertTail::Poll() {
  size_t added = 0;
  struct stat at_path {};
  const bool exists = ::stat(path_.c_str(), &at_path) == 0;
  if (fd_ >= 0) {
    struct stat open_file {};
    if (::fstat(fd_, &open_file) == 0 && static_cast<uint64_t>(open_file.st_size) < offset_) {
      // Truncated in place: start over.
      ::lseek(fd_, 0, SEEK_SET);
      offset_ = 0;
      pending_.clear();
      skipping_long_ = false;
    }
    added += ReadFrom(fd_);
    const bool rotated = exists && (static_cast<uint64_t>(at_path.st_ino) != inode_ ||
                                    static_cast<uint64_t>(at_path.st_dev) != device_);
    if (!rotated) return added;
    Close();  // the old file was read to its end above
  }
  if (!exists) return added;
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd_ < 0) return added;
  struct stat opened {};
  if (::fstat(fd_, &opened) != 0 || !S_ISREG(opened.st_mode)) {
    Close();
    return added;
  }
  inode_ = opened.st_ino;
  device_ = opened.st_dev;
  return added + ReadFrom(fd_);
}

size_t AlertTail::ReadFrom(int fd) {
  size_t added = 0;
  char buf[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    offset_ += static_cast<uint64_t>(n);
    pending_.append(buf, static_cast<size_t>(n));
    added += TakeLines();
  }
  return added;
}

size_t AlertTail::TakeLines() {
  size_t added = 0;
  size_t start = 0;
  for (size_t nl; (nl = pending_.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string_view line(pending_.data() + start, nl - start);
    if (skipping_long_) {
      skipping_long_ = false;
      continue;
    }
    if (line.empty()) continue;
    core::Result<runtime::Alert> alert = ParseAlertLine(line);
    if (alert.ok()) {
      store_.Add(*alert);
      ++added;
      alerts_read_.fetch_add(1);
    } else {
      lines_skipped_.fetch_add(1);
    }
  }
  pending_.erase(0, start);
  if (pending_.size() > kMaxAlertLineBytes) {
    // A line over the bound: drop what is held and the rest of it.
    pending_.clear();
    if (!skipping_long_) lines_skipped_.fetch_add(1);
    skipping_long_ = true;
  }
  return added;
}

}  // namespace bulwark::web
