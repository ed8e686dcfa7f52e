#include "cli/image_input.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "sbom/sbom_builder.hpp"
#include "sbom/sbom_reader.hpp"

namespace bulwark::cli {
namespace {

constexpr uintmax_t kMaxSbomFile = uintmax_t{256} << 20;

core::Result<sbom::Sbom> ReadSbomFile(const std::string& path) {
  std::error_code ec;
  uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return core::Error(core::ErrorCode::kNotFound, "cannot read the SBOM " + path + ": " + ec.message());
  if (size > kMaxSbomFile) {
    return core::Error(core::ErrorCode::kTooLarge, "the SBOM " + path + " is larger than 256 MiB");
  }
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) return core::Error(core::ErrorCode::kIoError, "cannot read the SBOM " + path);
  return sbom::ReadSbom(text, path);
}

}  // namespace

void AddImageInput(CLI::App& command, ImageInput& input, bool allow_sbom) {
  command.add_option("IMAGE", input.image,
                     "docker-archive:FILE.tar, oci-dir:DIR, dir:ROOTFS, or an image the local Docker daemon has");
  command.add_option("--docker-socket", input.docker_host, "The Docker Engine socket (default /var/run/docker.sock)");
  if (allow_sbom) {
    command.add_option("--sbom", input.sbom_file, "Match an existing CycloneDX or SPDX JSON SBOM instead of an image");
  }
}

core::Result<sbom::Sbom> LoadSbom(const ImageInput& input, bool quiet) {
  if (!input.sbom_file.empty()) {
    if (!input.image.empty()) {
      return core::Error(core::ErrorCode::kInvalidArgument, "give either IMAGE or --sbom FILE, not both");
    }
    return ReadSbomFile(input.sbom_file);
  }
  if (input.image.empty()) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       "name an IMAGE (docker-archive:FILE.tar, oci-dir:DIR, dir:ROOTFS or a daemon image)");
  }
  bool progress = !quiet && isatty(STDERR_FILENO) == 1;
  if (progress) std::fprintf(stderr, "bulwark: reading %s ...\r", input.image.c_str());
  sbom::BuildOptions options;
  if (!input.docker_host.empty()) options.open.docker_socket = input.docker_host;
  auto sbom = sbom::BuildSbom(input.image, options);
  if (progress) std::fprintf(stderr, "\033[K");
  return sbom;
}

}  // namespace bulwark::cli
