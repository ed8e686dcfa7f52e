// BuildSystemModel: the SystemModel of a directory, derived from the compose
// files, Kubernetes manifests and Dockerfiles under it and corrected by an
// optional `bulwark-model.yaml` at its root (docs/model-file.md). Files that
// cannot be read or understood become model.diagnostics; only a root that
// cannot be read fails the build. The same files always give the same model,
// byte for byte. Stateless; thread-safe.
#pragma once

#include <filesystem>
#include <string>

#include "audit/discovery.hpp"
#include "core/status.hpp"
#include "model/system_model.hpp"

namespace bulwark::model {

struct BuildOptions {
  std::filesystem::path root;  // a directory (or one file)
  std::string display_root;    // how the user named it; SystemModel::root ("" = root as given)
  audit::DiscoveryOptions discovery;
};

// The file at the root that corrects the derived model.
inline constexpr std::string_view kModelFileName = "bulwark-model.yaml";

core::Result<SystemModel> BuildSystemModel(const BuildOptions& options);

}  // namespace bulwark::model
