// Internals of CIS section 5 (container runtime), split by theme:
// checks_section5_privileges.cpp (AppArmor, SELinux, capabilities,
// privileged, seccomp, exec, no-new-privileges), checks_section5_namespaces.cpp
// (host namespaces, mounts, devices, processes, cgroups, the docker socket)
// and checks_section5_resources.cpp (limits, ports, restart, health, image
// version, networks). checks_section5.cpp merges their lists in the
// benchmark's order and holds the shared helpers below. Pure functions of
// HostFacts; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "host/checks_common.hpp"
#include "host/host_check.hpp"

namespace bulwark::host::section5 {

// A check's judgement of one container.
using ContainerJudge = void (*)(const HostFacts& facts, const ContainerFacts& c, ResultSink& out);

// HostCheck::run for a per-container judge: one result per running container.
template <ContainerJudge Judge>
void PerContainer(const HostFacts& facts, ResultSink& out) {
  for (const ContainerFacts& c : facts.engine.containers) Judge(facts, c, out);
}

// The container's HostConfig.SecurityOpt entries.
std::vector<std::string> SecurityOpts(const ContainerFacts& c);

// One published port.
struct PortBinding {
  std::string container_port;  // "5000/tcp"
  std::string host_ip;         // "" means every interface
  int host_port = 0;           // 0 when chosen by the engine and not yet known
  std::string Text() const;    // "5000/tcp -> 0.0.0.0:18081"
};
// What the container publishes: the engine's actual bindings
// (NetworkSettings.Ports); HostConfig.PortBindings only when there are none
// (a request with HostIp "" binds to dockerd --ip, so the request alone can
// overstate the exposure). `source` names the field used.
std::vector<PortBinding> PublishedPorts(const ContainerFacts& c, std::string* source);

// The image the container runs, when it is among the images in scope.
const ImageFacts* ImageOf(const HostFacts& facts, const ContainerFacts& c);

// The container's bind mounts: Mounts[] entries of Type "bind".
std::vector<const nlohmann::json*> BindMounts(const ContainerFacts& c);

// The themed lists, each in the benchmark's order.
std::vector<HostCheck> PrivilegeChecks();
std::vector<HostCheck> NamespaceAndMountChecks();
std::vector<HostCheck> ResourceAndNetworkChecks();

}  // namespace bulwark::host::section5
