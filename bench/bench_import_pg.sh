#!/usr/bin/env bash
# users import of 100,000 generated authors into PostgreSQL, against PostgreSQL's own limit:
# COPY (psql's \copy) of the same rows into the same table, indexes and constraints, in a
# database made the same way, on the same throw-away PostgreSQL 15 server (durability off for
# both: fsync and synchronous_commit are off there). Prints the median wall time of each and
# their ratio.
#   bench/bench_import_pg.sh [INSTCTL_BIN] [ROWS] [RUNS]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
import_args "$@"
pg="$src/tests/servers/postgres.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/instctl-bench.XXXXXX")
trap 'bash "$pg" stop "$tmp/pg" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT

bash "$pg" start "$tmp/pg" >/dev/null
authors_csv "$rows" "$tmp/authors.csv"
# The rows as instctl stores them (keys in lower case, an activation token's hash, the same
# times), in the columns COPY fills.
k_columns="username, username_key, domain, email, email_key, display_name, note, role, approved, activation_token_hash, activation_expires_at, created_at, updated_at"
awk -v n="$rows" -v now=1795846898 -v hash="$(printf 'a%.0s' {1..64})" 'BEGIN {
  for (i = 1; i <= n; i++)
    printf "author%d,author%d,\"\",author%d@example.com,author%d@example.com,Author Number %d,Writes books and essays,user,1,%s,%d,%d,%d\n", i, i, i, i, i, hash, now + 604800, now, now
}' >"$tmp/rows.csv"

export INSTCTL_NOW=2026-11-28T06:21:38Z
# fresh NAME: a new database holding an empty instance; prints its URI.
fresh() {
  bash "$pg" dropdb "$tmp/pg" "$1"
  local uri
  uri=$(bash "$pg" createdb "$tmp/pg" "$1")
  "$bin" --db "$uri" init --domain bench.example >/dev/null 2>&1
  echo "$uri"
}
count() { psql -X -qtA "$1" -c "SELECT count(*) FROM accounts WHERE domain = ''"; }

: >"$tmp/copy"
: >"$tmp/inst"
for ((r = 1; r <= runs; r++)); do
  uri=$(fresh copy)
  timed "$tmp/copy" psql -X -q -v ON_ERROR_STOP=1 "$uri" \
    -c "\\copy accounts ($k_columns) FROM '$tmp/rows.csv' WITH (FORMAT csv)"
  [ "$(count "$uri")" = "$rows" ] || { echo "bench_import_pg: COPY loaded $(count "$uri") rows, expected $rows" >&2; exit 1; }
  uri=$(fresh inst)
  timed "$tmp/inst" "$bin" --db "$uri" users import "$tmp/authors.csv"
  [ "$(count "$uri")" = "$rows" ] || { echo "bench_import_pg: instctl imported $(count "$uri") rows, expected $rows" >&2; exit 1; }
done

base=$(median "$tmp/copy" 1)
inst=$(median "$tmp/inst" 1)
per_s() { awk -v n="$rows" -v t="$1" 'BEGIN { print int(n / t) }'; }
printf 'import %d rows into PostgreSQL (median of %d)  COPY %.2fs (%d rows/s)  instctl %.2fs (%d rows/s)  ratio %sx  peak RSS %d MiB\n' \
  "$rows" "$runs" "$base" "$(per_s "$base")" "$inst" "$(per_s "$inst")" \
  "$(awk -v a="$inst" -v b="$base" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')" "$(($(median "$tmp/inst" 2) / 1024))"
