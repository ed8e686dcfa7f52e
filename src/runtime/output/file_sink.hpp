// `-o FILE`: appends one line per alert to a file, safe to rotate.
//
// The file is opened O_WRONLY|O_APPEND|O_CREAT|O_CLOEXEC, created with mode
// 0600 (an existing file keeps its mode and owner). Each alert is one
// write(2) of a whole line: nothing is buffered in the process, so a line is
// in the file (the page cache) when Write returns.
//
// Rotation (logrotate's default "move and create", or "move" then SIGHUP):
// before each write the sink reopens the path when
//   - a reopen was requested (RequestFileSinkReopen, e.g. from SIGHUP), or
//   - the path now names another file than the one held open (device/inode
//     differ) or no file at all.
// A failed write or reopen is returned as an error; the next Write retries.
//
// Thread-compatible (the watch loop); RequestFileSinkReopen is
// async-signal-safe and may be called from any thread or a signal handler.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "runtime/output/alert_format.hpp"
#include "runtime/output/fd.hpp"
#include "runtime/output/sink.hpp"

namespace bulwark::runtime::output {

class FileSink final : public AlertSink {
 public:
  // Opens (creating) the file now so a bad path is reported at start.
  static core::Result<std::unique_ptr<FileSink>> Open(std::filesystem::path path,
                                                      AlertFormat format);

  const std::string& Name() const override { return name_; }
  core::Status Write(const Alert& alert) override;
  core::Status Close() override;

  // How many times the file was reopened (rotation seen); for tests and logs.
  uint64_t reopen_count() const { return reopens_; }

 private:
  FileSink(std::filesystem::path path, AlertFormat format)
      : path_(std::move(path)), format_(format) {}
  core::Status OpenFile();
  core::Status ReopenIfRotated();

  std::filesystem::path path_;
  AlertFormat format_;
  std::string name_ = "file";
  UniqueFd fd_;
  uint64_t dev_ = 0, ino_ = 0;
  uint64_t seen_generation_ = 0;
  uint64_t reopens_ = 0;
};

// Asks every FileSink to reopen its file before its next write.
// Async-signal-safe.
void RequestFileSinkReopen();

// Installs a SIGHUP handler that calls RequestFileSinkReopen (SA_RESTART).
// For the CLI; a program that wants SIGHUP for more should call
// RequestFileSinkReopen from its own handler instead.
core::Status InstallSighupReopen();

}  // namespace bulwark::runtime::output
