#!/usr/bin/env bash
# Builds bulwark-lab/python-wheels:bullseye, a data-only image holding pip
# wheels of old Python library versions (/wheels/*.whl) that the vulnerable
# lab image pip-installs from its requirements.txt. No PyPI here: the wheels
# are made locally (lab/wheels/make_wheels.py) from Debian bullseye's
# python3-* binary packages, fetched from the Debian archive with a private
# apt configuration (the host's apt state is not touched).
#
# Usage: scripts/build-lab-wheels.sh [--force]
# Safe to run twice: the image carries a recipe hash and is skipped when current.
set -euo pipefail

kScriptDir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly kScriptDir
readonly kRoot="${kScriptDir}/.."
readonly kCacheDir="${BULWARK_CACHE_DIR:-/var/cache/bulwark}"
readonly kImage="bulwark-lab/python-wheels:bullseye"
readonly kSuite="bullseye"
# Binary package=version pairs (bullseye); versions pinned so the lab's
# findings do not move when the archive does.
readonly -a kDebs=(
  "python3-yaml=5.3.1-5"
  "python3-requests=2.25.1+dfsg-2"
  "python3-urllib3=1.26.5-1~exp1"
  "python3-certifi=2020.6.20-1"
  "python3-idna=2.10-1+deb11u1"
  "python3-chardet=4.0.0-1"
  "python3-six=1.16.0-2"
)

Say() { printf '[build-lab-wheels %s] %s\n' "$(date +%T)" "$*" >&2; }
Die() { Say "error: $*"; exit 1; }

Recipe() {
  { printf '%s\n' "${kDebs[@]}" "${kSuite}"; cat "${kRoot}/lab/wheels/make_wheels.py"; echo v1; } \
    | sha256sum | cut -c1-16
}

Mirror() {
  local mirror="${BULWARK_DEBIAN_MIRROR:-}"
  if [[ -z "${mirror}" ]]; then
    mirror="$(sed -n 's/^URIs:[[:space:]]*\(http[^ ]*debian\)[[:space:]]*$/\1/p' /etc/apt/sources.list.d/*.sources \
      2>/dev/null | head -n1)"
  fi
  printf '%s\n' "${mirror:-http://deb.debian.org/debian}"
}

FetchDebs() {
  local apt_dir="$1" out="$2"
  mkdir -p "${apt_dir}/lists/partial" "${apt_dir}/cache/archives/partial" "${out}"
  printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' "$(Mirror)" "${kSuite}" \
    >"${apt_dir}/sources.list"
  local -a opts=(-o "Dir::State::Lists=${apt_dir}/lists" -o "Dir::Etc::SourceList=${apt_dir}/sources.list"
                 -o "Dir::Etc::SourceParts=/dev/null" -o "Dir::Cache=${apt_dir}/cache"
                 -o "Dir::State::status=/dev/null" -o "APT::Architecture=amd64")
  apt-get "${opts[@]}" update -qq || Die "apt-get update for ${kSuite} failed (is the Debian archive reachable?)"
  (cd "${out}" && apt-get "${opts[@]}" download -qq "${kDebs[@]}") || Die "downloading ${kDebs[*]} failed"
}

Main() {
  local force=0
  [[ "${1:-}" == --force ]] && force=1
  command -v docker >/dev/null || Die "docker is not installed (scripts/ensure-dockerd.sh)"
  local recipe
  recipe="$(Recipe)"
  local current
  current="$(docker image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "${kImage}" 2>/dev/null \
    | sed -n 's/^BULWARK_WHEELS_RECIPE=//p' || true)"
  if [[ "${force}" == 0 && "${current}" == "${recipe}" ]]; then
    Say "${kImage} is up to date (recipe ${recipe}); skipping"
    return 0
  fi
  local work
  work="$(mktemp -d)"
  trap 'rm -rf "${work}"' RETURN
  local debs="${kCacheDir}/wheels-debs-${recipe}"
  if ! ls "${debs}"/*.deb >/dev/null 2>&1; then
    FetchDebs "${work}/apt" "${work}/debs"
    mkdir -p "${debs}" && cp "${work}"/debs/*.deb "${debs}/"
    find "${kCacheDir}" -maxdepth 1 -name 'wheels-debs-*' ! -name "$(basename "${debs}")" -exec rm -rf {} +
  fi
  python3 "${kRoot}/lab/wheels/make_wheels.py" "${work}/rootfs/wheels" "${debs}"/*.deb >&2
  tar -C "${work}/rootfs" --owner=0 --group=0 --numeric-owner -cf "${work}/wheels.tar" wheels
  docker import --message "bulwark lab wheels (Debian ${kSuite} python3-* repackaged)" \
    --change "ENV BULWARK_WHEELS_RECIPE=${recipe}" "${work}/wheels.tar" "${kImage}" >/dev/null \
    || Die "docker import failed"
  Say "built ${kImage} ($(ls "${work}/rootfs/wheels" | wc -l) wheels)"
}

Main "$@"
