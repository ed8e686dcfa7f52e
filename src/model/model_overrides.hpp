// bulwark-model.yaml: what a user adds to or corrects in the model bulwark
// derives (docs/model-file.md): the system's name, elements (add, correct
// by id, or leave out of scope), flows, trust boundaries, data assets and
// assumptions. Reading never fails: unknown keys and bad values become
// diagnostics with file:line:col and the rest is still used. Input is
// bounded (size, nodes, items). Plain functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "model/system_model.hpp"

namespace bulwark::model {

struct ElementOverride {
  std::string id;
  std::optional<ElementKind> kind;
  std::optional<std::string> name, technology, description, boundary;
  std::optional<Classification> classification;
  std::vector<std::string> tags;
  bool out_of_scope = false;
  Evidence evidence;  // the item in the file
};

struct FlowOverride {
  std::string id;  // "" = made from the ends
  std::string from, to;
  std::optional<std::string> protocol, label;
  std::optional<int> port;
  std::optional<bool> encrypted, authenticated;
  std::optional<Classification> classification;
  bool out_of_scope = false;
  Evidence evidence;
};

struct BoundaryOverride {
  std::string id;
  std::optional<std::string> name, parent;
  std::optional<BoundaryKind> kind;
  std::optional<bool> isolated;
  Evidence evidence;
};

struct DataOverride {
  DataAsset asset;
  Evidence evidence;
};

struct ModelOverrides {
  std::optional<std::string> name;
  std::vector<ElementOverride> elements;
  std::vector<FlowOverride> flows;
  std::vector<BoundaryOverride> boundaries;
  std::vector<DataOverride> data;
  std::vector<std::string> assumptions;
};

inline constexpr size_t kMaxOverrideBytes = 4u << 20;
inline constexpr size_t kMaxOverrideItems = 2000;  // per section

// Reads the file's text; `path` is how diagnostics name it.
ModelOverrides ParseModelOverrides(std::string_view text, const std::string& path,
                                   std::vector<core::Diagnostic>& diagnostics);

// Applies boundaries, then elements, flows, data and assumptions. References
// to ids that do not exist become diagnostics in model.diagnostics.
void ApplyModelOverrides(const ModelOverrides& overrides, SystemModel& model);

std::optional<ElementKind> ParseElementKind(std::string_view name);
std::optional<BoundaryKind> ParseBoundaryKind(std::string_view name);

}  // namespace bulwark::model
