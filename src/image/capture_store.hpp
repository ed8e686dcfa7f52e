// CaptureStore: the content of the files a cataloger asked for, captured
// while a layer streams past. Small files stay in memory; larger ones go to
// a private temp directory (mkdtemp, mode 0700) under names we generate
// ("c17"), never the archive's paths. The directory and everything in it is
// removed by the destructor. Limits (ImageLimits): one file at most
// max_capture_file bytes, all captures together max_capture_total.
//
// Capturing and Release happen while the image is built (one thread); Read
// is const and safe from several threads afterwards.
#pragma once

#include <archive.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "image/image_source.hpp"

namespace bulwark::image {

using CaptureId = uint32_t;
constexpr CaptureId kNoCapture = UINT32_MAX;

class CaptureStore {
 public:
  // `parent` empty: $TMPDIR, else /tmp. The directory is made on first need.
  CaptureStore(std::filesystem::path parent, const ImageLimits& limits);
  ~CaptureStore();
  CaptureStore(const CaptureStore&) = delete;
  CaptureStore& operator=(const CaptureStore&) = delete;

  // Captures the data of archive `a`'s current entry, which declares `size`
  // bytes. Errors say why nothing was kept (kTooLarge, kIoError); the entry's
  // data is then partly or wholly unread, which libarchive skips.
  core::Result<CaptureId> CaptureEntry(archive* a, uint64_t size);
  // Frees content no entry of the final view refers to.
  void Release(CaptureId id);

  core::Result<std::string> Read(CaptureId id, uint64_t max_bytes) const;
  uint64_t total_bytes() const { return total_; }
  size_t count() const { return slots_.size(); }
  // The private directory; empty until a capture needed it.
  const std::filesystem::path& dir() const { return dir_; }

 private:
  struct Slot {
    std::string memory;
    uint64_t size = 0;
    bool on_disk = false;
    bool released = false;
  };

  core::Status EnsureDir();
  core::Status CaptureToFile(archive* a, uint64_t size, CaptureId id);
  static std::string FileName(CaptureId id) {
    std::string name(1, 'c');  // not "c" + ...: GCC 12 warns falsely (-Wrestrict)
    name += std::to_string(id);
    return name;
  }

  std::filesystem::path parent_;
  ImageLimits limits_;
  std::filesystem::path dir_;
  int dir_fd_ = -1;
  std::vector<Slot> slots_;
  uint64_t total_ = 0;
};

}  // namespace bulwark::image
