#!/usr/bin/env bash
# The dashboard of `bulwark watch --serve` while the real lab attack runs
# (ctest web.dashboard_lab_attack): start the lab, start watch with the
# dashboard on a free loopback port, then tests/web/browser/lab_attack_test.js
# opens it in headless Chromium, runs `make -C lab attack` and a process
# named <img src=x onerror=alert(1)>, and checks the page and /metrics.
# The attack, watch and the lab are stopped whatever happens.
#
# Usage: scripts/test-dashboard-lab.sh [ARTEFACT_DIR]  (env BULWARK: the binary)
# Exit 0 pass, 1 fail, 77 skipped: not root, or node/chromium/playwright-core missing.
set -uo pipefail

kRoot="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly kRoot
readonly kBulwark="${BULWARK:-${kRoot}/build/bulwark}"
readonly kArtefacts="${1:-${kRoot}/build/test-artefacts/web}"
readonly kSkip=77

Say() { printf 'test-dashboard-lab: %s\n' "$*"; }
Skip() { Say "SKIPPED: $*"; exit "${kSkip}"; }

[[ "$(id -u)" == 0 ]] || Skip "needs root (bulwark watch loads eBPF; the lab may start dockerd)"
command -v node >/dev/null 2>&1 || Skip "node is missing (apt-get install nodejs)"
[[ -x "${CHROMIUM:-/usr/bin/chromium}" ]] || Skip "${CHROMIUM:-/usr/bin/chromium} is missing (apt-get install chromium)"
[[ -d "${kRoot}/tools/npm/node_modules/playwright-core" ]] ||
  Skip "playwright-core is missing (cd tools/npm && npm install)"
[[ -x "${kBulwark}" ]] || { Say "FAIL: ${kBulwark} is not built"; exit 1; }

work="$(mktemp -d /tmp/bulwark-dashboard-lab.XXXXXX)"
watch_pid=""
lab_started=0
Cleanup() {
  if (( lab_started )); then make -C "${kRoot}/lab" attack-stop >/dev/null 2>&1 || true; fi
  if [[ -n "${watch_pid}" ]]; then
    kill -INT "${watch_pid}" 2>/dev/null
    wait "${watch_pid}" 2>/dev/null
    Say "watch: $(tail -n 1 "${work}/watch.err")"
  fi
  if (( lab_started )); then make -C "${kRoot}/lab" stop || true; fi
  rm -rf "${work}"
}
trap Cleanup EXIT
trap 'exit 1' INT TERM

# Outside ctest (which holds RESOURCE_LOCK docker_lab) another lab test may
# be using the lab: do not take it over.
if docker info >/dev/null 2>&1 &&
  docker ps -q --filter label=com.docker.compose.project=bulwark-lab | grep -q .; then
  Say "FAIL: the lab is already running (another lab test?); 'make -C lab stop' if it is stale"
  exit 1
fi

Say "== make -C lab start"
lab_started=1
make -C "${kRoot}/lab" start || { Say "FAIL: the lab did not start"; exit 1; }
web="$(docker ps --filter label=com.docker.compose.project=bulwark-lab \
  --filter label=com.docker.compose.service=web --format '{{.Names}}' | head -n 1)"
[[ -n "${web}" ]] || { Say "FAIL: no web container in the lab"; exit 1; }
web_id="$(docker inspect --format '{{.Id}}' "${web}")"
since="$(date +%s)"

Say "== bulwark watch --serve 127.0.0.1:0 -o ${work}/alerts.jsonl"
"${kBulwark}" watch --no-results --serve 127.0.0.1:0 -o "${work}/alerts.jsonl" \
  2>"${work}/watch.err" &
watch_pid=$!
for _ in $(seq 1 300); do
  grep -qx ready "${work}/watch.err" && break
  kill -0 "${watch_pid}" 2>/dev/null || break
  sleep 0.1
done
if ! grep -qx ready "${work}/watch.err"; then
  Say "FAIL: bulwark watch was not ready: $(cat "${work}/watch.err")"
  exit 1
fi
url="$(sed -n 's/^bulwark watch: serving on \(http:[^ ]*\).*/\1/p' "${work}/watch.err")"
[[ -n "${url}" ]] || { Say "FAIL: no 'serving on' line: $(cat "${work}/watch.err")"; exit 1; }
Say "dashboard at ${url}, web container ${web}"

# Lifecycle events of the lab's containers since T: another user of the lab
# (a lab test outside this ctest run shares the project name and port)
# shows up here as a kill, die or create this test did not cause: said, so a
# failure it caused is not taken for the dashboard's.
LabEvents() {
  timeout 5 docker events --since "$1" --until "$(date +%s)" \
    --filter label=com.docker.compose.project=bulwark-lab --filter type=container \
    --filter event=kill --filter event=die --filter event=create --filter event=destroy \
    --format '{{.Action}} {{.Actor.Attributes.name}} signal={{.Actor.Attributes.signal}}' 2>/dev/null
}

start="${SECONDS}"
node "${kRoot}/tests/web/browser/lab_attack_test.js" "${url}" "${kRoot}" "${kArtefacts}" "${web}"
rc=$?
Say "browser test: exit ${rc} after $((SECONDS - start))s"
events="$(LabEvents "${since}")"
if [[ -n "${events}" || "$(docker inspect --format '{{.Id}}' "${web}" 2>/dev/null)" != "${web_id}" ]]; then
  Say "WARNING: the lab was changed under the test (another lab test running outside this ctest?):"
  printf '  %s\n' "${events:-${web} was replaced}"
fi
exit "${rc}"
