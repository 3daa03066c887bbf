#!/usr/bin/env bash
# `instctl db copy --to TARGET`: a realistic instance copied into a new database is the same
# instance (every listing, every row, the id counters); a copy killed with SIGKILL at random
# points finishes when run again, also after the source changed in between; a copy taken while
# serve and an import write is a consistent snapshot; and every refusal has its exit code.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/copy_lib.sh"
# On PostgreSQL (e2e-pg) the instance is there and every copy goes to an SQLite file, so the
# copy out of PostgreSQL is checked the same way; copies into PostgreSQL and the round trip
# are test_db_copy_postgresql.sh.

BULK=50000
# PostgreSQL imports more slowly; the sanitizer builds run several times slower: a smaller
# load keeps the suite to minutes.
if on_postgresql; then BULK=20000; fi
if [ "${INSTCTL_SANITIZED:-0}" = 1 ]; then BULK=10000; fi

test_copy_is_the_same_instance() {
  populate
  COPY=$TMP/copy.db
  ok --json db copy --to "$COPY"
  assert_eq "$(jqo '[.[] | select(.source_rows != .target_rows)] | length')" "0" "counts verified"
  assert_eq "$(jqo '[.[] | .table] | sort | join(",")')" "$(tables "$INSTCTL_DB" | paste -sd, -)" \
    "every table is listed"
  assert_eq "$(jqo '.[] | select(.table == "accounts") | .target_rows')" \
    "$(sql "SELECT count(*) FROM accounts")" "the accounts counted"
  assert_eq "$(stat -c %a "$COPY")" "600" "the copy is private"
  same_rows "$INSTCTL_DB" "$COPY"
  INSTCTL_DB=$COPY ok db check
  INSTCTL_DB=$COPY ok --json db status
  assert_eq "$(jqo '.pending | length')" "0" "the copy is at the latest schema"
  same_listing users export --format json
  same_listing users list --status suspended
  same_listing federation export --format json
  same_listing federation list
  same_listing invites list --status all
  same_listing waitlist list --status all
  same_listing reports list --status all
  same_listing federation queue --status all
  same_listing config list
  same_listing email-blocks list
  same_listing rules list
  same_listing suggestions list
  same_listing users show grace
  same_listing waitlist stats
  run --json audit list
  local src_audit=$out
  INSTCTL_DB=$COPY run --json audit list
  assert_eq "$(printf '%s' "$out" | jq -c '.[1:]')" "$(printf '%s' "$src_audit" | jq -c .)" "the audit log, ids kept"
  assert_eq "$(jqo '.[0].action')" "db.copy" "the copy's own entry comes last"
  assert_eq "$(jqo '.[0].actor')" "cli:test" "by the actor"
  assert_eq "$(jqo '.[0].details.source')" "$(without_password "$INSTCTL_DB")" "naming the source"
  # The copy works: new rows take new ids, the waitlist never reuses a removed entry's id.
  INSTCTL_DB=$COPY ok --json users create zed --email zed@example.com
  assert_eq "$(jqo .id)" "$(( $(sql "SELECT max(id) FROM accounts") + 1 ))" "the next account id"
  INSTCTL_DB=$COPY ok --json waitlist add w5@example.org
  assert_eq "$(jqo .id)" "5" "the waitlist counter continues past the removed entry"
  INSTCTL_DB=$COPY ok audit list --action users.create --limit 1
  INSTCTL_DB=$COPY ok db check
  # The source is untouched by the copy.
  assert_eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'db.copy'")" "0" "no entry in the source"
}

test_refusals() {
  populate
  local copy=$TMP/refusals.db
  ok db copy --to "$copy"
  expect 4 db copy --to "$copy"
  assert_contains "$err" "already holds a finished copy" "a finished copy is not copied over"
  assert_contains "$err" "new, empty database" "with the fix"
  expect 4 db copy --to "$INSTCTL_DB"
  assert_contains "$err" "the instance database itself" "the source itself"
  if ! on_postgresql; then
    ln -s "$INSTCTL_DB" "$TMP/link.db"
    expect 4 db copy --to "$TMP/link.db"
    assert_contains "$err" "the instance database itself" "the source under another name"
  fi
  INSTCTL_DB=$TMP/other.db "$BIN" init --domain other.example >/dev/null 2>&1 || fail "init other"
  local before
  before=$(sqlite3 -batch "$TMP/other.db" "SELECT count(*) FROM audit_log")
  expect 4 db copy --to "$TMP/other.db"
  assert_contains "$err" "is not empty" "another instance"
  assert_eq "$(sqlite3 -batch "$TMP/other.db" "SELECT count(*) FROM audit_log")" "$before" "left as it was"
  sqlite3 "$TMP/foreign.db" "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)"
  expect 4 db copy --to "$TMP/foreign.db"
  assert_contains "$err" "no instctl schema" "a database of something else"
  expect 1 db copy --to "$TMP/missing/dir/copy.db"
  assert_contains "$err" "$TMP/missing/dir/copy.db" "names the target"
  echo "not a database" >"$TMP/text.txt"
  expect 1 db copy --to "$TMP/text.txt/copy.db"
  expect 1 db copy --to "$TMP/text.txt"
  assert_contains "$err" "not an SQLite database" "a file that is not a database"
  expect 1 db copy --to "$TMP"
  assert_contains "$err" "is a directory" "a directory"
  # A PostgreSQL server that cannot be reached (refusals of PostgreSQL databases that can be
  # reached are in test_db_copy_postgresql.sh).
  expect 1 db copy --to "postgresql://instctl:copy-secret@127.0.0.1:1/instctl"
  assert_contains "$err" "cannot connect to the PostgreSQL database postgresql://instctl@127.0.0.1:1/instctl" \
    "an unreachable server, named without its password"
  assert_not_contains "$err$out" "copy-secret" "the password is not shown"
  expect 2 db copy
  assert_contains "$err" "--to" "the target is required"
  run --json db copy --to "$INSTCTL_DB"
  assert_eq "$(jqo .error.code)" "4" "JSON error object"
  # A source behind the latest schema: migrate it first.
  local version
  version=$(schema_version)
  schema_version $((version - 1))
  expect 1 db copy --to "$TMP/old.db"
  assert_contains "$err" "db migrate" "points to db migrate"
  [ -e "$TMP/old.db" ] && fail "nothing is created for an old source" || pass
  schema_version "$version"
}

test_kill_and_resume() {
  new_instance
  bulk_users "$BULK"
  ok waitlist add late@example.org
  local copy=$TMP/killed.db round unfinished=0 at
  for round in 1 2 3; do
    at=$(( round * BULK / 4 + RANDOM % 2000 ))
    copy_killed "$copy" "$at"
    if [ -n "$(copied "$copy")" ]; then
      unfinished=$((unfinished + 1))
      INSTCTL_DB=$copy expect 1 users list --limit 1
      assert_contains "$err" "init" "an unfinished copy is not an instance"
    else
      # The copy finished before the kill landed (a slow poll, a fast machine): start the
      # next round from an empty target.
      rm -f "$copy" "$copy-wal" "$copy-shm"
    fi
  done
  echo "db copy: $unfinished of 3 kills left an unfinished copy, at $(copied "$copy") rows" >&2
  [ "$unfinished" -gt 0 ] || fail "no kill landed during the copy"
  # Another instance's unfinished copy is not taken over.
  if [ -n "$(copied "$copy")" ]; then
    INSTCTL_DB=$TMP/other.db "$BIN" init --domain other.example >/dev/null 2>&1
    INSTCTL_DB=$TMP/other.db expect 4 db copy --to "$copy"
    assert_contains "$err" "unfinished copy of another instance" "another source's copy"
  fi
  local resuming=0
  [ -n "$(copied "$copy")" ] && resuming=1
  ok --json db copy --to "$copy"
  assert_eq "$(jqo '.[] | select(.table == "accounts") | .target_rows')" "$((BULK + 1))" "every account"
  if [ "$resuming" = 1 ]; then
    [ "$(jqo '[.[] | .copied] | add')" -lt "$(jqo '[.[] | .source_rows] | add')" ] &&
      pass || fail "the last run resumed rather than copied everything again"
  fi
  same_rows "$INSTCTL_DB" "$copy"
  INSTCTL_DB=$copy ok db check
  # A kill, then the source changes (rows added, changed and removed in already-copied
  # ranges), then the rerun: the target is the source as it is now.
  local copy2=$TMP/changed.db
  copy_killed "$copy2" $(( BULK / 2 + RANDOM % 2000 ))
  ok users modify bulk1 --display-name "Changed"
  ok users create late --email late@example.com
  ok users suspend bulk2 --reason "test"
  ok waitlist remove late@example.org
  ok --json db copy --to "$copy2"
  same_rows "$INSTCTL_DB" "$copy2"
  INSTCTL_DB=$copy2 ok db check
  INSTCTL_DB=$copy2 ok --json users show bulk1
  assert_eq "$(jqo .display_name)" "Changed" "the change made between the runs is copied"
}

test_copy_while_writing() {
  new_instance
  local port live=$((BULK * 3))
  port=$(free_port)
  ok config set server.public_url "http://localhost:$port"
  ok config set waitlist.enabled true
  start_serve "$port" --threads 2
  { echo "username,email"; seq 1 "$live" | sed 's/.*/live&,live&@example.org/'; } >"$TMP/live.csv"
  "$BIN" users import "$TMP/live.csv" >/dev/null 2>&1 &
  local import=$! i
  # The server writes too: waitlist sign-ups and their rate-limit buckets.
  ( for i in $(seq 1 400); do
      curl -s -o /dev/null -H "Content-Type: application/json" -d "{\"email\":\"web$i@example.com\"}" \
        "http://127.0.0.1:$port/api/v1/waitlist"
    done ) &
  local web=$!
  for i in 1 2 3; do
    sleep 0.2
    ok --json db copy --to "$TMP/live$i.db"
    local n
    n=$(jqo '.[] | select(.table == "accounts") | .source_rows')
    echo "db copy $i beside serve and an import: $n accounts in the snapshot" >&2
    assert_eq "$(sqlite3 -batch "$TMP/live$i.db" "SELECT count(*) FROM accounts")" "$n" "copy $i: the snapshot's accounts"
    assert_eq "$(( $(sqlite3 -batch "$TMP/live$i.db" "SELECT count(*) FROM accounts WHERE username LIKE 'live%'") % 5000 ))" \
      "0" "copy $i holds whole import batches"
    assert_eq "$(sqlite3 -batch "$TMP/live$i.db" "SELECT count(*) FROM waitlist")" \
      "$(sqlite3 -batch "$TMP/live$i.db" "SELECT count(*) FROM audit_log WHERE action = 'waitlist.add'")" \
      "copy $i: each sign-up with its audit entry"
    INSTCTL_DB=$TMP/live$i.db ok db check
  done
  wait "$import" || fail "the import failed beside serve and copies"
  wait "$web"
  stop_serve
  ok db check
}

test_copy_is_the_same_instance
test_refusals
test_kill_and_resume
test_copy_while_writing
finish
