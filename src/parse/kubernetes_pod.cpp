// Pod specs: containers (all three lists), volumes and host aliases.
#include "parse/kubernetes_pod.hpp"

#include <utility>

namespace bulwark::parse::k8s::detail {
namespace {

Pos KeyPos(NodeReader& reader, const YAML::Node& map, std::string_view key) {
  auto entry = reader.Find(map, key);
  return entry ? reader.PosOf(entry->key) : Pos{};
}

Resources ReadResources(NodeReader& reader, const YAML::Node& container) {
  Resources out;
  auto entry = reader.Find(container, "resources");
  if (!entry) return out;
  out.key = reader.PosOf(entry->key);
  if (auto limits = reader.Find(entry->value, "limits")) {
    out.limits_key = reader.PosOf(limits->key);
    out.cpu_limit = reader.String(limits->value, "cpu");
    out.memory_limit = reader.String(limits->value, "memory");
  }
  if (auto requests = reader.Find(entry->value, "requests")) {
    out.requests_key = reader.PosOf(requests->key);
    out.cpu_request = reader.String(requests->value, "cpu");
    out.memory_request = reader.String(requests->value, "memory");
  }
  return out;
}

std::vector<ContainerPort> ReadPorts(NodeReader& reader, const YAML::Node& container) {
  std::vector<ContainerPort> out;
  auto entry = reader.Find(container, "ports");
  if (!entry) return out;
  for (const YAML::Node& item : reader.Items(entry->value, "ports")) {
    ContainerPort port;
    port.pos = reader.PosOf(item);
    port.container_port = reader.Int(item, "containerPort");
    port.host_port = reader.Int(item, "hostPort");
    port.protocol = reader.String(item, "protocol");
    out.push_back(std::move(port));
  }
  return out;
}

EnvVar ReadEnvVar(NodeReader& reader, const YAML::Node& item) {
  EnvVar var;
  var.pos = reader.PosOf(item);
  var.name = reader.String(item, "name");
  var.value = reader.String(item, "value");
  auto value_from = reader.Find(item, "valueFrom");
  if (!value_from) return var;
  if (auto ref = reader.Find(value_from->value, "secretKeyRef")) {
    var.secret_key_ref = reader.PosOf(ref->key);
    var.secret_name = reader.String(ref->value, "name");
    var.secret_key = reader.String(ref->value, "key");
  }
  return var;
}

std::vector<EnvFrom> ReadEnvFrom(NodeReader& reader, const YAML::Node& container) {
  std::vector<EnvFrom> out;
  auto entry = reader.Find(container, "envFrom");
  if (!entry) return out;
  for (const YAML::Node& item : reader.Items(entry->value, "envFrom")) {
    EnvFrom from;
    from.pos = reader.PosOf(item);
    if (auto secret = reader.Find(item, "secretRef")) {
      from.secret = true;
      from.name = reader.String(secret->value, "name");
    } else if (auto config = reader.Find(item, "configMapRef")) {
      from.name = reader.String(config->value, "name");
    }
    out.push_back(std::move(from));
  }
  return out;
}

std::vector<VolumeMount> ReadVolumeMounts(NodeReader& reader, const YAML::Node& container) {
  std::vector<VolumeMount> out;
  auto entry = reader.Find(container, "volumeMounts");
  if (!entry) return out;
  for (const YAML::Node& item : reader.Items(entry->value, "volumeMounts")) {
    VolumeMount mount;
    mount.pos = reader.PosOf(item);
    mount.name = reader.String(item, "name");
    mount.mount_path = reader.String(item, "mountPath");
    mount.read_only = reader.Bool(item, "readOnly");
    out.push_back(std::move(mount));
  }
  return out;
}

Container ReadContainer(NodeReader& reader, const YAML::Node& item, ContainerKind kind) {
  Container c;
  c.kind = kind;
  c.pos = reader.PosOf(item);
  if (!item.IsMap()) {
    reader.Diagnose(c.pos, std::string(ContainerKindName(kind)) + " entry should be a map");
    return c;
  }
  c.name = reader.String(item, "name");
  c.image = reader.String(item, "image");
  c.image_pull_policy = reader.String(item, "imagePullPolicy");
  if (auto context = reader.Find(item, "securityContext")) {
    c.security_context = ReadSecurityContext(reader, *context, ContextLevel::kContainer);
  }
  c.resources = ReadResources(reader, item);
  c.ports = ReadPorts(reader, item);
  if (auto env = reader.Find(item, "env")) {
    for (const YAML::Node& var : reader.Items(env->value, "env")) {
      c.env.push_back(ReadEnvVar(reader, var));
    }
  }
  c.env_from = ReadEnvFrom(reader, item);
  c.volume_mounts = ReadVolumeMounts(reader, item);
  c.liveness_probe = KeyPos(reader, item, "livenessProbe");
  c.readiness_probe = KeyPos(reader, item, "readinessProbe");
  c.startup_probe = KeyPos(reader, item, "startupProbe");
  return c;
}

void ReadContainers(NodeReader& reader, const YAML::Node& spec, std::string_view key,
                    ContainerKind kind, std::vector<Container>& out) {
  auto entry = reader.Find(spec, key);
  if (!entry) return;
  if (!entry->value.IsSequence()) {
    reader.Diagnose(reader.PosOf(entry->value), "'" + std::string(key) + "' should be a list");
    return;
  }
  for (const YAML::Node& item : reader.Items(entry->value, key)) {
    out.push_back(ReadContainer(reader, item, kind));
  }
}

Volume ReadVolume(NodeReader& reader, const YAML::Node& item) {
  Volume volume;
  volume.pos = reader.PosOf(item);
  volume.name = reader.String(item, "name");
  for (const Entry& entry : reader.Entries(item)) {
    if (entry.key.Scalar() == "name") continue;
    // A volume has exactly one source; the first other key is it.
    volume.type = entry.key.Scalar();
    volume.type_pos = reader.PosOf(entry.key);
    break;
  }
  if (volume.type == "hostPath") {
    if (auto host = reader.Find(item, "hostPath")) {
      volume.host_path = reader.String(host->value, "path");
      volume.host_path_type = reader.String(host->value, "type");
    }
  }
  return volume;
}

std::vector<HostAlias> ReadHostAliases(NodeReader& reader, const Entry& entry) {
  std::vector<HostAlias> out;
  for (const YAML::Node& item : reader.Items(entry.value, "hostAliases")) {
    HostAlias alias;
    alias.pos = reader.PosOf(item);
    alias.ip = reader.String(item, "ip");
    alias.hostnames = reader.StringList(item, "hostnames");
    out.push_back(std::move(alias));
  }
  return out;
}

}  // namespace

PodSpec ReadPodSpec(NodeReader& reader, const Entry& spec_entry) {
  PodSpec pod;
  pod.key = reader.PosOf(spec_entry.key);
  const YAML::Node& spec = spec_entry.value;
  if (!spec.IsMap()) {
    reader.Diagnose(reader.PosOf(spec), "the pod spec should be a map");
    return pod;
  }
  pod.host_network = reader.Bool(spec, "hostNetwork");
  pod.host_pid = reader.Bool(spec, "hostPID");
  pod.host_ipc = reader.Bool(spec, "hostIPC");
  pod.host_users = reader.Bool(spec, "hostUsers");
  pod.automount_service_account_token = reader.Bool(spec, "automountServiceAccountToken");
  if (auto os = reader.Find(spec, "os")) pod.os_name = reader.String(os->value, "name");
  pod.service_account_name = reader.String(spec, "serviceAccountName");
  if (!pod.service_account_name.present()) {
    pod.service_account_name = reader.String(spec, "serviceAccount");  // deprecated alias
  }
  if (auto context = reader.Find(spec, "securityContext")) {
    pod.security_context = ReadSecurityContext(reader, *context, ContextLevel::kPod);
  }
  if (auto volumes = reader.Find(spec, "volumes")) {
    for (const YAML::Node& item : reader.Items(volumes->value, "volumes")) {
      pod.volumes.push_back(ReadVolume(reader, item));
    }
  }
  if (auto aliases = reader.Find(spec, "hostAliases")) {
    pod.host_aliases_key = reader.PosOf(aliases->key);
    pod.host_aliases = ReadHostAliases(reader, *aliases);
  }
  ReadContainers(reader, spec, "containers", ContainerKind::kContainer, pod.containers);
  ReadContainers(reader, spec, "initContainers", ContainerKind::kInitContainer, pod.containers);
  ReadContainers(reader, spec, "ephemeralContainers", ContainerKind::kEphemeralContainer,
                 pod.containers);
  return pod;
}

}  // namespace bulwark::parse::k8s::detail
