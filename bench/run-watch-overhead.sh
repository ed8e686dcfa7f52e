#!/usr/bin/env bash
# Overhead of `bulwark watch` on a syscall-heavy workload, and its drops at
# a fixed event rate, both measured in this run.
#
# Usage: bench/run-watch-overhead.sh BULWARK_BINARY [--iterations N] [--runs R]
#                                    [--rate EVENTS_PER_S] [--seconds S]
#
# 1. Overhead: bench's watch_workload (openat/read/close, openat/write/close,
#    socket/close per iteration) runs N iterations R times without and R times
#    with `bulwark watch` (the shipped default rules, alerts to /dev/null),
#    alternating so drift hits both sides. Ratio = median with / median
#    without. Goal: under 5% overhead.
# 2. Drops: the workload paced at EVENTS_PER_S kernel events per second (the
#    events per iteration are measured in step 1) for S seconds under watch;
#    the sensor's own counters give the events seen and dropped. Goal: zero.
#
# The peer is the same machine without the sensor: Falco cannot be installed
# here (only the Debian archive and npm are reachable).
#
# Prints a table and the lines
#   RATIO watch-overhead: <x> (goal < 1.05): PASS|FAIL
#   DROPS watch at <n> events/s: <d> of <e> (goal 0): PASS|FAIL
# and writes bench/results/watch-overhead.json. Needs root (BPF).
set -euo pipefail

readonly kGoalRatio=1.05
bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
iterations=300000
runs=5
target_rate=100000
seconds=10

Log() { echo "[bench] $*" >&2; }
Die() { echo "[bench] error: $*" >&2; exit 1; }

[[ $# -ge 1 ]] || { echo "usage: $0 BULWARK_BINARY [--iterations N] [--runs R] [--rate EVENTS_PER_S] [--seconds S]" >&2; exit 2; }
bulwark="$(realpath "$1")"
shift
while [[ $# -gt 0 ]]; do
  case "$1" in
    --iterations) iterations="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --rate) target_rate="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -x "${bulwark}" ]] || Die "${bulwark} is not an executable"
workload="$(dirname "${bulwark}")/bench/watch_workload"
[[ -x "${workload}" ]] || Die "${workload} is missing: build the watch_workload target"
[[ "$(id -u)" == 0 ]] || Die "needs root: the sensor loads BPF programs"

work="$(mktemp -d /tmp/bulwark-watch-bench.XXXXXX)"
watch_pid=""
Cleanup() {
  [[ -n "${watch_pid}" ]] && kill -INT "${watch_pid}" 2>/dev/null && wait "${watch_pid}" 2>/dev/null
  rm -rf "${work}"
}
trap Cleanup EXIT

# StartWatch: starts the sensor in the background and waits for `ready`.
StartWatch() {
  : >"${work}/watch.err"
  "${bulwark}" watch -o /dev/null --no-results 2>"${work}/watch.err" &
  watch_pid=$!
  local i
  for i in $(seq 1 300); do
    grep -qx ready "${work}/watch.err" && return 0
    kill -0 "${watch_pid}" 2>/dev/null || { cat "${work}/watch.err" >&2; Die "bulwark watch exited before ready"; }
    sleep 0.1
  done
  Die "bulwark watch was not ready after 30 s"
}

# StopWatch: stops it and prints "<kernel events> <dropped>" from its
# closing line.
StopWatch() {
  kill -INT "${watch_pid}"
  wait "${watch_pid}" || true
  watch_pid=""
  sed -n 's/^bulwark watch: \([0-9]*\) events seen by the kernel, .* alerts, \([0-9]*\) dropped .*/\1 \2/p' \
    "${work}/watch.err"
}

Median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
WorkloadSeconds() { "${workload}" "$@" | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p'; }

Log "warm-up"
WorkloadSeconds --iterations "${iterations}" >/dev/null

Log "${runs} x ${iterations} iterations without and with bulwark watch, alternating"
bare=()
watched=()
events_per_iteration=""
for _ in $(seq 1 "${runs}"); do
  bare+=("$(WorkloadSeconds --iterations "${iterations}")")
  StartWatch
  watched+=("$(WorkloadSeconds --iterations "${iterations}")")
  read -r kernel_events dropped <<<"$(StopWatch)"
  [[ -n "${kernel_events}" ]] || Die "no summary line from bulwark watch: $(cat "${work}/watch.err")"
  # The smallest count is the least disturbed by other processes' events.
  per="$(awk -v e="${kernel_events}" -v n="${iterations}" 'BEGIN { printf "%.3f", e / n }')"
  if [[ -z "${events_per_iteration}" ]] || awk -v a="${per}" -v b="${events_per_iteration}" 'BEGIN { exit !(a < b) }'; then
    events_per_iteration="${per}"
  fi
done
bare_median="$(printf '%s\n' "${bare[@]}" | Median)"
watched_median="$(printf '%s\n' "${watched[@]}" | Median)"
ratio="$(awk -v w="${watched_median}" -v b="${bare_median}" 'BEGIN { printf "%.3f", w / b }')"
ratio_verdict="$(awk -v r="${ratio}" -v g="${kGoalRatio}" 'BEGIN { print (r < g ? "PASS" : "FAIL") }')"
rate_bare="$(awk -v n="${iterations}" -v s="${bare_median}" -v e="${events_per_iteration}" 'BEGIN { printf "%.0f", n * e / s }')"

# Drops at the target event rate.
iteration_rate="$(awk -v r="${target_rate}" -v e="${events_per_iteration}" 'BEGIN { printf "%.0f", (e > 0 ? r / e : r) }')"
Log "drops: ${iteration_rate} iterations/s (~${target_rate} events/s) for ${seconds} s under bulwark watch"
StartWatch
paced_seconds="$(WorkloadSeconds --rate "${iteration_rate}" --seconds "${seconds}")"
read -r paced_events paced_dropped <<<"$(StopWatch)"
paced_rate="$(awk -v e="${paced_events}" -v s="${paced_seconds}" 'BEGIN { printf "%.0f", e / s }')"
drops_verdict="$( [[ "${paced_dropped}" == 0 ]] && echo PASS || echo FAIL )"

printf '\n%-52s %12s\n' "what" "seconds"
printf '%-52s %12s\n' "workload alone (median of ${runs})" "${bare_median}"
printf '%-52s %12s\n' "workload under bulwark watch (median of ${runs})" "${watched_median}"
printf '\nkernel events per iteration: %s; unwatched workload rate: %s events/s\n' "${events_per_iteration}" "${rate_bare}"
printf 'RATIO watch-overhead: %s (goal < %s): %s\n' "${ratio}" "${kGoalRatio}" "${ratio_verdict}"
printf 'DROPS watch at %s events/s: %s of %s (goal 0): %s\n' "${paced_rate}" "${paced_dropped}" "${paced_events}" "${drops_verdict}"

mkdir -p "${bench_dir}/results"
cat >"${bench_dir}/results/watch-overhead.json" <<EOF
{"iterations": ${iterations}, "runs": ${runs},
 "bare_seconds": [$(IFS=,; echo "${bare[*]}")], "watched_seconds": [$(IFS=,; echo "${watched[*]}")],
 "bare_median_seconds": ${bare_median}, "watched_median_seconds": ${watched_median},
 "ratio": ${ratio}, "goal_ratio": ${kGoalRatio}, "ratio_verdict": "${ratio_verdict}",
 "events_per_iteration": ${events_per_iteration}, "unwatched_events_per_second": ${rate_bare},
 "paced_events_per_second": ${paced_rate}, "paced_events": ${paced_events}, "paced_dropped": ${paced_dropped},
 "drops_verdict": "${drops_verdict}"}
EOF
