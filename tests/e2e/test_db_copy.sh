#!/usr/bin/env bash
# `instctl db copy --to TARGET`: a realistic instance copied into a new database is the same
# instance (every listing, every row, the id counters); a copy killed with SIGKILL at random
# points finishes when run again, also after the source changed in between; a copy taken while
# serve and an import write is a consistent snapshot; and every refusal has its exit code.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
# The suite reads its source and copies as SQLite files (sqlite_sequence, the sql helper on the
# copy, refusals of postgresql:// targets): copies from and to PostgreSQL need their own checks.
skip_suite_on_postgresql "it compares SQLite files; copies to and from PostgreSQL are not covered yet"

BULK=50000
# The sanitizer builds run several times slower: a smaller load keeps the suite to minutes.
if [ "${INSTCTL_SANITIZED:-0}" = 1 ]; then BULK=10000; fi

# tables DB: the application's tables.
tables() {
  sqlite3 -batch -noheader "$1" \
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
}
# dump DB TABLE [WHERE]: every row of a table, in key order.
dump() { sqlite3 -batch -noheader "$1" "SELECT * FROM \"$2\" ${3:-} ORDER BY 1, 2"; }

# same_rows SOURCE TARGET: every table holds the same rows (the target's audit log has one
# more entry at the end, the copy's own), and the AUTOINCREMENT counters match.
same_rows() {
  local src=$1 dst=$2 t
  assert_eq "$(tables "$dst")" "$(tables "$src")" "the same tables"
  local last
  last=$(sqlite3 -batch "$src" "SELECT coalesce(max(id), 0) FROM audit_log")
  for t in $(tables "$src"); do
    if [ "$t" = audit_log ]; then
      assert_eq "$(dump "$dst" "$t" "WHERE id <= $last" | md5sum)" "$(dump "$src" "$t" | md5sum)" "rows of $t"
    else
      assert_eq "$(dump "$dst" "$t" | md5sum)" "$(dump "$src" "$t" | md5sum)" "rows of $t"
    fi
  done
  assert_eq "$(dump "$dst" sqlite_sequence)" "$(dump "$src" sqlite_sequence)" "the id counters"
  assert_eq "$(sqlite3 -batch "$dst" "SELECT action FROM audit_log WHERE id > $last")" "db.copy" \
    "the copy is audited in the target"
}

# listing ARGS...: a command's JSON output against the source and against $COPY.
same_listing() {
  run --json "$@"
  local a=$out
  INSTCTL_DB=$COPY run --json "$@"
  assert_eq "$out" "$a" "instctl $* on the copy"
}

populate() {
  new_instance
  ok rules add "Be kind" --hint "No harassment"
  ok rules add "No spam"
  local u
  for u in grace hopper linus mia nora omar pia; do
    ok users create "$u" --email "$u@example.com" --display-name "${u^}"
  done
  ok users modify mia --role moderator
  ok users create quinn --email quinn@example.com --pending
  ok users suspend omar --reason "spam wave"
  ok users silence pia
  ok --yes users delete nora
  ok suggestions add grace
  ok email-blocks add spam.example
  ok config set instance.description "A copy test"
  ok config set waitlist.enabled true
  local code
  code=$("$BIN" -q invites create --max-uses 3 --autofollow grace --autofollow hopper --note "launch")
  code=${code##*/}
  ok users create rita --email rita@example.com --invite "$code"
  ok users create sam --email sam@example.com --invite "$code"
  ok invites create --count 3 --expires-in 7d
  ok -q invites create --email tess@example.com
  ok invites revoke "${out##*/}"
  ok waitlist add w1@example.org --username wone --reason "I write" --priority 2
  ok waitlist add w2@example.org --source partner
  ok waitlist add w3@example.org
  ok waitlist add w4@example.org
  ok waitlist admit w1@example.org
  ok waitlist reject w3@example.org --reason "no"
  ok waitlist remove w4@example.org  # the AUTOINCREMENT counter stays past its id
  ok reports create --target linus --category spam --comment "ads" --reporter grace
  local r1=$out
  ok -q reports create --target linus --category violation --rule 1 --comment "rude"
  ok reports note "$(echo "$out" | tail -1)" "looking" --as mia
  ok reports create --target @Troll@Remote.Example --category other --comment "Harasses members"
  ok -q reports list --target troll@remote.example
  local remote=$out
  sql "UPDATE accounts SET actor_uri = 'https://remote.example/users/troll', inbox_url = 'https://remote.example/users/troll/inbox' WHERE domain = 'remote.example'"
  ok reports forward "$remote" --as mia
  ok -q reports list --target linus
  ok reports resolve "$(echo "$out" | head -1)" --action silence --text "calm down" --as mia
  ok federation block bad.example --severity suspend --reject-media --public-comment "spam" --private-comment "ticket 7"
  ok federation block meh.example --severity silence --obfuscate
  ok federation allow friends.example
  # Remote followers (as the inbox records them), so deletes and key rotations queue deliveries.
  sql "INSERT INTO accounts (username, username_key, domain, actor_uri, inbox_url, shared_inbox_url, created_at, updated_at)
       VALUES ('fan', 'fan', 'far.example', 'https://far.example/users/fan', 'https://far.example/users/fan/inbox', 'https://far.example/inbox', 1, 1)"
  sql "INSERT INTO follows (follower_id, followed_id, state, activity_uri, created_at)
       SELECT a.id, b.id, 'accepted', 'https://far.example/f/' || b.username, 2 FROM accounts a, accounts b
       WHERE a.username = 'fan' AND b.username IN ('grace', 'hopper', 'linus')"
  ok users rotate-keys grace
  ok --yes users delete linus
  : "$r1"
}

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
  assert_eq "$(jqo '.[0].details.source')" "$INSTCTL_DB" "naming the source"
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
  ln -s "$INSTCTL_DB" "$TMP/link.db"
  expect 4 db copy --to "$TMP/link.db"
  assert_contains "$err" "the instance database itself" "the source under another name"
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
  expect 2 db copy --to "postgresql://instctl@127.0.0.1:1/instctl"
  assert_contains "$err" "PostgreSQL" "no PostgreSQL backend in this build"
  expect 2 db copy
  assert_contains "$err" "--to" "the target is required"
  run --json db copy --to "$INSTCTL_DB"
  assert_eq "$(jqo .error.code)" "4" "JSON error object"
  # A source behind the latest schema: migrate it first.
  local version
  version=$(sql "PRAGMA user_version")
  sql "PRAGMA user_version = $((version - 1))"
  expect 1 db copy --to "$TMP/old.db"
  assert_contains "$err" "db migrate" "points to db migrate"
  [ -e "$TMP/old.db" ] && fail "nothing is created for an old source" || pass
  sql "PRAGMA user_version = $version"
}

# copied TARGET: rows an unfinished copy has committed so far (empty when there is none).
copied() {
  sqlite3 -batch -noheader "$1" "SELECT sum(rows_copied) FROM copy_progress" 2>/dev/null
}

# copy_killed TARGET AT: starts a copy and kills it with SIGKILL once it has committed at
# least AT rows (or at once if it finishes first).
copy_killed() {
  "$BIN" db copy --to "$1" >/dev/null 2>"$TMP/killed.err" &
  local pid=$! i n
  for i in $(seq 1 3000); do
    n=$(copied "$1")
    [ "${n:-0}" -ge "$2" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
  done
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}

test_kill_and_resume() {
  new_instance
  { echo "username,email,display_name"; seq 1 "$BULK" | sed 's/.*/bulk&,bulk&@example.org,Bulk &/'; } >"$TMP/bulk.csv"
  ok users import "$TMP/bulk.csv"
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
  ok users suspend bulk2
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
