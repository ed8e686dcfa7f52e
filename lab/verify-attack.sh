#!/usr/bin/env bash
# Proves the unknown-binary exercise ran (after `make -C lab attack`): in the
# web container the payload runs from its hidden path under a kernel-thread
# name, logged in to the stand-in pool, tried to persist and left its note;
# then the kill switch stops it within seconds. Exit 1 when a check fails.
# KEEP_RUNNING=1 leaves the payload running (no kill switch) for the
# response steps that follow (triage, contain: scripts/test-lab.sh).
set -uo pipefail

readonly kProject=bulwark-lab
web="$(docker ps -q --filter "label=com.docker.compose.project=${kProject}" \
  --filter label=com.docker.compose.service=web | head -n 1)"
[[ -n "${web}" ]] || { echo "verify-attack: the lab's web container is not running" >&2; exit 1; }

passed=0 failed=0
Check() {  # Check DESCRIPTION COMMAND...
  local what="$1"
  shift
  if "$@" >/dev/null 2>&1; then echo "PASS: ${what}"; passed=$((passed + 1));
  else echo "FAIL: ${what}"; failed=$((failed + 1)); fi
}
In() { docker exec "${web}" sh -c "$1"; }
# The payload's pid in the container: the process whose exe is the hidden copy.
PayloadPid() {
  In 'for d in /proc/[0-9]*; do [ "$(readlink $d/exe 2>/dev/null)" = /tmp/.ICE-unix/.kworker ] && echo ${d#/proc/}; done' | head -n 1
}

for _ in $(seq 1 20); do [[ -n "$(PayloadPid)" ]] && break; sleep 0.5; done
pid="$(PayloadPid)"
Check "the payload runs from /tmp/.ICE-unix/.kworker" test -n "${pid}"
Check "it calls itself a kernel thread (comm kworker/0:1)" \
  sh -c "docker exec ${web} cat /proc/${pid:-0}/comm | grep -qx 'kworker/0:1'"
Check "its command line reads [kworker/0:1-events]" \
  sh -c "docker exec ${web} cat /proc/${pid:-0}/cmdline | tr '\\0' ' ' | grep -qF '[kworker/0:1-events]'"
for _ in $(seq 1 20); do In 'grep -q "\"method\": *\"login\"" /tmp/bulwark-lab-pool.log' && break; sleep 0.5; done
Check "it logged in to the pool with stratum (login with a wallet)" \
  In 'grep -q "\"method\":\"login\"" /tmp/bulwark-lab-pool.log && grep -q "48BuL" /tmp/bulwark-lab-pool.log'
Check "it tried to persist (cron.d or profile.d)" In 'test -f /etc/cron.d/kworker || test -f /etc/profile.d/kworker.sh'
Check "it read /etc/shadow and probed docker.sock" \
  In 'grep -q "shadow: read" /tmp/.ICE-unix/.kworker.log && grep -q "docker.sock" /tmp/.ICE-unix/.kworker.log'
Check "easter egg 2: the note in /var/tmp/.bw_notes" In 'grep -q BULWARK-LAB-EGG /var/tmp/.bw_notes'
Check "easter egg 1: the marker inside the binary" In 'grep -qa "BULWARK-LAB-EGG{marker" /tmp/.ICE-unix/.kworker'
if [[ "${KEEP_RUNNING:-0}" == 1 ]]; then
  echo "verify-attack: the payload is left running (KEEP_RUNNING=1) for the response"
else
  In 'touch /tmp/.bulwark-lab-stop'
  for _ in $(seq 1 20); do [[ -z "$(PayloadPid)" ]] && break; sleep 0.5; done
  Check "the kill switch stops it within 10 s" test -z "$(PayloadPid)"
fi
echo "verify-attack: ${passed} passed, ${failed} failed"
(( failed == 0 ))
