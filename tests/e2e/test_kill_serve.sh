#!/usr/bin/env bash
# `instctl serve` killed with SIGKILL under a load of signed inbox POSTs: every Follow it
# answered 202 is recorded with its Accept queued, `db check` passes, and a restarted server
# takes the rest. Then `db backup` taken while serve and a bulk import both write yields a
# consistent copy.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/peer.sh"

ROOT=$TMP/peer
PORT=$(free_port)
URL=http://localhost:$PORT
ACTORS=8
USERS=100
BULK=60000
# The sanitizer builds run several times slower: a smaller load keeps the suite to minutes.
if [ "${INSTCTL_SANITIZED:-0}" = 1 ]; then USERS=30 BULK=15000; fi
ROUNDS=${ROUNDS:-5}

"$BIN" init --domain "localhost:$PORT" --public-url "$URL" --title "Kill Test" >/dev/null 2>&1 || exit 1
ok config set federation.allow_http true
ok config set federation.allow_private_addresses true
for u in $(seq 1 "$USERS"); do
  "$BIN" users create "u$u" --email "u$u@example.com" >/dev/null 2>&1 || fail "create u$u"
done
start_peer "$ROOT"
for a in $(seq 1 "$ACTORS"); do peer_account "$ROOT" "a$a"; done

# The pool: every actor follows every local user, one signed request each, split in rounds.
signed_follow_pool "$ROOT" "$ACTORS" "$USERS" >"$TMP/pool.ndjson"
TOTAL=$((ACTORS * USERS))
split -n "l/$ROUNDS" -d "$TMP/pool.ndjson" "$TMP/round."

recorded() { sql "SELECT activity_uri FROM follows WHERE activity_uri IS NOT NULL" | sort; }
accepted() { awk '$2 == 202 { print $1 }' "$TMP/answers" | sort -u; }

serve_invariants() {
  ok db check
  recorded >"$TMP/recorded"
  accepted >"$TMP/acked"
  assert_eq "$(comm -23 "$TMP/acked" "$TMP/recorded" | head -3)" "" "every Follow answered 202 is recorded"
  assert_eq "$(sql "SELECT count(*) FROM follows f WHERE NOT EXISTS (SELECT 1 FROM deliveries d
                    WHERE d.activity_type = 'Accept' AND instr(d.activity, f.activity_uri) > 0)")" \
    "0" "every recorded Follow has its Accept queued"
  assert_eq "$(awk '$2 != 202' "$TMP/answers" | head -3)" "" "no request failed while the server was up"
}

test_kill_under_inbox_load() {
  : >"$TMP/answers"
  local r answered
  for r in $(ls "$TMP"/round.*); do
    answered=$(wc -l <"$TMP/answers")
    start_serve "$PORT" --threads 2
    /usr/bin/python3 "$SRC/tests/servers/inbox_load.py" --port "$PORT" --requests "$r" --log "$TMP/answers" \
      --threads 8 &
    local load=$!
    # Once the server answers, kill it at a random point of the round.
    local i
    for i in $(seq 1 400); do [ -s "$TMP/answers" ] && [ "$(wc -l <"$TMP/answers")" -gt "$answered" ] && break; sleep 0.01; done
    sleep "$(printf '0.%03d' $((RANDOM % 120)))"
    stop_serve KILL
    assert_eq "$serve_rc" "137" "serve was killed"
    wait "$load"
    echo "killed after $(grep -c . "$TMP/answers") answers, $(recorded | grep -c .) follows recorded"
    serve_invariants
  done
  # A restarted server takes the whole pool again: the recorded Follows are not duplicated and
  # the rest are recorded now.
  start_serve "$PORT" --threads 2
  local t0
  t0=$(date +%s%N)
  /usr/bin/python3 "$SRC/tests/servers/inbox_load.py" --port "$PORT" --requests "$TMP/pool.ndjson" \
    --log "$TMP/answers" --threads 8
  echo "the whole pool again in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
  stop_serve
  assert_eq "$serve_rc" "0" "clean shutdown"
  serve_invariants
  assert_eq "$(sql "SELECT count(*) FROM follows")" "$TOTAL" "every Follow recorded once"
}

test_backup_while_writing() {
  start_serve "$PORT" --threads 2
  { echo "username,email"; seq 1 "$BULK" | sed 's/.*/bulk&,bulk&@example.org/'; } >"$TMP/bulk.csv"
  "$BIN" users import "$TMP/bulk.csv" >/dev/null 2>&1 &
  local import=$!
  /usr/bin/python3 "$SRC/tests/servers/inbox_load.py" --port "$PORT" --requests "$TMP/pool.ndjson" \
    --log "$TMP/answers2" --threads 4 &
  local load=$!
  local i
  for i in 1 2 3; do
    sleep 0.3
    ok db backup "$TMP/copy$i.db"
    INSTCTL_DB=$TMP/copy$i.db ok db check
    assert_eq "$(sqlite3 -batch "$TMP/copy$i.db" "PRAGMA integrity_check")" "ok" "copy $i is intact"
    assert_eq "$(( $(sqlite3 -batch "$TMP/copy$i.db" "SELECT count(*) FROM accounts WHERE username LIKE 'bulk%'") % 5000 ))" \
      "0" "copy $i holds whole import batches"
  done
  wait "$import" || fail "the import failed beside serve and backups"
  wait "$load"
  stop_serve
  ok db check
  assert_eq "$(awk '$2 >= 500' "$TMP/answers2" | wc -l)" "0" "no 5xx while backups ran"
}

test_kill_under_inbox_load
if on_postgresql; then echo "test_backup_while_writing: skipped on PostgreSQL ('db backup' is for SQLite)"; else test_backup_while_writing; fi
finish
