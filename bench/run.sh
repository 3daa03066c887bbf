#!/usr/bin/env bash
# make bench: runs every bench/bench_*.sh (or those NAMEd: bench/run.sh BIN waitlist import)
# with the instctl binary given, printing their own
# tables, and writes the figures with their targets as one Markdown table to
# bench/results.md (BENCH_RESULTS): the machine's core count, the date and the commit above it.
# Benchmarks measure ratios against a baseline taken in the same run; they never fail a build.
set -u
BIN=$(realpath "${1:-build/instctl}")
shift || true
cd "$(dirname "$0")"
benches=()
for name in "$@"; do benches+=("bench_$name.sh"); done
[ ${#benches[@]} -gt 0 ] || benches=(bench_*.sh)
export BENCH_RESULTS=${BENCH_RESULTS:-$PWD/results.md}
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
{
  echo "# instctl benchmarks"
  echo
  echo "$(date -u +%Y-%m-%d), commit $commit, $(nproc) cores ($(uname -m)), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM."
  echo "Each figure is a median of the benchmark's runs; each ratio is against a baseline of the same run."
  echo
  echo "| benchmark | figure | baseline | ratio | target | met |"
  echo "|---|---|---|---|---|---|"
} >"$BENCH_RESULTS"
for b in "${benches[@]}"; do
  echo "== $b"
  bash "$b" "$BIN" || echo "($b did not complete)"
  echo
done
echo "== $BENCH_RESULTS"
cat "$BENCH_RESULTS"
