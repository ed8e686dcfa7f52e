// The evidence directory of one containment: created fresh with mode 0700
// (an existing directory, file or symlink at that path is refused, never
// followed), and every file in it created fresh (O_EXCL, O_NOFOLLOW, 0600)
// through the directory's descriptor and described by its SHA-256 and size
// (hashing shared with triage, respond/hashes.hpp). Also a tiny owning file
// descriptor. Not thread-safe: one run owns one directory.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.hpp"
#include "respond/contain_types.hpp"

namespace bulwark::respond {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { Reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.Release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int Release();
  void Reset();

 private:
  int fd_ = -1;
};

// "errno text" for messages: "<what>: <strerror>".
core::Status ErrnoError(std::string_view what, int err);

class EvidenceDir {
 public:
  // Creates the missing parents (0700) and then `path` itself, which must
  // not exist yet.
  static core::Result<EvidenceDir> Create(const std::string& path);

  int fd() const { return fd_.get(); }
  const std::string& path() const { return path_; }

  // A fresh sub-directory (0700), `rel` relative to the evidence directory.
  core::Status MakeDir(const std::string& rel);
  // Writes `data` into a fresh file `rel` and describes it.
  core::Result<EvidenceFile> WriteFile(const std::string& rel, std::string_view data);
  // A fresh file `rel` open for writing (0600), for streamed bodies.
  core::Result<UniqueFd> CreateFile(const std::string& rel);
  // Copies at most `max_bytes` from `source` (read to its end) into a fresh
  // file `rel`; kTooLarge (and no file kept) beyond.
  core::Result<EvidenceFile> CopyFrom(int source, const std::string& rel, uint64_t max_bytes);
  // SHA-256 and size of a file already written.
  core::Result<EvidenceFile> Describe(const std::string& rel) const;

 private:
  EvidenceDir(std::string path, UniqueFd fd) : path_(std::move(path)), fd_(std::move(fd)) {}

  std::string path_;
  UniqueFd fd_;
};

// Writes all of `data` to `fd`; false with errno set on failure.
bool WriteAll(int fd, const char* data, size_t size);

}  // namespace bulwark::respond
