// Reads one layer tar (plain, gzip or zstd; libarchive detects which) in a
// single pass: every entry's metadata is recorded with its path normalised
// into the root, whiteouts are kept as markers for the merge, and the data
// of the files `wants` selects is captured; all other data is skipped
// unread. Entries that try to leave the root are normalised and noted.
// Not thread-safe; one ReadSession per image being opened.
#pragma once

#include <archive.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "image/capture_store.hpp"
#include "image/file_view.hpp"
#include "image/image_source.hpp"
#include "image/notes.hpp"

namespace bulwark::image {

constexpr uint32_t kNoIndex = UINT32_MAX;

struct LayerEntry {
  enum class Kind : uint8_t {
    kFile,      // any real entry (file, dir, link, device...)
    kWhiteout,  // ".wh.NAME": entry.path is the hidden path
    kOpaque,    // ".wh..wh..opq": entry.path is the directory emptied ("" = root)
  };
  FileEntry entry;
  Kind kind = Kind::kFile;
  CaptureId capture = kNoCapture;  // regular files whose data was kept
  uint32_t link_index = kNoIndex;  // hardlinks: the target's index in this layer
};

struct LayerContents {
  std::vector<LayerEntry> entries;
  uint64_t tar_bytes = 0;  // uncompressed size
};

// State shared by all layers of one image.
struct ReadSession {
  const OpenOptions& options;
  CaptureStore& store;
  NoteList& notes;
  uint64_t entries = 0;  // over all layers, against limits.max_entries
};

// Reads the already opened layer archive `a` to its end. `name` says which
// layer in messages ("lab.tar: layer 3 (blobs/sha256/...)"); `layer` is the
// index given to entries (-1 when not yet known). Errors: damaged or
// truncated tar (kParseError), a limit exceeded (kTooLarge).
core::Result<LayerContents> ReadLayer(archive* a, const std::string& name, int layer, ReadSession& session);

// True if `path` is absolute or a ".." in it climbs above the root.
bool LeavesRoot(std::string_view path);

}  // namespace bulwark::image
