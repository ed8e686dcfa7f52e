// oci-dir: an OCI image layout directory (oci-layout, index.json, blobs/).
// The index picks the manifest (linux/amd64 or the only one, nested indexes
// followed); each layer blob is read once, sequentially, from its file.
// Blob paths come only from validated digests and are opened beneath the
// layout without following links.
#include <fcntl.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <unordered_map>

#include "image/archive_io.hpp"
#include "image/fs_util.hpp"
#include "image/image_manifest.hpp"
#include "image/layer_merge.hpp"
#include "image/layer_reader.hpp"
#include "image/opened_image.hpp"

namespace bulwark::image {
namespace {

class OciLayout {
 public:
  OciLayout(std::string dir, const OpenOptions& options)
      : dir_(std::move(dir)), name_("oci-dir:" + dir_), options_(options) {}

  core::Result<std::unique_ptr<Image>> Open() {
    ASSIGN_OR_RETURN(root_, OpenUserDir(name_, dir_));
    RETURN_IF_ERROR(CheckLayoutFile());
    ASSIGN_OR_RETURN(std::string index, ReadDocument("index.json"));
    DocumentFetcher fetch = [this](const std::string& path) { return ReadDocument(path); };
    ASSIGN_OR_RETURN(ManifestPlan plan,
                     ResolveOciIndex(index, name_ + "/index.json", fetch, options_.limits, notes_));
    ASSIGN_OR_RETURN(std::string config, ReadDocument(plan.config_path));
    ImageInfo info;
    info.source = "oci-dir";
    info.reference = dir_;
    info.id = plan.config_digest;
    info.repo_tags = plan.repo_tags;
    info.config_json = config;
    for (const LayerRef& ref : plan.layers) info.layers.push_back(LayerInfo{ref.digest, "", "", ref.size});
    RETURN_IF_ERROR(ApplyImageConfig(config, name_ + "/" + plan.config_path, info, notes_));
    return ReadLayers(plan, std::move(info));
  }

 private:
  core::Status CheckLayoutFile() {
    auto text = ReadDocument("oci-layout");
    if (!text.ok()) {
      if (text.status().code() != core::ErrorCode::kNotFound) return text.status();
      return core::Error(core::ErrorCode::kInvalidArgument,
                         name_ +
                             " has no oci-layout file: not an OCI image layout (use dir: for a root "
                             "filesystem)");
    }
    auto doc = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
    auto version = doc.is_object() ? doc.find("imageLayoutVersion") : doc.end();
    if (!doc.is_object() || version == doc.end() || !version->is_string()) {
      return core::Error(core::ErrorCode::kParseError, name_ + "/oci-layout: no imageLayoutVersion");
    }
    if (*version != "1.0.0")
      notes_.Add(name_ + "/oci-layout: version " + version->get<std::string>() + ", read as 1.0.0");
    return core::Status::Ok();
  }

  core::Result<std::string> ReadDocument(const std::string& path) {
    ASSIGN_OR_RETURN(UniqueFd fd, OpenFile(path));
    auto text = ReadFd(fd.get(), options_.limits.max_json_bytes);
    if (!text.ok())
      return core::Error(text.status().code(), name_ + "/" + path + ": " + text.status().message());
    return text;
  }

  core::Result<UniqueFd> OpenFile(const std::string& path) {
    int fd = OpenBeneath(root_.get(), path, O_RDONLY | O_NONBLOCK);
    if (fd < 0) return ErrnoStatus(-fd, name_ + "/" + path);
    return UniqueFd(fd);
  }

  core::Result<std::unique_ptr<Image>> ReadLayers(const ManifestPlan& plan, ImageInfo info) {
    auto store = std::make_shared<CaptureStore>(options_.temp_parent, options_.limits);
    ReadSession session{options_, *store, notes_};
    std::unordered_map<std::string, size_t> read;  // a blob listed twice is read once
    std::vector<LayerContents> contents;
    contents.reserve(plan.layers.size());
    for (size_t i = 0; i < plan.layers.size(); ++i) {
      if (read.count(plan.layers[i].path) != 0) continue;
      ASSIGN_OR_RETURN(LayerContents layer, ReadBlob(plan.layers[i], i, session));
      read.emplace(plan.layers[i].path, contents.size());
      contents.push_back(std::move(layer));
    }
    std::vector<const LayerContents*> layers;
    for (const LayerRef& ref : plan.layers) layers.push_back(&contents[read[ref.path]]);
    return MakeLayeredImage(std::move(info), layers, std::move(store), notes_);
  }

  core::Result<LayerContents> ReadBlob(const LayerRef& ref, size_t index, ReadSession& session) {
    std::string layer_name = name_ + ": layer " + std::to_string(index) + " (" + ref.path + ")";
    auto fd = OpenFile(ref.path);
    if (!fd.ok()) {
      if (fd.status().code() != core::ErrorCode::kNotFound) return fd.status();
      return core::Error(
          core::ErrorCode::kNotFound,
          layer_name + " is missing (foreign or non-distributable layers are not in the layout)");
    }
    struct stat st {};
    if (fstat(fd->get(), &st) != 0 || !S_ISREG(st.st_mode)) {
      return core::Error(core::ErrorCode::kInvalidArgument, layer_name + " is not a regular file");
    }
    ArchivePtr a = NewTarReader();
    if (!a || archive_read_open_fd(a.get(), fd->get(), kReadBlockSize) != ARCHIVE_OK)
      return OpenFailed(layer_name, a.get());
    return ReadLayer(a.get(), layer_name, static_cast<int>(index), session);
  }

  std::string dir_;
  std::string name_;
  const OpenOptions& options_;
  UniqueFd root_;
  NoteList notes_;
};

}  // namespace

core::Result<std::unique_ptr<Image>> OpenOciDir(const std::string& reference, const OpenOptions& options) {
  return OciLayout(reference, options).Open();
}

}  // namespace bulwark::image
