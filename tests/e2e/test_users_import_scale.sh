#!/usr/bin/env bash
# users import at scale: crash safety (SIGKILL mid-import, then completing it with
# --on-conflict skip) and streaming (a million rows in bounded memory; fewer rows under the
# sanitizers, where memory is not measured).
source "$(dirname "$0")/lib.sh"
export INSTCTL_NOW=2026-11-28T06:21:38Z

BATCH=5000  # rows per transaction in users import
KILL_ROWS=200000 MANY_ROWS=1000000
# The memory bounds are checked in the plain build only (assert_rss), so the sanitizer builds,
# several times slower, run the same steps over fewer rows.
if [ "${INSTCTL_SANITIZED:-0}" = 1 ]; then KILL_ROWS=50000 MANY_ROWS=100000; fi
# On PostgreSQL each row is a few round trips to the server (about 1000 rows/s here): the
# same checks on fewer rows.
if on_postgresql; then KILL_ROWS=30000 MANY_ROWS=60000; fi

# gen_authors N: a CSV of N valid authors.
gen_authors() {
  awk -v n="$1" 'BEGIN {
    print "username,email,display_name,role,note"
    for (i = 1; i <= n; i++) printf "author%d,author%d@example.com,Author %d,user,Bio of author %d\n", i, i, i, i
  }'
}
# accounts_dump DB: the user table, without the random activation token.
accounts_dump() {
  local q="SELECT id, username, username_key, email, email_key, display_name, note, role,
    approved, password_hash IS NULL, activation_token_hash IS NOT NULL, activation_expires_at,
    public_key_pem IS NULL, invite_code, deleted_at, created_at, updated_at FROM accounts ORDER BY id"
  # PostgreSQL's identity sequences are not rolled back with a killed batch: the ids of a
  # resumed import may skip some, so they are not compared there.
  if on_postgresql; then sql "$q" | cut -d'|' -f2-; else sqlite3 -batch "$1" "$q"; fi
}
# assert_rss KIB WHAT: the peak resident size stays under 100 MiB. Under the sanitizers the
# figure is shadow memory and quarantine, not instctl's, so the bound is checked in the plain
# build only (make check); the sanitizer build still runs every row through.
assert_rss() {
  [ "${INSTCTL_SANITIZED:-0}" = 1 ] && return 0
  if [ "$1" -lt $((100 * 1024)) ]; then pass; else fail "peak RSS of $2: $1 KiB (limit 100 MiB)"; fi
}
imported() { sql "SELECT count(*) FROM accounts WHERE username LIKE 'author%'"; }

test_kill_and_resume() {
  local rows=$KILL_ROWS
  gen_authors $rows >"$TMP/authors.csv"
  # The reference: an uninterrupted run.
  new_instance
  ok users import "$TMP/authors.csv"
  accounts_dump "$INSTCTL_DB" >"$TMP/reference"
  assert_eq "$(grep -c . "$TMP/reference")" "$((rows + 1))" "the uninterrupted run imported everything"

  new_instance
  "$BIN" users import "$TMP/authors.csv" >/dev/null 2>&1 &
  local pid=$!
  # Kill it as soon as its first batches are committed.
  until [ "$(imported)" -ge $((2 * BATCH)) ] || ! kill -0 $pid 2>/dev/null; do :; done
  kill -KILL $pid 2>/dev/null
  wait $pid
  local status=$? n
  n=$(imported)
  assert_eq "$status" "137" "the import was killed mid-way"
  if [ "$n" -gt 0 ] && [ "$n" -lt $rows ]; then pass; else fail "killed import left $n rows"; fi
  assert_eq "$((n % BATCH))" "0" "whole batches only"
  # Every row that is in is fully in: the first n rows of the file, field by field.
  assert_eq "$(sql "SELECT username || ',' || email || ',' || display_name || ',' || role || ',' || note
                    FROM accounts WHERE username LIKE 'author%' ORDER BY id" | md5sum)" \
    "$(sed -n "2,$((n + 1))p" "$TMP/authors.csv" | md5sum)" "the committed rows are complete"
  ok db check
  ok --json users import "$TMP/authors.csv" --on-conflict skip
  assert_eq "$(jqo '[.skipped, .created, .failed] | @csv')" "$n,$((rows - n)),0" "the re-run completes the import"
  accounts_dump "$INSTCTL_DB" >"$TMP/resumed"
  if cmp -s "$TMP/reference" "$TMP/resumed"; then pass; else
    fail "the resumed import differs from an uninterrupted one: $(diff "$TMP/reference" "$TMP/resumed" | head -5)"
  fi
  ok db check
}

test_million_rows_in_bounded_memory() {
  local rows=$MANY_ROWS kib
  gen_authors $rows >"$TMP/million.csv"
  new_instance
  /usr/bin/time -f '%M' -o "$TMP/rss" "$BIN" users import "$TMP/million.csv" >/dev/null 2>"$TMP/.err"
  assert_eq "$?" "0" "a million rows import"
  kib=$(tail -1 "$TMP/rss")
  assert_rss "$kib" "the import"
  assert_eq "$(imported)" "$rows" "every row is in"
  /usr/bin/time -f '%M' -o "$TMP/rss" "$BIN" users export >"$TMP/export.csv"
  kib=$(tail -1 "$TMP/rss")
  assert_rss "$kib" "the export"
  assert_eq "$(grep -c . "$TMP/export.csv")" "$((rows + 2))" "the export streams every user (and ada)"
  rm -f "$TMP/million.csv" "$TMP/export.csv"
  # A file of a million bad rows: the errors stream out too.
  awk -v n="$rows" 'BEGIN { print "username,email"; for (i = 1; i <= n; i++) print "bad name,x" }' >"$TMP/bad.csv"
  /usr/bin/time -f '%M' -o "$TMP/rss" "$BIN" --json users import "$TMP/bad.csv" >"$TMP/bad.json" 2>/dev/null
  kib=$(tail -1 "$TMP/rss")
  assert_rss "$kib" "an import of a million bad rows"
  assert_eq "$(grep -c '"result":"failed"' "$TMP/bad.json")" "$rows" "every error reported"
  assert_eq "$(head -c 1000 "$TMP/bad.json" | grep -c "\"failed\": $rows")" "1" "the summary counts them"
  rm -f "$TMP/bad.csv" "$TMP/bad.json"
}

test_kill_and_resume
test_million_rows_in_bounded_memory
finish
