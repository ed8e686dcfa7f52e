// Applying bulwark-model.yaml to a derived model: boundaries first (elements
// are placed in them), then elements (flows join them), flows, data assets
// and assumptions. An id that names nothing is a diagnostic, never a crash.
#include <algorithm>
#include <map>
#include <set>

#include "model/datastore_catalog.hpp"
#include "model/model_overrides.hpp"

namespace bulwark::model {
namespace {

class Applier {
 public:
  explicit Applier(SystemModel& model) : model_(model) { Reindex(); }

  void ApplyBoundary(const BoundaryOverride& o);
  void ApplyElement(const ElementOverride& o);
  void ApplyFlow(const FlowOverride& o);
  void ApplyData(const DataOverride& o);

 private:
  void Reindex() {
    elements_.clear();
    flows_.clear();
    for (size_t i = 0; i < model_.elements.size(); ++i) elements_[model_.elements[i].id] = i;
    for (size_t i = 0; i < model_.flows.size(); ++i) flows_[model_.flows[i].id] = i;
    for (size_t i = 0; i < model_.boundaries.size(); ++i) boundaries_[model_.boundaries[i].id] = i;
  }
  void Diagnose(const Evidence& at, std::string message) {
    model_.diagnostics.push_back({core::Location{at.path, at.line, 0, 0, 0}, std::move(message)});
  }
  bool HasBoundary(const std::string& id) const { return boundaries_.count(id) > 0; }
  // True when making `parent` the parent of `id` would close a loop.
  bool MakesCycle(const std::string& id, const std::string& parent) const;
  void Remove(const std::string& element_id);

  SystemModel& model_;
  std::map<std::string, size_t> elements_;
  std::map<std::string, size_t> flows_;
  std::map<std::string, size_t> boundaries_;
};

bool Applier::MakesCycle(const std::string& id, const std::string& parent) const {
  std::string at = parent;
  for (size_t steps = 0; !at.empty() && steps <= model_.boundaries.size(); ++steps) {
    if (at == id) return true;
    auto b = boundaries_.find(at);
    at = b == boundaries_.end() ? "" : model_.boundaries[b->second].parent;
  }
  return !at.empty();
}

void Applier::ApplyBoundary(const BoundaryOverride& o) {
  auto it = boundaries_.find(o.id);
  if (it == boundaries_.end()) {
    TrustBoundary added;
    added.id = o.id;
    added.kind = o.kind.value_or(BoundaryKind::kNetwork);
    added.name = o.name.value_or(o.id);
    model_.boundaries.push_back(std::move(added));
    it = boundaries_.emplace(o.id, model_.boundaries.size() - 1).first;
  }
  TrustBoundary* target = &model_.boundaries[it->second];
  if (o.name) target->name = *o.name;
  if (o.kind) target->kind = *o.kind;
  if (o.isolated) target->isolated = *o.isolated;
  if (o.parent) {
    if (!o.parent->empty() && !HasBoundary(*o.parent)) {
      Diagnose(o.evidence, "boundary " + o.id + ": no boundary '" + *o.parent + "' to be its parent");
    } else if (MakesCycle(o.id, *o.parent)) {
      Diagnose(o.evidence, "boundary " + o.id + ": parent '" + *o.parent + "' would make a loop");
    } else {
      target->parent = *o.parent;
    }
  }
  target->evidence.push_back(o.evidence);
}

void Applier::Remove(const std::string& element_id) {
  std::erase_if(model_.elements, [&](const Element& e) { return e.id == element_id; });
  std::erase_if(model_.flows, [&](const Flow& f) { return f.from == element_id || f.to == element_id; });
  Reindex();
}

ElementKind KindFromId(std::string_view id) {
  if (id.starts_with("datastore:")) return ElementKind::kDataStore;
  if (id.starts_with("actor:")) return ElementKind::kExternalActor;
  if (id.starts_with("platform:")) return ElementKind::kPlatform;
  return ElementKind::kService;
}

void Applier::ApplyElement(const ElementOverride& o) {
  auto it = elements_.find(o.id);
  if (o.out_of_scope) {
    if (it == elements_.end()) return Diagnose(o.evidence, "out_of_scope: no element '" + o.id + "'");
    return Remove(o.id);
  }
  if (it == elements_.end()) {
    Element added;
    added.id = o.id;
    added.kind = KindFromId(o.id);
    size_t colon = o.id.find(':');
    added.name = colon == std::string::npos ? o.id : o.id.substr(colon + 1);
    model_.elements.push_back(std::move(added));
    it = elements_.emplace(o.id, model_.elements.size() - 1).first;
  }
  Element& e = model_.elements[it->second];
  if (o.kind) e.kind = *o.kind;
  if (o.name) e.name = *o.name;
  if (o.technology) e.technology = *o.technology;
  if (o.description) e.description = *o.description;
  if (o.classification) e.classification = *o.classification;
  for (const std::string& tag : o.tags) {
    if (std::find(e.tags.begin(), e.tags.end(), tag) == e.tags.end()) e.tags.push_back(tag);
  }
  if (o.boundary) {
    if (o.boundary->empty() || HasBoundary(*o.boundary)) {
      e.boundary = *o.boundary;
    } else {
      Diagnose(o.evidence, "element " + o.id + ": no boundary '" + *o.boundary + "'");
    }
  }
  e.user_defined = true;
  e.evidence.push_back(o.evidence);
}

void Applier::ApplyFlow(const FlowOverride& o) {
  std::string discriminator = o.port && *o.port > 0 ? std::to_string(*o.port) : o.protocol.value_or("user");
  std::string id = o.id.empty() ? "flow:" + o.from + "->" + o.to + ":" + discriminator : o.id;
  auto it = flows_.find(id);
  if (o.out_of_scope) {
    if (it == flows_.end()) return Diagnose(o.evidence, "out_of_scope: no flow '" + id + "'");
    std::erase_if(model_.flows, [&](const Flow& f) { return f.id == id; });
    return Reindex();
  }
  if (it == flows_.end()) {
    for (const std::string& end : {o.from, o.to}) {
      if (!elements_.count(end)) return Diagnose(o.evidence, "flow " + id + ": no element '" + end + "'");
    }
    Flow added;
    added.id = id;
    added.kind = FlowKind::kUserDefined;
    added.from = o.from;
    added.to = o.to;
    added.protocol = o.protocol.value_or("");
    added.port = o.port.value_or(0);
    added.label = added.protocol.empty() ? "user-defined" : FlowLabel(added.protocol, added.port);
    model_.flows.push_back(std::move(added));
    it = flows_.emplace(id, model_.flows.size() - 1).first;
  }
  Flow& f = model_.flows[it->second];
  if (o.protocol) f.protocol = *o.protocol;
  if (o.port) f.port = *o.port;
  if (o.label) f.label = *o.label;
  if (o.encrypted) f.encrypted = *o.encrypted;
  if (o.authenticated) f.authenticated = *o.authenticated;
  if (o.classification) f.classification = *o.classification;
  f.evidence.push_back(o.evidence);
}

void Applier::ApplyData(const DataOverride& o) {
  DataAsset asset = o.asset;
  std::erase_if(asset.stored_in, [&](const std::string& id) {
    bool missing = !elements_.count(id);
    if (missing) Diagnose(o.evidence, "data " + asset.id + ": stored_in names no element '" + id + "'");
    return missing;
  });
  std::erase_if(asset.carried_by, [&](const std::string& id) {
    bool missing = !flows_.count(id);
    if (missing) Diagnose(o.evidence, "data " + asset.id + ": carried_by names no flow '" + id + "'");
    return missing;
  });
  for (DataAsset& existing : model_.data) {
    if (existing.id == asset.id) {
      Diagnose(o.evidence, "data " + asset.id + " is defined twice: the last one is used");
      existing = std::move(asset);
      return;
    }
  }
  model_.data.push_back(std::move(asset));
}

}  // namespace

void ApplyModelOverrides(const ModelOverrides& overrides, SystemModel& model) {
  if (overrides.name && !overrides.name->empty()) model.name = *overrides.name;
  Applier applier(model);
  for (const BoundaryOverride& o : overrides.boundaries) applier.ApplyBoundary(o);
  for (const ElementOverride& o : overrides.elements) applier.ApplyElement(o);
  for (const FlowOverride& o : overrides.flows) applier.ApplyFlow(o);
  for (const DataOverride& o : overrides.data) applier.ApplyData(o);
  // Data that named an element or flow left out of scope keeps only what is still there.
  std::set<std::string> elements, flows;
  for (const Element& e : model.elements) elements.insert(e.id);
  for (const Flow& f : model.flows) flows.insert(f.id);
  for (DataAsset& d : model.data) {
    std::erase_if(d.stored_in, [&](const std::string& id) { return !elements.count(id); });
    std::erase_if(d.carried_by, [&](const std::string& id) { return !flows.count(id); });
  }
  for (const std::string& text : overrides.assumptions) model.assumptions.push_back(Assumption{text, true});
}

}  // namespace bulwark::model
