// HostFacts: everything `audit --host` knows about the machine, gathered
// once by the collectors (collect_*.cpp) and then read by every check. The
// checks are pure functions of these facts, so tests can build facts by hand
// or from recorded Engine API documents. Plain value types.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/daemon_config.hpp"

namespace bulwark::host {

// stat(2) of one host path (never followed through a final symlink).
struct FileFact {
  std::string path;    // the host path, e.g. "/etc/docker/daemon.json"
  bool exists = false;
  std::string error;   // why stat failed other than ENOENT (e.g. "permission denied")
  std::string type;    // "file" | "directory" | "socket" | "symlink" | "other"
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint32_t mode = 0;   // st_mode & 07777
  std::string owner;   // user name from the host's /etc/passwd ("" if unknown)
  std::string group;   // group name from the host's /etc/group ("" if unknown)
};

// Linux audit rules that apply to the host, from `auditctl -l` (the loaded
// rules, needs root) and /etc/audit/rules.d/*.rules + /etc/audit/audit.rules
// (what loads at boot).
struct AuditRules {
  bool readable = false;                // at least one source could be read
  std::vector<std::string> rules;       // one rule per entry
  std::vector<std::string> sources;     // "auditctl -l", "/etc/audit/rules.d/docker.rules"
  std::string unreadable_reason;        // when !readable: why (no root, auditd not installed)
};

// One line of /proc/self/mountinfo.
struct MountEntry {
  std::string mount_point;
  std::string fstype;
  std::string source;
  std::string options;
};

// A TCP socket in LISTEN state (/proc/net/tcp, tcp6).
struct ListeningSocket {
  std::string address;  // "0.0.0.0", "::", "127.0.0.1"
  int port = 0;
};

struct GroupFact {
  bool exists = false;
  uint32_t gid = 0;
  std::vector<std::string> members;  // explicit members and users whose primary group it is
};

// The dockerd process that serves the socket being audited.
struct DaemonProcess {
  int pid = 0;
  std::vector<std::string> argv;  // /proc/PID/cmdline
  uint32_t uid = 0;               // real uid (rootless daemons run as a user)
};

struct DaemonConfigFile {
  std::string path;        // --config-file, else /etc/docker/daemon.json
  bool exists = false;
  nlohmann::json json;     // the object when it parsed; null otherwise
  std::string error;       // read or parse error ("" when fine or absent)
};

struct ContainerFacts {
  std::string id;            // full ID
  std::string name;          // without the leading '/'
  nlohmann::json inspect;    // GET /containers/{id}/json
  // Process command lines from GET /containers/{id}/top (the host's ps, so
  // nothing is executed inside the container).
  bool processes_known = false;
  std::vector<std::string> processes;
  std::string processes_error;
  // GET /exec/{id}/json for each of inspect.ExecIDs (exec sessions the engine
  // still remembers: Privileged, User, ProcessConfig).
  std::vector<nlohmann::json> execs;
};

struct ImageFacts {
  std::string id;                  // "sha256:..."
  std::vector<std::string> tags;   // RepoTags
  nlohmann::json inspect;          // GET /images/{id}/json
  nlohmann::json history;          // GET /images/{id}/history (array; may be empty)
  bool used_by_container = false;  // some container (running or not) uses it
};

struct EngineFacts {
  bool reachable = false;
  std::string error;          // why not, when !reachable
  std::string socket_path;
  nlohmann::json info;        // GET /info
  nlohmann::json version;     // GET /version
  std::vector<ContainerFacts> containers;  // running containers in scope
  std::vector<ImageFacts> images;          // images in scope
  int containers_total = 0;   // every container the engine has, running or not
  int containers_running = 0;
  int images_total = 0;
  nlohmann::json networks;    // GET /networks (array)
  // Swarm, read only when this node is a manager of an active swarm.
  bool swarm_active = false;
  bool swarm_manager = false;
  nlohmann::json swarm_nodes;     // GET /nodes
  nlohmann::json swarm_services;  // GET /services
  nlohmann::json swarm_secrets;   // GET /secrets
  nlohmann::json swarm;           // GET /swarm (spec: auto-lock, CA, cert expiry)
  std::optional<std::string> unlock_key;  // GET /swarm/unlockkey ("" when auto-lock is off)
};

struct HostFacts {
  std::string root = "/";  // where the host's filesystem is mounted (--host-root)
  bool is_root = false;    // effective uid 0
  std::map<std::string, std::string> env;  // the environment variables checks read (DOCKER_CONTENT_TRUST)

  std::optional<DaemonProcess> daemon_process;
  std::string daemon_process_error;  // why no process matched the socket
  DaemonConfigFile daemon_file;
  DaemonConfig daemon;     // the merge of the two above

  std::map<std::string, FileFact> files;  // keyed by host path
  AuditRules audit;
  std::vector<MountEntry> mounts;
  std::vector<ListeningSocket> listening;
  GroupFact docker_group;

  EngineFacts engine;

  // nullptr when the collectors did not stat this path.
  const FileFact* File(const std::string& path) const {
    auto it = files.find(path);
    return it == files.end() ? nullptr : &it->second;
  }
};

}  // namespace bulwark::host
