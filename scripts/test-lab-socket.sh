#!/usr/bin/env bash
# End-to-end test of the exercise's second variant (MITRE T1610 Deploy
# Container, T1496 Resource Hijacking): the lab with the Docker socket
# mounted into web (make -C lab start LAB_SOCKET=exposed), the intruder
# starting "miner" containers through it (make -C lab attack-socket), and
# the three views that must reveal them: `bulwark watch` (alerts naming the
# miner containers and the socket access), `bulwark audit --host` (the miner
# containers and the mounted socket) and `bulwark report --incident` (the
# miners among the affected assets, T1610 among the techniques).
#
# Exits 0 only when every check passes; the lab and the miners are removed
# even on failure. Exits 77 (ctest SKIP_RETURN_CODE) only when it cannot run
# here at all: not root, or bulwark is not built.
set -uo pipefail

kRoot="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly kRoot
readonly kSkip=77
readonly kBulwark="${BULWARK:-${kRoot}/build/bulwark}"
readonly kMiners=2

Say() { printf 'test-lab-socket: %s\n' "$*"; }

if [[ "$(id -u)" != 0 || ! -x "${kBulwark}" ]]; then
  Say "SKIP: needs root (BPF, dockerd) and a built ${kBulwark}"
  exit "${kSkip}"
fi

passed=0
failed=0
Check() {  # Check DESCRIPTION COMMAND...
  local what="$1"
  shift
  if "$@"; then Say "PASS: ${what}"; passed=$((passed + 1)); else Say "FAIL: ${what}"; failed=$((failed + 1)); fi
}

work="$(mktemp -d /tmp/bulwark-lab-socket.XXXXXX)"
watch_pid=""
Cleanup() {
  [[ -n "${watch_pid}" ]] && kill -INT "${watch_pid}" 2>/dev/null && wait "${watch_pid}" 2>/dev/null
  make -C "${kRoot}/lab" stop >/dev/null 2>&1 || true
  rm -rf "${work}"
}
trap Cleanup EXIT

# Python checks over JSON files: each prints nothing and exits 0 or 1.
AlertSeen() {  # AlertSeen RULE CONTAINER_PREFIX [TAG]
  python3 - "${work}/alerts.jsonl" "$@" <<'PY'
import json, sys
path, rule, prefix = sys.argv[1:4]
tag = sys.argv[4] if len(sys.argv) > 4 else None
for line in open(path, encoding="utf-8"):
    a = json.loads(line)
    f = a.get("output_fields") or {}
    if a.get("rule") != rule or not (f.get("container.name") or "").startswith(prefix):
        continue
    if tag and tag not in a.get("tags", []):
        continue
    if prefix.startswith("bulwark-lab-miner") and f.get("container.image.repository") != "bulwark-lab/vulnerable-app":
        continue
    sys.exit(0)
sys.exit(1)
PY
}
HostAuditNames() {  # HostAuditNames CHECK_ID NAME: a host finding of CHECK_ID about container NAME
  python3 - "${work}/host.json" "$@" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
check, name = sys.argv[2:4]
sys.exit(0 if any(f["id"] == check and (f.get("subject") or {}).get("name") == name
                  for f in doc["findings"]) else 1)
PY
}
IncidentHas() {  # IncidentHas PYTHON_EXPRESSION over doc
  python3 - "${work}/report/incident_report.json" "$1" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2], {"doc": doc}) else 1)
PY
}

Say "== the lab with the Docker socket mounted into web"
if ! make -C "${kRoot}/lab" start LAB_SOCKET=exposed; then
  Say "FAIL: the lab did not start"
  exit 1
fi

"${kBulwark}" watch --no-results -o "${work}/alerts.jsonl" 2>"${work}/watch.err" &
watch_pid=$!
for _ in $(seq 1 300); do grep -qx ready "${work}/watch.err" && break; sleep 0.1; done
grep -qx ready "${work}/watch.err" || { Say "FAIL: watch not ready: $(cat "${work}/watch.err")"; exit 1; }

Say "== make -C lab attack-socket (${kMiners} miners)"
Check "the intruder started ${kMiners} miner containers through the socket" \
  make -C "${kRoot}/lab" attack-socket MINERS="${kMiners}" ATTACK_SECONDS=40
sleep 4  # the miners hide, read, persist and log in to their pool

Say "== bulwark audit --host"
"${kBulwark}" audit --host --format json --no-results -o "${work}/host.json" >/dev/null 2>"${work}/host.err" \
  || { Say "audit --host failed: $(cat "${work}/host.err")"; }
for i in $(seq 1 "${kMiners}"); do
  Check "audit --host lists bulwark-lab-miner-${i} (running without a memory limit)" \
    HostAuditNames BW-CIS-5.11 "bulwark-lab-miner-${i}"
done
Check "audit --host finds the socket mounted into web (CIS 5.32)" HostAuditNames BW-CIS-5.32 bulwark-lab_web_1

sleep 1
kill -INT "${watch_pid}"
wait "${watch_pid}" || true
watch_pid=""

Say "== what bulwark watch saw"
Check "engine socket accessed from web (T1610)" \
  AlertSeen "Container engine socket accessed from container" bulwark-lab_web_1 T1610
for i in $(seq 1 "${kMiners}"); do
  miner="bulwark-lab-miner-${i}"
  Check "${miner}: new binary dropped and run" AlertSeen "Drop and execute new binary in container" "${miner}"
  Check "${miner}: kernel-thread disguise" AlertSeen "Process disguised as a kernel thread" "${miner}"
  Check "${miner}: /etc/shadow read" AlertSeen "Read sensitive file" "${miner}"
done

Say "== bulwark report --incident"
"${kBulwark}" report --incident --alerts "${work}/alerts.jsonl" --results "${work}/no-results" \
  --output-dir "${work}/report" -q
for i in $(seq 1 "${kMiners}"); do
  Check "the incident report names bulwark-lab-miner-${i} as an affected container" \
    IncidentHas "any(a['kind'] == 'container' and a['name'] == 'bulwark-lab-miner-${i}' for a in doc['assets'])"
done
Check "the incident report lists T1610 (Deploy Container)" IncidentHas "'T1610' in doc['techniques']"
Check "the incident report says compromised" IncidentHas "doc['status'] == 'compromised'"

Say "== make -C lab stop"
make -C "${kRoot}/lab" stop
Check "no miner container is left" test -z "$(docker ps -aq --filter label=bulwark-lab.role=miner)"

Say "${passed} passed, ${failed} failed"
(( failed == 0 ))
