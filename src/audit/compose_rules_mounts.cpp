// Mount rules: engine sockets, sensitive host paths, mount propagation and
// host devices.
#include <algorithm>
#include <filesystem>

#include "audit/compose_rules.hpp"

namespace bulwark::audit::compose {
namespace {

using core::Severity;

// Host directories whose contents control or describe the host (CIS 5.6 and
// the places credentials and engine state live).
constexpr std::string_view kSensitiveRoots[] = {
    "/",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib64",
    "/lib32",
    "/usr",
    "/bin",
    "/sbin",
    "/proc",
    "/sys",
    "/root",
    "/home",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/var/lib/kubelet",
    "/etc/kubernetes",
    "/var/log",
    "/run",
    "/var/run",
    "/var/lib",
    "/var/spool/cron",
    "/opt/containerd",
};

// Of those, the trees in which any subpath is sensitive too (not /home or
// /var/lib, where application data often lives).
constexpr std::string_view kSensitiveTrees[] = {
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib64",
    "/lib32",
    "/usr",
    "/bin",
    "/sbin",
    "/proc",
    "/sys",
    "/root",
    "/run",
    "/var/run",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/var/lib/kubelet",
    "/var/spool/cron",
};

// Read-only mounts of these are routine (time zone, host identity).
constexpr std::string_view kHarmlessReadOnly[] = {
    "/etc/localtime",  "/etc/timezone", "/usr/share/zoneinfo",
    "/etc/machine-id", "/etc/hostname", "/sys/fs/cgroup",
};

// Directories whose entries are credentials wherever they are.
constexpr std::string_view kCredentialDirs[] = {".ssh",    ".aws",           ".kube", ".gnupg",
                                                ".docker", ".config/gcloud", ".azure"};

constexpr std::string_view kEngineSocketNames[] = {"docker.sock",      "containerd.sock",
                                                   "podman.sock",      "crio.sock",
                                                   "cri-dockerd.sock", "dockershim.sock"};

// Directories that hold an engine socket: mounting them exposes it.
constexpr std::string_view kSocketDirs[] = {"/var/run",        "/run",
                                            "/var/run/docker", "/run/docker",
                                            "/run/containerd", "/var/run/containerd",
                                            "/run/podman",     "/var/run/crio",
                                            "/run/crio"};

std::string Normalise(std::string_view path) {
  std::string out = std::filesystem::path(std::string(path)).lexically_normal().generic_string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

bool IsUnder(std::string_view path, std::string_view root) {
  if (root == "/") return true;
  return path.size() > root.size() && path.substr(0, root.size()) == root &&
         path[root.size()] == '/';
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool IsEngineSocket(std::string_view path) {
  for (std::string_view name : kEngineSocketNames) {
    if (EndsWith(path, "/" + std::string(name)) || path == name) return true;
  }
  return false;
}

bool Contains(const std::string_view* begin, const std::string_view* end, std::string_view value) {
  return std::find(begin, end, value) != end;
}

std::string Where(const parse::ComposeVolume& volume) {
  return parse::Printable(volume.source) + " at " + parse::Printable(volume.target);
}

bool ReportSocket(const ServiceContext& ctx, const parse::ComposeVolume& volume,
                  const std::string& path) {
  if (IsEngineSocket(path)) {
    ctx.Report(kDockerSocket, volume.mark,
               ctx.Subject() + " mounts the container engine socket " + Where(volume) +
                   (volume.read_only ? " (read-only does not restrict API calls)" : ""));
    return true;
  }
  if (Contains(std::begin(kSocketDirs), std::end(kSocketDirs), path)) {
    ctx.Report(kDockerSocket, volume.mark,
               ctx.Subject() + " mounts " + parse::Printable(path) +
                   ", which contains the container engine socket");
    return true;
  }
  return false;
}

void ReportSensitive(const ServiceContext& ctx, const parse::ComposeVolume& volume,
                     const std::string& path) {
  const bool exact = Contains(std::begin(kSensitiveRoots), std::end(kSensitiveRoots), path);
  bool under = false;
  for (std::string_view root : kSensitiveTrees) under |= IsUnder(path, root);
  bool credentials = false;
  for (std::string_view dir : kCredentialDirs) {
    const std::string needle = "/" + std::string(dir);
    if (path.find(needle + "/") != std::string::npos || EndsWith(path, needle)) credentials = true;
  }
  if (!exact && !under && !credentials) return;
  if (!exact && volume.read_only &&
      Contains(std::begin(kHarmlessReadOnly), std::end(kHarmlessReadOnly), path)) {
    return;
  }
  Severity severity = Severity::kHigh;
  if (path == "/" && !volume.read_only)
    severity = Severity::kCritical;
  else if (exact || credentials)
    severity = volume.read_only ? Severity::kMedium : Severity::kHigh;
  else
    severity = volume.read_only ? Severity::kLow : Severity::kMedium;
  std::string what = credentials ? "a credentials directory " : "sensitive host path ";
  ctx.Report(kSensitiveHostPath, severity, volume.mark,
             ctx.Subject() + " mounts " + what + Where(volume) +
                 (volume.read_only ? " (read-only)" : " read-write"));
}

void CheckVolume(const ServiceContext& ctx, const parse::ComposeVolume& volume) {
  if (volume.propagation == "shared" || volume.propagation == "rshared") {
    ctx.Report(kSharedPropagation, volume.propagation_mark,
               ctx.Subject() + " mounts " + parse::Printable(volume.target) + " with " +
                   volume.propagation + " propagation");
  }
  if (volume.type != "bind" || volume.source.empty()) return;
  auto source = Effective(volume.source);
  if (!source || source->empty()) return;
  if (source->front() == '~') {
    // The home directory of whoever runs compose; credentials live under it.
    *source = "/home/user" + source->substr(1);
  }
  if (source->front() != '/') return;  // relative to the project: the user's own files
  const std::string path = Normalise(*source);
  if (ReportSocket(ctx, volume, path)) return;
  ReportSensitive(ctx, volume, path);
}

Severity DeviceSeverity(std::string_view device) {
  for (std::string_view raw :
       {"/dev/mem", "/dev/kmem", "/dev/port", "/dev/sd", "/dev/nvme", "/dev/xvd", "/dev/vd",
        "/dev/hd", "/dev/dm-", "/dev/mapper", "/dev/loop", "/dev/disk"}) {
    if (device.substr(0, raw.size()) == raw) return Severity::kHigh;
  }
  return Severity::kMedium;
}

}  // namespace

void CheckMounts(const ServiceContext& ctx) {
  const auto& s = ctx.service();
  for (const auto& volume : s.volumes) CheckVolume(ctx, volume);
  if (EffectiveBool(s.use_api_socket).value_or(false)) {
    ctx.Report(
        kDockerSocket, s.use_api_socket->key,
        ctx.Subject() + " is given the engine API socket and credentials (use_api_socket: true)");
  }
  if (s.devices) {
    for (const auto& item : s.devices->items) {
      const std::string host = item.text.substr(0, item.text.find(':'));
      ctx.Report(kHostDevice, DeviceSeverity(host), item.mark,
                 ctx.Subject() + " exposes host device " + parse::Printable(host));
    }
  }
}

}  // namespace bulwark::audit::compose
