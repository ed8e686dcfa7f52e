#!/usr/bin/env bash
# End-to-end test of `bulwark fix` in the real Docker engine: harden a copy of
# the lab (lab/harden.sh: bulwark fix --write + the hand-fixed code), build
# and start it, prove it is hardened and still works, run the unknown-binary
# attack against it under `bulwark watch` (the injection must be refused,
# nothing dropped, no alert, and the incident report must say so), stop it.
#
# Exits 0 only when every step passes; the hardened lab is stopped even when
# a step fails. Exits 77 (ctest SKIP_RETURN_CODE) when it cannot run here at
# all: not root and no docker daemon answering.
set -uo pipefail

kRoot="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly kRoot
readonly kSkip=77
export BULWARK="${BULWARK:-${kRoot}/build/bulwark}"

Say() { printf 'test-fix-lab: %s\n' "$*"; }

if [[ "$(id -u)" != 0 ]] && ! docker info >/dev/null 2>&1; then
  Say "SKIP: needs root (to start dockerd) or a docker daemon that answers"
  exit "${kSkip}"
fi

hardened="$(mktemp -d)"
trap 'rm -rf "${hardened}"' EXIT
passed=0
failed=0
Step() {
  local name="$1" start="${SECONDS}"
  Say "== make -C lab ${name}"
  if make -C "${kRoot}/lab" "${name}" HARDENED_DIR="${hardened}"; then
    Say "PASS: ${name} ($((SECONDS - start))s)"
    passed=$((passed + 1))
    return 0
  fi
  Say "FAIL: ${name} ($((SECONDS - start))s)"
  failed=$((failed + 1))
  return 1
}

Check() {  # Check DESCRIPTION COMMAND...
  local what="$1"
  shift
  if "$@"; then Say "PASS: ${what}"; passed=$((passed + 1)); else Say "FAIL: ${what}"; failed=$((failed + 1)); fi
}

# The same attack as lab/attack.sh against the hardened service.
AttackHardened() {
  local work="${hardened}.attack" web rc=0
  mkdir -p "${work}"
  [[ "$(id -u)" == 0 && -x "${BULWARK}" ]] || { Say "bulwark not built or not root: attack step skipped"; return 0; }
  # The audits before and after hardening: the report's root cause, and its fix.
  "${BULWARK}" audit "${kRoot}/lab/vulnerable-app" --results "${work}/results" -q >/dev/null 2>&1 || true
  sleep 1
  "${BULWARK}" audit "${hardened}" --results "${work}/results" -q >/dev/null 2>&1 || true
  "${BULWARK}" watch --no-results -o "${work}/alerts.jsonl" 2>"${work}/watch.err" &
  local watch_pid=$!
  for _ in $(seq 1 300); do grep -qx ready "${work}/watch.err" && break; sleep 0.1; done
  Say "== LAB_PROJECT=bulwark-lab-hardened lab/attack.sh"
  LAB_PROJECT=bulwark-lab-hardened "${kRoot}/lab/attack.sh" --max-seconds 20 >"${work}/attack.out" 2>&1 || rc=$?
  sed 's/^/    | /' "${work}/attack.out"
  Check "the attack's injection is refused (attack.sh exits 3)" test "${rc}" = 3
  Check "the hardened /ping answered HTTP 400" grep -q "HTTP 400" "${work}/attack.out"
  web="$(docker ps -q --filter label=com.docker.compose.project=bulwark-lab-hardened \
    --filter label=com.docker.compose.service=web | head -n 1)"
  Check "nothing was dropped in the hardened web container" \
    docker exec "${web}" sh -c 'test ! -e /tmp/.x && test ! -e /tmp/.ICE-unix/.kworker && test ! -e /tmp/.x.b64'
  sleep 1
  kill -INT "${watch_pid}"
  wait "${watch_pid}" || true
  Check "bulwark watch raised no alert about the hardened containers" python3 - "${work}/alerts.jsonl" <<'PY'
import json, sys
bad = [a["rule"] for a in map(json.loads, open(sys.argv[1], encoding="utf-8"))
       if ((a.get("output_fields") or {}).get("container.name") or "").startswith("bulwark-lab-hardened")]
print("    | alerts:", bad) if bad else None
sys.exit(1 if bad else 0)
PY
  "${BULWARK}" report --incident --alerts "${work}/alerts.jsonl" --scope bulwark-lab-hardened \
    --results "${work}/results" -o "${work}/incident_report.md" -q
  Check "the incident report says no sign of compromise" grep -q "No sign of compromise" "${work}/incident_report.md"
  Check "the incident report says the entry point BW-PY-001 is closed" \
    grep -q "The entry point BW-PY-001 is closed in the current build" "${work}/incident_report.md"
  rm -rf "${work}"
}

if Step start-hardened; then
  Step verify-hardened || true
  AttackHardened
else
  Say "skipping verify-hardened: the hardened lab did not start"
  failed=$((failed + 1))
fi
Step stop-hardened || true

if docker ps -aq --filter label=com.docker.compose.project=bulwark-lab-hardened | grep -q .; then
  Say "FAIL: containers of the hardened lab are still there after stop"
  failed=$((failed + 1))
fi

Say "${passed} passed, ${failed} failed"
(( failed == 0 ))
