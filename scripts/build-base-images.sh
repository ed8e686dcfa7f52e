#!/usr/bin/env bash
# Builds the lab's base images offline, from the Debian archive only.
#
# No registry is reachable from the machines bulwark is built on, so the base
# images are made here: mmdebstrap writes a Debian bookworm root filesystem as
# a tarball and `docker import` turns it into an image.
#
#   bulwark-lab/python-flask:bookworm  python3, Flask, ping, curl (the web app's base)
#   bulwark-lab/postgres:15            PostgreSQL 15 with a small entrypoint that
#                                      initialises a cluster from POSTGRES_PASSWORD
#
# Idempotent: an image whose recipe is unchanged is not rebuilt (the recipe's
# hash is kept in the image as ENV BULWARK_BASE_RECIPE), and the rootfs
# tarballs are cached under /var/cache/bulwark/, so a second run takes seconds.
#
# Usage: scripts/build-base-images.sh [--force] [python-flask|postgres ...]
# Environment:
#   BULWARK_CACHE_DIR      tarball cache (/var/cache/bulwark)
#   BULWARK_DEBIAN_MIRROR  Debian mirror URI (default: the one apt on this host uses)
#   BULWARK_SECURITY_MIRROR  debian-security URI (same rule)

# mmdebstrap hooks are single-quoted on purpose: mmdebstrap passes the root
# directory as their "$1".
# shellcheck disable=SC2016
set -euo pipefail

kScriptDir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly kScriptDir
readonly kCacheDir="${BULWARK_CACHE_DIR:-/var/cache/bulwark}"
readonly kSuite="bookworm"
readonly kVariant="apt"
readonly kPythonImage="bulwark-lab/python-flask:bookworm"
readonly kPostgresImage="bulwark-lab/postgres:15"
readonly kPythonPackages="python3,python3-flask,python3-pip,iputils-ping,curl,ca-certificates"
readonly kPostgresPackages="postgresql-15,ca-certificates"

# Documentation and translations are dead weight in an image.
readonly -a kDpkgSlimming=(
  --dpkgopt='path-exclude=/usr/share/man/*'
  --dpkgopt='path-exclude=/usr/share/locale/*'
  --dpkgopt='path-include=/usr/share/locale/locale.alias'
  --dpkgopt='path-exclude=/usr/share/doc/*'
  --dpkgopt='path-include=/usr/share/doc/*/copyright'
  --dpkgopt='path-exclude=/usr/share/info/*'
)

Say() { printf '[build-base-images %s] %s\n' "$(date +%T)" "$*" >&2; }
Die() { Say "error: $*"; exit 1; }

EnsureTools() {
  if ! command -v mmdebstrap >/dev/null 2>&1; then
    [[ "$(id -u)" == 0 ]] || Die "mmdebstrap is missing and installing it needs root"
    Say "installing mmdebstrap from the Debian archive"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || Say "apt-get update failed; trying the install with the lists at hand"
    apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null || Die "apt-get install mmdebstrap failed"
  fi
  "${kScriptDir}/ensure-dockerd.sh"
}

# Prints the first URI that apt on this host uses for the given suite of the
# Debian archive (deb822 *.sources and one-line *.list files), or nothing.
HostMirrorFor() {
  local suite="$1"
  local -a files=()
  local file
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [[ -f "${file}" && -r "${file}" ]] && files+=("${file}")
  done
  (( ${#files[@]} )) || return 0
  awk -v want="${suite}" '
    function flush() {
      if (uris != "" && enabled && (" " suites " ") ~ (" " want " ") && uris ~ /debian/) {
        split(uris, u, " "); print u[1]; found = 1; exit
      }
      uris = ""; suites = ""; enabled = 1
    }
    BEGIN { enabled = 1 }
    FNR == 1 { flush() }
    FILENAME ~ /\.sources$/ {
      if ($0 ~ /^[[:space:]]*$/) { flush(); next }
      if ($1 == "URIs:") { uris = substr($0, index($0, $2)) }
      if ($1 == "Suites:") { suites = substr($0, index($0, $2)) }
      if ($1 == "Enabled:" && $2 == "no") { enabled = 0 }
      next
    }
    /^[[:space:]]*deb[[:space:]]/ {
      flush()
      i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
      if ($(i + 1) == want && $i ~ /debian/) { print $i; found = 1; exit }
    }
    END { if (!found) flush() }
  ' "${files[@]}" 2>/dev/null | head -n1 || true
}

# Writes the sources.list the rootfs is built from (and keeps) to stdout.
SourcesList() {
  local main security
  main="${BULWARK_DEBIAN_MIRROR:-$(HostMirrorFor "${kSuite}")}"
  main="${main:-http://deb.debian.org/debian}"
  security="${BULWARK_SECURITY_MIRROR:-$(HostMirrorFor "${kSuite}-security")}"
  security="${security:-http://deb.debian.org/debian-security}"
  printf 'deb %s %s main\n' "${main}" "${kSuite}" "${main}" "${kSuite}-updates" \
    "${security}" "${kSuite}-security"
}

# The PostgreSQL image's entrypoint: initialises a cluster on first start
# (password from POSTGRES_PASSWORD, optional POSTGRES_USER / POSTGRES_DB), then
# runs the server as the postgres user.
PostgresEntrypoint() {
  cat <<'ENTRYPOINT'
#!/bin/sh
set -eu
: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /run/postgresql
  # Give the cluster away only when it is not postgres's yet: reading one
  # (mode 700) as root needs CAP_DAC_OVERRIDE, which a hardened container
  # drops, so a restart must not walk it.
  if [ "$(stat -c %U "$PGDATA")" != postgres ]; then chown -R postgres:postgres "$PGDATA"; fi
  chown postgres:postgres /run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo "docker-entrypoint: set POSTGRES_PASSWORD to initialise the database" >&2
    exit 1
  fi
  user="${POSTGRES_USER:-postgres}"
  pwfile="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb --username="$user" --pwfile="$pwfile" --auth-local=trust \
    --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  db="${POSTGRES_DB:-$user}"
  if [ "$db" != postgres ]; then
    echo "CREATE DATABASE \"$db\" OWNER \"$user\";" | postgres --single -j postgres >/dev/null
  fi
  echo "docker-entrypoint: initialised cluster in $PGDATA" >&2
fi
exec "$@"
ENTRYPOINT
}

# Hash of everything that decides an image's content, so edits to this
# script rebuild the image and its cached tarball.
RecipeHash() {
  local name="$1"
  {
    SourcesList
    printf '%s\n' "${name}" "${kSuite}" "${kVariant}" "${kDpkgSlimming[@]}"
    case "${name}" in
      python-flask) printf '%s\n' "${kPythonPackages}" ;;
      postgres) printf '%s\n' "${kPostgresPackages}"; PostgresEntrypoint ;;
    esac
    # v2: bump to force a rebuild when something outside this list changes.
    echo v2
  } | sha256sum | cut -c1-16
}

ImageRecipe() {
  docker image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$1" 2>/dev/null \
    | sed -n 's/^BULWARK_BASE_RECIPE=//p'
}

# mmdebstrap NAME PACKAGES TARBALL [extra mmdebstrap args...]
MakeRootfs() {
  local name="$1" packages="$2" tarball="$3"
  shift 3
  local sources partial
  sources="$(mktemp)"
  SourcesList >"${sources}"
  partial="${tarball}.partial.tar"
  Say "${name}: mmdebstrap ${kSuite} (variant ${kVariant}) with ${packages}"
  Say "${name}: archive: $(tr '\n' ';' <"${sources}")"
  # Hooks drop what must come from the container runtime (hostname, resolv.conf)
  # and the package lists, which only bloat the image.
  if ! mmdebstrap --variant="${kVariant}" --include="${packages}" \
      --format=tar --quiet "${kDpkgSlimming[@]}" \
      --customize-hook='rm -f "$1"/etc/hostname "$1"/etc/resolv.conf' \
      --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
      "$@" "${kSuite}" "${partial}" "${sources}"; then
    rm -f "${sources}" "${partial}"
    Die "${name}: mmdebstrap failed (is the Debian mirror reachable?)"
  fi
  rm -f "${sources}"
  mv -f "${partial}" "${tarball}"
  Say "${name}: rootfs $(du -h "${tarball}" | cut -f1) in ${tarball}"
}

# BuildImage NAME IMAGE PACKAGES [--change ... ] -- [mmdebstrap args...]
BuildImage() {
  local name="$1" image="$2" packages="$3"
  shift 3
  local -a changes=() mmargs=()
  while (( $# )) && [[ "$1" != -- ]]; do changes+=("$1"); shift; done
  (( $# )) && shift
  mmargs=("$@")

  local recipe tarball start
  recipe="$(RecipeHash "${name}")"
  if [[ "${kForce}" == 0 && "$(ImageRecipe "${image}")" == "${recipe}" ]]; then
    Say "${name}: ${image} is up to date (recipe ${recipe}); skipping"
    return 0
  fi
  start="${SECONDS}"
  tarball="${kCacheDir}/${name}-${kSuite}-${recipe}.tar"
  if [[ "${kForce}" == 1 || ! -s "${tarball}" ]]; then
    MakeRootfs "${name}" "${packages}" "${tarball}" "${mmargs[@]}"
  else
    Say "${name}: reusing cached rootfs ${tarball}"
  fi
  Say "${name}: docker import as ${image}"
  docker import --message "bulwark lab base image (${name}, Debian ${kSuite})" \
    --change "ENV BULWARK_BASE_RECIPE=${recipe}" "${changes[@]}" \
    "${tarball}" "${image}" >/dev/null || Die "${name}: docker import failed"
  # Drop tarballs of older recipes of this image.
  find "${kCacheDir}" -maxdepth 1 -name "${name}-${kSuite}-*.tar" ! -name "$(basename "${tarball}")" -delete
  Say "${name}: built ${image} in $((SECONDS - start))s"
}

BuildPythonFlask() {
  BuildImage python-flask "${kPythonImage}" "${kPythonPackages}" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'ENV PYTHONUNBUFFERED=1' \
    --change 'CMD ["python3"]' \
    --
}

BuildPostgres() {
  local entrypoint
  entrypoint="$(mktemp)"
  PostgresEntrypoint >"${entrypoint}"
  chmod 755 "${entrypoint}"
  # No stock cluster: the entrypoint makes one in PGDATA on first start.
  BuildImage postgres "${kPostgresImage}" "${kPostgresPackages}" \
    --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'ENV PGDATA=/var/lib/postgresql/data' \
    --change 'EXPOSE 5432' \
    --change 'VOLUME /var/lib/postgresql/data' \
    --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
    --change 'CMD ["postgres"]' \
    -- \
    --setup-hook='mkdir -p "$1"/etc/postgresql-common/createcluster.d' \
    --setup-hook='echo "create_main_cluster = false" > "$1"/etc/postgresql-common/createcluster.d/bulwark.conf' \
    --customize-hook="upload ${entrypoint} /usr/local/bin/docker-entrypoint.sh" \
    --customize-hook='chmod 755 "$1"/usr/local/bin/docker-entrypoint.sh'
  rm -f "${entrypoint}"
}

Main() {
  kForce=0
  local -a wanted=()
  local arg
  for arg in "$@"; do
    case "${arg}" in
      --force) kForce=1 ;;
      python-flask|postgres|python-wheels) wanted+=("${arg}") ;;
      -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}"; return 0 ;;
      *) Die "unknown argument '${arg}' (want --force, python-flask, postgres, python-wheels)" ;;
    esac
  done
  (( ${#wanted[@]} )) || wanted=(python-flask postgres python-wheels)
  readonly kForce

  local start="${SECONDS}"
  EnsureTools
  mkdir -p "${kCacheDir}"
  # Two builds at once (parallel tests) would race for the same tarball and tag.
  exec 9>"${kCacheDir}/.build.lock"
  if ! flock -n 9; then
    Say "another build-base-images run holds ${kCacheDir}/.build.lock; waiting"
    flock 9
  fi
  for arg in "${wanted[@]}"; do
    case "${arg}" in
      python-flask) BuildPythonFlask ;;
      postgres) BuildPostgres ;;
      python-wheels) "${kScriptDir}/build-lab-wheels.sh" $( ((kForce)) && echo --force) ;;
    esac
  done
  Say "done in $((SECONDS - start))s"
}

Main "$@"
