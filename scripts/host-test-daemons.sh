#!/usr/bin/env bash
# Starts (or stops) two throw-away Docker daemons for the `audit --host`
# tests: "weak", configured the way the CIS Docker Benchmark warns about, and
# "hardened", configured the way it asks for, each running containers of the
# same kind. They live in their own network namespaces (so their iptables
# rules and bridges never touch the host's), with their own data-root,
# exec-root, socket and containerd namespace, next to the machine's own
# dockerd, which they do not touch.
#
#   scripts/host-test-daemons.sh start   # idempotent; prints the two sockets
#   scripts/host-test-daemons.sh stop    # removes everything it made
#   scripts/host-test-daemons.sh start-lab DAEMON_JSON  # (re)starts a third
#       daemon, "lab", with that daemon.json (make demo: the host audit before
#       and after `bulwark fix --daemon`); stop-lab removes it
#
# Sockets: /run/bulwark-host-test/{weak,hardened}/docker.sock
# Containers: weak: bw-weak-root (root, host namespaces, SYS_ADMIN, docker.sock and
# /etc mounted, ...), bw-weak-web (root, 0.0.0.0:80, sshd, no limits);
# hardened: bw-hard-web (non-root, read-only, cap-drop ALL, limits, health).
# Needs root, dockerd, ip (iproute2) and busybox-static (installed if missing).
set -euo pipefail

readonly kBase=/run/bulwark-host-test
readonly kData=/var/lib/bulwark-host-test
readonly kTimeout=60

Say() { printf '[host-test-daemons] %s\n' "$*" >&2; }
Die() { Say "error: $*"; exit 1; }

Dk() {  # Dk weak|hardened docker-args...
  local name="$1"
  shift
  docker -H "unix://${kBase}/${name}/docker.sock" "$@"
}

EnsureTools() {
  if [[ "$(id -u)" != 0 ]]; then
    Say "SKIPPED: needs root (it starts dockerd); the host-audit engine tests cannot run"
    exit 77
  fi
  command -v dockerd >/dev/null || Die "dockerd is not installed (scripts/ensure-dockerd.sh installs it)"
  command -v ip >/dev/null || Die "ip (iproute2) is missing"
  if [[ ! -x /bin/busybox ]]; then
    Say "installing busybox-static from the Debian archive"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends busybox-static >/dev/null \
      || Die "apt-get install busybox-static failed"
  fi
}

WriteConfigs() {
  mkdir -p "${kBase}/weak" "${kBase}/hardened"
  # Weak: every section-2 setting the benchmark warns about that a daemon
  # still starts with (dm.basesize needs devicemapper; an authorization
  # plugin needs a plugin, so 2.11 passes and 2.12 warns on both).
  cat >"${kBase}/weak/daemon.json" <<'EOF'
{
  "icc": true,
  "log-level": "debug",
  "insecure-registries": ["registry.example.test:5000"],
  "cgroup-parent": "bulwark-weak",
  "experimental": true,
  "log-driver": "json-file"
}
EOF
  cat >"${kBase}/hardened/daemon.json" <<'EOF'
{
  "icc": false,
  "log-level": "info",
  "iptables": true,
  "userns-remap": "default",
  "default-ulimits": {"nofile": {"Name": "nofile", "Soft": 1024, "Hard": 2048}},
  "log-driver": "syslog",
  "log-opts": {"syslog-address": "udp://127.0.0.1:514"},
  "no-new-privileges": true,
  "live-restore": true,
  "userland-proxy": false
}
EOF
}

Answers() { Dk "$1" info >/dev/null 2>&1; }

StartDaemon() {  # StartDaemon name extra-dockerd-flags...
  local name="$1"
  shift
  local dir="${kBase}/${name}"
  if Answers "${name}"; then
    Say "${name} daemon already answers"
    return 0
  fi
  ip netns add "bw-${name}" 2>/dev/null || true
  ip -n "bw-${name}" link set lo up
  rm -f "${dir}/docker.pid"
  # nsenter --net, not `ip netns exec`: the latter also remounts /sys, which
  # hides the cgroup mounts dockerd needs.
  nsenter --net="/run/netns/bw-${name}" setsid dockerd \
    --data-root "${kData}/${name}" --exec-root "${dir}/exec" --pidfile "${dir}/docker.pid" \
    -H "unix://${dir}/docker.sock" --config-file "${dir}/daemon.json" \
    --containerd-namespace "bulwark-${name}" --containerd-plugins-namespace "bulwark-${name}-plugins" \
    "$@" </dev/null >"${dir}/dockerd.log" 2>&1 9>&- &
  local pid=$! waited=0
  until Answers "${name}"; do
    if ! kill -0 "${pid}" 2>/dev/null; then
      tail -n 20 "${dir}/dockerd.log" >&2
      Die "${name} dockerd exited during start-up (log: ${dir}/dockerd.log)"
    fi
    sleep 0.5
    waited=$((waited + 1))
    if (( waited > kTimeout * 2 )); then
      tail -n 20 "${dir}/dockerd.log" >&2
      Die "${name} dockerd did not answer within ${kTimeout}s (log: ${dir}/dockerd.log)"
    fi
  done
  Say "${name} daemon answers on unix://${dir}/docker.sock"
}

# A one-megabyte image from the static busybox: no registry needed.
ImportBusybox() {
  local name="$1" root
  Dk "${name}" image inspect bulwark-test/busybox:1 >/dev/null 2>&1 && return 0
  root="$(mktemp -d)"
  mkdir -p "${root}/bin" "${root}/usr/sbin" "${root}/etc" "${root}/tmp" "${root}/www"
  cp /bin/busybox "${root}/bin/busybox"
  for applet in sh sleep httpd true cat ps id; do ln -s busybox "${root}/bin/${applet}"; done
  # A process named sshd, so the sshd check (5.7) has something to find.
  printf '#!/bin/sh\nwhile true; do sleep 3600; done\n' >"${root}/usr/sbin/sshd"
  chmod 755 "${root}/usr/sbin/sshd"
  printf 'root:x:0:0:root:/:/bin/sh\napp:x:10001:10001:app:/:/bin/sh\n' >"${root}/etc/passwd"
  printf 'root:x:0:\napp:x:10001:\n' >"${root}/etc/group"
  tar -C "${root}" -c . | Dk "${name}" import -c 'CMD ["/bin/sh"]' - bulwark-test/busybox:1 >/dev/null
  rm -rf "${root}"
  # The hardened image: non-root user, a health check, only 8080 exposed.
  local ctx
  ctx="$(mktemp -d)"
  cat >"${ctx}/Dockerfile" <<'EOF'
FROM bulwark-test/busybox:1
EXPOSE 8080
USER 10001:10001
HEALTHCHECK --interval=2s --timeout=2s --retries=3 CMD ["/bin/true"]
CMD ["/bin/httpd", "-f", "-p", "8080", "-h", "/www"]
EOF
  DOCKER_BUILDKIT=0 Dk "${name}" build -q -t bulwark-test/app:1 "${ctx}" >/dev/null
  rm -rf "${ctx}"
}

# No --privileged: runc cannot start a privileged container on machines whose
# bounding set lacks a capability (this sandbox has no CAP_SYS_RESOURCE), so
# 5.5 is proved on recorded inspect documents instead (tests/host).
# True when the container runs; a leftover that does not is removed.
Running() {
  local name="$1" container="$2"
  [[ "$(Dk "${name}" inspect -f '{{.State.Running}}' "${container}" 2>/dev/null)" == true ]] && return 0
  Dk "${name}" rm -f "${container}" >/dev/null 2>&1 || true
  return 1
}

RunWeakContainers() {
  local sock="${kBase}/weak/docker.sock"
  # Shared propagation (5.20) needs a source on a shared mount: make one.
  mkdir -p "${kBase}/weak/shared"
  if ! mountpoint -q "${kBase}/weak/shared"; then
    mount --bind "${kBase}/weak/shared" "${kBase}/weak/shared"
    mount --make-shared "${kBase}/weak/shared"
  fi
  Running weak bw-weak-root || Dk weak run -d --name bw-weak-root \
    --user root --network host --pid host --ipc host --uts host --userns host \
    -v "${sock}:/var/run/docker.sock" -v /etc:/host-etc \
    --cap-add SYS_ADMIN --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
    --device /dev/zero:/dev/xzero --restart always \
    bulwark-test/busybox:1 sleep 100000 >/dev/null
  Running weak bw-weak-web || Dk weak run -d --name bw-weak-web \
    -p 0.0.0.0:80:8080 -v /run:/host-run \
    --mount "type=bind,source=${kBase}/weak/shared,target=/shared,bind-propagation=shared" \
    bulwark-test/busybox:1 /usr/sbin/sshd >/dev/null
}

RunHardenedContainers() {
  Dk hardened network inspect bw-net >/dev/null 2>&1 || Dk hardened network create bw-net >/dev/null
  Running hardened bw-hard-web || Dk hardened run -d --name bw-hard-web \
    --network bw-net -p 127.0.0.1:18090:8080 \
    --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges:true \
    --memory 64m --pids-limit 50 --cpus 0.5 --ulimit nproc=64:64 --restart on-failure:5 \
    bulwark-test/app:1 >/dev/null
  # Wait for the first health verdict so 5.27 sees "healthy".
  local waited=0
  until [[ "$(Dk hardened inspect -f '{{.State.Health.Status}}' bw-hard-web 2>/dev/null)" == healthy ]]; do
    sleep 0.5
    waited=$((waited + 1))
    (( waited < 60 )) || Die "bw-hard-web did not become healthy"
  done
}

Start() {
  EnsureTools
  WriteConfigs
  # The weak daemon listens on TCP without TLS (2.7), inside its own netns,
  # and has iptables off on its command line (2.4 read from /proc).
  StartDaemon weak -H tcp://127.0.0.1:2375 --iptables=false
  StartDaemon hardened
  ImportBusybox weak
  ImportBusybox hardened
  RunWeakContainers
  RunHardenedContainers
  printf '%s\n' "${kBase}/weak/docker.sock" "${kBase}/hardened/docker.sock"
}

StopDaemon() {
  local name="$1" pid
  if Answers "${name}"; then
    Dk "${name}" ps -aq | xargs -r docker -H "unix://${kBase}/${name}/docker.sock" rm -f >/dev/null 2>&1 || true
  fi
  if [[ -f "${kBase}/${name}/docker.pid" ]]; then
    pid="$(cat "${kBase}/${name}/docker.pid")"
    kill "${pid}" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "${pid}" 2>/dev/null || break; sleep 0.25; done
    kill -9 "${pid}" 2>/dev/null || true
  fi
  ip netns del "bw-${name}" 2>/dev/null || true
  # Mounts the daemon left behind would keep the data-root busy.
  awk -v a="${kData}/${name}" -v b="${kBase}/${name}" 'index($5, a) == 1 || index($5, b) == 1 { print $5 }' \
    /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "${kData:?}/${name}" "${kBase:?}/${name}"
}

# One caller at a time (ctest runs test programs in parallel).
mkdir -p "${kBase}"
exec 9>"${kBase}.lock"
flock 9

StartLab() {
  local config="${1:?usage: $0 start-lab DAEMON_JSON}"
  EnsureTools
  StopDaemon lab
  mkdir -p "${kBase}/lab"
  cp "${config}" "${kBase}/lab/daemon.json"
  StartDaemon lab
  printf '%s\n' "${kBase}/lab/docker.sock"
}

case "${1:-}" in
  start) Start ;;
  start-lab) StartLab "${2:-}" ;;
  stop-lab) StopDaemon lab ;;
  stop) StopDaemon weak; StopDaemon hardened; Say "stopped" ;;
  *) Die "usage: $0 start|stop" ;;
esac
