// docker save archives: the legacy layout (manifest.json, <id>.json config,
// <id>/layer.tar) and the OCI-style one of Docker 25+ (index.json, blobs/),
// plain or compressed as a whole. The outer tar is read in ONE sequential
// pass (a pipe from the daemon cannot be rewound): manifest.json often comes
// last, so every candidate layer is read as it streams past, nested in the
// outer reader without extraction, and the layers are merged at the end in
// manifest order. For a plain tar file a header-only pre-pass (seeks, no
// data read) finds the manifest first, so only the image's own layers are
// read and `wants` sees each entry's layer index; without it entry.layer is
// -1 in `wants`. Not thread-safe.
#pragma once

#include <archive.h>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/status.hpp"
#include "image/image_manifest.hpp"
#include "image/image_source.hpp"
#include "image/layer_reader.hpp"
#include "image/notes.hpp"

namespace bulwark::image {

struct ArchivePassOutput {
  std::unordered_map<std::string, std::string> documents;    // JSON by path
  std::unordered_map<std::string, core::Status> unreadable;  // documents or layers that failed
  std::unordered_map<std::string, LayerContents> layers;     // by path
  std::unordered_map<std::string, uint64_t> sizes;           // stored size of every file
  std::unordered_map<std::string, std::string> aliases;      // links between outer entries
};

// One pass over the opened outer archive. `plan` (from the pre-pass) limits
// the reading to its layers and config; without it every entry that may be
// a layer is read. `plain_fd` >= 0 says the outer archive is an uncompressed
// tar read from that file descriptor: layers are then read from the file
// directly, skipping unwanted data without reading it. Errors: the outer
// archive is damaged or truncated, a limit was hit.
core::Status RunArchivePass(archive* outer, const std::string& name, const ManifestPlan* plan, int plain_fd,
                            ReadSession& session, ArchivePassOutput& out);

// Follows `aliases` (symlinks and hard links between outer entries).
std::string ResolveAlias(const std::unordered_map<std::string, std::string>& aliases,
                         const std::string& path);

// Reads a docker save archive from `outer` (opened by the caller: file,
// daemon stream, memory) into an image. `info` comes with source and
// reference set; `plan` and `notes` from the pre-pass, if one ran;
// `plain_fd` as for RunArchivePass.
core::Result<std::unique_ptr<Image>> ReadDockerArchive(archive* outer, const std::string& name,
                                                       ImageInfo info, const OpenOptions& options,
                                                       std::optional<ManifestPlan> plan, NoteList notes,
                                                       int plain_fd = -1);

}  // namespace bulwark::image
