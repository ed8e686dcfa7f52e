#!/usr/bin/env bash
# The lab scenario behind `make demo`: start the vulnerable service and prove
# it is exploitable, audit it, run the unknown-binary exercise under `bulwark
# watch` and respond to it (triage, contain, incident report), fix it (show the diff, then harden a copy with
# lab/harden.sh), start the hardened service and prove it is locked down and
# still works, audit it again, and print the findings at each step. The
# Docker host is audited too (CIS Docker Benchmark) with each lab running,
# and a lab dockerd before and after the daemon.json `bulwark fix` writes;
# the two images are scanned for vulnerable packages.
#
#   scripts/demo.sh BULWARK DELIVERABLES_DIR
set -euo pipefail

kRoot="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly kRoot
bulwark="$(realpath "${1:?usage: demo.sh BULWARK DELIVERABLES_DIR}")"
out="${2:?usage: demo.sh BULWARK DELIVERABLES_DIR}"
export BULWARK="${bulwark}"
cd "${kRoot}"
mkdir -p "${out}"
# Every run below keeps its JSON result here; step 7's summary report tells
# the story from them, so each demo starts with an empty directory. A step
# repeated in another format keeps no result (--no-results): the report
# counts each step once.
# Absolute: lab/harden.sh runs bulwark from lab/ and must keep its result here.
export BULWARK_RESULTS="$(realpath -m "${out}")/results"
rm -rf "${BULWARK_RESULTS}"

Say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
Count() { "${bulwark}" audit "$1" --no-results --format json | jq '.findings | length'; }
Summary() { "${bulwark}" audit "$1" --no-results --format json | jq -r '.summary | "critical \(.critical), high \(.high), medium \(.medium), low \(.low), info \(.info)"'; }

Say "1. the vulnerable lab: start it and exploit it"
make -C lab start
make -C lab exploit || true

Say "2. audit the vulnerable service (deliverables: audit.json, audit.sarif, audit.md)"
"${bulwark}" audit lab/vulnerable-app --format json -o "${out}/audit.json"
"${bulwark}" audit --no-results lab/vulnerable-app --format sarif -o "${out}/audit.sarif"
"${bulwark}" audit --no-results lab/vulnerable-app --format markdown -o "${out}/audit.md"
"${bulwark}" audit --no-results lab/vulnerable-app
before="$(Count lab/vulnerable-app)"
before_summary="$(Summary lab/vulnerable-app)"

Say "2b. the Docker host running it, against the CIS Docker Benchmark (deliverables: host-audit.json, host-audit-docker-bench.json)"
lab_containers="$(docker ps -q --filter label=com.docker.compose.project=bulwark-lab | paste -sd, -)"
"${bulwark}" audit --host --containers "${lab_containers}" --format json -o "${out}/host-audit.json"
"${bulwark}" audit --host --no-results --containers "${lab_containers}" --format docker-bench-json -o "${out}/host-audit-docker-bench.json"
"${bulwark}" audit --host --no-results --containers "${lab_containers}" --only 4,5
# Warnings about the lab's own containers and images (sections 4 and 5);
# the host-wide ones do not change when the lab does.
LabWarnings() { jq '[.findings[] | select(.status == "warn" and (.subject.kind == "container" or .subject.kind == "image"))] | length' "$1"; }
host_before="$(LabWarnings "${out}/host-audit.json")"

Say "2c. the unknown-binary exercise: watch, attack, triage, contain, incident report (deliverables: alerts.jsonl, triage-web.json, triage-web.md, contain.json, incident_report.md, incident_report.json)"
scripts/demo-incident.sh "${bulwark}" "${out}"

Say "3. bulwark fix: the edits it proposes (deliverable: fix.diff)"
"${bulwark}" fix lab/vulnerable-app --no-digests -o "${out}/fix.diff" || true
cat "${out}/fix.diff"
fixed_only="$(mktemp -d)"
trap 'rm -rf "${fixed_only}"' EXIT
cp -a lab/vulnerable-app/. "${fixed_only}/"
"${bulwark}" fix "${fixed_only}" --write --no-backup --no-digests
after_fix="$(Count "${fixed_only}")"

Say "4. the hardened lab: bulwark fix --write + the hand-fixed code, started and verified"
make -C lab start-hardened
make -C lab verify-hardened
echo "-- the same attack against the hardened lab:"
LAB_PROJECT=bulwark-lab-hardened lab/attack.sh --max-seconds 20 || echo "-- (exit $?: refused, as it must be)"
"${bulwark}" audit lab/hardened-app --format json -o "${out}/audit-hardened.json" --baseline "${out}/audit.json"
"${bulwark}" audit --no-results lab/hardened-app
after_code="$(Count lab/hardened-app)"
after_summary="$(Summary lab/hardened-app)"
hardened_containers="$(docker ps -q --filter label=com.docker.compose.project=bulwark-lab-hardened | paste -sd, -)"
"${bulwark}" audit --host --containers "${hardened_containers}" --format json -o "${out}/host-audit-hardened.json" \
  --baseline "${out}/host-audit.json"
"${bulwark}" audit --host --no-results --containers "${hardened_containers}" --only 4,5 --baseline "${out}/host-audit.json"
host_after="$(LabWarnings "${out}/host-audit-hardened.json")"
make -C lab stop-hardened

Say "5. the daemon: host audit of a lab dockerd with Docker's defaults, then with the daemon.json bulwark fix writes"
daemon_dir="$(mktemp -d)"
echo '{}' >"${daemon_dir}/daemon.json"
lab_socket="$(scripts/host-test-daemons.sh start-lab "${daemon_dir}/daemon.json" | tail -n 1)"
DOCKER_HOST="unix://${lab_socket}" "${bulwark}" audit --host --only 2 --format json -o "${out}/host-daemon-before.json"
DOCKER_HOST="unix://${lab_socket}" "${bulwark}" audit --host --no-results --only 2
"${bulwark}" fix --daemon "${daemon_dir}/daemon.json" --write --no-backup
cp "${daemon_dir}/daemon.json" "${out}/daemon.json"
lab_socket="$(scripts/host-test-daemons.sh start-lab "${daemon_dir}/daemon.json" | tail -n 1)"
DOCKER_HOST="unix://${lab_socket}" "${bulwark}" audit --host --only 2 --format json -o "${out}/host-daemon-after.json" \
  --baseline "${out}/host-daemon-before.json"
DOCKER_HOST="unix://${lab_socket}" "${bulwark}" audit --host --no-results --only 2 --baseline "${out}/host-daemon-before.json"
daemon_before="$(jq '[.findings[] | select(.status == "warn")] | length' "${out}/host-daemon-before.json")"
daemon_after="$(jq '[.findings[] | select(.status == "warn")] | length' "${out}/host-daemon-after.json")"
scripts/host-test-daemons.sh stop-lab
rm -rf "${daemon_dir}"

Say "6. scan the images: SBOM and vulnerabilities, vulnerable then hardened (deliverables: sbom-vulnerable.cdx.json, sbom-vulnerable.spdx.json, scan-vulnerable.json, scan-hardened.json)"
# The DB: the public sources when they are reachable; offline, the PyPI
# advisories of ../shared/data (the course data) or, failing that, the
# synthetic test advisories, said loudly.
db="${out}/vuln.db"
if ! timeout 300 "${bulwark}" db --db "${db}" update --ecosystems PyPI --no-debian -q 2>/dev/null; then
  if [[ -d "${kRoot}/../shared/data/vulndb/pypa-advisory-database" ]]; then
    echo "(offline: importing the PyPI advisories from ../shared/data/vulndb)"
    "${bulwark}" db --db "${db}" import "${kRoot}/../shared/data/vulndb/pypa-advisory-database"
  else
    echo "(offline and no ../shared/data: importing the synthetic test advisories; run 'bulwark db update' online)"
    "${bulwark}" db --db "${db}" import "${kRoot}/tests/e2e/fixtures/osv"
  fi
fi
"${bulwark}" sbom bulwark-lab/vulnerable-app:1.0 --format cyclonedx -o "${out}/sbom-vulnerable.cdx.json"
"${bulwark}" sbom bulwark-lab/vulnerable-app:1.0 --format spdx -o "${out}/sbom-vulnerable.spdx.json"
"${bulwark}" scan bulwark-lab/vulnerable-app:1.0 --db "${db}" --db-max-age 0 --format json -o "${out}/scan-vulnerable.json"
"${bulwark}" scan --no-results bulwark-lab/vulnerable-app:1.0 --db "${db}" --db-max-age 0
"${bulwark}" scan bulwark-lab/hardened-app:1.0 --db "${db}" --db-max-age 0 --format json -o "${out}/scan-hardened.json" \
  --baseline "${out}/scan-vulnerable.json"
"${bulwark}" scan --no-results bulwark-lab/hardened-app:1.0 --db "${db}" --db-max-age 0 --baseline "${out}/scan-vulnerable.json"
vulns_before="$(jq '.findings | length' "${out}/scan-vulnerable.json")"
vulns_after="$(jq '.findings | length' "${out}/scan-hardened.json")"

Say "7. threat model and summary report (deliverables: threat_model.md, threat_model.json, architecture_diagram.{svg,png}, summary_report.md, summary_report.html)"
# The hardened system beside the original; the image scans attach to the
# services whose images they examined.
"${bulwark}" model lab/hardened-app --before lab/vulnerable-app \
  --findings "${out}/scan-vulnerable.json" --findings "${out}/scan-hardened.json" --output-dir "${out}"
"${bulwark}" report --results "${BULWARK_RESULTS}" --output-dir "${out}"
"${bulwark}" report --results "${BULWARK_RESULTS}" --output-dir "${out}" --format html
threats_before="$(jq '.before.confirmed' "${out}/threat_model.json")"
threats_after="$(jq '.summary.confirmed' "${out}/threat_model.json")"

Say "findings: ${before} before -> ${after_fix} after bulwark fix -> ${after_code} after the code changes"
echo "before: ${before_summary}"
echo "after:  ${after_summary}"
echo "host audit, the lab's containers and images (CIS warnings): ${host_before} with the vulnerable lab -> ${host_after} with the hardened lab"
echo "host audit, daemon configuration (CIS section 2 warnings): ${daemon_before} with Docker's defaults -> ${daemon_after} with bulwark's daemon.json"
echo "image vulnerabilities: ${vulns_before} in the vulnerable image -> ${vulns_after} in the hardened image"
echo "confirmed threats (threat model): ${threats_before} before -> ${threats_after} after hardening"
echo "deliverables written to ${out}/ (audit.json, audit.sarif, audit.md, fix.diff, audit-hardened.json, host-audit.json,"
echo "  host-audit-docker-bench.json, host-audit-hardened.json, host-daemon-before.json, daemon.json, host-daemon-after.json,"
echo "  sbom-vulnerable.cdx.json, sbom-vulnerable.spdx.json, scan-vulnerable.json, scan-hardened.json, threat_model.md,"
echo "  threat_model.json, architecture_diagram.svg, architecture_diagram.png, summary_report.md, summary_report.html,"
echo "  alerts.jsonl, triage-web.json, triage-web.md, contain.json, incident_report.md, incident_report.json)"
