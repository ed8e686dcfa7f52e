#include "image/image_manifest.hpp"

#include <nlohmann/json.hpp>

#include "image/file_view.hpp"

namespace bulwark::image {
namespace {

using nlohmann::json;

constexpr int kMaxIndexDepth = 4;

bool IsHex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string String(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

core::Status Parse(std::string_view text, const std::string& where, json& out) {
  out = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (out.is_discarded()) return core::Error(core::ErrorCode::kParseError, where + ": not valid JSON");
  return core::Status::Ok();
}

core::Status TooManyLayers(const std::string& where, size_t count, const ImageLimits& limits) {
  return core::Error(core::ErrorCode::kTooLarge, where + ": " + std::to_string(count) +
                                                     " layers, over the limit of " +
                                                     std::to_string(limits.max_layers));
}

std::string PlatformOf(const json& entry) {
  auto platform = entry.find("platform");
  if (platform == entry.end() || !platform->is_object()) return "";
  std::string variant = String(*platform, "variant");
  return String(*platform, "os") + "/" + String(*platform, "architecture") +
         (variant.empty() ? "" : "/" + variant);
}

// The manifest to read from an index's "manifests": linux/amd64, else the
// only real one (buildx attestations carry platform unknown/unknown).
core::Result<const json*> PickManifest(const json& index, const std::string& where) {
  auto manifests = index.find("manifests");
  if (manifests == index.end() || !manifests->is_array()) {
    return core::Error(core::ErrorCode::kParseError, where + ": no \"manifests\" list");
  }
  std::vector<const json*> candidates;
  std::string seen;
  for (const json& entry : *manifests) {
    if (!entry.is_object() || PlatformOf(entry).rfind("unknown/", 0) == 0) continue;
    std::string platform = PlatformOf(entry);
    if (platform.rfind("linux/amd64", 0) == 0) return &entry;
    candidates.push_back(&entry);
    seen += (seen.empty() ? "" : ", ") + (platform.empty() ? std::string("unspecified") : platform);
  }
  if (candidates.size() == 1) return candidates[0];
  if (candidates.empty())
    return core::Error(core::ErrorCode::kNotFound, where + ": the index lists no image");
  return core::Error(core::ErrorCode::kNotFound, where + ": no linux/amd64 image among " + seen);
}

std::vector<std::string> TagsOf(const json& entry) {
  auto annotations = entry.find("annotations");
  if (annotations == entry.end() || !annotations->is_object()) return {};
  for (const char* key : {"io.containerd.image.name", "org.opencontainers.image.ref.name"}) {
    std::string name = String(*annotations, key);
    if (!name.empty()) return {name};
  }
  return {};
}

core::Result<ManifestPlan> ParseOciManifest(const json& manifest, const std::string& where,
                                            const ImageLimits& limits) {
  ManifestPlan plan;
  auto config = manifest.find("config");
  auto layers = manifest.find("layers");
  if (config == manifest.end() || !config->is_object() || layers == manifest.end() || !layers->is_array()) {
    return core::Error(core::ErrorCode::kParseError, where + ": not an image manifest (no config or layers)");
  }
  plan.config_digest = String(*config, "digest");
  auto config_path = BlobPath(plan.config_digest);
  if (!config_path) return core::Error(core::ErrorCode::kParseError, where + ": bad config digest");
  plan.config_path = *config_path;
  if (layers->size() > static_cast<size_t>(limits.max_layers))
    return TooManyLayers(where, layers->size(), limits);
  for (const json& layer : *layers) {
    if (!layer.is_object()) return core::Error(core::ErrorCode::kParseError, where + ": bad layer entry");
    LayerRef ref;
    ref.digest = String(layer, "digest");
    auto path = BlobPath(ref.digest);
    if (!path)
      return core::Error(core::ErrorCode::kParseError, where + ": bad layer digest " + Quoted(ref.digest));
    ref.path = *path;
    auto size = layer.find("size");
    if (size != layer.end() && size->is_number_unsigned()) ref.size = size->get<uint64_t>();
    plan.layers.push_back(std::move(ref));
  }
  return plan;
}

}  // namespace

std::optional<std::string> BlobPath(std::string_view digest) {
  size_t colon = digest.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view algorithm = digest.substr(0, colon);
  std::string_view hex = digest.substr(colon + 1);
  size_t want = algorithm == "sha256" ? 64 : algorithm == "sha512" ? 128 : 0;
  if (want == 0 || hex.size() != want || !IsHex(hex)) return std::nullopt;
  return "blobs/" + std::string(algorithm) + "/" + std::string(hex);
}

std::string DigestFromPath(std::string_view path) {
  if (path.rfind("blobs/", 0) == 0) {
    std::string_view rest = path.substr(6);
    size_t slash = rest.find('/');
    if (slash == std::string_view::npos) return "";
    std::string digest = std::string(rest.substr(0, slash)) + ":" + std::string(rest.substr(slash + 1));
    return BlobPath(digest) ? digest : "";
  }
  // Older docker save: the config is "<sha256 hex>.json" at the top.
  if (path.size() == 69 && path.substr(64) == ".json" && IsHex(path.substr(0, 64))) {
    return "sha256:" + std::string(path.substr(0, 64));
  }
  return "";
}

core::Result<ManifestPlan> ParseDockerManifest(std::string_view text, const std::string& where,
                                               const ImageLimits& limits, NoteList& notes) {
  json doc;
  RETURN_IF_ERROR(Parse(text, where, doc));
  if (!doc.is_array() || doc.empty() || !doc[0].is_object()) {
    return core::Error(core::ErrorCode::kParseError,
                       where + ": expected a list of images (docker save manifest)");
  }
  const json& image = doc[0];
  ManifestPlan plan;
  plan.config_path = NormalisePath(String(image, "Config"));
  plan.config_digest = DigestFromPath(plan.config_path);
  auto layers = image.find("Layers");
  if (plan.config_path.empty() || layers == image.end() || !layers->is_array()) {
    return core::Error(core::ErrorCode::kParseError, where + ": the first image has no Config or Layers");
  }
  if (layers->size() > static_cast<size_t>(limits.max_layers))
    return TooManyLayers(where, layers->size(), limits);
  for (const json& layer : *layers) {
    if (!layer.is_string())
      return core::Error(core::ErrorCode::kParseError, where + ": a layer is not a path");
    LayerRef ref;
    ref.path = NormalisePath(layer.get<std::string>());
    ref.digest = DigestFromPath(ref.path);
    plan.layers.push_back(std::move(ref));
  }
  if (auto tags = image.find("RepoTags"); tags != image.end() && tags->is_array()) {
    for (const json& tag : *tags) {
      if (tag.is_string()) plan.repo_tags.push_back(tag.get<std::string>());
    }
  }
  if (doc.size() > 1) {
    notes.Add(where + ": holds " + std::to_string(doc.size()) + " images; reading the first" +
              (plan.repo_tags.empty() ? std::string() : " (" + plan.repo_tags[0] + ")"));
  }
  return plan;
}

core::Result<ManifestPlan> ResolveOciIndex(std::string_view text, const std::string& where,
                                           const DocumentFetcher& fetch, const ImageLimits& limits,
                                           NoteList& notes) {
  json doc;
  RETURN_IF_ERROR(Parse(text, where, doc));
  std::string current = where;
  std::vector<std::string> tags;
  for (int depth = 0; depth <= kMaxIndexDepth; ++depth) {
    if (!doc.is_object()) return core::Error(core::ErrorCode::kParseError, current + ": not a JSON object");
    if (doc.find("manifests") == doc.end()) {
      ASSIGN_OR_RETURN(ManifestPlan plan, ParseOciManifest(doc, current, limits));
      plan.repo_tags = std::move(tags);
      return plan;
    }
    ASSIGN_OR_RETURN(const json* entry, PickManifest(doc, current));
    if (doc["manifests"].size() > 1) {
      std::string platform = PlatformOf(*entry);
      notes.Add(current + ": lists " + std::to_string(doc["manifests"].size()) + " manifests; reading " +
                (platform.empty() ? "the only image" : platform));
    }
    if (tags.empty()) tags = TagsOf(*entry);
    std::string digest = String(*entry, "digest");
    auto path = BlobPath(digest);
    if (!path)
      return core::Error(core::ErrorCode::kParseError, current + ": bad manifest digest " + Quoted(digest));
    ASSIGN_OR_RETURN(std::string blob, fetch(*path));
    current = where + " -> " + *path;
    RETURN_IF_ERROR(Parse(blob, current, doc));
  }
  return core::Error(core::ErrorCode::kParseError, where + ": image indexes nested too deeply");
}

core::Status ApplyImageConfig(std::string_view text, const std::string& where, ImageInfo& info,
                              NoteList& notes) {
  json doc;
  RETURN_IF_ERROR(Parse(text, where, doc));
  if (!doc.is_object()) return core::Error(core::ErrorCode::kParseError, where + ": not an image config");
  info.os = String(doc, "os");
  info.architecture = String(doc, "architecture");
  size_t layer = 0;
  if (auto rootfs = doc.find("rootfs"); rootfs != doc.end() && rootfs->is_object()) {
    if (auto ids = rootfs->find("diff_ids"); ids != rootfs->end() && ids->is_array()) {
      for (const json& id : *ids) {
        if (layer < info.layers.size() && id.is_string()) info.layers[layer].diff_id = id.get<std::string>();
        ++layer;
      }
    }
  }
  if (layer != info.layers.size()) {
    notes.Add(where + ": lists " + std::to_string(layer) + " diff_ids for " +
              std::to_string(info.layers.size()) + " layers");
  }
  layer = 0;
  if (auto history = doc.find("history"); history != doc.end() && history->is_array()) {
    for (const json& step : *history) {
      if (!step.is_object()) continue;
      auto empty = step.find("empty_layer");
      if (empty != step.end() && empty->is_boolean() && empty->get<bool>()) continue;
      if (layer < info.layers.size()) info.layers[layer].created_by = String(step, "created_by");
      ++layer;
    }
  }
  return core::Status::Ok();
}

}  // namespace bulwark::image
