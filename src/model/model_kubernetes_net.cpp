// How Kubernetes workloads are reached: a Service makes its name reach the
// pods it selects (and a NodePort or LoadBalancer publishes them); an
// Ingress is a flow from the internet user straight to the pods behind its
// backend Services (the ingress controller itself is not in the files, so
// it is not modelled); a default-deny NetworkPolicy isolates its namespace;
// a mounted service account token is a flow to the API server.
#include <algorithm>
#include <map>

#include "model/datastore_catalog.hpp"
#include "model/model_kubernetes.hpp"

namespace bulwark::model::detail {
namespace {

using parse::k8s::Object;
using parse::k8s::detail::Entry;
using parse::k8s::detail::NodeReader;

constexpr size_t kRawBudget = 200000;  // nodes one object's extra fields may cost

struct Ctx {
  BuildState& state;
  const SourceText& source;
  const Object& object;
  const std::vector<PodRef>& pods;
  std::string ns;
  std::string scope;
};

bool Selects(const std::vector<parse::k8s::KeyValue>& selector, const PodRef& pod) {
  if (selector.empty()) return false;  // a Service without a selector points at manual endpoints
  return std::all_of(selector.begin(), selector.end(), [&](const auto& want) {
    return std::any_of(pod.labels.begin(), pod.labels.end(),
                       [&](const auto& have) { return have.key == want.key && have.value == want.value; });
  });
}

PortBinding ServicePort(NodeReader& reader, const YAML::Node& item, const std::string& type, Ctx& ctx) {
  auto port = reader.Int(item, "port");
  auto target = reader.Int(item, "targetPort");  // a name (string) reads as absent
  auto node_port = reader.Int(item, "nodePort");
  auto protocol = reader.String(item, "protocol");
  PortBinding binding;
  int service_port = static_cast<int>(std::clamp<int64_t>(port.value.value_or(0), 0, 65535));
  binding.container_port = static_cast<int>(std::clamp<int64_t>(target.value.value_or(service_port), 0, 65535));
  binding.protocol = Lower(protocol.value.value_or("tcp"));
  binding.evidence = ctx.source.At(reader.PosOf(item).line);
  if (type == "NodePort") {
    binding.published = true;
    binding.host_port = static_cast<int>(std::clamp<int64_t>(node_port.value.value_or(0), 0, 65535));
  } else if (type == "LoadBalancer") {
    binding.published = true;
    binding.host_port = service_port;
  }
  return binding;
}

void AddPortTo(Element& element, const PortBinding& binding) {
  for (const PortBinding& p : element.ports) {
    if (p.container_port == binding.container_port && p.published == binding.published &&
        p.host_port == binding.host_port) {
      return;
    }
  }
  element.ports.push_back(binding);
}

void AddService(Ctx& ctx) {
  RawReader raw(ctx.source, ctx.object, ctx.state.model.diagnostics);
  if (raw.root() == nullptr) return;
  NodeReader& reader = raw.reader();
  auto spec = reader.Find(*raw.root(), "spec");
  if (!spec) return;
  std::string type = reader.String(spec->value, "type").value.value_or("ClusterIP");
  std::vector<parse::k8s::KeyValue> selector = reader.StringMap(spec->value, "selector");
  std::vector<PortBinding> ports;
  if (auto list = reader.Find(spec->value, "ports")) {
    for (const YAML::Node& item : reader.Items(list->value, "ports")) ports.push_back(ServicePort(reader, item, type, ctx));
  }
  const std::string name = ctx.object.metadata.name.value.value_or("");
  Evidence definition = ctx.source.At(ctx.object.metadata.name.key.line);
  for (const PodRef& pod : ctx.pods) {
    if (pod.name_space != ctx.ns || !Selects(selector, pod)) continue;
    Element* element = ctx.state.Find(pod.id);
    if (element == nullptr) continue;
    if (!name.empty()) ctx.state.AddName(ctx.scope, name, pod.id);
    AddEvidence(element->evidence, definition);
    for (const PortBinding& binding : ports) AddPortTo(*element, binding);
  }
}

// The Service names an Ingress sends traffic to, with where each is written.
void IngressBackend(NodeReader& reader, const YAML::Node& backend, std::vector<std::pair<std::string, int>>& out) {
  if (auto service = reader.Find(backend, "service")) {
    auto name = reader.String(service->value, "name");
    if (name.value) out.emplace_back(*name.value, name.at.line);
  }
  auto legacy = reader.String(backend, "serviceName");  // extensions/v1beta1
  if (legacy.value) out.emplace_back(*legacy.value, legacy.at.line);
}

std::vector<std::pair<std::string, int>> IngressBackends(NodeReader& reader, const YAML::Node& spec) {
  std::vector<std::pair<std::string, int>> out;
  for (std::string_view key : {"defaultBackend", "backend"}) {
    if (auto backend = reader.Find(spec, key)) IngressBackend(reader, backend->value, out);
  }
  auto rules = reader.Find(spec, "rules");
  if (!rules) return out;
  for (const YAML::Node& rule : reader.Items(rules->value, "rules")) {
    auto http = reader.Find(rule, "http");
    auto paths = http ? reader.Find(http->value, "paths") : std::nullopt;
    if (!paths) continue;
    for (const YAML::Node& path : reader.Items(paths->value, "paths")) {
      if (auto backend = reader.Find(path, "backend")) IngressBackend(reader, backend->value, out);
    }
  }
  return out;
}

void AddIngress(Ctx& ctx) {
  RawReader raw(ctx.source, ctx.object, ctx.state.model.diagnostics);
  if (raw.root() == nullptr) return;
  NodeReader& reader = raw.reader();
  auto spec = reader.Find(*raw.root(), "spec");
  if (!spec) return;
  auto tls = reader.Find(spec->value, "tls");
  bool https = tls && !reader.Items(tls->value, "tls").empty();
  std::string protocol = https ? "https" : "http";
  int port = https ? 443 : 80;
  for (const auto& [service, line] : IngressBackends(reader, spec->value)) {
    const auto* ids = ctx.state.Lookup(ctx.scope, service);
    if (ids == nullptr) continue;
    Evidence evidence = ctx.source.At(line);
    EnsureWellKnown(ctx.state, kInternetUser, evidence);
    for (const std::string& id : *ids) {
      Element* element = ctx.state.Find(id);
      if (element == nullptr) continue;
      AddTag(*element, "internet-facing");
      AddTag(*element, "ingress");
      ctx.state.AddFlow(NewFlow(FlowKind::kPublishedPort, kInternetUser, id, std::to_string(port), protocol, port,
                                FlowLabel(protocol, port) + " (ingress)", evidence));
    }
  }
}

// A policy for every pod with no ingress rule denies all traffic in.
void AddNetworkPolicy(Ctx& ctx) {
  const auto& policy = *ctx.object.network_policy;
  if (!policy.pod_selector.Empty()) return;
  bool ingress_type = policy.policy_types.empty() ||
                      std::any_of(policy.policy_types.begin(), policy.policy_types.end(),
                                  [](const auto& t) { return t.Is("Ingress"); });
  if (!ingress_type) return;
  RawReader raw(ctx.source, ctx.object, ctx.state.model.diagnostics);
  if (raw.root() == nullptr) return;
  auto spec = raw.reader().Find(*raw.root(), "spec");
  auto rules = spec ? raw.reader().Find(spec->value, "ingress") : std::nullopt;
  if (rules && !raw.reader().Items(rules->value, "ingress").empty()) return;
  Evidence evidence = ctx.source.At(ctx.object.metadata.name.key.line);
  EnsureNamespace(ctx.state, ctx.ns, evidence);
  TrustBoundary isolated;
  isolated.id = "boundary:namespace:" + ctx.ns;
  isolated.isolated = true;
  isolated.evidence.push_back(evidence);
  ctx.state.AddBoundary(std::move(isolated));  // merges into the namespace's boundary
}

void AddTokenFlows(BuildState& state, const std::map<std::pair<std::string, std::string>, std::pair<bool, Evidence>>& accounts,
                   const std::vector<PodRef>& pods) {
  for (const PodRef& pod : pods) {
    bool mounted = pod.automount_token.value_or(true);
    Evidence evidence = pod.automount_evidence;
    if (!pod.automount_token) {
      auto account = accounts.find({pod.name_space, pod.service_account});
      if (account != accounts.end()) {
        mounted = account->second.first;
        evidence = account->second.second;
      } else {
        evidence = Evidence{pod.definition.path, 0, "automountServiceAccountToken not set: the token is mounted"};
      }
    }
    if (!mounted || state.Find(pod.id) == nullptr) continue;
    EnsureWellKnown(state, kKubernetesApi, evidence);
    Flow flow = NewFlow(FlowKind::kControlPlane, pod.id, kKubernetesApi, "443", "https", 443,
                        "HTTPS :443 (service account token)", std::move(evidence));
    flow.authenticated = true;
    state.AddFlow(std::move(flow));
  }
}

}  // namespace

RawReader::RawReader(const SourceText& source, const Object& object, std::vector<core::Diagnostic>& diagnostics)
    : budget_(kRawBudget),
      root_(object.node.get()),
      reader_(source.path(), root_ && root_->Mark().line >= 0 ? object.pos.line - root_->Mark().line - 1 : 0,
              budget_, diagnostics) {}

void AddNetworking(BuildState& state, const std::vector<KubernetesInput>& inputs, const std::vector<PodRef>& pods) {
  std::map<std::pair<std::string, std::string>, std::pair<bool, Evidence>> accounts;
  auto each_object = [&](auto&& read) {
    for (const KubernetesInput& input : inputs) {
      for (const Object& object : input.manifest.objects) {
        Ctx ctx{state, *input.source, object, pods, object.Namespace(), "k8s:" + object.Namespace()};
        try {
          read(ctx);
        } catch (const std::exception& error) {
          // yaml-cpp can throw from a node accessor on odd input: skip the object.
          state.Diagnose(input.source->path(), object.pos.line, object.pos.column,
                         std::string("could not read ") + object.Ref() + ": " + error.what());
        }
      }
    }
  };
  each_object([&](Ctx& ctx) {
    const Object& object = ctx.object;
    const auto& name = object.metadata.name;
    if (object.kind.Is("Namespace") && name.value) EnsureNamespace(state, *name.value, ctx.source.At(name.key.line));
    if (object.kind.Is("Service")) AddService(ctx);
    if (object.network_policy) AddNetworkPolicy(ctx);
    if (object.kind.Is("ServiceAccount") && name.value) {
      const auto& automount = object.automount_service_account_token;
      accounts[{ctx.ns, *name.value}] = {automount.value.value_or(true),
                                         ctx.source.At(automount.key.line ? automount.key.line : name.key.line)};
    }
  });
  // After the Services: an Ingress names them.
  each_object([&](Ctx& ctx) {
    if (ctx.object.kind.Is("Ingress")) AddIngress(ctx);
  });
  AddTokenFlows(state, accounts, pods);
}

}  // namespace bulwark::model::detail
