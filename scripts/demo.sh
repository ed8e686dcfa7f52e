#!/usr/bin/env bash
# The lab scenario behind `make demo`: start the vulnerable service and prove
# it is exploitable, audit it, fix it (show the diff, then harden a copy with
# lab/harden.sh), start the hardened service and prove it is locked down and
# still works, audit it again, and print the findings at each step.
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

Say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
Count() { "${bulwark}" audit "$1" --format json | jq '.findings | length'; }
Summary() { "${bulwark}" audit "$1" --format json | jq -r '.summary | "critical \(.critical), high \(.high), medium \(.medium), low \(.low), info \(.info)"'; }

Say "1. the vulnerable lab: start it and exploit it"
make -C lab start
make -C lab exploit || true

Say "2. audit the vulnerable service (deliverables: audit.json, audit.sarif, audit.md)"
"${bulwark}" audit lab/vulnerable-app --format json -o "${out}/audit.json"
"${bulwark}" audit lab/vulnerable-app --format sarif -o "${out}/audit.sarif"
"${bulwark}" audit lab/vulnerable-app --format markdown -o "${out}/audit.md"
"${bulwark}" audit lab/vulnerable-app
before="$(Count lab/vulnerable-app)"
before_summary="$(Summary lab/vulnerable-app)"

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
"${bulwark}" audit lab/hardened-app --format json -o "${out}/audit-hardened.json"
"${bulwark}" audit lab/hardened-app
after_code="$(Count lab/hardened-app)"
after_summary="$(Summary lab/hardened-app)"
make -C lab stop-hardened

Say "findings: ${before} before -> ${after_fix} after bulwark fix -> ${after_code} after the code changes"
echo "before: ${before_summary}"
echo "after:  ${after_summary}"
echo "deliverables written to ${out}/ (audit.json, audit.sarif, audit.md, fix.diff, audit-hardened.json)"
