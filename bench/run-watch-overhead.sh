#!/usr/bin/env bash
# Overhead of `bulwark watch` on a syscall-heavy workload, and its drops at
# a fixed event rate, both measured in this run.
#
# Usage: bench/run-watch-overhead.sh BULWARK_BINARY [--iterations N] [--runs R]
#                                    [--rate EVENTS_PER_S] [--seconds S]
#
# 1. Overhead on real software: `tar` archiving copies of /usr/include and
#    /usr/lib/python3 held in /dev/shm (11,000 files: openat, fstat, read,
#    close for each) into a pipe, R times without and R times with `bulwark watch` (the
#    shipped default rules, alerts to /dev/null), alternating so drift hits
#    both sides. Ratio = median with / median without. Goal: under 5%.
# 2. The worst case: bench's watch_workload, a tight loop of the cheapest
#    reported syscalls (openat/read/close, openat/pwrite/close, socket/close),
#    N iterations, measured the same way. Reported, with the sensor's cost
#    per reported event; no goal (no sensor is free on a loop that does
#    nothing but syscalls).
# 3. Drops: the workload paced at EVENTS_PER_S kernel events per second (the
#    events per iteration are measured in step 2) for S seconds under watch;
#    the sensor's own counters give the events seen and dropped. Goal: zero.
#
# 4. The tracepoint floor: the same tar under bench's watch_floor, empty BPF
#    programs on exactly the tracepoints `bulwark watch` attaches (read from
#    `bpftool perf show`). No sensor on those hooks can cost less: the gap
#    between the floor and 1.00 is the kernel's (the syscall-tracing slow path
#    of every syscall, the perf-event dispatch of each traced one), the gap
#    between the floor and the sensor is bulwark's.
#
# The peer is the same machine without the sensor: Falco cannot be installed
# here (only the Debian archive and npm are reachable).
#
# Prints a table and the lines
#   RATIO watch-overhead: <x> (goal < 1.05): PASS|FAIL        (tar)
#   RATIO watch-overhead-worst-case: <x> (<ns> ns per reported event)
#   DROPS watch at <n> events/s: <d> of <e> (goal 0): PASS|FAIL
#   RATIO watch-tracepoint-floor: <x> (empty programs on the same tracepoints)
# and writes bench/results/watch-overhead.json. Needs root (BPF).
set -euo pipefail

readonly kGoalRatio=1.05
bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
iterations=100000
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
floor="$(dirname "${bulwark}")/bench/watch_floor"
bpftool="$(command -v bpftool || echo /usr/sbin/bpftool)"
[[ "$(id -u)" == 0 ]] || Die "needs root: the sensor loads BPF programs"

work="$(mktemp -d /tmp/bulwark-watch-bench.XXXXXX)"
watch_pid=""
Cleanup() {
  [[ -n "${watch_pid}" ]] && kill -INT "${watch_pid}" 2>/dev/null && wait "${watch_pid}" 2>/dev/null
  [[ -n "${floor_pid:-}" ]] && kill -INT "${floor_pid}" 2>/dev/null && wait "${floor_pid}" 2>/dev/null
  rm -rf "${work}"
  [[ -n "${tree:-}" && "${tree}" == /dev/shm/bulwark-watch-bench.* ]] && rm -rf "${tree}"
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

# StopWatch: stops it and sets watch_events and watch_dropped from its
# closing line (not in a subshell: only this shell can wait for it).
StopWatch() {
  kill -INT "${watch_pid}"
  wait "${watch_pid}" || true
  watch_pid=""
  read -r watch_events watch_dropped < <(sed -n \
    's/^bulwark watch: \([0-9]*\) events seen by the kernel, .* alerts, \([0-9]*\) dropped .*/\1 \2/p' \
    "${work}/watch.err")
  [[ -n "${watch_events}" ]] || Die "no summary line from bulwark watch: $(cat "${work}/watch.err")"
}

Median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
WorkloadSeconds() { "${workload}" "$@" | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p'; }

# The tree tar reads lives in memory (/dev/shm): this host's page-cache
# reclaim (DAMON) otherwise sends some runs to the disk, and the spread
# between identical runs hides the sensor's cost.
tree="${work}/tree"
if [[ -d /dev/shm && -w /dev/shm ]]; then tree="$(mktemp -d /dev/shm/bulwark-watch-bench.XXXXXX)"; fi
mkdir -p "${tree}"
cp -a /usr/include "${tree}/include"
cp -a /usr/lib/python3 "${tree}/python3"

TarSeconds() {
  local start end
  start=$(date +%s%N)
  tar -cf - -C "${tree}" include python3 2>/dev/null | cat >/dev/null
  end=$(date +%s%N)
  awk -v ns=$((end - start)) 'BEGIN { printf "%.6f", ns / 1e9 }'
}

# The sensor's syscall tracepoints, for the floor (part 4).
floor_syscalls=""
floor_pid=""
if [[ -x "${floor}" && -x "${bpftool}" ]]; then
  StartWatch
  floor_syscalls="$("${bpftool}" perf show 2>/dev/null | awk -v pid="${watch_pid}" \
    '$1 == "pid" && $2 == pid && $7 == "tracepoint" && $8 ~ /^sys_exit_/ { sub(/^sys_exit_/, "", $8); print $8 }' | sort -u | tr '\n' ' ')"
  StopWatch
  Log "the sensor's syscall tracepoints: ${floor_syscalls}"
else
  Log "no ${floor} or bpftool: the tracepoint floor is not measured"
fi
StartFloor() {
  : >"${work}/floor.err"
  "${floor}" ${floor_syscalls} 2>"${work}/floor.err" &
  floor_pid=$!
  for _ in $(seq 1 100); do grep -qx ready "${work}/floor.err" && return 0; sleep 0.1; done
  cat "${work}/floor.err" >&2
  Die "watch_floor was not ready"
}
StopFloor() { kill -INT "${floor_pid}"; wait "${floor_pid}" || true; floor_pid=""; }

Log "warm-up"
WorkloadSeconds --iterations "${iterations}" >/dev/null
TarSeconds >/dev/null

Log "${runs} runs of tar and of ${iterations} workload iterations, without and with bulwark watch, alternating"
bare=()
watched=()
tar_bare=()
tar_watched=()
tar_floor=()
events_per_iteration=""
for _ in $(seq 1 "${runs}"); do
  tar_bare+=("$(TarSeconds)")
  StartWatch
  tar_watched+=("$(TarSeconds)")
  StopWatch
  if [[ -n "${floor_syscalls}" ]]; then
    StartFloor
    tar_floor+=("$(TarSeconds)")
    StopFloor
  fi
  bare+=("$(WorkloadSeconds --iterations "${iterations}")")
  StartWatch
  watched+=("$(WorkloadSeconds --iterations "${iterations}")")
  StopWatch
  kernel_events="${watch_events}"
  # The smallest count is the least disturbed by other processes' events.
  per="$(awk -v e="${kernel_events}" -v n="${iterations}" 'BEGIN { printf "%.3f", e / n }')"
  if [[ -z "${events_per_iteration}" ]] || awk -v a="${per}" -v b="${events_per_iteration}" 'BEGIN { exit !(a < b) }'; then
    events_per_iteration="${per}"
  fi
done
tar_bare_median="$(printf '%s\n' "${tar_bare[@]}" | Median)"
tar_watched_median="$(printf '%s\n' "${tar_watched[@]}" | Median)"
ratio="$(awk -v w="${tar_watched_median}" -v b="${tar_bare_median}" 'BEGIN { printf "%.3f", w / b }')"
ratio_verdict="$(awk -v r="${ratio}" -v g="${kGoalRatio}" 'BEGIN { print (r < g ? "PASS" : "FAIL") }')"
floor_ratio=null
floor_median=null
if ((${#tar_floor[@]})); then
  floor_median="$(printf '%s\n' "${tar_floor[@]}" | Median)"
  floor_ratio="$(awk -v f="${floor_median}" -v b="${tar_bare_median}" 'BEGIN { printf "%.3f", f / b }')"
fi
bare_median="$(printf '%s\n' "${bare[@]}" | Median)"
watched_median="$(printf '%s\n' "${watched[@]}" | Median)"
worst_ratio="$(awk -v w="${watched_median}" -v b="${bare_median}" 'BEGIN { printf "%.3f", w / b }')"
ns_per_event="$(awk -v w="${watched_median}" -v b="${bare_median}" -v n="${iterations}" -v e="${events_per_iteration}" \
  'BEGIN { printf "%.0f", (w - b) * 1e9 / (n * e) }')"
rate_bare="$(awk -v n="${iterations}" -v s="${bare_median}" -v e="${events_per_iteration}" 'BEGIN { printf "%.0f", n * e / s }')"

# Drops at the target event rate.
iteration_rate="$(awk -v r="${target_rate}" -v e="${events_per_iteration}" 'BEGIN { printf "%.0f", (e > 0 ? r / e : r) }')"
Log "drops: ${iteration_rate} iterations/s (~${target_rate} events/s) for ${seconds} s under bulwark watch"
StartWatch
paced_seconds="$(WorkloadSeconds --rate "${iteration_rate}" --seconds "${seconds}")"
StopWatch
paced_events="${watch_events}"
paced_dropped="${watch_dropped}"
paced_rate="$(awk -v e="${paced_events}" -v s="${paced_seconds}" 'BEGIN { printf "%.0f", e / s }')"
drops_verdict="$( [[ "${paced_dropped}" == 0 ]] && echo PASS || echo FAIL )"

printf '\n%-56s %12s\n' "what" "seconds"
printf '%-56s %12s\n' "tar of 11,000 files alone (median of ${runs})" "${tar_bare_median}"
printf '%-56s %12s\n' "tar under bulwark watch (median of ${runs})" "${tar_watched_median}"
printf '%-56s %12s\n' "tar under empty programs on the same tracepoints" "${floor_median}"
printf '%-56s %12s\n' "syscall loop alone (median of ${runs})" "${bare_median}"
printf '%-56s %12s\n' "syscall loop under bulwark watch (median of ${runs})" "${watched_median}"
printf '\nkernel events per loop iteration: %s; unwatched loop rate: %s events/s\n' "${events_per_iteration}" "${rate_bare}"
printf 'RATIO watch-overhead: %s (goal < %s): %s\n' "${ratio}" "${kGoalRatio}" "${ratio_verdict}"
printf 'RATIO watch-overhead-worst-case: %s (%s ns per reported event)\n' "${worst_ratio}" "${ns_per_event}"
printf 'DROPS watch at %s events/s: %s of %s (goal 0): %s\n' "${paced_rate}" "${paced_dropped}" "${paced_events}" "${drops_verdict}"
printf 'RATIO watch-tracepoint-floor: %s (empty programs on the same %s syscall tracepoints + 3 sched ones)\n' \
  "${floor_ratio}" "$(wc -w <<<"${floor_syscalls}")"

mkdir -p "${bench_dir}/results"
cat >"${bench_dir}/results/watch-overhead.json" <<EOF
{"runs": ${runs},
 "tar_bare_seconds": [$(IFS=,; echo "${tar_bare[*]}")], "tar_watched_seconds": [$(IFS=,; echo "${tar_watched[*]}")],
 "tar_bare_median_seconds": ${tar_bare_median}, "tar_watched_median_seconds": ${tar_watched_median},
 "ratio": ${ratio}, "goal_ratio": ${kGoalRatio}, "ratio_verdict": "${ratio_verdict}",
 "tar_floor_seconds": [$(IFS=,; echo "${tar_floor[*]}")], "tar_floor_median_seconds": ${floor_median},
 "floor_ratio": ${floor_ratio}, "floor_syscalls": "${floor_syscalls% }",
 "loop_iterations": ${iterations},
 "loop_bare_seconds": [$(IFS=,; echo "${bare[*]}")], "loop_watched_seconds": [$(IFS=,; echo "${watched[*]}")],
 "loop_bare_median_seconds": ${bare_median}, "loop_watched_median_seconds": ${watched_median},
 "worst_case_ratio": ${worst_ratio}, "ns_per_reported_event": ${ns_per_event},
 "events_per_iteration": ${events_per_iteration}, "unwatched_loop_events_per_second": ${rate_bare},
 "paced_events_per_second": ${paced_rate}, "paced_events": ${paced_events}, "paced_dropped": ${paced_dropped},
 "drops_verdict": "${drops_verdict}"}
EOF
