// Data flows: users to published ports, services to the services and data
// stores their environment and depends_on name, containers to the engine
// socket and the host's files, the platform to the registries it pulls from,
// and the administrator to the platform.
#include <map>

#include "model/datastore_catalog.hpp"
#include "model/model_derive.hpp"

namespace bulwark::model::detail {
namespace {

bool Loopback(const std::string& host_ip) {
  return host_ip == "127.0.0.1" || host_ip == "::1" || host_ip == "localhost" || host_ip.starts_with("127.");
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// The protocol a port speaks, from the port itself, then the technology.
std::string GuessProtocol(const PortBinding& port, const std::string& technology) {
  if (port.protocol == "udp") return "udp";
  std::string protocol = ProtocolForPort(port.container_port);
  if (protocol != "tcp") return protocol;
  const Technology* tech = FindTechnology(technology);
  if (tech != nullptr && !tech->protocol.empty()) return std::string(tech->protocol);
  return ProtocolForPort(port.host_port);
}

void AddPlatformFlows(BuildState& state) {
  if (state.uses_docker) {
    EnsureWellKnown(state, kDockerEngine, state.docker_evidence);
    EnsureWellKnown(state, kAdmin, state.docker_evidence);
    state.AddFlow(NewFlow(FlowKind::kControlPlane, kAdmin, kDockerEngine, "docker-api", "docker-api", 0,
                          "Docker API", state.docker_evidence));
  }
  if (state.uses_kubernetes) {
    EnsureWellKnown(state, kKubernetesApi, state.kubernetes_evidence);
    EnsureWellKnown(state, kAdmin, state.kubernetes_evidence);
    Flow flow = NewFlow(FlowKind::kControlPlane, kAdmin, kKubernetesApi, "443", "https", 443,
                        "HTTPS :443 (kubectl)", state.kubernetes_evidence);
    flow.authenticated = true;
    state.AddFlow(std::move(flow));
  }
}

void AddPublishedFlows(BuildState& state) {
  struct Pending {
    std::string id;
    std::string technology;
    PortBinding port;
  };
  std::vector<Pending> pending;
  for (const Element& element : state.model.elements) {
    for (const PortBinding& port : element.ports) {
      if (port.published) pending.push_back({element.id, element.technology, port});
    }
  }
  for (const Pending& p : pending) {
    bool local = Loopback(p.port.host_ip);
    std::string_view actor = local ? kLocalUser : kInternetUser;
    EnsureWellKnown(state, actor, p.port.evidence);
    int port = p.port.host_port > 0 ? p.port.host_port : p.port.container_port;
    std::string protocol = GuessProtocol(p.port, p.technology);
    state.AddFlow(NewFlow(FlowKind::kPublishedPort, actor, p.id, port > 0 ? std::to_string(port) : "published",
                          protocol, port, FlowLabel(protocol, port), p.port.evidence));
    if (!local) AddTag(*state.Find(p.id), "internet-facing");
  }
}

// The elements a reference's name reaches: a name in its scope, or a
// Kubernetes service name written in full (db.shop.svc.cluster.local).
std::vector<std::string> Resolve(const BuildState& state, const Reference& ref) {
  if (const auto* ids = state.Lookup(ref.scope, ref.target)) return *ids;
  size_t dot = ref.target.find('.');
  if (dot == std::string::npos) return {};
  std::string name = ref.target.substr(0, dot);
  std::string rest = ref.target.substr(dot + 1);
  std::string name_space = rest.substr(0, rest.find('.'));
  if (const auto* ids = state.Lookup("k8s:" + name_space, name)) return *ids;
  return {};
}

int TargetPort(const Reference& ref, const Element& target) {
  if (ref.port > 0) return ref.port;
  if (const Technology* tech = FindTechnology(target.technology); tech && tech->data_store) return tech->port;
  int port = 0;
  for (const PortBinding& p : target.ports) {
    if (p.container_port == 0 || p.container_port == port) continue;
    if (port != 0) return 0;  // several ports: which one is not known
    port = p.container_port;
  }
  return port;
}

// A credential of the caller that goes with the reference: DB_PASSWORD for
// DB_HOST, or one named after the target (POSTGRES_PASSWORD, REDIS_PASSWORD).
bool CredentialFor(const Element& from, const Reference& ref, const Element& target) {
  std::string prefix = ref.credential_prefix.empty() ? "" : ref.credential_prefix + "_";
  std::string name = Upper(target.name);
  std::string tech = Upper(target.technology).substr(0, 5);  // POSTG(RES), RABBI(TMQ), MONGO
  for (const CredentialRef& c : from.credentials) {
    std::string cred = Upper(c.name);
    if (!prefix.empty() && cred.starts_with(prefix)) return true;
    if (!name.empty() && cred.find(name) != std::string::npos) return true;
    if (tech.size() == 5 && cred.find(tech) != std::string::npos) return true;
  }
  return false;
}

Flow ReferenceFlow(const Reference& ref, const Element& from, const Element& target) {
  int port = TargetPort(ref, target);
  std::string protocol = ref.protocol;
  const Technology* tech = FindTechnology(target.technology);
  if (protocol.empty() && tech && !tech->protocol.empty() && (port == 0 || port == tech->port)) {
    protocol = tech->protocol;
  }
  if (protocol.empty()) protocol = port > 0 ? ProtocolForPort(port) : "tcp";
  Flow flow;
  flow.id = FlowId(from.id, target.id, port > 0 ? std::to_string(port) : protocol);
  flow.kind = target.kind == ElementKind::kDataStore ? FlowKind::kDataStoreAccess : FlowKind::kServiceToService;
  flow.from = from.id;
  flow.to = target.id;
  flow.protocol = protocol;
  flow.port = port;
  flow.label = FlowLabel(protocol, port);
  flow.encrypted = ref.encrypted || TlsProtocol(protocol);
  flow.authenticated = ref.authenticated || CredentialFor(from, ref, target);
  flow.evidence.push_back(ref.evidence);
  return flow;
}

void AddReferenceFlows(BuildState& state) {
  // Addresses first: depends_on only confirms a flow they found, or adds one without them.
  for (bool weak : {false, true}) {
    std::map<std::pair<std::string, std::string>, std::string> between;
    for (const Flow& f : state.model.flows) between.emplace(std::make_pair(f.from, f.to), f.id);
    for (const Reference& ref : state.references) {
      if (ref.weak != weak) continue;
      const Element* from = state.Find(ref.from);
      if (from == nullptr) continue;
      for (const std::string& to : Resolve(state, ref)) {
        const Element* target = state.Find(to);
        if (target == nullptr || to == ref.from) continue;
        Flow flow = ReferenceFlow(ref, *from, *target);
        auto existing = between.find({ref.from, to});
        if (weak && existing != between.end()) flow.id = existing->second;
        state.AddFlow(std::move(flow));
      }
    }
  }
}

void AddMountFlows(BuildState& state) {
  struct Pending {
    std::string id;
    bool kubernetes;
    Mount mount;
  };
  std::vector<Pending> pending;
  for (const Element& element : state.model.elements) {
    auto info = state.workloads.find(element.id);
    bool kubernetes = info != state.workloads.end() && info->second.scope.starts_with("k8s:");
    for (const Mount& mount : element.mounts) {
      if (mount.type == "bind" || mount.type == "hostPath") pending.push_back({element.id, kubernetes, mount});
    }
  }
  for (const Pending& p : pending) {
    Flow flow;
    flow.from = p.id;
    flow.evidence.push_back(p.mount.evidence);
    if (p.mount.docker_socket) {
      std::string_view platform = p.kubernetes ? kContainerRuntime : kDockerEngine;
      EnsureWellKnown(state, platform, p.mount.evidence);
      flow.kind = FlowKind::kControlPlane;
      flow.to = std::string(platform);
      flow.protocol = p.mount.source.find("docker") != std::string::npos || !p.kubernetes ? "docker-api" : "cri";
      flow.id = FlowId(p.id, platform, flow.protocol);
      flow.label = FlowLabel(flow.protocol, 0) + " (" + p.mount.source + ")";
    } else {
      EnsureWellKnown(state, kHostFilesystem, p.mount.evidence);
      flow.kind = FlowKind::kHostMount;
      flow.to = std::string(kHostFilesystem);
      flow.protocol = "file";
      flow.id = FlowId(p.id, kHostFilesystem, p.mount.source);
      flow.label = "bind " + p.mount.source + (p.mount.read_only ? " (ro)" : "");
    }
    flow.bidirectional = !p.mount.read_only || p.mount.docker_socket;
    state.AddFlow(std::move(flow));
  }
}

void AddPullFlows(BuildState& state) {
  for (const ImagePull& pull : state.pulls) {
    EnsureWellKnown(state, pull.platform, pull.evidence);
    EnsureWellKnown(state, kRegistry, pull.evidence);
    bool local = pull.registry.starts_with("localhost") || pull.registry.starts_with("127.");
    state.AddFlow(NewFlow(FlowKind::kImagePull, pull.platform, kRegistry, pull.registry, local ? "http" : "https",
                          local ? 0 : 443, "pull " + pull.registry, pull.evidence));
  }
}

}  // namespace

void DeriveFlows(BuildState& state) {
  AddPlatformFlows(state);
  AddPublishedFlows(state);
  AddReferenceFlows(state);
  AddMountFlows(state);
  AddPullFlows(state);
}

}  // namespace bulwark::model::detail
