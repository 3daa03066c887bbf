# Helpers for the `db copy` suites (source after lib.sh): databases of either backend read
# the same way (an SQLite path or a postgresql:// URI), a varied instance to copy, and the
# comparisons that say a copy is the same instance.

# is_pg_uri DB: whether DB names a PostgreSQL database.
is_pg_uri() { [[ $1 == postgres://* || $1 == postgresql://* ]]; }

# query DB SQL: rows one a line, columns separated by |, NULL as nothing, on either backend.
query() {
  if is_pg_uri "$1"; then
    PGOPTIONS='-c client_min_messages=warning' psql -X -q -At -F'|' -v ON_ERROR_STOP=1 "$1" -c "$2"
  else
    sqlite3 -batch -noheader "$1" "$2"
  fi
}

# tables DB: the application's tables (not the engine's, not the schema version's).
tables() {
  if is_pg_uri "$1"; then
    query "$1" "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'
      AND table_type = 'BASE TABLE' AND table_name <> 'instctl_schema' ORDER BY table_name"
  else
    query "$1" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
  fi
}
# dump DB TABLE [WHERE]: every row of a table, in key order.
dump() { query "$1" "SELECT * FROM \"$2\" ${3:-} ORDER BY 1, 2"; }

# same_rows SOURCE TARGET: every table holds the same rows (the target's audit log has one
# more entry at the end, the copy's own); between SQLite files the AUTOINCREMENT counters
# match too (PostgreSQL's sequences are checked by the next inserts).
same_rows() {
  local src=$1 dst=$2 t
  assert_eq "$(tables "$dst")" "$(tables "$src")" "the same tables"
  local last
  last=$(query "$src" "SELECT coalesce(max(id), 0) FROM audit_log")
  for t in $(tables "$src"); do
    if [ "$t" = audit_log ]; then
      assert_eq "$(dump "$dst" "$t" "WHERE id <= $last" | md5sum)" "$(dump "$src" "$t" | md5sum)" "rows of $t"
    else
      assert_eq "$(dump "$dst" "$t" | md5sum)" "$(dump "$src" "$t" | md5sum)" "rows of $t"
    fi
  done
  if ! is_pg_uri "$src" && ! is_pg_uri "$dst"; then
    assert_eq "$(dump "$dst" sqlite_sequence)" "$(dump "$src" sqlite_sequence)" "the id counters"
  fi
  assert_eq "$(query "$dst" "SELECT action FROM audit_log WHERE id > $last")" "db.copy" \
    "the copy is audited in the target"
}

# same_listing ARGS...: a command's JSON output against the source and against $COPY.
same_listing() {
  run --json "$@"
  local a=$out
  INSTCTL_DB=$COPY run --json "$@"
  assert_eq "$out" "$a" "instctl $* on the copy"
}

# without_password URI: the URI as instctl shows it.
without_password() { printf '%s' "$1" | sed -E 's|^([a-z]+://[^:/@]+):[^@/]*@|\1@|'; }

# populate: a new instance with some of everything: rules, users in every state (keys, a
# rotated key, tombstones), invites used and revoked, the waitlist, reports with notes and a
# forward, domain rules, remote followers, queued deliveries, settings.
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
  ok users silence pia --reason "test"
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
}

# bulk_users N: N more users, imported in one go.
bulk_users() {
  { echo "username,email,display_name"; seq 1 "$1" | sed 's/.*/bulk&,bulk&@example.org,Bulk &/'; } >"$TMP/bulk.csv"
  ok users import "$TMP/bulk.csv"
}

# copied TARGET: rows an unfinished copy has committed so far (empty when there is none).
copied() { query "$1" "SELECT sum(rows_copied) FROM copy_progress" 2>/dev/null; }

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
