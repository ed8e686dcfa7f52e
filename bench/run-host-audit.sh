#!/usr/bin/env bash
# Speed of `bulwark audit --host` (the whole CIS Docker Benchmark, sections
# 1-7) on a host running 20 containers, against docker-bench-security's way
# of asking the engine.
#
# Usage: bench/run-host-audit.sh BULWARK_BINARY [--containers N] [--runs R]
#
# docker-bench-security itself cannot be installed here (it is a GitHub
# script; only the Debian archive and npm are reachable), so the peer is its
# call pattern, replayed: for every running container, one `docker inspect
# --format` per section-4/5 check that reads the container, `docker port` for
# the port checks and `docker exec ps` for sshd (tests/5_container_runtime.sh
# of docker-bench 1.6.0 does exactly these), plus its host-wide `docker info`,
# `docker version` and per-image inspects. That is a lower bound of the
# script's time: it also forks grep/awk/sed around every call.
#
# Prints a table, the lines
#   TIME host-audit: <s> s for <N> containers (goal < 1 s): PASS|FAIL
#   RATIO host-audit-vs-docker-bench-calls: <x>x
# and writes the numbers to bench/results/host-audit.json.
# Needs root and dockerd (scripts/ensure-dockerd.sh is run first).
set -euo pipefail

readonly kGoalSeconds=1
readonly kImage="bulwark-lab/python-flask:bookworm"
bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "${bench_dir}")"
containers=20
runs=5

Log() { echo "[bench] $*" >&2; }
Die() { echo "[bench] error: $*" >&2; exit 1; }

[[ $# -ge 1 ]] || { echo "usage: $0 BULWARK_BINARY [--containers N] [--runs R]" >&2; exit 2; }
bulwark="$(realpath "$1")"
shift
while [[ $# -gt 0 ]]; do
  case "$1" in
    --containers) containers="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -x "${bulwark}" ]] || Die "${bulwark} is not an executable"

"${repo_dir}/scripts/ensure-dockerd.sh"
docker image inspect "${kImage}" >/dev/null 2>&1 || "${repo_dir}/scripts/build-base-images.sh" python-flask

Cleanup() { docker ps -aq --filter label=bulwark-bench=host | xargs -r docker rm -f >/dev/null 2>&1 || true; }
trap Cleanup EXIT
Cleanup

# A mix of weak and hardened containers, as on a real host.
Log "starting ${containers} containers"
for i in $(seq 1 "${containers}"); do
  if (( i % 2 )); then
    docker run -d --label bulwark-bench=host --name "bw-bench-${i}" "${kImage}" sleep 100000 >/dev/null
  else
    docker run -d --label bulwark-bench=host --name "bw-bench-${i}" --user 10001:10001 --read-only \
      --cap-drop ALL --security-opt no-new-privileges:true --memory 64m --pids-limit 50 --cpus 0.5 \
      "${kImage}" sleep 100000 >/dev/null
  fi
done

Seconds() {  # Seconds command...: wall time in seconds with ms resolution
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }'
}

Median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

RunBulwark() { "${bulwark}" audit --host --format json -o /dev/null; }

# docker-bench's engine calls for this host (see the header).
DockerBenchCalls() {
  local c img
  docker info >/dev/null; docker version >/dev/null
  for img in $(docker images -q); do docker inspect --format '{{ .Config.Healthcheck }}' "${img}" >/dev/null; done
  for c in $(docker ps -q); do
    for field in .Config.User .AppArmorProfile .HostConfig.SecurityOpt .HostConfig.CapAdd .HostConfig.Privileged \
        .Mounts .HostConfig.NetworkMode .HostConfig.Memory .HostConfig.CpuShares .HostConfig.ReadonlyRootfs \
        .HostConfig.RestartPolicy.MaximumRetryCount .HostConfig.PidMode .HostConfig.IpcMode .HostConfig.Devices \
        .HostConfig.Ulimits .Mounts .HostConfig.UTSMode .HostConfig.SecurityOpt .HostConfig.CgroupParent \
        .HostConfig.SecurityOpt .State.Health.Status .HostConfig.PidsLimit .NetworkSettings.Networks \
        .HostConfig.UsernsMode .Mounts; do
      docker inspect --format "{{ ${field} }}" "${c}" >/dev/null
    done
    docker port "${c}" >/dev/null; docker port "${c}" >/dev/null; docker port "${c}" >/dev/null
    docker exec "${c}" ps -el >/dev/null 2>&1 || true
  done
}

Log "warm-up"
RunBulwark
findings="$("${bulwark}" audit --host --format json --include-pass | python3 -c '
import json, sys
r = json.load(sys.stdin)
print(len(r["findings"]) + len(r.get("passed", [])), len({f["subject"]["name"] for f in r["findings"] + r.get("passed", []) if f["subject"]["kind"] == "container"}))')"
read -r results containers_seen <<<"${findings}"

Log "${runs} timed runs of bulwark audit --host"
bulwark_times=()
for _ in $(seq 1 "${runs}"); do bulwark_times+=("$(Seconds RunBulwark)"); done
bulwark_median="$(printf '%s\n' "${bulwark_times[@]}" | Median)"

Log "docker-bench's call pattern (one run)"
peer_time="$(Seconds DockerBenchCalls)"

ratio="$(awk -v a="${peer_time}" -v b="${bulwark_median}" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')"
verdict="$(awk -v t="${bulwark_median}" -v g="${kGoalSeconds}" 'BEGIN { print (t < g ? "PASS" : "FAIL") }')"

printf '\n%-44s %10s\n' "what" "seconds"
printf '%-44s %10s\n' "bulwark audit --host (median of ${runs})" "${bulwark_median}"
printf '%-44s %10s\n' "docker-bench's engine calls (lower bound)" "${peer_time}"
printf '\nresults: %s verdicts, %s containers judged\n' "${results}" "${containers_seen}"
printf 'TIME host-audit: %s s for %s containers (goal < %s s): %s\n' "${bulwark_median}" "${containers}" "${kGoalSeconds}" "${verdict}"
printf 'RATIO host-audit-vs-docker-bench-calls: %sx\n' "${ratio}"

mkdir -p "${bench_dir}/results"
cat >"${bench_dir}/results/host-audit.json" <<EOF
{"containers": ${containers}, "runs": ${runs}, "bulwark_seconds": [$(IFS=,; echo "${bulwark_times[*]}")],
 "bulwark_median_seconds": ${bulwark_median}, "docker_bench_calls_seconds": ${peer_time},
 "ratio": ${ratio}, "goal_seconds": ${kGoalSeconds}, "verdict": "${verdict}",
 "verdicts_reported": ${results}, "containers_judged": ${containers_seen}}
EOF
