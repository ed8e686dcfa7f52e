// Metadata of the compose checks: declarative data, one entry per check.
#include <algorithm>

#include "audit/compose_rules.hpp"

namespace bulwark::audit::compose {
namespace {

using core::Severity;

struct Entry {
  std::string_view id;
  const char* title;
  Severity severity;
  const char* rationale;
  const char* remediation;
  core::References references;
  bool fixable;
  std::vector<std::string> peers;
};

core::CheckInfo ToInfo(Entry entry) {
  core::CheckInfo info;
  info.id = std::string(entry.id);
  info.title = entry.title;
  info.severity = entry.severity;
  info.category = core::Category::kCompose;
  info.rationale = entry.rationale;
  info.remediation = entry.remediation;
  info.references = std::move(entry.references);
  info.fixable = entry.fixable;
  info.peers = std::move(entry.peers);
  return info;
}

constexpr const char* kComposeSpec =
    "https://github.com/compose-spec/compose-spec/blob/main/05-services.md";

std::vector<Entry> PrivilegeEntries() {
  return {
      {kPrivileged,
       "Service runs privileged",
       Severity::kCritical,
       "A privileged container gets every capability, all host devices and no seccomp/AppArmor "
       "confinement: root in it is root on the host.",
       "Remove `privileged: true`; add only the capabilities (cap_add) or devices the service "
       "needs.",
       {{"5.5"}, {"T1611", "T1068"}, {"AC-6", "CM-7"}, {"CWE-250"}, {kComposeSpec}},
       true,
       {"kics Privileged Containers Enabled", "docksec compose-privileged", "trivy KSV017"}},
      {kDangerousCapability,
       "Service adds a dangerous Linux capability",
       Severity::kHigh,
       "Capabilities such as SYS_ADMIN, SYS_MODULE, SYS_PTRACE or NET_ADMIN give a process in the "
       "container powers that lead to host escape or to spying on other processes.",
       "Remove the capability from cap_add; if the service really needs one, add only that one and "
       "drop ALL the others.",
       {{"5.4"}, {"T1611", "T1068"}, {"AC-6", "AC-6(10)"}, {"CWE-250"}, {kComposeSpec}},
       true,
       {"kics Container Capabilities Unrestricted", "docksec compose-dangerous-capabilities",
        "trivy KSV005"}},
      {kCapabilitiesNotDropped,
       "Service does not drop all capabilities",
       Severity::kLow,
       "Docker keeps 14 capabilities by default (NET_RAW, SETUID, CHOWN, ...); most services need "
       "none of them.",
       "Add `cap_drop: [ALL]` and add back only what the service needs (e.g. NET_BIND_SERVICE).",
       {{"5.4"}, {"T1068"}, {"AC-6"}, {"CWE-250"}, {kComposeSpec}},
       true,
       {"kics Container Capabilities Unrestricted", "trivy KSV003"}},
      {kNoNewPrivileges,
       "Service does not set no-new-privileges",
       Severity::kMedium,
       "Without no-new-privileges a process can gain privileges through setuid/setgid binaries or "
       "file capabilities inside the container.",
       "Add `security_opt: [\"no-new-privileges:true\"]` (or set it daemon-wide in daemon.json).",
       {{"5.26"}, {"T1068"}, {"AC-6"}, {"CWE-269"}, {kComposeSpec}},
       true,
       {"kics No New Privileges Not Set", "docksec compose-no-new-privileges", "trivy KSV001"}},
      {kWritableRootFs,
       "Service root filesystem is writable",
       Severity::kMedium,
       "A writable root filesystem lets an intruder drop tools or modify the application in place.",
       "Set `read_only: true` and mount writable scratch paths with `tmpfs:` or volumes.",
       {{"5.13"}, {}, {"CM-7", "SI-7"}, {"CWE-732"}, {kComposeSpec}},
       true,
       {"docksec compose-writable-root-fs", "trivy KSV014"}},
      {kSeccompUnconfined,
       "Service disables seccomp",
       Severity::kHigh,
       "seccomp:unconfined removes the default syscall filter, re-opening the kernel attack "
       "surface (keyctl, bpf, mount, ...) used by container escapes.",
       "Remove `seccomp:unconfined`; if a syscall is missing, ship a custom profile "
       "(`seccomp=./profile.json`).",
       {{"5.22"}, {"T1611", "T1068"}, {"SC-39", "AC-6"}, {"CWE-693"}, {kComposeSpec}},
       true,
       {"kics Default Seccomp Profile Disabled", "docksec compose-disabled-security-opt",
        "trivy KSV104"}},
      {kAppArmorUnconfined,
       "Service disables AppArmor",
       Severity::kHigh,
       "apparmor:unconfined removes the docker-default AppArmor profile that blocks writes to "
       "/proc and /sys and mounts.",
       "Remove `apparmor:unconfined`, or use a custom profile (`apparmor=my-profile`).",
       {{"5.2"}, {"T1611"}, {"SC-39", "AC-6"}, {"CWE-693"}, {kComposeSpec}},
       true,
       {"docksec compose-disabled-security-opt", "trivy KSV002"}},
      {kSeLinuxDisabled,
       "Service disables SELinux labelling",
       Severity::kMedium,
       "label:disable turns off SELinux separation for the container on SELinux hosts.",
       "Remove `label:disable` (or `label=disable`); relabel bind mounts with `:z` / `:Z` instead.",
       {{"5.3"}, {"T1611"}, {"SC-39"}, {"CWE-693"}, {kComposeSpec}},
       true,
       {"docksec compose-disabled-security-opt", "trivy KSV025"}},
      {kSystemPathsUnconfined,
       "Service unmasks kernel paths (systempaths=unconfined)",
       Severity::kHigh,
       "systempaths=unconfined removes the masking of /proc/kcore, /proc/sysrq-trigger, "
       "/sys/firmware "
       "and friends.",
       "Remove `systempaths=unconfined` from security_opt.",
       {{}, {"T1611"}, {"SC-39"}, {"CWE-693"}, {kComposeSpec}},
       true,
       {"trivy KSV027"}},
      {kRootUser,
       "Service may run as root",
       Severity::kMedium,
       "A process running as root in the container is root on the host after any escape, and can "
       "modify everything in the container.",
       "Set `user: \"UID:GID\"` to a non-zero user (or make sure the image's USER is not root).",
       {{"4.1"}, {"T1068", "T1611"}, {"AC-6"}, {"CWE-250"}, {kComposeSpec}},
       true,
       {"docksec compose-no-non-root-user", "hadolint DL3002", "trivy DS002"}},
  };
}

std::vector<Entry> NamespaceEntries() {
  return {
      {kHostNetwork,
       "Service shares the host network namespace",
       Severity::kHigh,
       "network_mode: host exposes every host interface and loopback service to the container and "
       "its listeners to the network, with no isolation.",
       "Remove `network_mode: host`; publish only the needed ports.",
       {{"5.10"}, {"T1611", "T1046"}, {"SC-7", "SC-39"}, {"CWE-668"}, {kComposeSpec}},
       false,
       {"kics Shared Host Network Namespace", "docksec compose-host-network", "trivy KSV009"}},
      {kHostPid,
       "Service shares the host PID namespace",
       Severity::kHigh,
       "pid: host lets the container see and signal every host process and read their environment "
       "through /proc.",
       "Remove `pid: host`.",
       {{"5.16"}, {"T1611", "T1613"}, {"SC-39"}, {"CWE-668"}, {kComposeSpec}},
       true,
       {"kics Host Namespace is Shared", "docksec compose-host-namespace", "trivy KSV010"}},
      {kHostIpc,
       "Service shares the host IPC namespace",
       Severity::kHigh,
       "ipc: host gives access to the host's shared memory and semaphores.",
       "Remove `ipc: host` (use `ipc: shareable` / `service:NAME` between services if needed).",
       {{"5.17"}, {"T1611"}, {"SC-39", "SC-4"}, {"CWE-668"}, {kComposeSpec}},
       true,
       {"kics Shared Host IPC Namespace", "docksec compose-host-namespace", "trivy KSV008"}},
      {kHostUts,
       "Service shares the host UTS namespace",
       Severity::kMedium,
       "uts: host lets the container change the host's hostname.",
       "Remove `uts: host`.",
       {{"5.21"}, {}, {"SC-39"}, {"CWE-668"}, {kComposeSpec}},
       true,
       {"docksec compose-host-namespace"}},
      {kHostUserns,
       "Service opts out of user namespace remapping",
       Severity::kMedium,
       "userns_mode: host disables the daemon's user namespace remapping for this container, so "
       "its root is the host's root.",
       "Remove `userns_mode: host`.",
       {{"5.31"}, {"T1611"}, {"SC-39", "AC-6"}, {"CWE-250"}, {kComposeSpec}},
       true,
       {"kics Shared Host User Namespace"}},
      {kCgroupParent,
       "Service uses a custom or host cgroup",
       Severity::kMedium,
       "cgroup_parent / cgroup: host move the container out of Docker's cgroup hierarchy, escaping "
       "the limits and accounting applied to containers.",
       "Remove `cgroup_parent` and `cgroup: host` unless an operator requires them.",
       {{"5.25"}, {}, {"SC-39", "SC-5"}, {"CWE-668"}, {kComposeSpec}},
       true,
       {"kics Cgroup Not Default"}},
      {kUnsafeSysctl,
       "Service sets a sysctl outside the safe set",
       Severity::kMedium,
       "Only a few namespaced sysctls are safe to change per container; others affect the host or "
       "weaken network protections.",
       "Remove the sysctl or move the tuning to the host; the safe set is kernel.shm_rmid_forced, "
       "net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, "
       "net.ipv4.tcp_syncookies, "
       "net.ipv4.ping_group_range and the tcp keepalive/fin timeouts.",
       {{}, {"T1611"}, {"SC-39", "CM-6"}, {"CWE-668"}, {kComposeSpec}},
       false,
       {"trivy KSV026"}},
  };
}

std::vector<Entry> MountEntries() {
  return {
      {kDockerSocket,
       "Container engine socket is mounted into a service",
       Severity::kCritical,
       "Access to the Docker (or containerd/podman) API socket is root on the host: the service "
       "can start a privileged container that mounts /. Read-only mounts do not help.",
       "Remove the socket mount (and `use_api_socket`); if the service must talk to the engine, "
       "put "
       "an authorising proxy (e.g. a socket proxy allowing only needed endpoints) in between.",
       {{"5.32"},
        {"T1611", "T1610", "T1552.007", "T1609"},
        {"AC-6", "SC-7"},
        {"CWE-250"},
        {kComposeSpec}},
       false,
       {"kics Docker Socket Mounted In Container", "docksec compose-docker-socket-mount"}},
      {kSensitiveHostPath,
       "Sensitive host directory is mounted",
       Severity::kHigh,
       "Mounting host system directories (/, /etc, /proc, /sys, /var/lib/docker, ...) lets the "
       "service read secrets of the host or change it; read-only lowers but does not remove the "
       "risk.",
       "Mount only the application's own data directories; make necessary host mounts read-only "
       "(`:ro`).",
       {{"5.6"}, {"T1611", "T1552.001"}, {"AC-6", "CM-7"}, {"CWE-668"}, {kComposeSpec}},
       false,
       {"kics Volume Has Sensitive Host Directory", "docksec compose-sensitive-host-mount",
        "trivy KSV023"}},
      {kSharedPropagation,
       "Mount uses shared propagation",
       Severity::kMedium,
       "With shared/rshared propagation, mounts made inside the container appear on the host "
       "(and vice versa).",
       "Use the default (rprivate) propagation: remove `shared`/`rshared` from the mount.",
       {{"5.20"}, {"T1611"}, {"SC-39"}, {"CWE-668"}, {kComposeSpec}},
       true,
       {}},
      {kHostDevice,
       "Host device is exposed to a service",
       Severity::kMedium,
       "A host device node in the container gives direct access to hardware or kernel interfaces "
       "(disks, /dev/mem, GPUs) outside Docker's control.",
       "Remove the device, or expose it read-only (`:r`) to the one service that needs it.",
       {{"5.18"}, {"T1611"}, {"AC-6", "CM-7"}, {"CWE-250"}, {kComposeSpec}},
       false,
       {}},
  };
}

std::vector<Entry> NetworkEntries() {
  return {
      {kPortAllInterfaces,
       "Port is published on all host interfaces",
       Severity::kMedium,
       "Without a host IP, Docker publishes the port on 0.0.0.0 and [::] and inserts firewall "
       "rules "
       "that bypass host firewalls such as ufw.",
       "Bind to one interface: \"127.0.0.1:8080:80\" (or `host_ip: 127.0.0.1`), or put a reverse "
       "proxy in front and publish only that.",
       {{"5.14"}, {"T1190", "T1133"}, {"SC-7", "AC-4"}, {"CWE-668"}, {kComposeSpec}},
       true,
       {"kics Container Traffic Not Bound To Host Interface",
        "docksec compose-port-bound-all-interfaces"}},
      {kPrivilegedHostPort,
       "Privileged host port is published",
       Severity::kLow,
       "Host ports below 1024 are reserved for system services; publishing them from containers "
       "blurs that boundary.",
       "Publish a host port of 1024 or above and map it to the container port.",
       {{"5.8"}, {}, {"CM-7"}, {}, {kComposeSpec}},
       false,
       {"kics Privileged Ports Mapped In Container"}},
      {kDatabasePortPublished,
       "Database port is published to the host",
       Severity::kMedium,
       "Databases and caches (PostgreSQL, MySQL, Redis, MongoDB, ...) should be reachable only by "
       "the "
       "services that use them, on an internal network.",
       "Remove the `ports:` entry; services on the same network reach the database by name. For "
       "local debugging, bind to 127.0.0.1.",
       {{"5.9"}, {"T1190", "T1046"}, {"SC-7", "AC-4"}, {"CWE-668"}, {kComposeSpec}},
       true,
       {}},
      {kDefaultNetworkOnly,
       "Service is not on a dedicated network",
       Severity::kLow,
       "Services left on the default network (or Docker's default bridge) can all reach each "
       "other; a compromised front end reaches the database directly.",
       "Declare networks (e.g. `frontend`, and `backend` with `internal: true`) and attach each "
       "service only to the ones it needs.",
       {{"5.30"}, {"T1046"}, {"SC-7", "AC-4"}, {}, {kComposeSpec}},
       false,
       {"kics Networks Not Set", "docksec compose-no-network-segmentation"}},
      {kBackendNetworkNotInternal,
       "Back-end network is not internal",
       Severity::kLow,
       "A network that carries a database only needs to connect services to each other; unless "
       "it is `internal: true`, containers on it can also reach the internet (exfiltration, "
       "downloading tools).",
       "Add `internal: true` to the network's definition; services that must be reachable from "
       "outside keep a second, non-internal network for their published ports.",
       {{}, {}, {"SC-7", "SC-7(5)", "AC-4"}, {"CWE-668"}, {kComposeSpec}},
       true,
       {}},
  };
}

std::vector<Entry> RuntimeEntries() {
  return {
      {kNoMemoryLimit,
       "Service has no memory limit",
       Severity::kMedium,
       "Without a limit one service can exhaust host memory and take every other service down.",
       "Set `mem_limit: 512m` or `deploy.resources.limits.memory`.",
       {{"5.11"}, {"T1496", "T1499"}, {"SC-5"}, {"CWE-770"}, {kComposeSpec}},
       true,
       {"kics Memory Not Limited", "docksec compose-no-resource-limits", "trivy KSV018"}},
      {kNoCpuLimit,
       "Service has no CPU limit",
       Severity::kLow,
       "Without a CPU limit or share a busy (or hijacked) service starves the others.",
       "Set `cpus: 0.5` (or `deploy.resources.limits.cpus`), or `cpu_shares` for relative "
       "priority.",
       {{"5.12"}, {"T1496"}, {"SC-5"}, {"CWE-770"}, {kComposeSpec}},
       true,
       {"kics Cpus Not Limited", "docksec compose-no-resource-limits", "trivy KSV011"}},
      {kNoPidsLimit,
       "Service has no PIDs limit",
       Severity::kMedium,
       "Without a PIDs limit a fork bomb in one container exhausts the host's process table.",
       "Set `pids_limit: 100` (or `deploy.resources.limits.pids`).",
       {{"5.29"}, {"T1499"}, {"SC-5"}, {"CWE-770"}, {kComposeSpec}},
       true,
       {"kics Pids Limit Not Set"}},
      {kUnlimitedRestart,
       "Restart policy retries forever",
       Severity::kLow,
       "restart: always / unless-stopped (or on-failure without a count) restarts a crashing or "
       "exploited service endlessly, hiding the failure and helping denial of service.",
       "Use `restart: on-failure:5` or `deploy.restart_policy` with `max_attempts: 5`.",
       {{"5.15"}, {"T1499"}, {"SC-5"}, {"CWE-400"}, {kComposeSpec}},
       true,
       {"kics Restart Policy On Failure Not Set To 5"}},
      {kOomKillDisabled,
       "Service disables the OOM killer",
       Severity::kMedium,
       "With the OOM killer disabled, a service that runs out of memory hangs instead of being "
       "killed, and can freeze the host when it has no memory limit.",
       "Remove `oom_kill_disable: true` and set a memory limit.",
       {{}, {"T1499"}, {"SC-5"}, {"CWE-400"}, {kComposeSpec}},
       true,
       {}},
      {kNoHealthcheck,
       "Service has no healthcheck",
       Severity::kLow,
       "Without a healthcheck the engine cannot tell a hung service from a healthy one, and "
       "depends_on cannot wait for readiness. The image may define one (HEALTHCHECK).",
       "Add `healthcheck:` with a test, interval, timeout and retries; do not disable it.",
       {{"5.27"}, {}, {"SI-4", "CP-10"}, {}, {kComposeSpec}},
       true,
       {"kics Healthcheck Not Set", "docksec compose-missing-healthcheck", "checkov CKV_DOCKER_2"}},
      {kUnpinnedImage,
       "Image is not pinned",
       Severity::kMedium,
       "An image without a tag, with `latest`, or without a digest can change under the same name: "
       "builds are not reproducible and a compromised registry tag is pulled silently.",
       "Pin a specific version, ideally with its digest: `image: nginx:1.27.2@sha256:...`.",
       {{}, {"T1525", "T1204.003"}, {"CM-2", "SR-3", "SR-4"}, {"CWE-1357"}, {kComposeSpec}},
       false,
       {"docksec compose-latest-or-untagged-image", "hadolint DL3007", "trivy KSV013"}},
      {kSecretInEnvironment,
       "Secret in plain text in the environment",
       Severity::kHigh,
       "Passwords and tokens written into the compose file end up in version control, in "
       "`docker inspect` output and in every process's environment.",
       "Use compose `secrets:` (files under /run/secrets, e.g. POSTGRES_PASSWORD_FILE), or keep "
       "the values in an untracked .env file (mode 0600, listed in .gitignore and .dockerignore) "
       "read with `env_file:` or `${VARIABLE}` interpolation.",
       {{"4.10"},
        {"T1552", "T1552.001"},
        {"IA-5", "IA-5(7)", "SC-28"},
        {"CWE-798"},
        {kComposeSpec}},
       true,
       {"docksec compose-plaintext-secret-env", "trivy secret scanning"}},
  };
}

}  // namespace

std::vector<core::CheckInfo> ComposeCatalog() {
  std::vector<core::CheckInfo> out;
  for (auto group : {PrivilegeEntries(), NamespaceEntries(), MountEntries(), NetworkEntries(),
                     RuntimeEntries()}) {
    for (auto& entry : group) out.push_back(ToInfo(std::move(entry)));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

}  // namespace bulwark::audit::compose
