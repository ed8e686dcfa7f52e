// Synthetic images for the image tests: layer tars written with libarchive's
// writer (plain, gzip or zstd), assembled into docker save archives (legacy
// or OCI-style, manifest first or last) and OCI layout directories. Digests
// are made-up hex strings: the readers do not verify them.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "test_support.hpp"

namespace bulwark::image::testing {

enum class Compression { kNone, kGzip, kZstd };

// Writes a tar (pax) into memory.
class TarWriter {
 public:
  explicit TarWriter(Compression compression = Compression::kNone) : a_(archive_write_new()) {
    archive_write_set_format_pax_restricted(a_);
    if (compression == Compression::kGzip) archive_write_add_filter_gzip(a_);
    if (compression == Compression::kZstd) archive_write_add_filter_zstd(a_);
    archive_write_set_bytes_in_last_block(a_, 1);
    archive_write_open2(a_, this, nullptr, &TarWriter::Append, nullptr, nullptr);
  }
  ~TarWriter() {
    if (a_ != nullptr) archive_write_free(a_);
  }
  TarWriter(const TarWriter&) = delete;
  TarWriter& operator=(const TarWriter&) = delete;

  TarWriter& File(const std::string& path, const std::string& content, int mode = 0644) {
    archive_entry* e = Entry(path, AE_IFREG, mode);
    archive_entry_set_size(e, static_cast<la_int64_t>(content.size()));
    archive_write_header(a_, e);
    if (!content.empty()) archive_write_data(a_, content.data(), content.size());
    archive_entry_free(e);
    return *this;
  }
  // A file of `size` copies of `fill`, written in chunks (for big and bomb entries).
  TarWriter& Filled(const std::string& path, uint64_t size, char fill = '\0') {
    archive_entry* e = Entry(path, AE_IFREG, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(size));
    archive_write_header(a_, e);
    std::string chunk(1 << 16, fill);
    for (uint64_t done = 0; done < size; done += chunk.size()) {
      archive_write_data(a_, chunk.data(),
                         static_cast<size_t>(std::min<uint64_t>(chunk.size(), size - done)));
    }
    archive_entry_free(e);
    return *this;
  }
  TarWriter& Dir(const std::string& path, int mode = 0755) { return Plain(path, AE_IFDIR, mode); }
  TarWriter& Fifo(const std::string& path) { return Plain(path, AE_IFIFO, 0644); }
  TarWriter& Symlink(const std::string& path, const std::string& target) {
    archive_entry* e = Entry(path, AE_IFLNK, 0777);
    archive_entry_set_symlink(e, target.c_str());
    archive_write_header(a_, e);
    archive_entry_free(e);
    return *this;
  }
  TarWriter& Hardlink(const std::string& path, const std::string& target) {
    archive_entry* e = Entry(path, AE_IFREG, 0644);
    archive_entry_set_hardlink(e, target.c_str());
    archive_entry_set_size(e, 0);
    archive_write_header(a_, e);
    archive_entry_free(e);
    return *this;
  }

  std::string Finish() {
    archive_write_close(a_);
    archive_write_free(a_);
    a_ = nullptr;
    return std::move(out_);
  }

 private:
  archive_entry* Entry(const std::string& path, unsigned type, int mode) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, path.c_str());
    archive_entry_set_filetype(e, type);
    archive_entry_set_perm(e, static_cast<__LA_MODE_T>(mode));
    archive_entry_set_mtime(e, 1700000000, 0);
    return e;
  }
  TarWriter& Plain(const std::string& path, unsigned type, int mode) {
    archive_entry* e = Entry(path, type, mode);
    archive_write_header(a_, e);
    archive_entry_free(e);
    return *this;
  }
  static la_ssize_t Append(archive*, void* self, const void* data, size_t size) {
    static_cast<TarWriter*>(self)->out_.append(static_cast<const char*>(data), size);
    return static_cast<la_ssize_t>(size);
  }

  archive* a_;
  std::string out_;
};

// A made-up digest: "sha256:" + 64 hex digits derived from `seed`.
inline std::string FakeHex(const std::string& seed) {
  std::string hex;
  uint64_t h = 1469598103934665603ull;
  for (char c : seed) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  while (hex.size() < 64) {
    h = h * 6364136223846793005ull + 1442695040888963407ull;
    hex += "0123456789abcdef"[(h >> 60) & 15];
  }
  return hex;
}

// An image config for `layers` layers, with an empty_layer history step
// between the first two layers (to test the alignment).
inline std::string ConfigJson(size_t layers, const std::string& arch = "amd64") {
  std::string diff_ids, history;
  for (size_t i = 0; i < layers; ++i) {
    diff_ids += std::string(i ? "," : "") + "\"sha256:" + FakeHex("diff" + std::to_string(i)) + "\"";
    history += std::string(i ? "," : "") + "{\"created_by\":\"step " + std::to_string(i) + "\"}";
    if (i == 0) history += ",{\"created_by\":\"ENV X=1\",\"empty_layer\":true}";
  }
  return "{\"architecture\":\"" + arch +
         "\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
         "\"diff_ids\":[" +
         diff_ids + "]},\"history\":[" + history + "]}";
}

struct ArchiveOptions {
  bool manifest_first = false;
  bool oci_style = false;  // Docker 25+: blobs/sha256/..., index.json, manifest.json
  bool with_manifest_json = true;
  Compression outer = Compression::kNone;
  std::vector<std::string> tags = {"bulwark-test/img:1"};
};

// A docker save archive holding `layers` (tar bytes, possibly compressed).
inline std::string DockerArchive(const std::vector<std::string>& layers, const ArchiveOptions& options = {}) {
  std::string config = ConfigJson(layers.size());
  std::string config_hex = FakeHex(config);
  std::string config_path = options.oci_style ? "blobs/sha256/" + config_hex : config_hex + ".json";
  std::vector<std::string> paths;
  std::string layer_list, oci_layers;
  for (size_t i = 0; i < layers.size(); ++i) {
    std::string hex = FakeHex("layer" + std::to_string(i) + layers[i]);
    paths.push_back(options.oci_style ? "blobs/sha256/" + hex : hex + "/layer.tar");
    layer_list += std::string(i ? "," : "") + "\"" + paths.back() + "\"";
    oci_layers += std::string(i ? "," : "") +
                  "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                  "\"digest\":\"sha256:" +
                  hex + "\",\"size\":" + std::to_string(layers[i].size()) + "}";
  }
  std::string tags;
  for (size_t i = 0; i < options.tags.size(); ++i)
    tags += std::string(i ? "," : "") + "\"" + options.tags[i] + "\"";
  std::string manifest =
      "[{\"Config\":\"" + config_path + "\",\"RepoTags\":[" + tags + "],\"Layers\":[" + layer_list + "]}]";
  std::string oci_manifest =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
      "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":"
      "\"sha256:" +
      config_hex + "\",\"size\":" + std::to_string(config.size()) + "},\"layers\":[" + oci_layers + "]}";
  std::string manifest_hex = FakeHex(oci_manifest);
  std::string index =
      "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
      "\"digest\":\"sha256:" +
      manifest_hex + "\",\"size\":" + std::to_string(oci_manifest.size()) +
      ",\"annotations\":{\"io.containerd.image.name\":\"" +
      (options.tags.empty() ? std::string("x") : options.tags[0]) + "\"}}]}";
  TarWriter tar(options.outer);
  auto write_manifest = [&] {
    if (options.with_manifest_json) tar.File("manifest.json", manifest);
    if (options.oci_style) tar.File("index.json", index);
  };
  if (options.manifest_first) write_manifest();
  if (options.oci_style) {
    tar.Dir("blobs").Dir("blobs/sha256").File("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
    tar.File("blobs/sha256/" + manifest_hex, oci_manifest);
  }
  tar.File(config_path, config);
  for (size_t i = 0; i < layers.size(); ++i) {
    if (!options.oci_style) tar.Dir(paths[i].substr(0, 64)).File(paths[i].substr(0, 64) + "/VERSION", "1.0");
    tar.File(paths[i], layers[i]);
  }
  if (!options.manifest_first) write_manifest();
  tar.File("repositories", "{}");
  return tar.Finish();
}

// An OCI image layout in `dir` with `layers` as blobs; returns the layer digests.
inline std::vector<std::string> WriteOciLayout(const std::filesystem::path& dir,
                                               const std::vector<std::string>& layers,
                                               const std::string& index_override = "") {
  namespace fs = std::filesystem;
  fs::create_directories(dir / "blobs" / "sha256");
  bulwark::testing::WriteFile(dir / "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
  std::string config = ConfigJson(layers.size());
  std::string config_hex = FakeHex(config);
  bulwark::testing::WriteFile(dir / "blobs" / "sha256" / config_hex, config);
  std::vector<std::string> digests;
  std::string list;
  for (size_t i = 0; i < layers.size(); ++i) {
    std::string hex = FakeHex("oci" + std::to_string(i) + layers[i]);
    bulwark::testing::WriteFile(dir / "blobs" / "sha256" / hex, layers[i]);
    digests.push_back("sha256:" + hex);
    list += std::string(i ? "," : "") +
            "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
            "\"digest\":\"sha256:" +
            hex + "\",\"size\":" + std::to_string(layers[i].size()) + "}";
  }
  std::string manifest = "{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:" + config_hex +
                         "\",\"size\":" + std::to_string(config.size()) + "},\"layers\":[" + list + "]}";
  std::string manifest_hex = FakeHex(manifest);
  bulwark::testing::WriteFile(dir / "blobs" / "sha256" / manifest_hex, manifest);
  std::string index =
      index_override.empty()
          ? "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest."
            "v1+json\",\"digest\":\"sha256:" +
                manifest_hex + "\",\"size\":" + std::to_string(manifest.size()) +
                ",\"annotations\":{\"org.opencontainers.image."
                "ref.name\":\"oci-test:1\"}}]}"
          : index_override;
  bulwark::testing::WriteFile(dir / "index.json", index);
  digests.push_back("sha256:" + manifest_hex);  // last: the manifest
  return digests;
}

// Every path below `dir`, relative, sorted (for "nothing escaped" checks).
inline std::vector<std::string> ListTree(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::end(it); it.increment(ec)) {
    out.push_back(std::filesystem::relative(it->path(), dir).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace bulwark::image::testing
