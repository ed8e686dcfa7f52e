// docker-archive: opening the file, the header-only pre-pass, and turning a
// finished pass into an image (see docker_archive.hpp).
#include "image/docker_archive.hpp"

#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "image/archive_io.hpp"
#include "image/layer_merge.hpp"
#include "image/opened_image.hpp"

namespace bulwark::image {
namespace {

void ResolvePlanPaths(const std::unordered_map<std::string, std::string>& aliases, ManifestPlan& plan) {
  plan.config_path = ResolveAlias(aliases, plan.config_path);
  for (LayerRef& layer : plan.layers) layer.path = ResolveAlias(aliases, layer.path);
}

// Reads only the headers of a plain tar file (data is skipped with lseek)
// to find manifest.json. nullopt when the file is compressed or anything is
// off; the full pass then works without a plan and reports the problem.
std::optional<ManifestPlan> PlanFromPlainFile(int fd, const std::string& name, const ImageLimits& limits,
                                              NoteList& notes) {
  ArchivePtr a = NewTarReader(/*compressed=*/false);
  if (!a || archive_read_open_fd(a.get(), fd, 64 << 10) != ARCHIVE_OK) return std::nullopt;
  std::unordered_map<std::string, std::string> aliases;
  std::optional<std::string> manifest;
  uint64_t entries = 0;
  archive_entry* e = nullptr;
  int r = ARCHIVE_OK;
  while ((r = archive_read_next_header(a.get(), &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
    const char* raw = archive_entry_pathname(e);
    if (++entries > limits.max_entries || raw == nullptr) return std::nullopt;
    std::string path = NormalisePath(raw);
    if (const char* target = archive_entry_hardlink(e); target != nullptr) {
      aliases[path] = NormalisePath(target);
    } else if (archive_entry_filetype(e) == AE_IFLNK && archive_entry_symlink(e) != nullptr) {
      size_t slash = path.rfind('/');
      std::string dir = slash == std::string::npos ? "" : path.substr(0, slash);
      aliases[path] = NormalisePath(dir + "/" + archive_entry_symlink(e));
    } else if (path == "manifest.json" && archive_entry_filetype(e) == AE_IFREG) {
      EntryStream stream(a.get());
      std::string text;
      if (!stream.ReadAll(limits.max_json_bytes, &text).ok()) return std::nullopt;
      manifest = std::move(text);
    }
  }
  if (r != ARCHIVE_EOF || !manifest) return std::nullopt;
  auto plan = ParseDockerManifest(*manifest, name + ": manifest.json", limits, notes);
  if (!plan.ok()) return std::nullopt;
  ResolvePlanPaths(aliases, *plan);
  return std::move(plan).value();
}

core::Result<ManifestPlan> PlanFromDocuments(const ArchivePassOutput& out, const std::string& name,
                                             const ImageLimits& limits, NoteList& notes) {
  auto unreadable = [&](const std::string& path) -> const core::Status* {
    auto it = out.unreadable.find(path);
    return it == out.unreadable.end() ? nullptr : &it->second;
  };
  std::optional<core::Result<ManifestPlan>> plan;
  if (auto it = out.documents.find("manifest.json"); it != out.documents.end()) {
    plan = ParseDockerManifest(it->second, name + ": manifest.json", limits, notes);
  } else if (const core::Status* status = unreadable("manifest.json")) {
    return *status;
  } else if (auto index = out.documents.find("index.json"); index != out.documents.end()) {
    DocumentFetcher fetch = [&](const std::string& path) -> core::Result<std::string> {
      std::string resolved = ResolveAlias(out.aliases, path);
      if (auto doc = out.documents.find(resolved); doc != out.documents.end()) return doc->second;
      if (const core::Status* status = unreadable(resolved)) return *status;
      return core::Error(core::ErrorCode::kNotFound, name + ": " + path + " is missing from the archive");
    };
    plan = ResolveOciIndex(index->second, name + ": index.json", fetch, limits, notes);
  } else {
    return core::Error(
        core::ErrorCode::kParseError,
        name + ": no manifest.json or index.json in it: not a docker save or OCI image archive");
  }
  if (plan->ok()) ResolvePlanPaths(out.aliases, plan->value());
  return std::move(*plan);
}

core::Result<std::vector<const LayerContents*>> PlannedLayers(const ArchivePassOutput& out,
                                                              const ManifestPlan& plan,
                                                              const std::string& name) {
  std::vector<const LayerContents*> layers;
  for (size_t i = 0; i < plan.layers.size(); ++i) {
    const std::string& path = plan.layers[i].path;
    if (auto it = out.layers.find(path); it != out.layers.end()) {
      layers.push_back(&it->second);
      continue;
    }
    if (auto bad = out.unreadable.find(path); bad != out.unreadable.end()) return bad->second;
    return core::Error(core::ErrorCode::kNotFound, name + ": layer " + std::to_string(i) + " (" + path +
                                                       ") named by the manifest is missing from the archive");
  }
  return layers;
}

core::Status FillInfo(const ArchivePassOutput& out, const ManifestPlan& plan, const std::string& name,
                      ImageInfo& info, NoteList& notes) {
  auto config = out.documents.find(plan.config_path);
  if (config == out.documents.end()) {
    if (auto bad = out.unreadable.find(plan.config_path); bad != out.unreadable.end()) return bad->second;
    return core::Error(core::ErrorCode::kNotFound, name + ": the image config " + Quoted(plan.config_path) +
                                                       " is missing from the archive");
  }
  info.id = plan.config_digest;
  if (info.repo_tags.empty()) info.repo_tags = plan.repo_tags;
  info.config_json = config->second;
  info.layers.resize(plan.layers.size());
  for (size_t i = 0; i < plan.layers.size(); ++i) {
    const LayerRef& ref = plan.layers[i];
    info.layers[i].digest = ref.digest;
    auto size = out.sizes.find(ref.path);
    info.layers[i].size = ref.size != 0 || size == out.sizes.end() ? ref.size : size->second;
  }
  RETURN_IF_ERROR(ApplyImageConfig(config->second, name + ": " + plan.config_path, info, notes));
  // Legacy layer.tar files are stored uncompressed: their digest is the diff_id.
  for (LayerInfo& layer : info.layers) {
    if (layer.digest.empty()) layer.digest = layer.diff_id;
  }
  return core::Status::Ok();
}

}  // namespace

core::Result<std::unique_ptr<Image>> ReadDockerArchive(archive* outer, const std::string& name,
                                                       ImageInfo info, const OpenOptions& options,
                                                       std::optional<ManifestPlan> plan, NoteList notes,
                                                       int plain_fd) {
  auto store = std::make_shared<CaptureStore>(options.temp_parent, options.limits);
  ReadSession session{options, *store, notes};
  ArchivePassOutput out;
  RETURN_IF_ERROR(RunArchivePass(outer, name, plan ? &*plan : nullptr, plain_fd, session, out));
  if (!plan) {
    ASSIGN_OR_RETURN(ManifestPlan found, PlanFromDocuments(out, name, options.limits, notes));
    plan = std::move(found);
  }
  RETURN_IF_ERROR(FillInfo(out, *plan, name, info, notes));
  ASSIGN_OR_RETURN(std::vector<const LayerContents*> layers, PlannedLayers(out, *plan, name));
  return MakeLayeredImage(std::move(info), layers, std::move(store), notes);
}

core::Result<std::unique_ptr<Image>> OpenDockerArchive(const std::string& reference,
                                                       const OpenOptions& options) {
  const std::string name = reference;
  int fd = open(reference.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int error = errno;
    auto code = error == ENOENT   ? core::ErrorCode::kNotFound
                : error == EACCES ? core::ErrorCode::kPermissionDenied
                                  : core::ErrorCode::kIoError;
    return core::Error(code, "docker-archive:" + name + ": " + std::strerror(error));
  }
  std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { close(*f); });
  struct stat st {};
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       "docker-archive:" + name +
                           " is a directory (use oci-dir: for an OCI layout, dir: for a root "
                           "filesystem)");
  }
  NoteList notes;
  std::optional<ManifestPlan> plan;
  if (S_ISREG(st.st_mode)) {
    plan = PlanFromPlainFile(fd, name, options.limits, notes);
    if (lseek(fd, 0, SEEK_SET) != 0) return core::Error(core::ErrorCode::kIoError, name + ": cannot rewind");
  }
  // With a plan the outer tar is plain and its layers are read straight
  // from the file; the outer reader only walks the few headers.
  ArchivePtr outer = NewTarReader();
  size_t block = plan ? size_t{64} << 10 : kReadBlockSize;
  if (!outer || archive_read_open_fd(outer.get(), fd, block) != ARCHIVE_OK)
    return OpenFailed(name, outer.get());
  ImageInfo info;
  info.source = "docker-archive";
  info.reference = reference;
  int plain_fd = plan ? fd : -1;
  return ReadDockerArchive(outer.get(), name, std::move(info), options, std::move(plan), std::move(notes),
                           plain_fd);
}

}  // namespace bulwark::image
