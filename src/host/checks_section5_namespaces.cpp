// CIS section 5, what a container shares with the host: sensitive bind
// mounts (5.6), sshd (5.7), host namespaces (5.10, 5.16, 5.17, 5.21, 5.31),
// devices (5.18), mount propagation (5.20), the cgroup parent (5.25) and the
// Docker socket (5.32).
//
// Beyond docker-bench: 5.7 reads the host's process list (/top) instead of
// running ps inside the container; 5.32 also catches a mounted directory
// that contains the socket (/var/run, /run), and 5.6 judges sub-paths of the
// kernel and configuration trees (rule at SensitiveMount).
#include <algorithm>
#include <array>

#include "host/checks_section5_internal.hpp"
#include "host/json_access.hpp"

namespace bulwark::host::section5 {
namespace {

using common::JoinList;
using common::JsonText;
using common::NormalPath;
using common::Quoted;
using core::Severity;

bool IsUnder(const std::string& path, const std::string& dir) {
  return dir == "/" ? path != "/"
                    : path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
                          path[dir.size()] == '/';
}

std::string MountText(const nlohmann::json& mount) {
  return JsonString(mount, "/Source") + " -> " + JsonString(mount, "/Destination") +
         (JsonBool(mount, "/RW", true) ? " (rw)" : " (ro)");
}

// 5.6: the directories CIS names are sensitive in any mode. Below /etc,
// /proc, /sys and /boot a read-write mount changes the host's configuration,
// kernel tunables or boot chain, so it counts too; a read-only file there
// (/etc/localtime, /etc/ssl/certs) is common and harmless, so it does not.
bool SensitiveMount(const std::string& source, bool rw) {
  static constexpr std::array<std::string_view, 8> kDirectories = {"/",    "/boot", "/dev", "/etc",
                                                                   "/lib", "/proc", "/sys", "/usr"};
  static constexpr std::array<std::string_view, 4> kTrees = {"/etc", "/proc", "/sys", "/boot"};
  if (std::find(kDirectories.begin(), kDirectories.end(), source) != kDirectories.end())
    return true;
  return rw && std::any_of(kTrees.begin(), kTrees.end(), [&](std::string_view tree) {
           return IsUnder(source, std::string(tree));
         });
}

void JudgeSensitiveMounts(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  std::vector<std::string> sensitive;
  std::vector<std::string> binds;
  for (const nlohmann::json* mount : BindMounts(c)) {
    binds.push_back(MountText(*mount));
    if (SensitiveMount(NormalPath(JsonString(*mount, "/Source")), JsonBool(*mount, "/RW", true))) {
      sensitive.push_back(MountText(*mount));
    }
  }
  if (!sensitive.empty()) {
    out.Warn(
        ContainerSubject(c), "Mounts: " + JoinList(sensitive, "; "),
        "container " + c.name + " mounts sensitive host directories: " + JoinList(sensitive, "; "));
  } else {
    out.Pass(ContainerSubject(c),
             binds.empty() ? "Mounts: no bind mount" : "Mounts: " + JoinList(binds, "; "),
             "container " + c.name + " mounts no sensitive host directory");
  }
}

// The program of a process line ("comm args" from /top): sshd's session
// processes retitle themselves "sshd: user@pts/0".
std::string ProgramOf(const std::string& line) {
  std::string first = line.substr(0, line.find(' '));
  size_t slash = first.rfind('/');
  if (slash != std::string::npos) first.erase(0, slash + 1);
  if (!first.empty() && first.back() == ':') first.pop_back();
  return first;
}

void JudgeSshd(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  if (!c.processes_known) {
    out.Info(ContainerSubject(c), "GET /containers/{id}/top failed: " + c.processes_error,
             "container " + c.name + ": the process list could not be read, sshd not checked");
    return;
  }
  std::vector<std::string> sshd;
  for (const std::string& line : c.processes) {
    if (ProgramOf(line) == "sshd") sshd.push_back(Quoted(line));
  }
  if (!sshd.empty()) {
    out.Warn(ContainerSubject(c), "processes: " + JoinList(sshd),
             "container " + c.name + " runs sshd");
  } else {
    out.Pass(ContainerSubject(c), std::to_string(c.processes.size()) + " processes, none is sshd",
             "container " + c.name + " does not run sshd");
  }
}

// 5.10, 5.16, 5.17, 5.21: HostConfig.<field> == "host".
void JudgeNamespace(const ContainerFacts& c, ResultSink& out, const char* field, const char* what) {
  std::string value = JsonString(c.inspect, std::string("/HostConfig/") + field);
  std::string evidence = std::string("HostConfig.") + field + "=" + Quoted(value);
  if (value == "host") {
    out.Warn(ContainerSubject(c), evidence,
             "container " + c.name + " shares the host's " + what + " namespace");
  } else {
    out.Pass(ContainerSubject(c), evidence,
             "container " + c.name + " has its own " + what + " namespace");
  }
}

void JudgeNetworkNamespace(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  JudgeNamespace(c, out, "NetworkMode", "network");
}
void JudgePidNamespace(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  JudgeNamespace(c, out, "PidMode", "process");
}
void JudgeIpcNamespace(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  JudgeNamespace(c, out, "IpcMode", "IPC");
}
void JudgeUtsNamespace(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  JudgeNamespace(c, out, "UTSMode", "UTS");
}
// 5.31: --userns host opts out of the daemon's remapping. Without
// userns-remap every container is in the host's user namespace anyway;
// 2.9 judges that, and the evidence says so.
void JudgeUserNamespace(const HostFacts& facts, const ContainerFacts& c, ResultSink& out) {
  std::string value = JsonString(c.inspect, "/HostConfig/UsernsMode");
  bool remapped = common::DaemonHasSecurityOption(facts, "userns");
  std::string evidence = "HostConfig.UsernsMode=" + Quoted(value) +
                         (remapped ? "" : "; the daemon does not remap users (see 2.9)");
  if (value == "host") {
    out.Warn(ContainerSubject(c), evidence,
             "container " + c.name + " opts out of user-namespace remapping");
  } else {
    out.Pass(ContainerSubject(c), evidence,
             "container " + c.name + " does not opt out of user-namespace remapping");
  }
}

void JudgeDevices(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  std::vector<std::string> devices;
  const nlohmann::json* list = JsonAt(c.inspect, "/HostConfig/Devices");
  if (list != nullptr && list->is_array()) {
    for (const nlohmann::json& device : *list) {
      devices.push_back(JsonString(device, "/PathOnHost") + ":" +
                        JsonString(device, "/PathInContainer") + ":" +
                        JsonString(device, "/CgroupPermissions"));
    }
  }
  for (const std::string& rule : JsonStrings(c.inspect, "/HostConfig/DeviceCgroupRules")) {
    devices.push_back("cgroup rule \"" + rule + "\"");
  }
  if (JsonBool(c.inspect, "/HostConfig/Privileged")) {
    out.Warn(ContainerSubject(c), "HostConfig.Privileged=true (every host device)",
             "container " + c.name + " is privileged and sees every host device");
  } else if (!devices.empty()) {
    out.Warn(ContainerSubject(c), "HostConfig.Devices: " + JoinList(devices),
             "container " + c.name + " has host devices: " + JoinList(devices));
  } else {
    out.Pass(ContainerSubject(c), "HostConfig.Devices=[]",
             "container " + c.name + " has no host device");
  }
}

void JudgePropagation(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  std::vector<std::string> shared;
  const nlohmann::json* mounts = JsonAt(c.inspect, "/Mounts");
  if (mounts != nullptr && mounts->is_array()) {
    for (const nlohmann::json& mount : *mounts) {
      std::string propagation = JsonString(mount, "/Propagation");
      if (propagation == "shared" || propagation == "rshared") {
        shared.push_back(JsonString(mount, "/Destination") + " Propagation=" + propagation);
      }
    }
  }
  if (!shared.empty()) {
    out.Warn(ContainerSubject(c), "Mounts: " + JoinList(shared),
             "container " + c.name + " shares mount events with the host: " + JoinList(shared));
  } else {
    out.Pass(ContainerSubject(c), "no mount with shared or rshared propagation",
             "container " + c.name + " does not share mount propagation with the host");
  }
}

void JudgeCgroupParent(const HostFacts&, const ContainerFacts& c, ResultSink& out) {
  std::string parent = JsonString(c.inspect, "/HostConfig/CgroupParent");
  std::string evidence = "HostConfig.CgroupParent=" + Quoted(parent);
  if (!parent.empty()) {
    out.Warn(ContainerSubject(c), evidence,
             "container " + c.name + " runs under cgroup " + parent +
                 ": confirm its limits are intended");
  } else {
    out.Pass(ContainerSubject(c), evidence,
             "container " + c.name + " uses the default cgroup parent");
  }
}

// 5.32: the engine's socket, its usual paths and containerd's (the same
// control of the host) - or any directory above one of them.
void JudgeDockerSocket(const HostFacts& facts, const ContainerFacts& c, ResultSink& out) {
  std::vector<std::string> sockets = {"/var/run/docker.sock", "/run/docker.sock",
                                      "/run/containerd/containerd.sock",
                                      "/var/run/containerd/containerd.sock"};
  std::string engine_socket = NormalPath(facts.engine.socket_path);
  if (!engine_socket.empty() &&
      std::find(sockets.begin(), sockets.end(), engine_socket) == sockets.end()) {
    sockets.insert(sockets.begin(), engine_socket);
  }
  std::vector<std::string> found;
  for (const nlohmann::json* mount : BindMounts(c)) {
    std::string source = NormalPath(JsonString(*mount, "/Source"));
    for (const std::string& socket : sockets) {
      if (source == socket || IsUnder(socket, source)) {
        found.push_back(MountText(*mount) + (source == socket ? "" : " (contains " + socket + ")"));
        break;
      }
    }
  }
  if (!found.empty()) {
    out.Warn(ContainerSubject(c), "Mounts: " + JoinList(found, "; "),
             "container " + c.name + " can reach the Docker socket, which controls the whole host");
  } else {
    out.Pass(ContainerSubject(c), "no bind mount of or above " + JoinList(sockets),
             "container " + c.name + " does not mount the Docker socket");
  }
}

}  // namespace

std::vector<HostCheck> NamespaceAndMountChecks() {
  const std::string kRun = "https://docs.docker.com/reference/cli/docker/container/run/";
  const std::string kIsolation = "https://docs.docker.com/engine/security/";
  return {
      {.cis = "5.6",
       .title = "Ensure sensitive host system directories are not mounted on containers",
       .scored = true,
       .severity = Severity::kHigh,
       .rationale = "A container that can write /etc, /boot, /proc or /sys of the host can change "
                    "its users, services, kernel settings and boot chain.",
       .remediation = "Remove the bind mount (-v /etc:/host-etc); mount only the specific files "
                      "needed, read-only (-v /etc/localtime:/etc/localtime:ro).",
       .references = {.attack = {"T1611"},
                      .nist = {"AC-6", "CM-7", "SC-39"},
                      .cwe = {"CWE-668"},
                      .urls = {"https://docs.docker.com/engine/storage/bind-mounts/"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeSensitiveMounts>},
      {.cis = "5.7",
       .title = "Ensure sshd is not run within containers",
       .scored = true,
       .severity = Severity::kMedium,
       .rationale = "An SSH daemon adds credentials to manage, an exposed login service and a way "
                    "around the engine's access control and audit.",
       .remediation = "Remove sshd from the image; use docker exec (audited) for debugging.",
       .references = {.attack = {"T1133"},
                      .nist = {"CM-7", "AC-17"},
                      .cwe = {"CWE-1188"},
                      .urls = {kRun}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeSshd>},
      {.cis = "5.10",
       .title = "Ensure that the host's network namespace is not shared",
       .scored = true,
       .severity = Severity::kHigh,
       .rationale = "--network host gives the container the host's interfaces: it can bind any "
                    "port, sniff traffic and reach services listening on localhost.",
       .remediation =
           "Remove --network host; publish the ports the service needs (-p 127.0.0.1:8080:8080).",
       .references = {.attack = {"T1611", "T1046"},
                      .nist = {"SC-7", "SC-39"},
                      .cwe = {"CWE-668"},
                      .urls = {"https://docs.docker.com/engine/network/drivers/host/"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeNetworkNamespace>},
      {.cis = "5.16",
       .title = "Ensure that the host's process namespace is not shared",
       .scored = true,
       .severity = Severity::kHigh,
       .rationale = "--pid host lets the container see and signal every host process, and with "
                    "ptrace inject into them.",
       .remediation = "Remove --pid host (pid: host in compose).",
       .references = {.attack = {"T1611", "T1613"},
                      .nist = {"SC-39", "AC-6"},
                      .cwe = {"CWE-668"},
                      .urls = {kRun + "#pid"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgePidNamespace>},
      {.cis = "5.17",
       .title = "Ensure that the host's IPC namespace is not shared",
       .scored = true,
       .severity = Severity::kMedium,
       .rationale =
           "--ipc host exposes the host's shared memory segments and semaphores to the container.",
       .remediation = "Remove --ipc host; share IPC between two containers with --ipc "
                      "container:NAME if needed.",
       .references = {.attack = {"T1611"},
                      .nist = {"SC-39", "SC-4"},
                      .cwe = {"CWE-668"},
                      .urls = {kRun + "#ipc"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeIpcNamespace>},
      {.cis = "5.18",
       .title = "Ensure that host devices are not directly exposed to containers",
       .scored = false,
       .severity = Severity::kMedium,
       .rationale = "A host device in a container (disk, USB, GPU, /dev/mem) gives raw access "
                    "below the container's filesystem isolation.",
       .remediation = "Remove --device (and --privileged); when a device is needed grant it with "
                      "the least permissions (--device /dev/xyz:/dev/xyz:r).",
       .references = {.attack = {"T1611"},
                      .nist = {"AC-6", "CM-7"},
                      .cwe = {"CWE-668"},
                      .urls = {kRun + "#device"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeDevices>},
      {.cis = "5.20",
       .title = "Ensure mount propagation mode is not set to shared",
       .scored = true,
       .severity = Severity::kMedium,
       .rationale = "With shared propagation, mounts the container makes appear on the host and "
                    "the other way round.",
       .remediation = "Use the default rprivate propagation: drop bind-propagation=shared/rshared "
                      "from -v / --mount.",
       .references =
           {.attack = {"T1611"},
            .nist = {"SC-39"},
            .cwe = {"CWE-668"},
            .urls =
                {"https://docs.docker.com/engine/storage/bind-mounts/#configure-bind-propagation"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgePropagation>},
      {.cis = "5.21",
       .title = "Ensure that the host's UTS namespace is not shared",
       .scored = true,
       .severity = Severity::kLow,
       .rationale = "--uts host lets the container change the host's hostname and domain name.",
       .remediation = "Remove --uts host.",
       .references =
           {.attack = {"T1611"}, .nist = {"SC-39"}, .cwe = {"CWE-668"}, .urls = {kRun + "#uts"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeUtsNamespace>},
      {.cis = "5.25",
       .title = "Ensure that cgroup usage is confirmed",
       .scored = true,
       .severity = Severity::kLow,
       .rationale = "A custom cgroup parent moves the container out of the engine's resource "
                    "accounting and limits unless it is set up deliberately.",
       .remediation =
           "Remove --cgroup-parent unless the parent cgroup's limits are intended and reviewed.",
       .references = {.attack = {"T1499"},
                      .nist = {"SC-5", "CM-6"},
                      .cwe = {"CWE-770"},
                      .urls = {kRun + "#cgroup-parent"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeCgroupParent>},
      {.cis = "5.31",
       .title = "Ensure that the host's user namespaces are not shared",
       .scored = true,
       .severity = Severity::kMedium,
       .rationale = "--userns host opts out of user-namespace remapping, so root in the container "
                    "is root on the host.",
       .remediation = "Remove --userns host and run the daemon with \"userns-remap\": \"default\".",
       .references = {.attack = {"T1611", "T1068"},
                      .nist = {"AC-6", "SC-39"},
                      .cwe = {"CWE-250"},
                      .urls = {"https://docs.docker.com/engine/security/userns-remap/"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeUserNamespace>},
      {.cis = "5.32",
       .title = "Ensure that the Docker socket is not mounted inside any containers",
       .scored = true,
       .severity = Severity::kCritical,
       .rationale = "Whoever reaches the Docker socket can start a privileged container with the "
                    "host's root filesystem: it is root on the host.",
       .remediation = "Remove -v /var/run/docker.sock:... (and mounts of /var/run or /run); give "
                      "tools that need the API a filtering proxy with read-only access.",
       .references = {.attack = {"T1611", "T1610", "T1552.007"},
                      .nist = {"AC-6", "SC-7"},
                      .cwe = {"CWE-668"},
                      .urls = {kIsolation + "#docker-daemon-attack-surface"}},
       .scope = HostScope::kContainers,
       .run = PerContainer<JudgeDockerSocket>},
  };
}

}  // namespace bulwark::host::section5
