// The elements every system of a kind has (the users on published ports,
// the registry, the engine or API server, the administrator, the host's
// files), the boundaries they sit in, and the placing of compose services in
// their networks.
#include <algorithm>
#include <set>

#include "model/model_derive.hpp"

namespace bulwark::model::detail {
namespace {

struct WellKnown {
  std::string_view id;
  ElementKind kind;
  std::string_view name;
  std::string_view technology;
  std::string_view description;
};

constexpr WellKnown kWellKnown[] = {
    {kInternetUser, ElementKind::kExternalActor, "User (internet)", "browser",
     "Anyone who can reach a port published on every interface of the host or cluster"},
    {kLocalUser, ElementKind::kExternalActor, "Local user (host)", "browser",
     "A user or process on the host, reaching ports published on the loopback interface only"},
    {kRegistry, ElementKind::kExternalActor, "Image registry", "registry",
     "The registries the images are pulled from"},
    {kAdmin, ElementKind::kExternalActor, "Administrator", "cli",
     "Whoever runs and changes the containers through the engine or the cluster API"},
    {kDockerEngine, ElementKind::kPlatform, "Docker engine", "docker-engine",
     "The Docker daemon that builds, pulls and runs the containers"},
    {kKubernetesApi, ElementKind::kPlatform, "Kubernetes API server", "kubernetes",
     "The cluster's control plane: workloads, secrets and service account tokens"},
    {kContainerRuntime, ElementKind::kPlatform, "Container runtime (node)", "containerd",
     "The container runtime on a node, reached through its socket"},
    {kHostFilesystem, ElementKind::kDataStore, "Host filesystem", "filesystem",
     "Files of the host that containers reach through bind or hostPath mounts"},
};

void EnsureBoundary(BuildState& state, std::string_view id, const Evidence& evidence) {
  if (id.empty() || state.HasBoundary(id)) return;
  TrustBoundary boundary;
  boundary.id = std::string(id);
  if (id == kInternetBoundary) {
    boundary.kind = BoundaryKind::kInternet;
    boundary.name = "Internet";
  } else if (id == kHostBoundary) {
    boundary.kind = BoundaryKind::kHost;
    boundary.name = "Docker host";
  } else {
    boundary.kind = BoundaryKind::kCluster;
    boundary.name = "Kubernetes cluster";
  }
  boundary.evidence.push_back(evidence);
  state.AddBoundary(std::move(boundary));
}

// The innermost boundary a well-known element sits in.
std::string_view HomeOf(const BuildState& state, std::string_view id) {
  if (id == kInternetUser || id == kRegistry) return kInternetBoundary;
  if (id == kAdmin) return "";
  if (id == kKubernetesApi || id == kContainerRuntime) return kClusterBoundary;
  if (id == kDockerEngine) return kHostBoundary;
  return state.uses_docker ? kHostBoundary : kClusterBoundary;  // local user, host filesystem
}

bool PublishedOutside(const Element& element) {
  return std::any_of(element.ports.begin(), element.ports.end(), [](const PortBinding& p) {
    return p.published && p.host_ip != "127.0.0.1" && p.host_ip != "::1" && p.host_ip != "localhost";
  });
}

std::string NetworkBoundary(BuildState& state, const std::string& scope, const std::string& prefix,
                            const std::string& network) {
  std::string id = "boundary:network:" + prefix + network;
  if (state.HasBoundary(id)) return id;
  const auto& defs = state.compose_networks[scope];
  auto def = defs.find(network);
  TrustBoundary boundary;
  boundary.id = id;
  boundary.kind = BoundaryKind::kNetwork;
  boundary.name = prefix + network + " network";
  boundary.parent = std::string(kHostBoundary);
  boundary.isolated = def != defs.end() && def->second.internal;
  if (def != defs.end()) {
    boundary.evidence.push_back(def->second.evidence);
  } else {
    Evidence where = state.scope_evidence[scope];
    where.line = 0;
    where.text = network == "default" ? "services that name no network join the project's default network"
                                      : "network " + network + " is used but not defined";
    boundary.evidence.push_back(std::move(where));
  }
  state.AddBoundary(std::move(boundary));
  return id;
}

void PlaceComposeService(BuildState& state, Element& element, const WorkloadInfo& info, const std::string& prefix) {
  const std::string& mode = info.network_mode;
  if (!mode.empty() && mode != "bridge") {
    element.boundary = std::string(kHostBoundary);  // host, none, service:x, container:x
    return;
  }
  if (element.networks.empty()) element.networks.push_back("default");
  bool outside = PublishedOutside(element);
  std::string chosen;
  for (const std::string& network : element.networks) {
    std::string id = NetworkBoundary(state, info.scope, prefix, network);
    const TrustBoundary* boundary = state.model.FindBoundary(id);
    bool isolated = boundary != nullptr && boundary->isolated;
    // A service published outside sits in the network its users come in through.
    if (chosen.empty() && (!outside || !isolated)) chosen = id;
  }
  if (chosen.empty()) chosen = "boundary:network:" + prefix + element.networks.front();
  element.boundary = chosen;
}

}  // namespace

void EnsureWellKnown(BuildState& state, std::string_view id, const Evidence& first_use) {
  if (state.Find(id) != nullptr) return;  // its flows carry the evidence of each use
  // The platform is defined by the files that make it run, not by a first use.
  Evidence evidence = first_use;
  if ((id == kDockerEngine || id == kAdmin) && state.uses_docker) evidence = state.docker_evidence;
  if ((id == kKubernetesApi || (id == kAdmin && !state.uses_docker)) && state.uses_kubernetes) {
    evidence = state.kubernetes_evidence;
  }
  for (const WellKnown& known : kWellKnown) {
    if (known.id != id) continue;
    std::string_view home = HomeOf(state, id);
    EnsureBoundary(state, home, evidence);
    Element element;
    element.id = std::string(known.id);
    element.kind = known.kind;
    element.name = std::string(known.name);
    element.technology = std::string(known.technology);
    element.description = std::string(known.description);
    element.boundary = std::string(home);
    element.evidence.push_back(evidence);
    state.AddElement(std::move(element));
  }
}

void EnsureNamespace(BuildState& state, const std::string& name_space, const Evidence& evidence) {
  EnsureBoundary(state, kClusterBoundary, evidence);
  TrustBoundary boundary;
  boundary.id = "boundary:namespace:" + name_space;
  boundary.kind = BoundaryKind::kNamespace;
  boundary.name = "Namespace " + name_space;
  boundary.parent = std::string(kClusterBoundary);
  boundary.evidence.push_back(evidence);
  state.AddBoundary(std::move(boundary));
}

void PlaceContainers(BuildState& state) {
  std::set<std::string> compose_scopes;
  for (const auto& [id, info] : state.workloads) {
    if (info.compose) compose_scopes.insert(info.scope);
  }
  if (state.uses_docker) EnsureBoundary(state, kHostBoundary, state.docker_evidence);
  for (const auto& [id, info] : state.workloads) {
    Element* element = state.Find(id);
    if (element == nullptr) continue;
    if (info.compose) {
      // Several compose projects: their networks are told apart by project.
      std::string prefix = compose_scopes.size() > 1 ? state.ScopeLabel(info.scope) + "/" : "";
      PlaceComposeService(state, *element, info, prefix);
    } else if (info.scope == "docker") {
      element->boundary = std::string(kHostBoundary);
    }
  }
}

}  // namespace bulwark::model::detail
