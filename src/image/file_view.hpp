// FileView: the merged filesystem of an image (all layers applied in order,
// whiteouts removed) or of a root directory, as the SBOM catalogers see it.
//
// The view holds every entry's metadata (path, type, mode, size, link
// target, the layer that last wrote it) but content only for the files a
// cataloger asked for when the image was opened (see image_source.hpp), or
// lazily from disk for `dir:` sources. Paths are normalised: relative to the
// image root, no leading '/', no "." or ".." components, '/'-separated
// ("usr/lib/os-release"). A view is immutable once built and safe to read
// from several threads.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace bulwark::image {

enum class FileType { kRegular, kDirectory, kSymlink, kHardlink, kOther };

struct FileEntry {
  std::string path;         // normalised, see above
  FileType type = FileType::kRegular;
  uint32_t mode = 0;        // permission bits incl. setuid/setgid/sticky (07777)
  uint64_t size = 0;        // regular files; 0 otherwise
  std::string link_target;  // symlinks: as stored; hardlinks: normalised path of the target
  int layer = -1;           // index into ImageInfo::layers; -1 for dir: sources
};

// Reads an entry's content, at most max_bytes (an error if the file is
// larger). Captured content lives in memory or in the image's private temp
// directory; dir: sources read the file on disk.
using ContentReader = std::function<core::Result<std::string>(uint64_t max_bytes)>;

class FileView {
 public:
  // Building (image sources and tests). Adding a path twice replaces it.
  void Add(FileEntry entry, ContentReader content = nullptr);
  // Sorts the entries; call once after the last Add and before any lookup.
  void Finish();

  // Every entry, sorted by path.
  const std::vector<FileEntry>& Entries() const { return entries_; }
  // The entry at exactly this (normalised) path, or nullptr.
  const FileEntry* Find(std::string_view path) const;
  // Like Find, but follows symlinks (in every component, at most 40 hops),
  // never leaving the root: "/.." stays at the root. nullptr if dangling.
  const FileEntry* Resolve(std::string_view path) const;
  // Entries strictly below directory `dir` ("" = everything), in path order.
  std::vector<const FileEntry*> Under(std::string_view dir) const;

  // Content of a regular file (hardlinks resolved). Errors: not captured
  // ("not read: no cataloger asked for it"), larger than max_bytes, I/O.
  core::Result<std::string> Read(const FileEntry& entry, uint64_t max_bytes = kDefaultMaxRead) const;
  bool HasContent(const FileEntry& entry) const;

  static constexpr uint64_t kDefaultMaxRead = 64ull << 20;

 private:
  std::vector<FileEntry> entries_;
  std::vector<ContentReader> contents_;  // parallel to entries_
  bool finished_ = false;
};

// "./usr//lib/../bin/" -> "usr/bin"; ".." never climbs above the root.
std::string NormalisePath(std::string_view path);

}  // namespace bulwark::image
