// Kubernetes workloads as elements: one per Deployment, StatefulSet,
// DaemonSet, Job, Pod..., a data store when a container's image (or port)
// is one, in the boundary of its namespace. Posture comes from the pod and
// container security contexts; a pod is as strong as its weakest container.
#include <algorithm>

#include "model/datastore_catalog.hpp"
#include "model/model_kubernetes.hpp"

namespace bulwark::model::detail {
namespace {

using parse::k8s::Container;
using parse::k8s::ContainerKind;
using parse::k8s::Object;
using parse::k8s::PodSpec;

std::vector<const Container*> Containers(const PodSpec& spec, bool with_init) {
  std::vector<const Container*> out;
  for (const Container& c : spec.containers) {
    if (c.kind == ContainerKind::kContainer || (with_init && c.kind == ContainerKind::kInitContainer)) {
      out.push_back(&c);
    }
  }
  return out;
}

const Technology* DetectTechnology(const PodSpec& spec) {
  const Technology* first = nullptr;
  for (const Container* c : Containers(spec, false)) {
    const Technology* tech = TechnologyForImage(c->image.value.value_or(""));
    if (tech && tech->data_store) return tech;
    if (!first) first = tech;
  }
  if (first) return first;
  for (const Container* c : Containers(spec, false)) {
    for (const auto& port : c->ports) {
      if (const Technology* tech = DataStoreForPort(static_cast<int>(port.container_port.value.value_or(0)))) {
        return tech;
      }
    }
  }
  return nullptr;
}

// Root, not root, or not said, for one container (its context over the pod's).
std::optional<bool> ContainerRoot(const PodSpec& spec, const Container& c, int64_t* uid) {
  const auto& own = c.security_context;
  const auto& pod = spec.security_context;
  auto user = own.run_as_user.value ? own.run_as_user.value : pod.run_as_user.value;
  if (user) {
    *uid = *user;
    return *user == 0;
  }
  auto non_root = own.run_as_non_root.value ? own.run_as_non_root.value : pod.run_as_non_root.value;
  if (non_root && *non_root) return false;
  return std::nullopt;
}

void ApplyUser(const SourceText& source, const PodSpec& spec, Element& element) {
  auto containers = Containers(spec, true);
  std::optional<bool> root = containers.empty() ? std::nullopt : std::optional<bool>(false);
  for (const Container* c : containers) {
    int64_t uid = -1;
    std::optional<bool> this_root = ContainerRoot(spec, *c, &uid);
    if (element.user.empty() && uid >= 0) element.user = std::to_string(uid);
    if (this_root.value_or(false)) {
      root = true;
      int line = c->security_context.run_as_user.key.line;
      AddEvidence(element.evidence, source.At(line ? line : spec.security_context.run_as_user.key.line));
    } else if (!this_root && root == false) {
      root = std::nullopt;
    }
  }
  element.runs_as_root = root;
}

void ApplyPrivileges(const SourceText& source, const PodSpec& spec, Element& element) {
  auto main = Containers(spec, false);
  bool all_dropped = !main.empty();
  bool read_only = !main.empty();
  bool no_escalation = !main.empty();
  for (const Container* c : Containers(spec, true)) {
    const auto& sc = c->security_context;
    if (sc.privileged.Is(true)) {
      element.privileged = true;
      AddEvidence(element.evidence, source.At(sc.privileged.key.line));
    }
    for (const auto& cap : sc.capabilities.add) {
      std::string name = cap.value.value_or("");
      for (char& ch : name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      if (name.starts_with("CAP_")) name = name.substr(4);
      if (!name.empty()) AddUnique(element.capabilities_added, name);
      AddEvidence(element.evidence, source.At(cap.at.line));
    }
  }
  for (const Container* c : main) {
    const auto& sc = c->security_context;
    bool drops_all = std::any_of(sc.capabilities.drop.begin(), sc.capabilities.drop.end(),
                                 [](const auto& d) { return d.value && Lower(*d.value) == "all"; });
    all_dropped = all_dropped && drops_all;
    read_only = read_only && sc.read_only_root_filesystem.Is(true);
    no_escalation = no_escalation && sc.allow_privilege_escalation.Is(false);
  }
  element.capabilities_all_dropped = all_dropped;
  element.read_only_rootfs = read_only;
  element.no_new_privileges = no_escalation;
}

void ApplyPodPosture(const SourceText& source, const PodSpec& spec, Element& element) {
  ApplyUser(source, spec, element);
  ApplyPrivileges(source, spec, element);
  auto host = [&](const parse::k8s::BoolField& field, bool& flag) {
    if (!field.Is(true)) return;
    flag = true;
    AddEvidence(element.evidence, source.At(field.key.line));
  };
  host(spec.host_network, element.host_network);
  host(spec.host_pid, element.host_pid);
  host(spec.host_ipc, element.host_ipc);
  auto main = Containers(spec, false);
  element.resource_limits = !main.empty() && std::all_of(main.begin(), main.end(), [](const Container* c) {
    return c->resources.memory_limit.value && c->resources.cpu_limit.value;
  });
  element.healthcheck = std::any_of(main.begin(), main.end(), [](const Container* c) {
    return c->liveness_probe.known() || c->readiness_probe.known();
  });
  element.image_pinned = !main.empty() && std::all_of(main.begin(), main.end(), [](const Container* c) {
    return ImagePinned(c->image.value.value_or(""));
  });
}

void AddPorts(const SourceText& source, const PodSpec& spec, Element& element) {
  for (const Container* c : Containers(spec, false)) {
    for (const auto& p : c->ports) {
      PortBinding port;
      port.container_port = static_cast<int>(std::clamp<int64_t>(p.container_port.value.value_or(0), 0, 65535));
      port.host_port = static_cast<int>(std::clamp<int64_t>(p.host_port.value.value_or(0), 0, 65535));
      port.published = port.host_port > 0;  // hostPort: on every interface of the node
      port.protocol = Lower(p.protocol.value.value_or("tcp"));
      port.evidence = source.At(p.pos.line);
      element.ports.push_back(std::move(port));
    }
  }
}

std::string MountType(const std::string& volume_type) {
  if (volume_type == "configMap") return "configmap";
  if (volume_type == "persistentVolumeClaim") return "volume";
  return volume_type;
}

void AddMounts(const SourceText& source, const PodSpec& spec, Element& element) {
  for (const Container* c : Containers(spec, true)) {
    for (const auto& vm : c->volume_mounts) {
      const std::string name = vm.name.value.value_or("");
      auto volume = std::find_if(spec.volumes.begin(), spec.volumes.end(),
                                 [&](const auto& v) { return v.name.value.value_or("") == name; });
      if (volume == spec.volumes.end()) continue;
      Mount mount;
      mount.type = MountType(volume->type);
      mount.source = volume->type == "hostPath" ? volume->host_path.value.value_or("") : name;
      mount.target = vm.mount_path.value.value_or("");
      mount.read_only = vm.read_only.Is(true);
      mount.docker_socket = volume->type == "hostPath" && IsRuntimeSocket(mount.source);
      mount.sensitive_host_path = volume->type == "hostPath" && IsSensitiveHostPath(mount.source);
      mount.evidence = source.At(vm.pos.line);
      if (volume->type == "secret") element.credentials.push_back(CredentialRef{name, false, mount.evidence});
      element.mounts.push_back(std::move(mount));
    }
  }
}

void AddEnvironment(BuildState& state, const SourceText& source, const PodSpec& spec, const std::string& scope,
                    Element& element) {
  for (const Container* c : Containers(spec, true)) {
    for (const auto& env : c->env) {
      EnvVar var{env.name.value.value_or(""), env.value.value, env.secret_key_ref.known(), source.At(env.pos.line)};
      if (!var.name.empty()) ReadEnvironment(state, element, scope, var);
    }
    for (const auto& from : c->env_from) {
      if (from.secret) {
        element.credentials.push_back(CredentialRef{from.name.value.value_or(""), false, source.At(from.pos.line)});
      }
    }
  }
}

void AddPulls(BuildState& state, const SourceText& source, const PodSpec& spec) {
  for (const Container& c : spec.containers) {
    if (c.image_pull_policy.Is("Never") || !c.image.value) continue;
    std::string registry = RegistryOf(*c.image.value);
    if (!registry.empty()) state.pulls.push_back({std::string(kKubernetesApi), registry, source.At(c.image.key.line)});
  }
}

std::string WorkloadName(const Object& object) {
  if (object.metadata.name.value && !object.metadata.name.value->empty()) return *object.metadata.name.value;
  if (object.metadata.generate_name.value) return *object.metadata.generate_name.value;
  return "unnamed";
}

int Replicas(const SourceText& source, const Object& object, BuildState& state) try {
  RawReader raw(source, object, state.model.diagnostics);
  if (raw.root() == nullptr) return 1;
  auto spec = raw.reader().Find(*raw.root(), "spec");
  if (!spec) return 1;
  auto replicas = raw.reader().Int(spec->value, "replicas");
  return replicas.value ? static_cast<int>(std::clamp<int64_t>(*replicas.value, 0, 100000)) : 1;
} catch (const std::exception&) {
  return 1;  // yaml-cpp threw on odd input: the default
}

Element NewElement(BuildState& state, const Object& object, const std::string& scope, const std::string& name) {
  const Technology* tech = DetectTechnology(object.pod->spec);
  bool data_store = tech != nullptr && tech->data_store;
  Element element;
  element.id = std::string(data_store ? "datastore:" : "service:") + state.QualifiedName(scope, name);
  // Two workloads of one name in one namespace (a Deployment and a Job): told apart by kind.
  auto known = state.workloads.find(element.id);
  if (known != state.workloads.end() && known->second.kind != object.kind.value.value_or("")) {
    element.id += "-" + Lower(object.kind.value.value_or("object"));
  }
  element.kind = data_store ? ElementKind::kDataStore : ElementKind::kService;
  element.name = name;
  element.technology = tech ? std::string(tech->id) : "";
  auto main = Containers(object.pod->spec, false);
  if (!main.empty()) element.image = main.front()->image.value.value_or("");
  std::string what = data_store ? std::string(tech->display) + " " + std::string(tech->what) + " (" : "";
  element.description = what + object.kind.value.value_or("Workload") + " in namespace " + object.Namespace() +
                        (data_store ? ")" : "");
  return element;
}

void AddWorkload(BuildState& state, const SourceText& source, const Object& object, std::vector<PodRef>& pods) {
  const std::string ns = object.Namespace();
  const std::string scope = "k8s:" + ns;
  const std::string name = WorkloadName(object);
  Element element = NewElement(state, object, scope, name);
  Evidence definition = source.At(object.metadata.name.key.line ? object.metadata.name.key.line : object.pos.line);
  // The same object in two files (an all-in-one manifest beside the parts) is one workload.
  if (Element* existing = state.Find(element.id)) return AddEvidence(existing->evidence, definition);
  const PodSpec& spec = object.pod->spec;
  element.evidence.push_back(definition);
  element.networks.push_back(ns);
  element.boundary = "boundary:namespace:" + ns;
  int ns_line = object.metadata.namespace_name.key.line;
  EnsureNamespace(state, ns, ns_line ? source.At(ns_line) : source.At(0, "no namespace: the default namespace"));
  if (object.kind.Is("Deployment") || object.kind.Is("StatefulSet") || object.kind.Is("ReplicaSet") ||
      object.kind.Is("ReplicationController")) {
    element.replicas = Replicas(source, object, state);
  }
  ApplyPodPosture(source, spec, element);
  AddPorts(source, spec, element);
  AddMounts(source, spec, element);
  AddEnvironment(state, source, spec, scope, element);
  AddPulls(state, source, spec);
  PodRef pod{element.id, ns, object.pod->metadata.labels, spec.automount_service_account_token.value,
             source.At(spec.automount_service_account_token.key.line),
             spec.service_account_name.value.value_or("default"), definition};
  if (pod.service_account.empty()) pod.service_account = "default";
  pods.push_back(std::move(pod));
  state.workloads[element.id] = MakeWorkload(scope, false, object.kind.value.value_or(""));
  state.AddName(scope, name, element.id);
  state.AddElement(std::move(element));
}

}  // namespace

void AddWorkloads(BuildState& state, const std::vector<KubernetesInput>& inputs, std::vector<PodRef>& pods) {
  for (const KubernetesInput& input : inputs) {
    for (const Object& object : input.manifest.objects) {
      if (!state.uses_kubernetes) {
        state.uses_kubernetes = true;
        state.kubernetes_evidence = input.source->At(object.kind.key.line);
      }
      if (object.pod) AddWorkload(state, *input.source, object, pods);
    }
  }
}

void AddKubernetes(BuildState& state, const std::vector<KubernetesInput>& inputs) {
  std::vector<PodRef> pods;
  AddWorkloads(state, inputs, pods);
  AddNetworking(state, inputs, pods);
}

}  // namespace bulwark::model::detail
