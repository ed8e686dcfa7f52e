#!/usr/bin/env bash
# Proves the running hardened lab is hardened and still works:
#   docker inspect of web: non-root UID, read-only root filesystem,
#   no-new-privileges, CapDrop ALL, memory and PIDs limits, ports bound to
#   127.0.0.1 only, health check healthy; the db is up and healthy too;
#   /, /ping?ip=127.0.0.1 and /calculate?expr=2+3 answer; the command
#   injection and the eval payload are refused with HTTP 400.
#
#   lab/verify-hardened.sh PROJECT URL
# Prints PASS/FAIL per check; exits 1 when any check fails.
set -uo pipefail

project="${1:?usage: verify-hardened.sh PROJECT URL}"
url="${2:?usage: verify-hardened.sh PROJECT URL}"
passed=0
failed=0

Check() {  # Check DESCRIPTION ACTUAL EXPECTED(regex)
  if [[ "$2" =~ $3 ]]; then
    echo "PASS: $1 ($2)"
    passed=$((passed + 1))
  else
    echo "FAIL: $1: got '$2', expected /$3/"
    failed=$((failed + 1))
  fi
}

Container() {
  docker ps -q --filter "label=com.docker.compose.project=${project}" \
    --filter "label=com.docker.compose.service=$1" | head -n 1
}
Inspect() { docker inspect --format "$2" "$1" 2>&1; }

web="$(Container web)"
db="$(Container db)"
if [[ -z "${web}" || -z "${db}" ]]; then
  echo "FAIL: the hardened lab is not running (project ${project}); run make -C lab start-hardened"
  exit 1
fi

echo "== docker inspect web"
Check "web runs as a non-root UID" "$(Inspect "${web}" '{{.Config.User}}')" '^[1-9][0-9]*(:[0-9]+)?$'
Check "web's process is not root" "$(docker exec "${web}" id -u 2>&1)" '^[1-9][0-9]*$'
Check "web's root filesystem is read-only" "$(Inspect "${web}" '{{.HostConfig.ReadonlyRootfs}}')" '^true$'
Check "web sets no-new-privileges" "$(Inspect "${web}" '{{json .HostConfig.SecurityOpt}}')" 'no-new-privileges(:true)?"'
Check "web drops all capabilities" "$(Inspect "${web}" '{{json .HostConfig.CapDrop}}')" '"ALL"'
Check "web has a memory limit" "$(Inspect "${web}" '{{.HostConfig.Memory}}')" '^[1-9][0-9]*$'
Check "web has a PIDs limit" "$(Inspect "${web}" '{{.HostConfig.PidsLimit}}')" '^[1-9][0-9]*$'
Check "web has a CPU limit" "$(Inspect "${web}" '{{.HostConfig.NanoCpus}}')" '^[1-9][0-9]*$'
Check "web's ports are bound to 127.0.0.1 only" \
  "$(Inspect "${web}" '{{range $p, $b := .HostConfig.PortBindings}}{{range $b}}{{.HostIp}} {{end}}{{end}}')" \
  '^(127\.0\.0\.1 )+$'
Check "web's restart policy never retries forever" \
  "$(Inspect "${web}" '{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}')" \
  '^(|no|on-failure):[0-9]+$'
Check "web's health check reports healthy" "$(Inspect "${web}" '{{.State.Health.Status}}')" '^healthy$'

echo "== docker inspect db"
Check "db's root filesystem is read-only" "$(Inspect "${db}" '{{.HostConfig.ReadonlyRootfs}}')" '^true$'
Check "db drops all capabilities" "$(Inspect "${db}" '{{json .HostConfig.CapDrop}}')" '"ALL"'
Check "db sets no-new-privileges" "$(Inspect "${db}" '{{json .HostConfig.SecurityOpt}}')" 'no-new-privileges'
Check "db's health check (pg_isready) reports healthy" "$(Inspect "${db}" '{{.State.Health.Status}}')" '^healthy$'
Check "db accepts the credentials moved to .env" \
  "$(docker exec "${db}" sh -c 'PGPASSWORD="$POSTGRES_PASSWORD" psql -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -tAc "select 42"' 2>&1)" '^42$'

echo "== the service still works"
Get() { curl -sS -m 20 -o /dev/null -w '%{http_code}' --get --data-urlencode "$2" "${url}$1" 2>&1; }
Body() { curl -sS -m 20 --get --data-urlencode "$2" "${url}$1" 2>&1; }
Check "GET / answers 200" "$(curl -sS -m 10 -o /dev/null -w '%{http_code}' "${url}/" 2>&1)" '^200$'
Check "GET /ping?ip=127.0.0.1 answers 200" "$(Get /ping ip=127.0.0.1)" '^200$'
Check "GET /ping?ip=127.0.0.1 pings" "$(Body /ping ip=127.0.0.1 | tr '\n' ' ')" '1 (packets )?received'
Check "GET /calculate?expr=2+3 answers 5" "$(Body /calculate expr=2+3)" '(^|[^0-9])5([^0-9]|$)'

echo "== the attacks are refused"
Check "command injection ip=127.0.0.1;id is refused with 400" "$(Get /ping 'ip=127.0.0.1;id')" '^400$'
Check "the injection's output never appears" "$(Body /ping 'ip=127.0.0.1;id' | grep -c 'uid=' || true)" '^0$'
Check "eval payload __import__('os').system('id') is refused with 400" \
  "$(Get /calculate "expr=__import__('os').system('id')")" '^400$'

echo "== the database survives a restart with its data (no capability beyond those kept)"
docker restart --time 5 "${db}" >/dev/null 2>&1
for ((waited = 0; waited < 60; waited++)); do
  [[ "$(Inspect "${db}" '{{.State.Health.Status}}')" == healthy ]] && break
  sleep 1
done
Check "db is healthy again after a restart" "$(Inspect "${db}" '{{.State.Health.Status}}')" '^healthy$'
Check "db still has its database after the restart" \
  "$(docker exec "${db}" sh -c 'PGPASSWORD="$POSTGRES_PASSWORD" psql -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -tAc "select 42"' 2>&1)" '^42$'

echo "verify-hardened: ${passed} passed, ${failed} failed"
(( failed == 0 ))
