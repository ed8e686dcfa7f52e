#!/usr/bin/env bash
# The demo's incident-response exercise (scripts/demo.sh step 2c), on the
# running vulnerable lab: `bulwark watch` records the unknown-binary attack
# (lab/attack.sh), then the defender triages the web container, contains it
# (evidence first) and writes the incident report.
#
#   scripts/demo-incident.sh BULWARK DELIVERABLES_DIR
# Results go to BULWARK_RESULTS (the demo's results directory), so that the
# summary report also tells this part. Deliverables: alerts.jsonl,
# triage-web.json, triage-web.md, contain.json, incident_report.md,
# incident_report.json. Leaves the lab running (unpaused, networks gone).
set -euo pipefail

kRoot="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly kRoot
bulwark="$(realpath "${1:?usage: demo-incident.sh BULWARK DELIVERABLES_DIR}")"
out="$(realpath -m "${2:?usage: demo-incident.sh BULWARK DELIVERABLES_DIR}")"
readonly kWeb=bulwark-lab_web_1
readonly kHidden=/tmp/.ICE-unix/.kworker
mkdir -p "${out}"

Note() { printf -- '-- %s\n' "$*"; }

watch_pid=""
trap '[[ -n "${watch_pid}" ]] && kill -INT "${watch_pid}" 2>/dev/null; true' EXIT

Note "bulwark watch (alerts to ${out}/alerts.jsonl)"
: >"${out}/alerts.jsonl"
"${bulwark}" watch -o "${out}/alerts.jsonl" 2>"${out}/watch.log" &
watch_pid=$!
for _ in $(seq 1 300); do grep -qx ready "${out}/watch.log" && break; sleep 0.1; done
grep -qx ready "${out}/watch.log" || { cat "${out}/watch.log" >&2; exit 1; }

Note "the attack: the payload dropped through /ping's injection"
make -C "${kRoot}/lab" attack ATTACK_SECONDS=120
sleep 4
Note "what the monitoring saw:"
jq -r '"  \(.time[11:19]) \(.priority) \(.rule) [\(.output_fields["container.name"] // "host")]"' \
  "${out}/alerts.jsonl" | uniq -c -f2 | head -n 20

Note "triage of the web container (every process; the intruder in full)"
"${bulwark}" triage --container "${kWeb}" --format json -o "${out}/triage-web.json" || true
"${bulwark}" triage --container "${kWeb}" --format markdown -o "${out}/triage-web.md" || true
jq -r '"  verdict: \(.assessment.verdict) (score \(.assessment.score))"' "${out}/triage-web.json"

kill -INT "${watch_pid}"
wait "${watch_pid}" || true
watch_pid=""

pid="$(docker top "${kWeb}" -eo pid,args | awk '$2 == "[kworker/0:1-events]" { print $1; exit }')"
Note "contain ${kWeb}: evidence, kill PID ${pid:-?}, quarantine ${kHidden}, isolate, pause"
contain_args=(--quarantine "${kHidden}")
[[ -n "${pid}" ]] && contain_args+=(--pid "${pid}")
"${bulwark}" contain "${kWeb}" "${contain_args[@]}" --format json >"${out}/contain.json" || true
jq -r '.actions[] | "  \(.time[11:19]) \(.action) \(.target): \(.result)"' "${out}/contain.json" || true

Note "the incident report"
"${bulwark}" report --incident --alerts "${out}/alerts.jsonl" --triage "${out}/triage-web.json" \
  --scope bulwark-lab --output-dir "${out}" -q
[[ -f "${out}/summary_report.md" ]] && rm -f "${out}/summary_report.md"  # step 7 writes the final one
jq -r '"  status \(.status); detected \(.detected); contained \(.contained); root cause \(.root_causes[0].finding_id // "none")"' \
  "${out}/incident_report.json"

# The rest of the demo uses the lab again: wake it, stop the payload.
docker unpause "${kWeb}" >/dev/null 2>&1 || true
make -C "${kRoot}/lab" attack-stop >/dev/null 2>&1 || true
