#!/usr/bin/env bash
# users import of 100,000 generated authors (CSV) against the raw SQLite limit: a minimal C++
# program inserting the same rows with one prepared statement in one transaction into the
# same table and indexes. Prints the median wall time of each, their ratio (target: at most
# 1.5x) and instctl's peak RSS.
#   bench/bench_import.sh [INSTCTL_BIN] [ROWS] [RUNS]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
import_args "$@"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/instctl-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

g++ -O2 -std=c++20 -o "$tmp/import_baseline" "$here/import_baseline.cpp" -lsqlite3

# The schema instctl's accounts table has: every migration in order.
cat "$src"/src/instctl/db/migrations/*.sql >"$tmp/schema.sql"

authors_csv "$rows" "$tmp/authors.csv"

export INSTCTL_NOW=2026-11-28T06:21:38Z
: >"$tmp/base"
: >"$tmp/inst"
for ((r = 1; r <= runs; r++)); do
  rm -f "$tmp"/base.db* "$tmp"/inst.db*
  timed "$tmp/base" "$tmp/import_baseline" "$tmp/schema.sql" "$tmp/base.db" "$tmp/authors.csv"
  "$bin" --db "$tmp/inst.db" init --domain bench.example >/dev/null 2>&1
  timed "$tmp/inst" "$bin" --db "$tmp/inst.db" users import "$tmp/authors.csv"
  n=$(sqlite3 "$tmp/inst.db" "SELECT count(*) FROM accounts")
  [ "$n" = "$rows" ] || { echo "bench_import: instctl imported $n rows, expected $rows" >&2; exit 1; }
done

base=$(median "$tmp/base" 1)
inst=$(median "$tmp/inst" 1)
rss=$(median "$tmp/inst" 2)
base_rss=$(median "$tmp/base" 2)
ratio=$(awk -v a="$inst" -v b="$base" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
printf 'import %d rows (median of %d)  baseline %.2fs (%d rows/s, %d MiB)  instctl %.2fs (%d rows/s)  ratio %sx %s  peak RSS %d MiB\n' \
  "$rows" "$runs" "$base" "$(awk -v n="$rows" -v t="$base" 'BEGIN { print int(n / t) }')" "$((base_rss / 1024))" \
  "$inst" "$(awk -v n="$rows" -v t="$inst" 'BEGIN { print int(n / t) }')" "$ratio" "$(verdict "$ratio" '<=' 1.5)" "$((rss / 1024))"
result_row "\`users import\` of $rows rows vs a C++ loop of one prepared INSERT, same indexes" \
  "$(printf '%.2f s' "$inst")" "$(printf '%.2f s' "$base")" "$ratio" '<=' 1.5
