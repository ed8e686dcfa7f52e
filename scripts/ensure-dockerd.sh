#!/usr/bin/env bash
# Makes sure a Docker daemon answers on this machine, without systemd.
#
# Idempotent: installs Debian's docker.io when dockerd is missing, does nothing
# when `docker info` already answers, otherwise starts dockerd in the
# background (as root), logs to /var/log/bulwark-dockerd.log and waits a
# bounded time for it. Safe to run twice and from CI on a fresh machine.
#
# Networking: the default configuration (iptables on, userland proxy on) is
# tried first, because it is what real hosts run and published ports work
# with it on this kind of VM (nf_tables backend). If that daemon dies during
# start-up (a sandbox whose kernel refuses the iptables rules), it is started
# again with --iptables=false --ip6tables=false; published ports then still
# work for 127.0.0.1 through the userland proxy (docker-proxy), but containers
# lose outbound NAT.
#
# Ports published on the default bridge without a host IP (`docker run -p
# 15000:5000`) bind to BULWARK_DOCKERD_IP (default 127.0.0.1, dockerd --ip), so
# nothing a test starts that way is reachable from outside the machine; set
# BULWARK_DOCKERD_IP=0.0.0.0 for Docker's stock behaviour. dockerd --ip does
# NOT reach user-defined networks (compose's): those take the network option
# com.docker.network.bridge.host_binding_ipv4 (see lab/loopback.compose.yml).
#
# Environment:
#   BULWARK_DOCKERD_IP       default host IP for published ports (127.0.0.1)
#   BULWARK_DOCKERD_LOG      log file (/var/log/bulwark-dockerd.log)
#   BULWARK_DOCKERD_TIMEOUT  seconds to wait for the daemon (60)
#   BULWARK_DOCKERD_IPTABLES auto|on|off (auto: on, falling back to off)
set -euo pipefail

readonly kLog="${BULWARK_DOCKERD_LOG:-/var/log/bulwark-dockerd.log}"
readonly kTimeout="${BULWARK_DOCKERD_TIMEOUT:-60}"
readonly kBindIp="${BULWARK_DOCKERD_IP:-127.0.0.1}"
readonly kIptables="${BULWARK_DOCKERD_IPTABLES:-auto}"

Say() { printf 'ensure-dockerd: %s\n' "$*" >&2; }
Die() { Say "error: $*"; exit 1; }

DockerAnswers() { docker info >/dev/null 2>&1; }

InstallDockerIfMissing() {
  if command -v dockerd >/dev/null 2>&1 && command -v docker >/dev/null 2>&1; then
    return 0
  fi
  [[ "$(id -u)" == 0 ]] || Die "dockerd is not installed and installing it needs root (apt-get install docker.io)"
  Say "installing docker.io from the Debian archive"
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine may have stale or no package lists; one update is cheap.
  apt-get update -qq || Say "apt-get update failed; trying the install with the lists at hand"
  apt-get install -y -qq --no-install-recommends docker.io iptables ca-certificates >/dev/null \
    || Die "apt-get install docker.io failed"
  command -v dockerd >/dev/null 2>&1 || Die "docker.io installed but dockerd is not on PATH"
}

# True while pid runs (a zombie counts as dead: PID 1 may be slow to reap it).
ProcessAlive() {
  local state
  state="$(ps -o stat= -p "$1" 2>/dev/null || true)"
  [[ -n "${state}" && "${state}" != Z* ]]
}

# Prints the pid of a live dockerd, if any (exact process name only; a
# zombie left by a failed start does not count).
RunningDockerdPid() {
  local pid
  for pid in $(pgrep -x dockerd 2>/dev/null || true); do
    if ProcessAlive "${pid}"; then
      echo "${pid}"
      return 0
    fi
  done
}

# Starts dockerd with the given extra flags; prints its pid.
StartDockerd() {
  local -a flags=(--ip="${kBindIp}" "$@")
  mkdir -p "$(dirname "${kLog}")"
  {
    printf '\n=== %s: ensure-dockerd starting dockerd %s\n' "$(date -u +%FT%TZ)" "${flags[*]}"
  } >>"${kLog}"
  # setsid detaches the daemon from the caller's session, so it outlives the
  # script (and a CI step) and does not receive the terminal's signals.
  setsid dockerd "${flags[@]}" </dev/null >>"${kLog}" 2>&1 9>&- &
  echo $!
}


# Waits until `docker info` answers. Returns 1 when the daemon died, 2 on timeout.
WaitForDaemon() {
  local pid="$1" waited=0
  while ! DockerAnswers; do
    if ! ProcessAlive "${pid}"; then
      return 1
    fi
    if (( waited >= kTimeout * 2 )); then
      return 2
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
}

StartAndWait() {
  local pid status=0
  pid="$(StartDockerd "$@")"
  Say "started dockerd (pid ${pid}) $*; log: ${kLog}"
  WaitForDaemon "${pid}" || status=$?
  return "${status}"
}

Main() {
  InstallDockerIfMissing
  if DockerAnswers; then
    Say "docker daemon already answers"
    return 0
  fi
  [[ "$(id -u)" == 0 ]] || Die "docker info fails and starting dockerd needs root"
  # Serialise concurrent callers: the second one finds the daemon answering.
  exec 9>/run/bulwark-ensure-dockerd.lock
  flock 9
  if DockerAnswers; then
    Say "docker daemon already answers"
    return 0
  fi
  if [[ -n "$(RunningDockerdPid)" ]]; then
    # Someone else's daemon is starting or wedged: wait for it rather than
    # racing it for /var/run/docker.sock.
    Say "dockerd (pid $(RunningDockerdPid)) runs but does not answer yet; waiting"
    WaitForDaemon "$(RunningDockerdPid)" && return 0
    Die "the running dockerd (pid $(RunningDockerdPid)) does not answer within ${kTimeout}s; see ${kLog}"
  fi
  # A daemon that was killed hard leaves its pid file behind and refuses to start.
  rm -f /var/run/docker.pid

  local status=0
  case "${kIptables}" in
    off) StartAndWait --iptables=false --ip6tables=false || status=$? ;;
    on) StartAndWait || status=$? ;;
    auto)
      StartAndWait || status=$?
      if (( status == 1 )); then
        Say "dockerd exited during start-up; retrying with --iptables=false --ip6tables=false"
        tail -n 5 "${kLog}" >&2 || true
        rm -f /var/run/docker.pid
        status=0
        StartAndWait --iptables=false --ip6tables=false || status=$?
      fi
      ;;
    *) Die "BULWARK_DOCKERD_IPTABLES must be auto, on or off (got '${kIptables}')" ;;
  esac
  case "${status}" in
    0) Say "docker daemon is ready ($(docker info --format '{{.ServerVersion}}' 2>/dev/null))" ;;
    1) tail -n 20 "${kLog}" >&2 || true; Die "dockerd exited during start-up; see ${kLog}" ;;
    *) Die "dockerd did not answer within ${kTimeout}s; see ${kLog}" ;;
  esac
}

Main "$@"
