#!/usr/bin/env bash
# Produces the hardened lab service from the vulnerable one, the way a user
# would: copy vulnerable-app, let `bulwark fix --write` harden its Dockerfile
# and compose file, then apply the code changes made by hand (hardened-app's
# app.py, and the one setting that code needs: BIND_HOST for the container).
#
#   lab/harden.sh OUT_DIR      (default: lab/hardened-app, regenerated in place)
#
# BULWARK names the bulwark binary (default: build/bulwark of this checkout).
# The committed lab/hardened-app is this script's output; a test regenerates
# it into a temporary directory and compares, so it cannot drift.
set -euo pipefail

kRoot="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly kRoot
readonly kSource="${kRoot}/lab/vulnerable-app"
readonly kHandMade="${kRoot}/lab/hardened-app"
out="${1:-${kHandMade}}"
bulwark="${BULWARK:-${kRoot}/build/bulwark}"

if [[ ! -x "${bulwark}" ]]; then
  echo "harden: ${bulwark} is not built; run 'make build' first (or set BULWARK)" >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
cp -a "${kSource}/." "${work}/"
rm -f "${work}/WEAKNESSES.md"

# Dockerfile, compose (and the .env / ignore files it creates): bulwark's job.
# Digests are not pinned: the lab's base images are imported locally and
# have no registry digest.
# --no-results: this is how the lab is built, not a step of anyone's run.
"${bulwark}" fix "${work}" --write --no-backup --no-digests --quiet --no-results

# Code: the hand-hardened application replaces the vulnerable one.
for file in app.py requirements.txt; do
  cp "${kHandMade}/${file}" "${work}/${file}"
done
# The hardened app binds to 127.0.0.1 unless told otherwise; in the
# container it must listen on the container's interface for the published
# port to reach it.
sed -i 's|^WORKDIR /app$|WORKDIR /app\nENV BIND_HOST=0.0.0.0|' "${work}/Dockerfile"
grep -q '^ENV BIND_HOST=0.0.0.0$' "${work}/Dockerfile" || {
  echo "harden: could not set BIND_HOST in the Dockerfile (no 'WORKDIR /app' line)" >&2
  exit 1
}

# Its own image tag (building it never replaces the vulnerable lab's image),
# and headers that say what these files are now.
# The hardened service pip-installs nothing: its one library, Flask, comes from
# Debian (security-supported, fixes backported), and the old pinned wheels go.
sed -i -e '/^# Old pinned libraries from requirements.txt/d' -e '/python-wheels/d' -e '/find-links \/tmp\/wheels/d' \
  "${work}/Dockerfile"
if grep -q 'wheels' "${work}/Dockerfile"; then
  echo "harden: could not remove the pinned-wheels install from the Dockerfile" >&2
  exit 1
fi

sed -i 's|^    image: bulwark-lab/vulnerable-app:1.0$|    image: bulwark-lab/hardened-app:1.0|' "${work}/docker-compose.yml"
for file in Dockerfile docker-compose.yml; do
  sed -i -e '1s|^# Deliberately vulnerable .*$|# The lab service hardened: lab/harden.sh made this file with `bulwark fix --write`|' \
    -e '2s|^# Every weakness is seeded on purpose; WEAKNESSES.md lists them by line.$|# from lab/vulnerable-app (see lab/hardened-app/README.md); do not edit by hand.|' \
    "${work}/${file}"
done

mkdir -p "${out}"
for file in Dockerfile docker-compose.yml app.py requirements.txt .dockerignore .gitignore .env; do
  if [[ -e "${work}/${file}" ]]; then cp -p "${work}/${file}" "${out}/${file}"; fi
done
echo "harden: wrote ${out}"
