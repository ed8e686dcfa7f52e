// CollectHostFiles and the table of where each Docker file may live on a
// host (HostPathCandidates), which the checks use to find what was stat'ed.
#include "host/collect_files.hpp"

#include <algorithm>

#include "host/json_access.hpp"

namespace bulwark::host {
namespace {

constexpr const char* kBinDirs[] = {"/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"};
constexpr const char* kUnitDirs[] = {"/etc/systemd/system", "/lib/systemd/system",
                                     "/usr/lib/systemd/system"};
constexpr const char* kCertsDir = "/etc/docker/certs.d";

void AddUnique(std::vector<std::string>& paths, std::string path) {
  if (path.empty()) return;
  if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(std::move(path));
}

std::vector<std::string> InDirs(const char* const* dirs, size_t count, const std::string& name) {
  std::vector<std::string> paths;
  for (size_t i = 0; i < count; ++i) paths.push_back(std::string(dirs[i]) + "/" + name);
  return paths;
}

std::vector<std::string> Binary(const std::string& name) {
  return InDirs(kBinDirs, std::size(kBinDirs), name);
}

std::vector<std::string> Unit(const std::string& name) {
  return InDirs(kUnitDirs, std::size(kUnitDirs), name);
}

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string StripTrailingSlashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

std::string StripUnixScheme(std::string path) {
  constexpr std::string_view kScheme = "unix://";
  if (path.compare(0, kScheme.size(), kScheme) == 0) path.erase(0, kScheme.size());
  return path;
}

// dockerd: its own argv[0] when absolute, any other dockerd the collector
// stat'ed (the target of /proc/PID/exe), then the usual directories.
std::vector<std::string> DockerdCandidates(const HostFacts& facts) {
  std::vector<std::string> standard = Binary("dockerd");
  std::vector<std::string> paths;
  if (facts.daemon_process && !facts.daemon_process->argv.empty()) {
    const std::string& argv0 = facts.daemon_process->argv[0];
    if (!argv0.empty() && argv0[0] == '/') AddUnique(paths, argv0);
  }
  for (const auto& [path, fact] : facts.files) {
    bool is_standard = std::find(standard.begin(), standard.end(), path) != standard.end();
    if (!is_standard && fact.exists && fact.type == "file" && BaseName(path) == "dockerd" &&
        path.rfind(kCertsDir, 0) != 0) {
      AddUnique(paths, path);
    }
  }
  for (std::string& path : standard) AddUnique(paths, std::move(path));
  return paths;
}

std::vector<std::string> DockerSocketCandidates(const HostFacts& facts) {
  std::vector<std::string> paths;
  std::string engine_socket = StripUnixScheme(facts.engine.socket_path);
  if (!engine_socket.empty() && engine_socket[0] == '/') AddUnique(paths, engine_socket);
  if (const DaemonOption* hosts = facts.daemon.Find("hosts")) {
    for (const std::string& host : hosts->values) {
      if (host.rfind("unix://", 0) == 0) {
        std::string path = StripUnixScheme(host);
        AddUnique(paths, path.empty() ? "/var/run/docker.sock" : path);
      }
    }
  }
  AddUnique(paths, "/var/run/docker.sock");
  return paths;
}

// tlscacert / tlscert / tlskey, or dockerd's defaults (~/.docker/*.pem of
// the daemon's user, here root) when TLS is on without them.
std::vector<std::string> TlsCandidates(const HostFacts& facts, const char* key,
                                       const char* default_name) {
  std::string value = facts.daemon.Value(key);
  if (!value.empty()) return {value};
  bool tls_on =
      facts.daemon.Bool("tlsverify").value_or(false) || facts.daemon.Bool("tls").value_or(false);
  bool daemon_is_root = !facts.daemon_process || facts.daemon_process->uid == 0;
  if (tls_on && daemon_is_root) return {std::string("/root/.docker/") + default_name};
  return {};
}

// certs.d/<registry>/<file>: the two levels dockerd reads, at most
// kMaxCertFiles entries in all. A listing that fails or stops early is
// said in the directory's FileFact::error.
void CollectCertsDir(HostFacts& facts, const HostAccounts& accounts) {
  const FileFact* dir = facts.File(kCertsDir);
  if (dir == nullptr || !dir->exists || dir->type != "directory") return;
  core::Result<DirListing> top = ListHostDir(facts.root, kCertsDir, kMaxDirEntries);
  if (!top.ok()) {
    facts.files[kCertsDir].error = "cannot list: " + top.status().message();
    return;
  }
  size_t stated = 0;
  bool truncated = top->truncated;
  auto stat_entry = [&](const std::string& path) {
    if (stated >= kMaxCertFiles) {
      truncated = true;
      return false;
    }
    ++stated;
    facts.files[path] = StatHostFile(facts.root, path, accounts);
    return true;
  };
  for (const std::string& name : top->names) {
    std::string path = std::string(kCertsDir) + "/" + name;
    if (!stat_entry(path)) break;
    const FileFact& entry = facts.files[path];
    if (!entry.exists || entry.type != "directory") continue;
    core::Result<DirListing> sub = ListHostDir(facts.root, path, kMaxDirEntries);
    if (!sub.ok()) {
      facts.files[path].error = "cannot list: " + sub.status().message();
      continue;
    }
    truncated = truncated || sub->truncated;
    for (const std::string& file : sub->names) {
      if (!stat_entry(path + "/" + file)) break;
    }
  }
  if (truncated) {
    facts.files[kCertsDir].error =
        "listing stopped after " + std::to_string(kMaxCertFiles) + " entries";
  }
}

bool RootIsSlash(const std::string& root) {
  return root.find_first_not_of('/') == std::string::npos;
}

}  // namespace

std::string DockerRootDir(const HostFacts& facts) {
  std::string dir = JsonString(facts.engine.info, "/DockerRootDir");
  if (dir.empty()) dir = facts.daemon.Value("data-root");
  if (dir.empty()) dir = facts.daemon.Value("graph");  // the pre-17.05 name of data-root
  if (dir.empty()) dir = "/var/lib/docker";
  dir = StripTrailingSlashes(dir);
  // With userns-remap the engine reports <root>/<uid>.<gid>; the data
  // (and its partition and audit rule) is the parent.
  bool userns = false;
  for (const std::string& option : JsonStrings(facts.engine.info, "/SecurityOptions")) {
    userns = userns || option.find("name=userns") != std::string::npos;
  }
  std::string last = BaseName(dir);
  if (userns && last.find('.') != std::string::npos &&
      last.find_first_not_of("0123456789.") == std::string::npos && dir.size() > last.size() + 1) {
    dir.resize(dir.size() - last.size() - 1);
  }
  return dir;
}

std::vector<std::string> HostPathCandidates(const HostFacts& facts, HostPathRole role) {
  switch (role) {
    case HostPathRole::kDockerdBinary:
      return DockerdCandidates(facts);
    case HostPathRole::kContainerdBinary:
      return Binary("containerd");
    case HostPathRole::kContainerdShim:
      return Binary("containerd-shim");
    case HostPathRole::kContainerdShimRuncV1:
      return Binary("containerd-shim-runc-v1");
    case HostPathRole::kContainerdShimRuncV2:
      return Binary("containerd-shim-runc-v2");
    case HostPathRole::kRuncBinary:
      return Binary("runc");
    case HostPathRole::kDockerService:
      return Unit("docker.service");
    case HostPathRole::kDockerSocketUnit:
      return Unit("docker.socket");
    case HostPathRole::kDockerRootDir:
      return {DockerRootDir(facts)};
    case HostPathRole::kEtcDocker:
      return {"/etc/docker"};
    case HostPathRole::kRunContainerd:
      return {"/run/containerd"};
    case HostPathRole::kContainerdSocket:
      // The system containerd's, then the one dockerd starts itself.
      return {"/run/containerd/containerd.sock", "/run/docker/containerd/containerd.sock"};
    case HostPathRole::kEtcDefaultDocker:
      return {"/etc/default/docker"};
    case HostPathRole::kDaemonJson:
      return {facts.daemon_file.path.empty() ? "/etc/docker/daemon.json" : facts.daemon_file.path};
    case HostPathRole::kContainerdConfig:
      return {"/etc/containerd/config.toml"};
    case HostPathRole::kSysconfigDocker:
      return {"/etc/sysconfig/docker"};
    case HostPathRole::kDockerSocket:
      return DockerSocketCandidates(facts);
    case HostPathRole::kTlsCaCert:
      return TlsCandidates(facts, "tlscacert", "ca.pem");
    case HostPathRole::kTlsCert:
      return TlsCandidates(facts, "tlscert", "cert.pem");
    case HostPathRole::kTlsKey:
      return TlsCandidates(facts, "tlskey", "key.pem");
    case HostPathRole::kCertsDir:
      return {kCertsDir};
  }
  return {};
}

HostPathLookup FindHostPath(const HostFacts& facts, HostPathRole role) {
  HostPathLookup lookup;
  lookup.looked_in = HostPathCandidates(facts, role);
  const FileFact* symlink = nullptr;
  const FileFact* failed = nullptr;
  for (const std::string& path : lookup.looked_in) {
    const FileFact* fact = facts.File(path);
    if (fact == nullptr) continue;
    if (fact->exists && fact->type != "symlink") {
      lookup.fact = fact;
      return lookup;
    }
    if (fact->exists && symlink == nullptr) symlink = fact;
    if (!fact->exists && !fact->error.empty() && failed == nullptr) failed = fact;
  }
  lookup.fact = symlink != nullptr ? symlink : failed;
  return lookup;
}

std::string LookedIn(const std::vector<std::string>& paths) {
  if (paths.empty()) return "looked nowhere";
  std::string out = "looked in ";
  for (size_t i = 0; i < paths.size(); ++i) out += (i ? ", " : "") + paths[i];
  return out;
}

void CollectHostFiles(HostFacts& facts) {
  if (facts.root.empty()) facts.root = "/";
  const HostAccounts accounts = ReadHostAccounts(facts.root);
  auto stat_once = [&](const std::string& path) {
    if (path.empty() || facts.files.count(path) != 0) return;
    facts.files[path] = StatHostFile(facts.root, path, accounts);
  };
  // The binary the daemon really runs (argv[0] may be a bare "dockerd").
  if (facts.daemon_process && facts.daemon_process->pid > 0) {
    core::Result<std::string> exe =
        ReadHostLink(facts.root, "/proc/" + std::to_string(facts.daemon_process->pid) + "/exe");
    if (exe.ok()) {
      std::string target = *exe;
      constexpr std::string_view kDeleted = " (deleted)";
      if (target.size() > kDeleted.size() &&
          target.compare(target.size() - kDeleted.size(), kDeleted.size(), kDeleted) == 0) {
        target.resize(target.size() - kDeleted.size());
      }
      if (!target.empty() && target[0] == '/') stat_once(target);
    }
  }
  for (HostPathRole role : kAllHostPathRoles) {
    for (const std::string& path : HostPathCandidates(facts, role)) stat_once(path);
  }
  CollectCertsDir(facts, accounts);
  for (std::string_view marker : kLsmMarkerPaths) stat_once(std::string(marker));

  facts.audit = ReadAuditRules(facts.root, RootIsSlash(facts.root) && facts.is_root);
  core::Result<std::vector<MountEntry>> mounts = ReadMountTable(facts.root);
  if (mounts.ok()) facts.mounts = std::move(*mounts);
  facts.listening = ReadListeningSockets(facts.root);
  facts.docker_group = accounts.Group("docker");
}

}  // namespace bulwark::host
