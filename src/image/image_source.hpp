// Opening an image for cataloging: `docker-archive:FILE.tar[.gz|.zst]`,
// `oci-dir:DIR`, `dir:ROOTFS`, or a name/ID known to the local Docker daemon
// (exported through the Engine API and streamed, never copied whole).
//
// Images are untrusted. Layers are read with libarchive in one pass each and
// merged in manifest order with whiteouts (".wh.NAME" hides NAME,
// ".wh..wh..opq" empties the directory) applied. Only files the caller's
// `wants` predicate selects get their content captured (in memory when
// small, otherwise in a private temp directory under names we choose; the
// archive's paths never reach the filesystem). Path traversal, absolute
// paths, links that leave the root, oversized or bomb-like entries and
// truncated archives are rejected or bounded with a note naming the entry;
// none of them crash or write outside the temp directory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "image/file_view.hpp"

namespace bulwark::image {

struct LayerInfo {
  std::string digest;      // "sha256:..." of the blob as stored (may be compressed)
  std::string diff_id;     // "sha256:..." of the uncompressed tar, from the config
  std::string created_by;  // from the config history, when present
  uint64_t size = 0;       // bytes of the blob
};

struct ImageInfo {
  std::string source;     // "docker-archive" | "oci-dir" | "dir" | "daemon"
  std::string reference;  // as the user wrote it, without the source prefix
  std::string id;         // config digest "sha256:..." (empty for dir:)
  std::vector<std::string> repo_tags;
  std::vector<std::string> repo_digests;
  std::string os;
  std::string architecture;
  std::vector<LayerInfo> layers;
  std::string config_json;  // the raw image config, for renderers that want it
};

struct ImageLimits {
  uint64_t max_capture_file = 512ull << 20;      // one captured file
  uint64_t max_capture_total = 4ull << 30;       // all captured content
  uint64_t max_memory_capture_file = 1ull << 20; // larger captures go to the temp dir
  uint64_t max_entries = 5'000'000;              // entries over all layers
  uint64_t max_layer_bytes = 64ull << 30;        // uncompressed bytes per layer (bombs)
  uint64_t max_json_bytes = 16ull << 20;         // manifest, index, config documents
  int max_layers = 1000;
};

struct OpenOptions {
  // Which files' content to capture; called for every regular file and
  // hardlink of every layer with the entry's normalised path, mode and size.
  // entry.layer is -1 when the layer order is not known yet (compressed
  // archives and daemon streams, whose manifest comes last); it is always
  // set in the final view. nullptr captures nothing.
  std::function<bool(const FileEntry&)> wants;
  ImageLimits limits;
  std::string docker_socket = "/var/run/docker.sock";  // for daemon images
  std::filesystem::path temp_parent;                    // default: $TMPDIR or /tmp
};

// An opened image. Owns the temp directory holding captured content, which
// is removed when the Image is destroyed.
class Image {
 public:
  virtual ~Image() = default;
  virtual const ImageInfo& Info() const = 0;
  virtual const FileView& Files() const = 0;
  // Problems met while reading that did not stop it (skipped entries,
  // bounded captures), each naming the layer and the entry.
  virtual const std::vector<std::string>& Notes() const = 0;
};

// Parses the IMAGE argument and opens it. A spec without a known prefix is a
// daemon image name or ID. Errors name the input and say what to do.
core::Result<std::unique_ptr<Image>> OpenImage(std::string_view spec, const OpenOptions& options);

}  // namespace bulwark::image
