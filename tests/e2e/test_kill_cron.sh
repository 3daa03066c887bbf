#!/usr/bin/env bash
# Kill tests for the multi-step writes of the cron jobs: `waitlist process --send`,
# `federation deliver`, `db migrate` and `db restore`, each killed with SIGKILL at random points, again and
# again. After every kill `db check` passes and the invariants hold (invite uses <= max uses, no
# entry admitted twice, one mail per admission, no delivery lost, no half-applied migration);
# a last run finishes the work. Sending is at least once: a message whose server accepted it
# just before the kill goes out again, so duplicates are bounded by the number of kills.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/smtp_lib.sh"
source "$(dirname "$0")/peer.sh"

KILLS=${KILLS:-8}
ENTRIES=300 BATCH=30 JOBS=150 FOLLOWERS=3 ACCOUNTS=50000
# The sanitizer builds run several times slower: a smaller load keeps the suite to minutes.
if [ "${INSTCTL_SANITIZED:-0}" = 1 ]; then KILLS=5 ENTRIES=120 BATCH=15 JOBS=40 ACCOUNTS=10000; fi

# kill_after_random MAX_MS CMD...: runs instctl CMD in the background and SIGKILLs it after a
# random delay of up to MAX_MS milliseconds (it may have finished by then).
kill_after_random() {
  local max=$1
  shift
  "$BIN" "$@" >/dev/null 2>&1 &
  local pid=$!
  sleep "$(printf '0.%03d' $((RANDOM % max)))"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}
zero() {  # zero SQL WHAT: the query counts nothing
  assert_eq "$(sql "$1")" "0" "$2"
}
# "recipient message-id" of every delivered message.
mail_ids() {
  local f
  for f in $(mail_files); do
    printf '%s %s\n' "$(sed -n 's/^X-RcptTo: //p' "$f")" "$(sed -n 's/^Message-ID: //Ip' "$f" | head -1)"
  done
}
# Every recipient's copies beyond the first, over the whole maildir.
duplicate_mails() { mail_recipients | sort | uniq -c | awk '$1 > 1 { d += $1 - 1 } END { print d + 0 }'; }
later() { date -u -d "@$(( $(date +%s) + $1 ))" +%Y-%m-%dT%H:%M:%SZ; }

waitlist_invariants() {
  ok db check
  zero "SELECT count(*) FROM invites WHERE uses > max_uses" "invite uses <= max uses"
  zero "SELECT count(*) FROM (SELECT waitlist_id FROM invites WHERE waitlist_id IS NOT NULL
        GROUP BY waitlist_id HAVING count(*) > 1) AS twice" "no entry admitted twice"
  zero "SELECT count(*) FROM waitlist w WHERE w.status = 'invited' AND NOT EXISTS
        (SELECT 1 FROM invites i WHERE i.id = w.invite_id AND i.waitlist_id = w.id)" \
    "every admitted entry has its invite"
  zero "SELECT count(*) FROM invites i WHERE i.waitlist_id IS NOT NULL AND
        (SELECT count(*) FROM mails m WHERE m.invite_id = i.id) <> 1" "one mail per admission"
  local sent delivered sending
  sent=$(sql "SELECT count(*) FROM mails WHERE state = 'sent'")
  sending=$(sql "SELECT count(*) FROM mails WHERE state = 'sending'")
  delivered=$(mail_recipients | sort -u | grep -c .)
  if [ "$sent" -le "$delivered" ] && [ "$delivered" -le $((sent + sending)) ]; then pass; else
    fail "mails marked sent ($sent, $sending in flight) and delivered ($delivered) disagree"
  fi
}

test_waitlist_process_send() {
  new_instance
  start_smtp
  use_smtp
  { echo email; seq 1 "$ENTRIES" | sed 's/.*/reader&@example.org/'; } >"$TMP/list.csv"
  ok waitlist import "$TMP/list.csv"
  local k
  for k in $(seq 1 "$KILLS"); do
    kill_after_random 400 waitlist process --batch "$BATCH" --send
    echo "kill $k: $(sql "SELECT status, count(*) FROM waitlist GROUP BY status" | tr "\n" " ") mails: $(sql "SELECT state, count(*) FROM mails GROUP BY state" | tr "\n" " ")"
    waitlist_invariants
  done
  # The next run, after the claim lease of a killed sender ran out, finishes the job.
  INSTCTL_NOW=$(later 1000) ok waitlist process --batch 0 --send
  waitlist_invariants
  zero "SELECT count(*) FROM mails WHERE state <> 'sent'" "every mail sent"
  assert_eq "$(mail_recipients | sort -u | grep -c .)" \
    "$(sql "SELECT count(*) FROM waitlist WHERE status = 'invited'")" "every admitted person got a mail"
  local dups
  dups=$(duplicate_mails)
  if [ "$dups" -le "$KILLS" ]; then pass; else fail "$dups duplicate mails after $KILLS kills"; fi
  # A copy sent again after a kill carries the first one's Message-ID: clients show one message.
  mail_ids >"$TMP/ids"
  assert_eq "$(awk 'NF != 2' "$TMP/ids" | wc -l)" "0" "every message has a Message-ID"
  assert_eq "$(sort -u "$TMP/ids" | cut -d' ' -f1 | uniq -d)" "" "one Message-ID per recipient"
  echo "duplicate mails after $KILLS kills: $dups"
  stop_smtp
}

# "inbox-path activity-id" of each activity the peer received, sorted (with repeats).
received_pairs() { jq -r '(.path | sub("[?].*"; "")) + " " + (.body | fromjson | .id)' "$PEER_LOG" | sort; }

deliveries_invariants() {  # deliveries_invariants QUEUED
  ok db check
  assert_eq "$(sql "SELECT count(*) FROM deliveries")" "$1" "no delivery lost"
  zero "SELECT count(*) FROM deliveries WHERE state NOT IN ('pending', 'delivering', 'delivered')" \
    "no delivery given up"
  # Every job marked delivered did reach its inbox at the peer.
  sql "SELECT inbox_url || ' ' || activity_id FROM deliveries WHERE state = 'delivered'" |
    sed "s|^$PEER_BASE||" | sort >"$TMP/marked"
  received_pairs | uniq >"$TMP/received"
  assert_eq "$(comm -23 "$TMP/marked" "$TMP/received" | wc -l)" "0" "delivered means received"
}

test_federation_deliver() {
  new_instance
  ok config set federation.allow_http true
  ok config set federation.allow_private_addresses true
  start_peer "$TMP/peer"
  # FOLLOWERS peer accounts, each with its own inbox (no shared inbox), follow every local
  # user: each Update goes out FOLLOWERS times, so JOBS deliveries need only JOBS / FOLLOWERS
  # new key pairs (their generation is what costs).
  local f i senders=$(((JOBS + FOLLOWERS - 1) / FOLLOWERS))
  for f in $(seq 1 "$FOLLOWERS"); do
    peer_account "$TMP/peer" "f$f"
    jq 'del(.endpoints)' "$TMP/peer/actors/f$f.json" >"$TMP/actor.json" &&
      mv "$TMP/actor.json" "$TMP/peer/actors/f$f.json"
    ok federation lookup "f$f@$PEER_HOST"
  done
  { echo username,email; seq 1 "$senders" | sed 's/.*/w&,w&@example.com/'; } >"$TMP/w.csv"
  ok users import "$TMP/w.csv"
  sql "INSERT INTO follows (follower_id, followed_id, state, created_at)
       SELECT r.id, l.id, 'accepted', 0 FROM accounts r, accounts l
       WHERE r.domain = '$PEER_HOST' AND l.domain = '' AND l.username LIKE 'w%'"
  ok -y users rotate-keys --all
  local queued
  queued=$(sql "SELECT count(*) FROM deliveries")
  [ "$queued" -ge "$JOBS" ] && pass || fail "jobs queued: $queued"
  assert_eq "$(sql "SELECT count(DISTINCT inbox_url) FROM deliveries")" "$FOLLOWERS" \
    "one delivery per follower's inbox"
  printf '{}' >"$TMP/peer/inbox.json"
  for i in $(seq 1 "$KILLS"); do
    kill_after_random 300 federation deliver
    echo "kill $i: $(sql "SELECT state, count(*) FROM deliveries GROUP BY state" | tr "\n" " ")"
    deliveries_invariants "$queued"
  done
  INSTCTL_NOW=$(later 400) ok --json federation deliver
  deliveries_invariants "$queued"
  zero "SELECT count(*) FROM deliveries WHERE state <> 'delivered'" "every job delivered"
  local dups
  dups=$(received_pairs | uniq -d | wc -l)
  if [ "$dups" -le "$KILLS" ]; then pass; else fail "$dups activities received twice after $KILLS kills"; fi
}

# The tables of a database, one per line.
tables() { sqlite3 -batch "$1" "SELECT name FROM sqlite_master WHERE type IN ('table', 'index', 'trigger') ORDER BY name"; }

test_db_migrate() {
  local dir=$SRC/src/instctl/db/migrations latest f v
  # The schema after each version, applied by hand as the reference. A version is its file's
  # number, which need not follow the previous one (numbers are handed out before branches
  # are merged).
  latest=0
  rm -f "$TMP/ref.db"
  for f in "$dir"/*.sql; do
    v=$((10#$(basename "$f" | cut -d_ -f1)))
    sqlite3 -batch "$TMP/ref.db" <"$f"
    tables "$TMP/ref.db" >"$TMP/schema.$v"
    latest=$v
  done
  # A version 1 database holding ACCOUNTS accounts.
  rm -f "$TMP/v1.db"
  sqlite3 -batch "$TMP/v1.db" <"$(ls "$dir"/*.sql | head -1)"
  sqlite3 -batch "$TMP/v1.db" "PRAGMA user_version = 1; PRAGMA journal_mode = WAL;" >/dev/null
  sqlite3 -batch "$TMP/v1.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ACCOUNTS)
    INSERT INTO accounts (username, username_key, domain, email, email_key, created_at, updated_at)
    SELECT 'user' || i, 'user' || i, '', 'user' || i || '@example.com', 'user' || i || '@example.com', 0, 0 FROM n" ||
    fail "cannot fill the version 1 database"
  local k seen=""
  for k in $(seq 1 "$KILLS"); do
    cp "$TMP/v1.db" "$INSTCTL_DB"
    rm -f "$INSTCTL_DB-wal" "$INSTCTL_DB-shm"
    chmod 600 "$INSTCTL_DB"
    kill_after_random 60 db migrate
    v=$(sqlite3 -batch "$INSTCTL_DB" "PRAGMA user_version")
    seen="$seen $v"
    # Each migration is whole or absent: the schema is exactly the one of its version.
    assert_eq "$(tables "$INSTCTL_DB")" "$(cat "$TMP/schema.$v")" "schema of version $v after a kill"
    assert_eq "$(sql "SELECT count(*) FROM accounts")" "$ACCOUNTS" "no account lost"
    ok db migrate
    assert_eq "$(sql "PRAGMA user_version")" "$latest" "the next run finishes the migration"
    ok db check
  done
  echo "db migrate killed at versions:$seen"
}

# db restore killed at random points: the database is the old one or the restored one, whole
# (db check passes, the account count is one or the other), never a mix; the next run
# finishes.
test_db_restore() {
  new_instance
  sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ACCOUNTS)
    INSERT INTO accounts (username, username_key, domain, email, email_key, created_at, updated_at)
    SELECT 'user' || i, 'user' || i, '', 'user' || i || '@example.com', 'user' || i || '@example.com', 0, 0 FROM n" \
    >/dev/null || fail "cannot fill the database"
  ok db backup "$TMP/restore-backup.db"
  local restored old k seen=""
  restored=$(sql "SELECT count(*) FROM accounts")
  ok users create marker --email marker@example.com
  old=$(sql "SELECT count(*) FROM accounts")
  ok db backup "$TMP/restore-old.db"
  for k in $(seq 1 "$KILLS"); do
    cp "$TMP/restore-old.db" "$INSTCTL_DB"
    rm -f "$INSTCTL_DB-wal" "$INSTCTL_DB-shm"
    kill_after_random 999 -y db restore "$TMP/restore-backup.db"
    local n
    n=$(sql "SELECT count(*) FROM accounts")
    seen="$seen $n"
    [ "$n" = "$restored" ] || [ "$n" = "$old" ] && pass ||
      fail "after a kill the database has $n accounts, neither the old $old nor the backup's $restored"
    ok db check
  done
  ok -y db restore "$TMP/restore-backup.db"
  assert_eq "$(sql "SELECT count(*) FROM accounts")" "$restored" "the next run restores"
  [ ! -e "$INSTCTL_DB.restore-tmp" ] && pass || fail "the temporary copy is gone"
  echo "db restore killed with account counts:$seen"
}

test_waitlist_process_send
test_federation_deliver
# The migration kill builds SQLite files by hand; on PostgreSQL each migration is one
# transaction with its version (DDL is transactional there too).
if on_postgresql; then echo "test_db_migrate: skipped on PostgreSQL (SQLite files)"; else test_db_migrate; fi
if on_postgresql; then echo "test_db_restore: skipped on PostgreSQL (pg_restore's)"; else test_db_restore; fi
finish
