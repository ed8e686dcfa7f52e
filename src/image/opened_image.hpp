// OpenedImage: the Image every source returns, plus the entry points of the
// sources (image_source.cpp dispatches to them). Content readers in the view
// hold weak references to what backs them (the capture store, the rootfs
// directory), which the image owns: once the image is destroyed its temp
// directory is gone, and a reader kept past that fails cleanly instead of
// touching freed memory. Immutable once built; safe to read from threads.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/status.hpp"
#include "image/capture_store.hpp"
#include "image/image_source.hpp"

namespace bulwark::image {

class OpenedImage final : public Image {
 public:
  // `owner` keeps the readers' backing store alive (see above).
  OpenedImage(ImageInfo info, FileView files, std::vector<std::string> notes,
              std::shared_ptr<const void> owner)
      : info_(std::move(info)),
        files_(std::move(files)),
        notes_(std::move(notes)),
        owner_(std::move(owner)) {}

  const ImageInfo& Info() const override { return info_; }
  const FileView& Files() const override { return files_; }
  const std::vector<std::string>& Notes() const override { return notes_; }

 private:
  ImageInfo info_;
  FileView files_;
  std::vector<std::string> notes_;
  std::shared_ptr<const void> owner_;
};

// Content readers over a capture store the image owns (weakly held).
inline ContentReader CaptureReader(const std::weak_ptr<const CaptureStore>& store, CaptureId id) {
  return [store, id](uint64_t max_bytes) -> core::Result<std::string> {
    auto locked = store.lock();
    if (!locked) return core::Error(core::ErrorCode::kUnavailable, "the image was closed");
    return locked->Read(id, max_bytes);
  };
}

// The sources. `reference` is the spec without its prefix.
core::Result<std::unique_ptr<Image>> OpenDockerArchive(const std::string& reference,
                                                       const OpenOptions& options);
core::Result<std::unique_ptr<Image>> OpenOciDir(const std::string& reference, const OpenOptions& options);
core::Result<std::unique_ptr<Image>> OpenRootfsDir(const std::string& reference, const OpenOptions& options);
core::Result<std::unique_ptr<Image>> OpenDaemonImage(const std::string& reference,
                                                     const OpenOptions& options);

}  // namespace bulwark::image
