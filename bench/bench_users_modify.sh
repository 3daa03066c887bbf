#!/usr/bin/env bash
# The wall time of a small write command, `instctl users modify alice --display-name X`,
# against the sqlite3 shell running the equivalent UPDATE on the same file (the floor for any
# process that opens the database and writes one row). Median of RUNS runs each, interleaved
# so drift on a shared machine hits both alike, each timed from start to exit
# (bench/spawn_clock.cpp). Target: ratio <= 1.5.
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

# Each run timed from start to exit by spawn_clock (posix_spawn to waitpid): a shell's `date`
# around each command would add two process starts to both sides and flatter the ratio.
g++ -O2 -std=c++20 -o "$TMP/spawn_clock" "$(dirname "$0")/spawn_clock.cpp"
"$TMP/spawn_clock" "$RUNS" "$(realpath "$BIN")" -q users modify alice --display-name 'X{i}' -- \
  "$(command -v sqlite3)" "$INSTCTL_DB" \
  "UPDATE accounts SET display_name = 'Y{i}', updated_at = {i} WHERE username_key = 'alice' AND domain = '';" \
  >"$TMP/times.txt"

mi=$(median "$TMP/times.txt" 1)
ms=$(median "$TMP/times.txt" 2)
printf '%-44s %10s\n' "command (median of $RUNS)" "ms"
printf '%-44s %10.2f\n' "instctl users modify --display-name" "$(echo "$mi / 1000000" | bc -l)"
printf '%-44s %10.2f\n' "sqlite3 shell, the same UPDATE" "$(echo "$ms / 1000000" | bc -l)"
printf '%-44s %10.2f  %s\n' "ratio instctl / sqlite3" "$(echo "$mi / $ms" | bc -l)" "$(verdict "$(echo "$mi / $ms" | bc -l)" '<=' 1.5)"
result_row "\`users modify\` start to exit vs the sqlite3 shell, same UPDATE" \
  "$(printf '%.2f ms' "$(echo "$mi / 1000000" | bc -l)")" "$(printf '%.2f ms' "$(echo "$ms / 1000000" | bc -l)")" \
  "$(printf '%.2f' "$(echo "$mi / $ms" | bc -l)")" '<=' 1.5
