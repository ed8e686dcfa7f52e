// CIS section 5, container runtime (5.1 - 5.32): the list in the benchmark's
// order, check 5.1 (the host's swarm state) and the helpers the themed files
// share. docker-bench runs section 5 only when a container runs; the runner
// does the same through HostScope::kContainers.
#include <algorithm>
#include <cstdlib>

#include "host/checks_section5_internal.hpp"
#include "host/json_access.hpp"

namespace bulwark::host {
namespace section5 {

std::vector<std::string> SecurityOpts(const ContainerFacts& c) {
  return JsonStrings(c.inspect, "/HostConfig/SecurityOpt");
}

std::string PortBinding::Text() const {
  std::string ip = host_ip.empty() ? "*" : host_ip;
  if (ip.find(':') != std::string::npos) ip = "[" + ip + "]";
  return container_port + " -> " + ip + ":" + (host_port > 0 ? std::to_string(host_port) : "?");
}

namespace {

// {"5000/tcp": [{"HostIp": "0.0.0.0", "HostPort": "18081"}], "22/tcp": null}
std::vector<PortBinding> BindingsIn(const nlohmann::json* ports) {
  std::vector<PortBinding> out;
  if (ports == nullptr || !ports->is_object()) return out;
  for (auto it = ports->begin(); it != ports->end(); ++it) {
    if (!it.value().is_array()) continue;
    for (const nlohmann::json& binding : it.value()) {
      PortBinding port;
      port.container_port = it.key();
      port.host_ip = JsonString(binding, "/HostIp");
      port.host_port = std::atoi(JsonString(binding, "/HostPort").c_str());
      out.push_back(std::move(port));
    }
  }
  return out;
}

}  // namespace

std::vector<PortBinding> PublishedPorts(const ContainerFacts& c, std::string* source) {
  std::vector<PortBinding> ports = BindingsIn(JsonAt(c.inspect, "/NetworkSettings/Ports"));
  *source = "NetworkSettings.Ports";
  if (ports.empty()) {
    ports = BindingsIn(JsonAt(c.inspect, "/HostConfig/PortBindings"));
    *source = "HostConfig.PortBindings";
  }
  return ports;
}

const ImageFacts* ImageOf(const HostFacts& facts, const ContainerFacts& c) {
  std::string id = JsonString(c.inspect, "/Image");
  for (const ImageFacts& image : facts.engine.images) {
    if (!id.empty() && image.id == id) return &image;
  }
  return nullptr;
}

std::vector<const nlohmann::json*> BindMounts(const ContainerFacts& c) {
  std::vector<const nlohmann::json*> out;
  const nlohmann::json* mounts = JsonAt(c.inspect, "/Mounts");
  if (mounts == nullptr || !mounts->is_array()) return out;
  for (const nlohmann::json& mount : *mounts) {
    if (JsonString(mount, "/Type") == "bind") out.push_back(&mount);
  }
  return out;
}

}  // namespace section5

namespace {

// 5.1: a swarm manager exposes the cluster's control plane (port 2377) and
// raft store on this host.
void CheckSwarmMode(const HostFacts& facts, ResultSink& out) {
  std::string state = JsonString(facts.engine.info, "/Swarm/LocalNodeState");
  if (state.empty()) {
    out.Skip("the engine's /info has no Swarm.LocalNodeState");
    return;
  }
  std::string evidence = "/info Swarm.LocalNodeState=" + common::Quoted(state);
  if (state == "inactive") {
    out.Pass(HostSubject(facts), evidence, "swarm mode is not enabled on this host");
  } else {
    bool manager = JsonBool(facts.engine.info, "/Swarm/ControlAvailable");
    out.Warn(HostSubject(facts), evidence + (manager ? ", ControlAvailable=true (manager)" : ""),
             "swarm mode is enabled on this host: confirm the swarm is needed");
  }
}

// "5.10" -> {5, 10}, so the merged list sorts as the benchmark numbers it.
std::vector<int> CisParts(const std::string& cis) {
  std::vector<int> parts;
  size_t pos = 0;
  while (pos <= cis.size()) {
    size_t dot = cis.find('.', pos);
    if (dot == std::string::npos) dot = cis.size();
    parts.push_back(std::atoi(cis.substr(pos, dot - pos).c_str()));
    pos = dot + 1;
  }
  return parts;
}

}  // namespace

std::vector<HostCheck> Section5ContainerRuntimeChecks() {
  std::vector<HostCheck> checks = {
      {.cis = "5.1",
       .title = "Ensure swarm mode is not Enabled, if not needed",
       .scored = true,
       .severity = core::Severity::kLow,
       .rationale = "Swarm mode opens the cluster management port (2377/tcp) and makes the node "
                    "part of a control plane that can schedule containers on it.",
       .remediation =
           "On hosts that do not need swarm: docker swarm leave (a manager needs --force).",
       .references = {.attack = {"T1610"},
                      .nist = {"CM-7"},
                      .cwe = {"CWE-1188"},
                      .urls = {"https://docs.docker.com/engine/swarm/"}},
       .scope = HostScope::kEngine,
       .run = CheckSwarmMode},
  };
  for (auto list : {section5::PrivilegeChecks, section5::NamespaceAndMountChecks,
                    section5::ResourceAndNetworkChecks}) {
    for (HostCheck& check : list()) checks.push_back(std::move(check));
  }
  std::stable_sort(checks.begin(), checks.end(), [](const HostCheck& a, const HostCheck& b) {
    return CisParts(a.cis) < CisParts(b.cis);
  });
  return checks;
}

}  // namespace bulwark::host
