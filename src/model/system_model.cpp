#include "model/system_model.hpp"

#include <algorithm>
#include <set>

namespace bulwark::model {

std::string_view ElementKindName(ElementKind kind) {
  switch (kind) {
    case ElementKind::kService: return "service";
    case ElementKind::kDataStore: return "datastore";
    case ElementKind::kExternalActor: return "actor";
    case ElementKind::kPlatform: return "platform";
  }
  return "service";
}

std::string_view ClassificationName(Classification c) {
  switch (c) {
    case Classification::kUnknown: return "unknown";
    case Classification::kPublic: return "public";
    case Classification::kInternal: return "internal";
    case Classification::kConfidential: return "confidential";
    case Classification::kRestricted: return "restricted";
  }
  return "unknown";
}

std::optional<Classification> ParseClassification(std::string_view name) {
  for (Classification c : {Classification::kUnknown, Classification::kPublic, Classification::kInternal,
                           Classification::kConfidential, Classification::kRestricted}) {
    if (ClassificationName(c) == name) return c;
  }
  // Threagile's scale, for users who bring its words.
  if (name == "strictly-confidential") return Classification::kRestricted;
  return std::nullopt;
}

std::string_view BoundaryKindName(BoundaryKind kind) {
  switch (kind) {
    case BoundaryKind::kInternet: return "internet";
    case BoundaryKind::kHost: return "host";
    case BoundaryKind::kNetwork: return "network";
    case BoundaryKind::kCluster: return "cluster";
    case BoundaryKind::kNamespace: return "namespace";
    case BoundaryKind::kContainer: return "container";
  }
  return "network";
}

std::string_view FlowKindName(FlowKind kind) {
  switch (kind) {
    case FlowKind::kPublishedPort: return "published-port";
    case FlowKind::kServiceToService: return "service-to-service";
    case FlowKind::kDataStoreAccess: return "datastore-access";
    case FlowKind::kControlPlane: return "control-plane";
    case FlowKind::kHostMount: return "host-mount";
    case FlowKind::kImagePull: return "image-pull";
    case FlowKind::kUserDefined: return "user-defined";
  }
  return "service-to-service";
}

const Element* SystemModel::FindElement(std::string_view id) const {
  for (const Element& e : elements) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

Element* SystemModel::FindElement(std::string_view id) {
  for (Element& e : elements) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

const TrustBoundary* SystemModel::FindBoundary(std::string_view id) const {
  for (const TrustBoundary& b : boundaries) {
    if (b.id == id) return &b;
  }
  return nullptr;
}

const Flow* SystemModel::FindFlow(std::string_view id) const {
  for (const Flow& f : flows) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

std::vector<std::string> SystemModel::BoundaryChain(std::string_view element_id) const {
  std::vector<std::string> chain;
  const Element* element = FindElement(element_id);
  if (!element) return chain;
  // Bounded by the boundary count, so a parent cycle in user input cannot loop.
  const TrustBoundary* b = FindBoundary(element->boundary);
  while (b && chain.size() <= boundaries.size()) {
    chain.push_back(b->id);
    b = b->parent.empty() ? nullptr : FindBoundary(b->parent);
  }
  return chain;
}

void ComputeCrossings(SystemModel& model) {
  for (Flow& flow : model.flows) {
    std::vector<std::string> from = model.BoundaryChain(flow.from);
    std::vector<std::string> to = model.BoundaryChain(flow.to);
    std::set<std::string> in_from(from.begin(), from.end());
    std::set<std::string> in_to(to.begin(), to.end());
    // Outermost first: walk each chain from its outer end.
    std::vector<std::string> crosses;
    for (auto it = from.rbegin(); it != from.rend(); ++it) {
      if (!in_to.count(*it)) crosses.push_back(*it);
    }
    for (auto it = to.rbegin(); it != to.rend(); ++it) {
      if (!in_from.count(*it)) crosses.push_back(*it);
    }
    flow.crosses = std::move(crosses);
  }
}

void SortModel(SystemModel& model) {
  std::sort(model.elements.begin(), model.elements.end(),
            [](const Element& a, const Element& b) { return a.id < b.id; });
  std::sort(model.flows.begin(), model.flows.end(), [](const Flow& a, const Flow& b) { return a.id < b.id; });
  std::sort(model.sources.begin(), model.sources.end());
  model.sources.erase(std::unique(model.sources.begin(), model.sources.end()), model.sources.end());
  // Parents before children, siblings by id: a stable topological order.
  std::vector<TrustBoundary> ordered;
  std::set<std::string> placed;
  std::vector<TrustBoundary> rest = model.boundaries;
  std::sort(rest.begin(), rest.end(), [](const TrustBoundary& a, const TrustBoundary& b) { return a.id < b.id; });
  while (!rest.empty()) {
    size_t before = rest.size();
    for (auto it = rest.begin(); it != rest.end();) {
      bool parent_known = it->parent.empty() || placed.count(it->parent) ||
                          std::none_of(rest.begin(), rest.end(),
                                       [&](const TrustBoundary& b) { return b.id == it->parent; });
      if (parent_known) {
        placed.insert(it->id);
        ordered.push_back(std::move(*it));
        it = rest.erase(it);
      } else {
        ++it;
      }
    }
    // A parent cycle (user input): place the rest as they are.
    if (rest.size() == before) {
      for (TrustBoundary& b : rest) ordered.push_back(std::move(b));
      rest.clear();
    }
  }
  model.boundaries = std::move(ordered);
}

}  // namespace bulwark::model
