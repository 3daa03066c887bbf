#!/usr/bin/env bash
# The wall time of a small write command, `instctl users modify alice --display-name X`,
# against the sqlite3 shell running the equivalent UPDATE on the same file (the floor for any
# process that opens the database and writes one row). Median of RUNS runs each, interleaved
# so drift on a shared machine hits both alike. Target: ratio <= 1.5.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
BIN=${1:?usage: bench_users_modify.sh path/to/instctl}
RUNS=${RUNS:-200}
bench_tmp
export INSTCTL_DB=$TMP/instance.db INSTCTL_ACTOR=cli:bench

"$BIN" -q init --domain bench.example >/dev/null
"$BIN" -q users create alice --email alice@bench.example >/dev/null
# A realistic table: a few thousand users around alice.
sqlite3 "$INSTCTL_DB" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
  INSERT INTO accounts (username, username_key, email, email_key, created_at, updated_at)
  SELECT 'u' || i, 'u' || i, 'u' || i || '@bench.example', 'u' || i || '@bench.example', 0, 0 FROM n;"

: >"$TMP/instctl.txt"
: >"$TMP/sqlite.txt"
for i in $(seq 1 "$RUNS"); do
  t0=$(now_ns)
  "$BIN" -q users modify alice --display-name "X$i" >/dev/null
  t1=$(now_ns)
  sqlite3 "$INSTCTL_DB" "UPDATE accounts SET display_name = 'Y$i', updated_at = $i WHERE username_key = 'alice' AND domain = '';"
  t2=$(now_ns)
  echo $((t1 - t0)) >>"$TMP/instctl.txt"
  echo $((t2 - t1)) >>"$TMP/sqlite.txt"
done

mi=$(median "$TMP/instctl.txt")
ms=$(median "$TMP/sqlite.txt")
printf '%-44s %10s\n' "command (median of $RUNS)" "ms"
printf '%-44s %10.2f\n' "instctl users modify --display-name" "$(echo "$mi / 1000000" | bc -l)"
printf '%-44s %10.2f\n' "sqlite3 shell, the same UPDATE" "$(echo "$ms / 1000000" | bc -l)"
printf '%-44s %10.2f  %s\n' "ratio instctl / sqlite3" "$(echo "$mi / $ms" | bc -l)" "$(verdict "$(echo "$mi / $ms" | bc -l)" '<=' 1.5)"
result_row "\`users modify\` start to exit vs the sqlite3 shell, same UPDATE" \
  "$(printf '%.2f ms' "$(echo "$mi / 1000000" | bc -l)")" "$(printf '%.2f ms' "$(echo "$ms / 1000000" | bc -l)")" \
  "$(printf '%.2f' "$(echo "$mi / $ms" | bc -l)")" '<=' 1.5
