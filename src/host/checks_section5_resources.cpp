// CIS section 5, a container's resources and exposure: ports (5.8, 5.9,
// 5.14), memory, CPU and PIDs limits (5.11, 5.12, 5.29), read-only root
// (5.13), restart policy (5.15), ulimits (5.19), health (5.27), image
// version (5.28) and the default bridge (5.30).
//
// Beyond docker-bench: 5.9 compares the published ports with what the image
// EXPOSEs (docker run -p adds its ports to the container's own ExposedPorts,
// so only the image's list tells what the author meant), 5.14 reads the
// engine's actual bindings, 5.15 judges every policy instead of only the
// retry count, and 5.28 judges the image reference instead of only noting.
#include <algorithm>
#include <set>

#include "host/checks_section5_internal.hpp"
#include "host/json_access.hpp"

namespace bulwark::host::section5 {
namespace {

using common::JoinList;
using common::Quoted;
using core::Severity;

// The evidence when nothing is published: a host-network container's
// sockets are the host's own, which no published-port check sees.
std::string NoPortText(const ContainerFacts& c) {
  return JsonString(c.inspect, "/HostConfig/NetworkMode") == "host"
             ? "no published port (NetworkMode=host: its listening sockets are the host's, see "
               "5.10)"
             : "no published port";
}

std::vector<std::string> Texts(const std::vector<PortBinding>& ports) {
  std::vector<std::string> texts;
  for (const PortBinding& port : ports) texts.push_back(port.Text());
  return texts;
}

void JudgePrivilegedPorts(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  std::string source;
  std::vector<PortBinding> ports = PublishedPorts(c, &source);
  std::vector<PortBinding> low;
  std::copy_if(ports.begin(), ports.end(), std::back_inserter(low),
               [](const PortBinding& p) { return p.host_port > 0 && p.host_port < 1024; });
  if (!low.empty()) {
    out.Warn(ContainerSubject(c), source + ": " + JoinList(Texts(low)),
             "container " + c.name + " is published on privileged host ports (below 1024)");
  } else {
    out.Pass(ContainerSubject(c),
             ports.empty() ? NoPortText(c) : source + ": " + JoinList(Texts(ports)),
             "container " + c.name + " uses no privileged host port");
  }
}

void JudgeNeededPorts(const HostFacts& facts, const ContainerFacts& c, ResultSink& out) {
  std::string source;
  std::vector<PortBinding> ports = PublishedPorts(c, &source);
  if (ports.empty()) {
    out.Pass(ContainerSubject(c), NoPortText(c), "container " + c.name + " publishes no port");
    return;
  }
  std::set<std::string> published;
  for (const PortBinding& port : ports) published.insert(port.container_port);
  const ImageFacts* image = ImageOf(facts, c);
  std::string listed = source + ": " + JoinList(Texts(ports));
  if (image == nullptr) {
    out.Info(ContainerSubject(c), listed + " (image not inspected: not compared with its EXPOSE)",
             "container " + c.name + " publishes " + std::to_string(published.size()) +
                 " port(s): confirm each is needed");
    return;
  }
  const nlohmann::json* exposed = JsonAt(image->inspect, "/Config/ExposedPorts");
  std::vector<std::string> unexpected;
  for (const std::string& port : published) {
    if (exposed == nullptr || !exposed->is_object() || !exposed->contains(port))
      unexpected.push_back(port);
  }
  if (!unexpected.empty()) {
    out.Warn(ContainerSubject(c),
             listed + "; image " + ImageSubject(*image).name +
                 " ExposedPorts=" + common::JsonText(image->inspect, "/Config/ExposedPorts"),
             "container " + c.name +
                 " publishes ports its image does not EXPOSE: " + JoinList(unexpected));
  } else {
    out.Info(
        ContainerSubject(c), listed,
        "container " + c.name + " publishes only ports its image EXPOSEs: confirm each is needed");
  }
}

void JudgeMemory(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  int64_t memory = JsonInt(c.inspect, "/HostConfig/Memory");
  std::string evidence = "HostConfig.Memory=" + std::to_string(memory);
  if (memory <= 0) {
    out.Warn(ContainerSubject(c), evidence, "container " + c.name + " has no memory limit");
  } else {
    out.Pass(ContainerSubject(c), evidence + " (" + std::to_string(memory >> 20) + " MiB)",
             "container " + c.name + " has a memory limit");
  }
}

void JudgeCpu(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  int64_t shares = JsonInt(c.inspect, "/HostConfig/CpuShares");
  int64_t nano = JsonInt(c.inspect, "/HostConfig/NanoCpus");
  int64_t quota = JsonInt(c.inspect, "/HostConfig/CpuQuota");
  std::string evidence = "HostConfig.CpuShares=" + std::to_string(shares) +
                         " NanoCpus=" + std::to_string(nano) + " CpuQuota=" + std::to_string(quota);
  if ((shares == 0 || shares == 1024) && nano == 0 && quota <= 0) {
    out.Warn(ContainerSubject(c), evidence, "container " + c.name + " has no CPU share or limit");
  } else {
    out.Pass(ContainerSubject(c), evidence, "container " + c.name + " has a CPU share or limit");
  }
}

void JudgeReadonlyRoot(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  if (JsonBool(c.inspect, "/HostConfig/ReadonlyRootfs")) {
    out.Pass(ContainerSubject(c), "HostConfig.ReadonlyRootfs=true",
             "container " + c.name + " has a read-only root filesystem");
  } else {
    out.Warn(ContainerSubject(c), "HostConfig.ReadonlyRootfs=false",
             "container " + c.name + " can write its root filesystem");
  }
}

void JudgeHostInterface(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  std::string source;
  std::vector<PortBinding> ports = PublishedPorts(c, &source);
  std::vector<PortBinding> wildcard;
  std::copy_if(ports.begin(), ports.end(), std::back_inserter(wildcard), [](const PortBinding& p) {
    return p.host_ip.empty() || p.host_ip == "0.0.0.0" || p.host_ip == "::";
  });
  if (!wildcard.empty()) {
    out.Warn(ContainerSubject(c), source + ": " + JoinList(Texts(wildcard)),
             "container " + c.name + " accepts traffic on every host interface");
  } else if (ports.empty()) {
    out.Pass(ContainerSubject(c), NoPortText(c), "container " + c.name + " publishes no port");
  } else {
    out.Pass(ContainerSubject(c), source + ": " + JoinList(Texts(ports)),
             "container " + c.name + " binds its published ports to specific host addresses");
  }
}

void JudgeRestartPolicy(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  std::string name = JsonString(c.inspect, "/HostConfig/RestartPolicy/Name");
  int64_t retries = JsonInt(c.inspect, "/HostConfig/RestartPolicy/MaximumRetryCount");
  std::string evidence = "HostConfig.RestartPolicy={Name:" + Quoted(name) +
                         ", MaximumRetryCount:" + std::to_string(retries) + "}";
  if (name.empty() || name == "no") {
    out.Pass(ContainerSubject(c), evidence,
             "container " + c.name + " is never restarted automatically");
  } else if (name == "on-failure" && retries >= 1 && retries <= 5) {
    out.Pass(ContainerSubject(c), evidence,
             "container " + c.name + " restarts on failure at most " + std::to_string(retries) +
                 " times");
  } else if (name == "on-failure") {
    out.Warn(ContainerSubject(c), evidence,
             "container " + c.name + " restarts on failure " +
                 (retries == 0 ? "without limit" : "more than 5 times"));
  } else {
    out.Warn(ContainerSubject(c), evidence,
             "container " + c.name + " restarts endlessly (" + name +
                 "), so a crash loop or an attack that kills it is retried forever");
  }
}

void JudgeUlimits(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  std::vector<std::string> limits;
  const nlohmann::json* list = JsonAt(c.inspect, "/HostConfig/Ulimits");
  if (list != nullptr && list->is_array()) {
    for (const nlohmann::json& limit : *list) {
      limits.push_back(JsonString(limit, "/Name") + "=" + std::to_string(JsonInt(limit, "/Soft")) +
                       ":" + std::to_string(JsonInt(limit, "/Hard")));
    }
  }
  if (limits.empty()) {
    out.Info(ContainerSubject(c), "HostConfig.Ulimits=[]",
             "container " + c.name + " uses the daemon's default ulimits");
  } else {
    out.Pass(ContainerSubject(c), "HostConfig.Ulimits: " + JoinList(limits),
             "container " + c.name + " overrides the default ulimits");
  }
}

void JudgeHealth(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  std::string status = JsonString(c.inspect, "/State/Health/Status");
  std::string evidence =
      "State.Health.Status=" + (status.empty() ? std::string("<none>") : Quoted(status));
  if (status.empty()) {
    out.Warn(ContainerSubject(c), evidence, "container " + c.name + " has no health check");
  } else if (status == "unhealthy") {
    out.Warn(ContainerSubject(c), evidence, "container " + c.name + " is unhealthy");
  } else {
    out.Pass(ContainerSubject(c), evidence,
             "container " + c.name + " is health-checked (" + status + ")");
  }
}

void JudgeImageVersion(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  std::string ref = JsonString(c.inspect, "/Config/Image");
  std::string evidence = "Config.Image=" + Quoted(ref);
  size_t last_slash = ref.rfind('/');
  size_t colon = ref.find(':', last_slash == std::string::npos ? 0 : last_slash + 1);
  std::string tag = colon == std::string::npos ? "" : ref.substr(colon + 1);
  bool by_id = ref.rfind("sha256:", 0) == 0;
  if (ref.find("@sha256:") != std::string::npos || by_id) {
    out.Pass(ContainerSubject(c), evidence,
             "container " + c.name + " runs an image pinned by digest");
  } else if (tag.empty() || tag == "latest") {
    out.Warn(ContainerSubject(c), evidence,
             "container " + c.name + " runs a floating image reference (" +
                 (tag.empty() ? "no tag" : "latest") +
                 "): which version runs depends on when it was pulled");
  } else {
    out.Pass(ContainerSubject(c), evidence,
             "container " + c.name + " runs tagged image version " + tag);
  }
}

void JudgePidsLimit(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  int64_t limit = JsonInt(c.inspect, "/HostConfig/PidsLimit");
  std::string evidence =
      "HostConfig.PidsLimit=" + common::JsonText(c.inspect, "/HostConfig/PidsLimit");
  if (limit <= 0) {
    out.Warn(ContainerSubject(c), evidence,
             "container " + c.name + " has no PIDs limit (fork bombs reach the host)");
  } else {
    out.Pass(ContainerSubject(c), evidence, "container " + c.name + " has a PIDs limit");
  }
}

void JudgeDefaultBridge(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  const nlohmann::json* networks = JsonAt(c.inspect, "/NetworkSettings/Networks");
  std::vector<std::string> names;
  if (networks != nullptr && networks->is_object()) {
    for (auto it = networks->begin(); it != networks->end(); ++it) names.push_back(it.key());
  }
  std::string evidence = "NetworkSettings.Networks: [" + JoinList(names) + "]";
  if (std::find(names.begin(), names.end(), "bridge") != names.end()) {
    out.Info(ContainerSubject(c), evidence,
             "container " + c.name + " is on the default bridge (docker0)");
  } else {
    out.Pass(ContainerSubject(c), evidence,
             "container " + c.name + " is not on the default bridge");
  }
}

}  // namespace

std::vector<HostCheck> ResourceAndNetworkChecks() {
  const std::string kRun = "https://docs.docker.com/reference/cli/docker/container/run/";
  const std::string kLimits = "https://docs.docker.com/engine/containers/resource_constraints/";
  return {
      {.cis = "5.8",
       .title = "Ensure privileged ports are not mapped within containers",
       .scored = true,
       .severity = Severity::kLow,
       .rationale = "Ports below 1024 are where the host's trusted services listen; mapping a "
                    "container there can impersonate or shadow them.",
       .remediation =
           "Publish on a port above 1024 (-p 127.0.0.1:8080:80) or put a reverse proxy in front.",
       .references = {.attack = {"T1046"},
                      .nist = {"CM-7", "SC-7"},
                      .cwe = {"CWE-668"},
                      .urls = {"https://docs.docker.com/engine/network/#published-ports"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgePrivilegedPorts>},
      {.cis = "5.9",
       .title = "Ensure that only needed ports are open on the container",
       .scored = true,
       .severity = Severity::kLow,
       .rationale = "Every published port is reachable attack surface; ports the image does not "
                    "declare are often debug or management endpoints.",
       .remediation = "Publish only the ports the service needs, by name (-p 127.0.0.1:8080:8080), "
                      "not with -P or ports the image does not EXPOSE.",
       .references = {.attack = {"T1046", "T1133"},
                      .nist = {"CM-7", "SC-7"},
                      .cwe = {"CWE-668"},
                      .urls = {"https://docs.docker.com/engine/network/#published-ports"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeNeededPorts>},
      {.cis = "5.11",
       .title = "Ensure that the memory usage for containers is limited",
       .scored = true,
       .severity = Severity::kMedium,
       .rationale = "Without a memory limit one container can exhaust the host's memory and get "
                    "other workloads OOM-killed.",
       .remediation =
           "docker run --memory 256m (mem_limit / deploy.resources.limits.memory in compose).",
       .references =
           {.attack = {"T1499"}, .nist = {"SC-5"}, .cwe = {"CWE-770"}, .urls = {kLimits}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeMemory>},
      {.cis = "5.12",
       .title = "Ensure that CPU priority is set appropriately on containers",
       .scored = true,
       .severity = Severity::kLow,
       .rationale =
           "Without CPU shares or a CPU limit a busy container starves the others and the host.",
       .remediation =
           "docker run --cpus 0.5 (a hard limit) or --cpu-shares 512 (a relative weight).",
       .references = {.attack = {"T1499", "T1496"},
                      .nist = {"SC-5"},
                      .cwe = {"CWE-770"},
                      .urls = {kLimits}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeCpu>},
      {.cis = "5.13",
       .title = "Ensure that the container's root filesystem is mounted as read only",
       .scored = true,
       .severity = Severity::kLow,
       .rationale = "A writable root filesystem lets an intruder drop tools and modify binaries "
                    "that persist until the container is recreated.",
       .remediation = "docker run --read-only with --tmpfs /tmp (or volumes) for the paths that "
                      "must be writable.",
       .references = {.attack = {"T1525", "T1036"},
                      .nist = {"CM-7", "SI-7"},
                      .cwe = {"CWE-732"},
                      .urls = {kRun + "#read-only"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeReadonlyRoot>},
      {.cis = "5.14",
       .title = "Ensure that incoming container traffic is bound to a specific host interface",
       .scored = true,
       .severity = Severity::kMedium,
       .rationale = "A port published on 0.0.0.0 or :: is reachable from every network the host is "
                    "on, and Docker's rules bypass host firewalls such as ufw.",
       .remediation =
           "Publish on a specific address: -p 127.0.0.1:8080:8080 (or the internal interface's "
           "IP), or set \"ip\": \"127.0.0.1\" in daemon.json as the default.",
       .references =
           {.attack = {"T1046", "T1133"},
            .nist = {"SC-7", "CM-7"},
            .cwe = {"CWE-1327"},
            .urls = {"https://docs.docker.com/engine/network/packet-filtering-firewalls/"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeHostInterface>},
      {.cis = "5.15",
       .title = "Ensure that the 'on-failure' container restart policy is set to '5'",
       .scored = true,
       .severity = Severity::kLow,
       .rationale = "An unlimited restart policy hides crash loops and lets an attack that crashes "
                    "the service retry forever, consuming host resources.",
       .remediation =
           "docker run --restart on-failure:5 (or docker update --restart on-failure:5 NAME).",
       .references =
           {.attack = {"T1499"},
            .nist = {"SC-5", "SI-4"},
            .cwe = {"CWE-400"},
            .urls = {"https://docs.docker.com/engine/containers/start-containers-automatically/"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeRestartPolicy>},
      {.cis = "5.19",
       .title = "Ensure that the default ulimit is overwritten at runtime if needed",
       .scored = false,
       .severity = Severity::kLow,
       .rationale = "Per-container ulimits (open files, processes) bound what one container can "
                    "take from the host beyond the daemon's defaults.",
       .remediation =
           "docker run --ulimit nofile=1024:2048 where the daemon's default-ulimits do not fit.",
       .references =
           {.attack = {"T1499"}, .nist = {"SC-5"}, .cwe = {"CWE-770"}, .urls = {kRun + "#ulimit"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeUlimits>},
      {.cis = "5.27",
       .title = "Ensure that container health is checked at runtime",
       .scored = true,
       .severity = Severity::kLow,
       .rationale = "A container without a health check, or an unhealthy one, keeps serving (or "
                    "failing) unnoticed.",
       .remediation = "Add HEALTHCHECK to the image or docker run --health-cmd ...; investigate "
                      "unhealthy containers (docker inspect --format '{{json .State.Health}}').",
       .references = {.attack = {"T1499"},
                      .nist = {"SI-4", "SC-5"},
                      .cwe = {"CWE-754"},
                      .urls = {kRun + "#healthcheck"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeHealth>},
      {.cis = "5.28",
       .title = "Ensure that Docker commands always make use of the latest version of their image",
       .scored = false,
       .severity = Severity::kLow,
       .rationale = "A floating reference (latest, no tag) runs whatever was pulled last, so the "
                    "version in production is unknown and cannot be audited.",
       .remediation = "Run images by an explicit version tag or by digest (image:1.4.2 or "
                      "image@sha256:...), and pull updates deliberately.",
       .references = {.attack = {"T1525"},
                      .nist = {"CM-2", "CM-8", "SI-2"},
                      .cwe = {"CWE-1104"},
                      .urls = {"https://docs.docker.com/reference/cli/docker/image/pull/"
                               "#pull-an-image-by-digest-immutable-identifier"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeImageVersion>},
      {.cis = "5.29",
       .title = "Ensure that the PIDs cgroup limit is used",
       .scored = true,
       .severity = Severity::kMedium,
       .rationale =
           "Without a PIDs limit a fork bomb in one container exhausts the host's process table.",
       .remediation = "docker run --pids-limit 100 (pids_limit in compose).",
       .references = {.attack = {"T1499"},
                      .nist = {"SC-5"},
                      .cwe = {"CWE-770"},
                      .urls = {kRun + "#pids-limit"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgePidsLimit>},
      {.cis = "5.30",
       .title = "Ensure that Docker's default bridge 'docker0' is not used",
       .scored = false,
       .severity = Severity::kLow,
       .rationale = "Containers on the default bridge reach each other unless icc is off, and it "
                    "lacks user-defined networks' DNS and isolation.",
       .remediation = "Create a user-defined network (docker network create app) and run "
                      "containers on it (--network app).",
       .references = {.attack = {"T1046"},
                      .nist = {"SC-7", "AC-4"},
                      .cwe = {"CWE-668"},
                      .urls = {"https://docs.docker.com/engine/network/drivers/bridge/"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeDefaultBridge>},
  };
}

}  // namespace bulwark::host::section5
