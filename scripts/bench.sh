#!/usr/bin/env bash
# Runs every benchmark (bench/*.bench.ts) one after another. Each writes its own section of
# BENCHMARKS.md (between its markers), with the machine and the date.
set -euo pipefail
cd "$(dirname "$0")/.."
export TS_NODE_TRANSPILE_ONLY=1
shopt -s nullglob
files=(bench/*.bench.ts)
if [ ${#files[@]} -eq 0 ]; then
  echo "no benchmarks in bench/" >&2
  exit 1
fi
for f in "${files[@]}"; do
  echo "==> $f"
  node -r ts-node/register "$f"
done
