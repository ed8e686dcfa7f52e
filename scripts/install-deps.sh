#!/usr/bin/env bash
# Installs the Debian packages bulwark needs to build, test and run its lab.
# Idempotent: installs only what is missing, and runs `apt-get update` only
# when something is. Needs root (CI and the lab machines run as root).
set -euo pipefail

BUILD_PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libcli11-dev libfmt-dev nlohmann-json3-dev libsimdjson-dev libyaml-cpp-dev
  libarchive-dev libcurl4-openssl-dev libssl-dev libsqlite3-dev zlib1g-dev
  graphviz libgraphviz-dev
  libhyperscan-dev libre2-dev libgtest-dev libgmock-dev libbenchmark-dev
  clang llvm libbpf-dev bpftool libelf-dev libcap-dev
  libyara-dev libcpp-httplib-dev libfuzzy-dev libmagic-dev
)
TEST_PACKAGES=(nodejs npm docker.io mmdebstrap curl jq python3 openssl bc binutils prometheus chromium ssdeep)
FUZZ_PACKAGES=(libclang-rt-14-dev)

want=("${BUILD_PACKAGES[@]}")
case "${1:-build}" in
  build) ;;
  test) want+=("${TEST_PACKAGES[@]}") ;;
  fuzz) want+=("${FUZZ_PACKAGES[@]}") ;;
  all) want+=("${TEST_PACKAGES[@]}" "${FUZZ_PACKAGES[@]}") ;;
  *) echo "usage: $0 [build|test|fuzz|all]" >&2; exit 2 ;;
esac

missing=()
for pkg in "${want[@]}"; do
  # nodejs/npm may come from outside Debian (e.g. a preinstalled node): accept the commands.
  if [[ $pkg == nodejs ]] && command -v node >/dev/null; then continue; fi
  if [[ $pkg == npm ]] && command -v npm >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#want[@]} packages present"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages (run as root to install): ${missing[*]}" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
