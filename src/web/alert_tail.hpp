// Follows a JSON-lines alert file (`bulwark watch -o FILE`) for `bulwark
// serve --alerts FILE`: reads it from the start, then polls for appended
// lines, as `tail -F` does. A rotated file (a new inode at the path) is
// read to its end and then the new one from its start; a truncated file
// (smaller than the offset read) is read again from its start; a missing
// file is waited for. Lines that do not parse as alerts are counted and
// skipped; a line longer than kMaxAlertLineBytes is skipped whole.
//
// Thread-safe: Start runs the poller on its own thread; Stop joins it.
// Poll (one pass) is public for tests and must not race a running thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

#include "web/alert_store.hpp"

namespace bulwark::web {

class AlertTail {
 public:
  AlertTail(std::filesystem::path path, AlertStore& store,
            std::chrono::milliseconds interval = std::chrono::milliseconds(200));
  ~AlertTail();
  AlertTail(const AlertTail&) = delete;
  AlertTail& operator=(const AlertTail&) = delete;

  void Start();
  void Stop();
  // Reads what was appended since the last pass; returns alerts added.
  size_t Poll();

  uint64_t alerts_read() const { return alerts_read_.load(); }
  uint64_t lines_skipped() const { return lines_skipped_.load(); }

 private:
  size_t ReadFrom(int fd);
  size_t TakeLines();
  void Close();

  const std::filesystem::path path_;
  AlertStore& store_;
  const std::chrono::milliseconds interval_;
  // Owned by the polling thread (or the test calling Poll).
  int fd_ = -1;
  uint64_t inode_ = 0;
  uint64_t device_ = 0;
  uint64_t offset_ = 0;
  std::string pending_;       // a partial last line
  bool skipping_long_ = false;  // inside a line over the bound
  std::atomic<uint64_t> alerts_read_{0};
  std::atomic<uint64_t> lines_skipped_{0};
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
};

}  // namespace bulwark::web
