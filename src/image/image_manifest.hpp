// The JSON documents that describe an image: docker save's manifest.json,
// the OCI index.json / image index / image manifest, and the image config.
// They turn into a plan (which blob is the config, which are the layers, in
// order) and into ImageInfo fields. All of it is untrusted: parse failures
// are errors naming the document, unknown fields are ignored, blob paths
// come only from validated digests. Stateless functions.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "image/image_source.hpp"
#include "image/notes.hpp"

namespace bulwark::image {

struct LayerRef {
  std::string path;    // inside the archive or layout: "blobs/sha256/<hex>", "<id>/layer.tar"
  std::string digest;  // "sha256:..." when known from the document
  uint64_t size = 0;   // from the document; 0 when it does not say
};

struct ManifestPlan {
  std::string config_path;
  std::string config_digest;  // "sha256:..."; empty when unknown
  std::vector<LayerRef> layers;
  std::vector<std::string> repo_tags;
};

// Reads a blob or file by its path in the archive or layout.
using DocumentFetcher = std::function<core::Result<std::string>(const std::string& path)>;

// docker save's manifest.json: the first image (a note when there are more).
core::Result<ManifestPlan> ParseDockerManifest(std::string_view text, const std::string& where,
                                               const ImageLimits& limits, NoteList& notes);

// An OCI index.json: picks the linux/amd64 manifest (or the only one),
// following nested indexes, and reads it through `fetch`.
core::Result<ManifestPlan> ResolveOciIndex(std::string_view text, const std::string& where,
                                           const DocumentFetcher& fetch, const ImageLimits& limits,
                                           NoteList& notes);

// Fills os, architecture, and each layer's diff_id and created_by (history
// entries marked empty_layer are skipped when aligning) from the config.
// `info.layers` must already hold one element per layer.
core::Status ApplyImageConfig(std::string_view text, const std::string& where, ImageInfo& info,
                              NoteList& notes);

// "sha256:<64 hex>" or "sha512:<128 hex>" -> "blobs/sha256/<hex>"; nullopt
// for anything else, so a digest can never name a path outside blobs/.
std::optional<std::string> BlobPath(std::string_view digest);

// "blobs/sha256/<hex>" or "<hex>.json" -> "sha256:<hex>"; empty otherwise.
std::string DigestFromPath(std::string_view path);

}  // namespace bulwark::image
