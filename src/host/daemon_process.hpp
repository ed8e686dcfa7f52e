// Finding the dockerd process that serves the socket being audited, and
// reading its configuration file. Both read the host's files under `root`
// (the host's filesystem, "/" or --host-root) and never fail: what cannot be
// read is said in the result. Stateless; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "host/host_facts.hpp"

namespace bulwark::host {

// The dockerd under root/proc that listens on unix://socket_path: its -H /
// --host flags, else "hosts" in its own daemon.json, else the default
// unix:///var/run/docker.sock (/var/run and /run are one directory; fd://
// counts as the default socket, which systemd's docker.socket provides).
// A machine may run several daemons (rootless ones, test daemons on their
// own sockets), so the newest one is not necessarily the right one. nullopt
// when none matches; then *why_not (if given) says why, e.g. "no dockerd
// process in /proc (the daemon may run in another PID namespace)".
std::optional<DaemonProcess> FindDaemonProcess(const std::string& root,
                                               const std::string& socket_path,
                                               std::string* why_not);

// The configuration file dockerd read: its --config-file, else for a
// rootless daemon (non-root uid or --rootless) $XDG_CONFIG_HOME/docker/
// daemon.json or ~/.config/docker/daemon.json (from the process's environment
// when readable, else the home in the host's /etc/passwd), else
// /etc/docker/daemon.json. DaemonConfig::ConfigFilePath knows only the first
// and the last.
std::string DaemonConfigFilePath(const std::string& root, const DaemonProcess& process);

// root + path read (at most 1 MiB) and parsed as strict JSON. Absent:
// exists=false and no error. An empty file is an empty object, as dockerd
// reads it. A file that does not parse or is not an object keeps json null
// and an error naming the file.
DaemonConfigFile ReadDaemonConfigFile(const std::string& root, const std::string& path);

// The unix socket paths a daemon with this configuration listens on
// ("/run/docker.sock" form: /var/run folded into /run): its "hosts", or the
// default socket when none is set; "", "unix://" and fd:// are the default
// socket too. TCP hosts are not included.
std::vector<std::string> DaemonUnixSockets(
    const DaemonConfig& config, const std::string& default_socket = "/var/run/docker.sock");

// "/var/run/docker.sock" -> "/run/docker.sock"; "unix://" prefix, repeated and
// trailing slashes removed.
std::string NormalizeSocketPath(std::string path);

}  // namespace bulwark::host
