#!/usr/bin/env bash
# Runs every libFuzzer binary in BUILD_DIR for SECONDS each, seeded with its
# corpus. A crash leaves its input in fuzz/findings/<name>/: copy it into
# fuzz/regressions/<name>/ once fixed so ctest replays it forever.
set -euo pipefail
build_dir=${1:-build-fuzz}
seconds=${2:-20}
root=$(cd "$(dirname "$0")" && pwd)
status=0
for bin in "$build_dir"/fuzz/fuzz_*; do
  [[ -x $bin ]] || continue
  name=$(basename "$bin"); name=${name#fuzz_}
  mkdir -p "$root/findings/$name" "$root/corpus/$name"
  work=$(mktemp -d)
  echo "== fuzz $name for ${seconds}s"
  if ! "$bin" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
        -artifact_prefix="$root/findings/$name/" "$work" "$root/corpus/$name" 2>&1 | tail -3; then
    echo "!! $name: crash, see fuzz/findings/$name/" >&2
    status=1
  fi
  rm -rf "$work"
done
exit $status
