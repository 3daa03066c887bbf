#!/usr/bin/env bash
# make bench: runs every bench/bench_*.sh with the instctl binary given, printing their tables.
# Benchmarks measure ratios against a baseline taken in the same run; they never fail a build.
set -u
BIN=$(realpath "${1:-build/instctl}")
cd "$(dirname "$0")"
for b in bench_*.sh; do
  echo "== $b"
  bash "$b" "$BIN" || echo "($b did not complete)"
  echo
done
