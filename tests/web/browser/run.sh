#!/bin/sh
# Runs a node test of tests/web/browser/; exit 77 (skipped) without node.
# Usage: run.sh SCRIPT.js ARGS...
if ! command -v node >/dev/null 2>&1; then
  echo "SKIPPED: node is missing (apt-get install nodejs)"
  exit 77
fi
exec node "$@"
