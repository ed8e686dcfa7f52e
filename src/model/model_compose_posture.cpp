// A compose service's runtime posture, ports and mounts, read onto its
// element. Only what the file says is set, so a later compose file (an
// override) adds to what an earlier one said.
#include <algorithm>
#include <array>

#include "model/model_derive.hpp"

namespace bulwark::model::detail {
namespace {

using parse::ComposeValue;

bool IsTrue(const std::optional<ComposeValue>& value) { return value && value->AsBool().value_or(false); }

void Note(const SourceText& source, const parse::YamlMark& mark, Element& element) {
  AddEvidence(element.evidence, source.At(mark.line));
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

void ApplyCapabilities(const SourceText& source, const parse::ComposeService& service, Element& element) {
  if (service.cap_add) {
    for (const ComposeValue& cap : service.cap_add->items) {
      std::string name = Upper(cap.text);
      if (name.starts_with("CAP_")) name = name.substr(4);
      AddUnique(element.capabilities_added, name);
      Note(source, cap.mark, element);
    }
  }
  if (service.cap_drop) {
    for (const ComposeValue& cap : service.cap_drop->items) {
      if (Upper(cap.text) == "ALL") element.capabilities_all_dropped = true;
    }
  }
}

void ApplyNamespaces(const SourceText& source, const parse::ComposeService& service, Element& element) {
  if (service.network_mode && service.network_mode->text == "host") {
    element.host_network = true;
    Note(source, service.network_mode->key, element);
  }
  if (service.pid && service.pid->text == "host") {
    element.host_pid = true;
    Note(source, service.pid->key, element);
  }
  if (service.ipc && service.ipc->text == "host") {
    element.host_ipc = true;
    Note(source, service.ipc->key, element);
  }
}

bool NoNewPrivileges(const parse::ComposeService& service) {
  if (!service.security_opt) return false;
  bool on = false;
  for (const ComposeValue& opt : service.security_opt->items) {
    std::string text = Lower(opt.text);
    if (!text.starts_with("no-new-privileges")) continue;
    std::string rest = text.substr(std::string_view("no-new-privileges").size());
    on = rest.empty() || rest == ":true" || rest == "=true";
  }
  return on;
}

bool ResourceLimits(const parse::ComposeService& service) {
  const parse::ComposeResources* limits = service.deploy ? &service.deploy->limits : nullptr;
  bool memory = service.mem_limit || (limits && limits->memory);
  bool other = service.cpus || service.cpu_quota || service.pids_limit || (limits && (limits->cpus || limits->pids));
  return memory && other;
}

int Replicas(const parse::ComposeService& service) {
  if (!service.deploy || !service.deploy->replicas) return 1;
  auto n = service.deploy->replicas->AsInt();
  if (!n || *n < 0) return 1;
  return static_cast<int>(std::min<int64_t>(*n, 100000));
}

// A port as written: a number, or `${PORT:-8080}` read as its default.
int PortNumber(int first, const std::string& text) {
  if (first > 0) return first;
  if (!parse::HasInterpolation(text)) return LeadingPort(text);
  return LeadingPort(parse::InterpolationDefault(text).value_or(""));
}

std::string HostIp(const std::string& text) {
  if (!parse::HasInterpolation(text)) return text;
  return parse::InterpolationDefault(text).value_or("");
}

}  // namespace

ComposeRuntime ApplyComposePosture(const SourceText& source, const parse::ComposeService& service,
                                   Element& element) {
  ComposeRuntime runtime;
  if (service.user && !service.user->text.empty()) {
    element.user = service.user->text;
    element.runs_as_root = UserIsRoot(service.user->text);
    runtime.user_set = true;
    Note(source, service.user->key, element);
  }
  if (IsTrue(service.privileged)) {
    element.privileged = true;
    Note(source, service.privileged->key, element);
  }
  ApplyCapabilities(source, service, element);
  ApplyNamespaces(source, service, element);
  if (IsTrue(service.read_only)) element.read_only_rootfs = true;
  if (NoNewPrivileges(service)) element.no_new_privileges = true;
  if (ResourceLimits(service)) element.resource_limits = true;
  if (service.healthcheck) {
    element.healthcheck = !service.healthcheck->Disabled();
    runtime.healthcheck_set = true;
    Note(source, service.healthcheck->key, element);
  }
  if (service.image) element.image_pinned = ImagePinned(service.image->text);
  if (service.deploy && service.deploy->replicas) element.replicas = Replicas(service);
  return runtime;
}

void AddComposePorts(const SourceText& source, const parse::ComposeService& service, Element& element) {
  for (const parse::ComposePort& p : service.ports) {
    PortBinding port;
    port.container_port = PortNumber(p.target_first, p.target);
    port.host_port = PortNumber(p.published_first, p.published);
    port.host_ip = HostIp(p.host_ip);
    if (port.host_ip.size() > 2 && port.host_ip.front() == '[' && port.host_ip.back() == ']') {
      port.host_ip = port.host_ip.substr(1, port.host_ip.size() - 2);
    }
    port.protocol = p.protocol.empty() ? "tcp" : Lower(p.protocol);
    port.published = true;
    port.evidence = source.At(p.mark.line);
    element.ports.push_back(std::move(port));
  }
  // `expose:` names container ports other services reach; nothing is published.
  const parse::YamlNode* expose = service.node ? service.node->Find("expose") : nullptr;
  if (expose == nullptr) return;
  std::vector<parse::YamlNodePtr> items = expose->IsSequence() ? expose->items() : std::vector<parse::YamlNodePtr>{};
  for (const parse::YamlNodePtr& item : items) {
    if (!item || !item->IsScalar()) continue;
    PortBinding port;
    port.container_port = PortNumber(0, item->text());
    if (port.container_port == 0) continue;
    port.evidence = source.At(item->mark().line);
    element.ports.push_back(std::move(port));
  }
}

void AddComposeMounts(const SourceText& source, const parse::ComposeService& service, Element& element) {
  for (const parse::ComposeVolume& v : service.volumes) {
    Mount mount;
    mount.type = v.type;
    mount.source = v.source;
    mount.target = v.target;
    mount.read_only = v.read_only;
    bool host = v.type == "bind";
    mount.docker_socket = host && IsRuntimeSocket(v.source);
    mount.sensitive_host_path = host && IsSensitiveHostPath(v.source);
    mount.evidence = source.At(v.mark.line);
    element.mounts.push_back(std::move(mount));
  }
  if (IsTrue(service.use_api_socket)) {
    Mount mount{"bind", "/var/run/docker.sock", "/var/run/docker.sock", false, true, true,
                source.At(service.use_api_socket->key.line)};
    element.mounts.push_back(std::move(mount));
  }
  if (service.tmpfs) {
    for (const ComposeValue& t : service.tmpfs->items) {
      element.mounts.push_back(Mount{"tmpfs", "", t.text.substr(0, t.text.find(':')), false, false, false,
                                     source.At(t.mark.line)});
    }
  }
}

bool IsRuntimeSocket(std::string_view host_path) {
  std::string path(host_path);
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  static constexpr std::array<std::string_view, 6> kSockets = {
      "docker.sock", "containerd.sock", "crio.sock", "podman.sock", "cri-dockerd.sock", "dockershim.sock"};
  for (std::string_view socket : kSockets) {
    if (path == socket || path.ends_with("/" + std::string(socket))) return true;
  }
  // The directories that hold them hand the socket over too.
  return path == "/var/run" || path == "/run" || path == "/var/run/docker" || path == "/run/containerd" ||
         path == "/var/run/containerd";
}

bool IsSensitiveHostPath(std::string_view host_path) {
  std::string path(host_path);
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path == "~" || path.starts_with("~/")) return true;
  if (path == "/etc/localtime" || path == "/etc/timezone") return false;
  static constexpr std::array<std::string_view, 13> kPaths = {
      "/etc", "/proc", "/sys", "/var/lib/docker", "/var/lib/kubelet", "/root", "/home",
      "/boot", "/dev",  "/var/run", "/run",       "/lib/modules",     "/var/lib/containerd"};
  if (path == "/") return true;
  for (std::string_view p : kPaths) {
    if (path == p || path.starts_with(std::string(p) + "/")) return true;
  }
  return false;
}

}  // namespace bulwark::model::detail
