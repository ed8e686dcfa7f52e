// OpenImage: which source an IMAGE argument names (see image_source.hpp).
#include "image/image_source.hpp"

#include <array>

#include "image/opened_image.hpp"

namespace bulwark::image {
namespace {

using Opener = core::Result<std::unique_ptr<Image>> (*)(const std::string&, const OpenOptions&);

struct Source {
  std::string_view prefix;
  Opener open;
  const char* what;  // for "needs a ..." errors
};

constexpr std::array<Source, 5> kSources = {{
    {"docker-archive:", OpenDockerArchive, "a docker save tar file"},
    {"oci-dir:", OpenOciDir, "an OCI image layout directory"},
    {"dir:", OpenRootfsDir, "a root filesystem directory"},
    {"docker:", OpenDaemonImage, "an image name or ID"},
    {"docker-daemon:", OpenDaemonImage, "an image name or ID"},
}};

// Prefixes other scanners accept that bulwark does not read (yet); without
// this they would be sent to the daemon as odd image names.
constexpr std::array<std::string_view, 7> kUnsupported = {
    "oci-archive:", "registry:", "podman:", "containerd:", "singularity:", "file:", "docker-registry:"};

}  // namespace

core::Result<std::unique_ptr<Image>> OpenImage(std::string_view spec, const OpenOptions& options) {
  if (spec.empty()) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       "no image given: use NAME, docker-archive:FILE, oci-dir:DIR or dir:ROOTFS");
  }
  for (const Source& source : kSources) {
    if (spec.substr(0, source.prefix.size()) != source.prefix) continue;
    std::string reference(spec.substr(source.prefix.size()));
    if (reference.empty()) {
      return core::Error(core::ErrorCode::kInvalidArgument,
                         std::string(source.prefix) + " needs " + source.what + " after the colon");
    }
    return source.open(reference, options);
  }
  for (std::string_view prefix : kUnsupported) {
    if (spec.substr(0, prefix.size()) == prefix) {
      return core::Error(
          core::ErrorCode::kInvalidArgument,
          "image source " + std::string(prefix) +
              " is not supported: use NAME (local daemon), docker-archive:FILE, oci-dir:DIR or "
              "dir:ROOTFS");
    }
  }
  return OpenDaemonImage(std::string(spec), options);
}

}  // namespace bulwark::image
