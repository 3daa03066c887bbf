#!/usr/bin/env bash
# The first refresh of three subscribed lists of 20,000 domains each (trust auto, threshold 1,
# served from loopback by tests/e2e/list_server.py) against `federation import` of the same
# 60,000 domains as one merged file, each on a fresh instance. Median of RUNS runs each,
# interleaved. Target: ratio <= 1.5.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
BIN=${1:?usage: bench_subscriptions.sh path/to/instctl}
RUNS=${RUNS:-3}
ROWS=${ROWS:-20000}
SRC=$(cd "$(dirname "$0")/.." && pwd)
bench_tmp
export INSTCTL_DB=$TMP/instance.db INSTCTL_ACTOR=cli:bench

mkdir -p "$TMP/lists"
for l in 1 2 3; do
  awk -v n="$ROWS" -v l="$l" 'BEGIN {
    print "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate"
    for (i = 1; i <= n; i++) printf "d%d.list%d.example,suspend,false,false,spam,false\n", i, l
  }' >"$TMP/lists/l$l.csv"
done
{ head -1 "$TMP/lists/l1.csv"; for l in 1 2 3; do tail -n +2 "$TMP/lists/l$l.csv"; done; } >"$TMP/merged.csv"
PORT=$(free_port)
python3 "$SRC/tests/e2e/list_server.py" "$PORT" "$TMP/lists" "$TMP/server.log" &
pids+=($!)
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/fail" && break; sleep 0.05; done

fresh() {
  rm -f "$INSTCTL_DB" "$INSTCTL_DB-wal" "$INSTCTL_DB-shm"
  "$BIN" -q init --domain bench.example >/dev/null
}

: >"$TMP/refresh.txt"
: >"$TMP/import.txt"
for _ in $(seq 1 "$RUNS"); do
  fresh
  "$BIN" -q config set federation.allow_http true >/dev/null
  "$BIN" -q config set federation.allow_private_addresses true >/dev/null
  for l in 1 2 3; do
    "$BIN" -q federation subscriptions add "http://127.0.0.1:$PORT/l$l.csv" --name "l$l" --trust auto >/dev/null
  done
  t0=$(now_ns)
  "$BIN" -q federation subscriptions refresh >/dev/null
  t1=$(now_ns)
  echo $((t1 - t0)) >>"$TMP/refresh.txt"
  fresh
  t0=$(now_ns)
  "$BIN" -q federation import "$TMP/merged.csv" >/dev/null
  t1=$(now_ns)
  echo $((t1 - t0)) >>"$TMP/import.txt"
done

mr=$(median "$TMP/refresh.txt")
mi=$(median "$TMP/import.txt")
ratio=$(echo "$mr / $mi" | bc -l)
printf '%-52s %10s\n' "command (median of $RUNS, $((3 * ROWS)) domains)" "s"
printf '%-52s %10.2f\n' "federation subscriptions refresh (3 lists)" "$(echo "$mr / 1000000000" | bc -l)"
printf '%-52s %10.2f\n' "federation import (the merged file)" "$(echo "$mi / 1000000000" | bc -l)"
printf '%-52s %10.2f  %s\n' "ratio refresh / import (target <= 1.5)" "$ratio" "$(verdict "$ratio" '<=' 1.5)"
result_row "\`federation subscriptions refresh\` of 3 lists x $ROWS domains vs \`federation import\` of the merged file" \
  "$(printf '%.2f s' "$(echo "$mr / 1000000000" | bc -l)")" "$(printf '%.2f s' "$(echo "$mi / 1000000000" | bc -l)")" \
  "$(printf '%.2f' "$ratio")" '<=' 1.5
