#!/usr/bin/env bash
# Runs one fuzz target for a while and prints its executions and coverage.
# Usage: tests/fuzz/run.sh BINARY SECONDS WORK_DIR SEED_DIR ARTIFACT_DIR
#   WORK_DIR receives the inputs libFuzzer finds (the seeds in SEED_DIR are only read);
#   a crash, leak, sanitizer report or timeout is saved in ARTIFACT_DIR and fails the run.
set -euo pipefail
bin=$1 seconds=$2 work=$3 seeds=$4 artifacts=$5
name=$(basename "$bin")
name=${name#fuzz_}
mkdir -p "$work" "$artifacts"
log="$work.log"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$artifacts/$name-" "$work" "$seeds" >"$log" 2>&1 || status=$?
done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
cov=$(sed -nE 's/.* cov: ([0-9]+) ft: ([0-9]+) .*/cov \1, ft \2/p' <<<"$done_line")
execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log" | tail -1)
corpus=$(find "$seeds" -type f | wc -l)
if [ "$status" -ne 0 ]; then
  echo "fuzz: $name FAILED (exit $status) after ${execs:-?} executions; the input is in $artifacts:" >&2
  grep -E 'ERROR|SUMMARY|runtime error|property violated|Test unit written|Deadly signal' "$log" | head -20 >&2
  echo "fuzz: reproduce with: $bin $artifacts/$name-<file>   (full log: $log)" >&2
  exit 1
fi
printf 'fuzz: %-16s %10s executions in %ss, %s, %s seed files\n' "$name" "${execs:-?}" "$seconds" \
  "${cov:-coverage unknown}" "$corpus"
