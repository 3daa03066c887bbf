#!/usr/bin/env bash
# `instctl db copy` into PostgreSQL and back: a round trip (the suite's instance to the other
# backend and back again) keeps every listing and every row, and the PostgreSQL copy takes new
# writes (its sequences are past the copied ids); a copy into PostgreSQL killed with SIGKILL
# resumes, also after the source changed; and every refusal has its exit code and never shows
# the password. On SQLite the trip is SQLite, PostgreSQL, SQLite; on PostgreSQL (e2e-pg) it is
# PostgreSQL, SQLite, PostgreSQL.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/copy_lib.sh"

PG_SH=$SRC/tests/servers/postgres.sh
# The server the copies go to: the suite's own on PostgreSQL, else one started here.
if on_postgresql; then
  PG_SERVER=$PG_DIR
else
  PG_SERVER=$TMP/pgsrv
  bash "$PG_SH" start "$PG_SERVER" >/dev/null || { echo "cannot start PostgreSQL" >&2; exit 1; }
  on_exit "bash '$PG_SH' stop '$PG_SERVER'"
fi
PASSWORD=$(bash "$PG_SH" uri "$PG_SERVER" | sed -E 's|^[a-z]+://[^:/@]+:([^@]+)@.*|\1|')

# pg_database NAME: a new, empty PostgreSQL database (dropped when the suite ends); prints its
# URI, with the password.
pg_database() {
  local name=copy_$$_$1
  bash "$PG_SH" createdb "$PG_SERVER" "$name" || { echo "cannot create $name" >&2; exit 1; }
  on_exit "bash '$PG_SH' dropdb '$PG_SERVER' '$name'"
}

# unfinished_copy NAME AT: a new database of the instance's server (see pg_database) holding a
# copy killed once it had committed at least AT rows. A copy can finish between two polls of
# copy_killed on a busy machine: then it is tried again on a fresh database, up to three times.
unfinished_copy() {
  local try target
  for try in 1 2 3; do
    target=$(pg_database "$1$try")
    copy_killed "$target" "$2"
    [ -n "$(copied "$target")" ] && break
  done
  echo "$target"
}

# other_backend NAME: a new, empty database of the backend the suite's instance is not on.
other_backend() {
  if on_postgresql; then echo "$TMP/$1.db"; else pg_database "$1"; fi
}
# same_backend NAME: a new, empty database of the instance's backend.
same_backend() {
  if on_postgresql; then pg_database "$1"; else echo "$TMP/$1.db"; fi
}

# listings DB: what the admin sees, as JSON: every export and list (the audit log apart).
listings() {
  local args
  for args in "users export --format json" "federation export --format json" "users list" \
    "users list --status suspended" "invites list --status all" "waitlist list --status all" \
    "reports list --status all" "federation list" "federation queue --status all" "config list" \
    "email-blocks list" "rules list" "suggestions list" "users show grace" "users show zoe"; do
    # shellcheck disable=SC2086
    INSTCTL_DB=$1 "$BIN" --json $args 2>/dev/null || echo "FAILED: $args"
  done
}
# audit_of DB [SKIP]: the whole audit log as JSON, without its SKIP newest entries (the copies').
audit_of() { INSTCTL_DB=$1 "$BIN" --json audit list --limit 0 | jq -c ".[${2:-0}:]"; }

no_password_in() {  # TEXT WHAT
  assert_not_contains "$1" "$PASSWORD" "$2: no password"
}

test_round_trip() {
  populate
  # Text that must come back byte for byte: quotes, a backslash, a tab, a newline, accents,
  # an emoji and a combining mark.
  ok users create zoe --email zoe@example.com --display-name $'Zoë "Z" \\ 😀 e\u0301'
  ok users modify zoe --note $'line one\nline\ttwo; DROP TABLE accounts; --'
  local there back
  there=$(other_backend there)
  back=$(same_backend back)
  ok --json db copy --to "$there"
  assert_eq "$(jqo '[.[] | select(.source_rows != .target_rows)] | length')" "0" "counts verified there"
  no_password_in "$out$err" "the copy's output"
  INSTCTL_DB=$there ok --json db copy --to "$back"
  assert_eq "$(jqo '[.[] | select(.source_rows != .target_rows)] | length')" "0" "counts verified back"
  no_password_in "$out$err" "the copy back's output"
  same_rows "$INSTCTL_DB" "$there"
  same_rows "$there" "$back"
  local mine
  mine=$(listings "$INSTCTL_DB")
  assert_not_contains "$mine" "FAILED" "every listing runs"
  assert_eq "$(listings "$there")" "$mine" "every listing there"
  assert_eq "$(listings "$back")" "$mine" "every listing back"
  assert_eq "$(audit_of "$there" 1)" "$(audit_of "$INSTCTL_DB")" "the audit log there, ids kept"
  assert_eq "$(audit_of "$back" 2)" "$(audit_of "$INSTCTL_DB")" "the audit log back, ids kept"
  assert_eq "$(audit_of "$back" | jq -r '.[0:2] | map(.action) | join(",")')" "db.copy,db.copy" \
    "each copy audited in its target"
  no_password_in "$(audit_of "$back")" "the audit log"
  local db
  for db in "$INSTCTL_DB" "$there" "$back"; do INSTCTL_DB=$db ok db check; done
  # New writes on each copy take new ids: PostgreSQL's sequences and SQLite's counters went
  # past the copied rows (the waitlist's past a removed entry too).
  local next_account n=0
  next_account=$(( $(sql "SELECT max(id) FROM accounts") + 1 ))
  for db in "$there" "$back"; do
    n=$((n + 1))
    INSTCTL_DB=$db ok --json users create "new$n" --email "new$n@example.com"
    [ "$(jqo .id)" -ge "$next_account" ] && pass || fail "$db: account id $(jqo .id) reused"
    INSTCTL_DB=$db ok --json waitlist add "new$n@example.org"
    assert_eq "$(jqo .id)" "5" "$db: the waitlist continues past the removed entry"
    INSTCTL_DB=$db ok -q invites create --max-uses 2
    INSTCTL_DB=$db ok users create "inv$n" --email "inv$n@example.com" --invite "${out##*/}"
    INSTCTL_DB=$db ok --json reports create --target grace --category spam --comment "new"
    [ "$(jqo .id)" -gt "$(sql "SELECT max(id) FROM reports")" ] && pass || fail "$db: report id reused"
    INSTCTL_DB=$db ok rules add "Be nice to $n"
    INSTCTL_DB=$db ok federation block "new$n.example"
    INSTCTL_DB=$db ok db check
  done
  # The source is untouched by the copy.
  assert_eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'db.copy'")" "0" "no entry in the source"
}

# Text SQLite holds that PostgreSQL cannot (bytes that are not UTF-8, NUL) arrives as U+FFFD,
# as the PostgreSQL backend stores such text on any write, and the copy still finishes.
test_odd_bytes() {
  on_postgresql && { echo "odd bytes: skipped on PostgreSQL: its text is always UTF-8" >&2; return; }
  new_instance
  ok users create odd --email odd@example.com
  sql "UPDATE accounts SET note = CAST(X'41FF42' AS TEXT), display_name = CAST(X'4300' AS TEXT) WHERE username = 'odd'"
  local there
  there=$(pg_database odd)
  ok --json db copy --to "$there"
  assert_eq "$(query "$there" "SELECT note FROM accounts WHERE username = 'odd'")" $'A\uFFFDB' "a bad byte"
  assert_eq "$(query "$there" "SELECT display_name FROM accounts WHERE username = 'odd'")" $'C\uFFFD' "a NUL"
  # The copy says so: per table in its listing, and in a warning naming the tables.
  assert_eq "$(jqo -c '[.[] | select(.text_changed > 0) | {table, text_changed}]')" \
    '[{"table":"accounts","text_changed":2}]' "the changed values are counted per table"
  assert_contains "$err" "2 text values in accounts are not UTF-8 or hold NUL" "a warning names them"
  assert_contains "$err" "the source keeps them unchanged" "and says the source is untouched"
  assert_eq "$(sql "SELECT hex(note) FROM accounts WHERE username = 'odd'")" "41FF42" "the source is untouched"
  assert_eq "$(query "$there" "SELECT count(*) FROM audit_log WHERE action = 'db.copy' AND details LIKE '%\"text_changed\":2%'")" \
    "1" "the audit entry counts them"
  INSTCTL_DB=$there ok db check
  # Back into SQLite nothing changes, and nothing is said.
  local back=$TMP/odd-back.db
  INSTCTL_DB=$there ok --json db copy --to "$back"
  assert_eq "$(jqo '[.[].text_changed] | add')" "0" "nothing changed on the way back"
  assert_not_contains "$err" "not UTF-8" "no warning on the way back"
}

test_kill_and_resume() {
  new_instance
  local bulk=12000
  [ "${INSTCTL_SANITIZED:-0}" = 1 ] && bulk=4000
  bulk_users "$bulk"
  ok waitlist add late@example.org
  local target
  target=$(unfinished_copy killed $(( bulk / 3 )))  # on PostgreSQL, from PostgreSQL to PostgreSQL
  local done_rows
  done_rows=$(copied "$target")
  [ -n "$done_rows" ] || fail "the kill did not land during the copy"
  echo "db copy into PostgreSQL: killed at $done_rows rows" >&2
  INSTCTL_DB=$target expect 1 users list --limit 1
  assert_contains "$err" "init" "an unfinished copy is not an instance"
  # Another instance's unfinished copy is not taken over.
  local other
  other=$TMP/other.db
  INSTCTL_DB=$other "$BIN" init --domain other.example >/dev/null 2>&1 || fail "init other"
  INSTCTL_DB=$other expect 4 db copy --to "$target"
  assert_contains "$err" "unfinished copy of another instance" "another source's copy"
  ok --json db copy --to "$target"
  assert_eq "$(jqo '.[] | select(.table == "accounts") | .target_rows')" "$((bulk + 1))" "every account"
  [ "$(jqo '[.[] | .copied] | add')" -lt "$(jqo '[.[] | .source_rows] | add')" ] &&
    pass || fail "the second run resumed rather than copied everything again"
  same_rows "$INSTCTL_DB" "$target"
  assert_eq "$(listings "$target")" "$(listings "$INSTCTL_DB")" "every listing after the resume"
  INSTCTL_DB=$target ok db check
  INSTCTL_DB=$target ok users create after --email after@example.com
  # A kill, then the source changes in rows already copied, then the rerun: the rows copied
  # before are removed and copied again (the audit log, append-only, never needs it).
  local changed
  changed=$(unfinished_copy changed $(( bulk / 2 )))
  [ -n "$(copied "$changed")" ] || fail "the second kill did not land during the copy"
  ok users modify bulk1 --display-name "Changed"
  ok users suspend bulk2 --reason "test"
  ok waitlist remove late@example.org
  ok --json db copy --to "$changed"
  same_rows "$INSTCTL_DB" "$changed"
  INSTCTL_DB=$changed ok --json users show bulk1
  assert_eq "$(jqo .display_name)" "Changed" "the change made between the runs is copied"
  INSTCTL_DB=$changed ok db check
}

test_refusals() {
  new_instance
  ok users create grace --email grace@example.com
  # Another instance.
  local other
  other=$(pg_database other)
  INSTCTL_DB=$other "$BIN" init --domain other.example >/dev/null 2>&1 || fail "init other"
  local before
  before=$(query "$other" "SELECT count(*) FROM audit_log")
  expect 4 db copy --to "$other"
  assert_contains "$err" "is not empty" "another instance"
  assert_contains "$err" "new, empty database" "with the fix"
  no_password_in "$out$err" "the refusal"
  assert_eq "$(query "$other" "SELECT count(*) FROM audit_log")" "$before" "left as it was"
  # A database of something else.
  local foreign
  foreign=$(pg_database foreign)
  query "$foreign" "CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT)" >/dev/null
  expect 4 db copy --to "$foreign"
  assert_contains "$err" "no instctl schema" "a database of something else"
  assert_eq "$(tables "$foreign")" "notes" "not migrated"
  # A finished copy is not copied over.
  local done_db
  done_db=$(pg_database finished)
  ok db copy --to "$done_db"
  expect 4 db copy --to "$done_db"
  assert_contains "$err" "already holds a finished copy" "a finished copy"
  run --json db copy --to "$done_db"
  assert_eq "$(jqo .error.code)" "4" "JSON error object"
  no_password_in "$out$err" "the JSON error"
  # The server or the database cannot be had: exit 1, named without the password.
  local missing
  missing=$(bash "$PG_SH" uri "$PG_SERVER" "copy_$$_missing")
  expect 1 db copy --to "$missing"
  assert_contains "$err" "does not exist" "a missing database"
  assert_contains "$err" "create the database first (createdb, or CREATE DATABASE as its owner), then run this command again" \
    "a missing database: what to do"
  assert_not_contains "$err" "instctl init" "a missing database: init is not the way for a copy"
  assert_contains "$err" "$(without_password "$missing")" "named"
  no_password_in "$out$err" "a missing database"
  expect 1 db copy --to "postgres://instctl:$PASSWORD@127.0.0.1:1/instctl"
  assert_contains "$err" "cannot connect" "an unreachable server"
  no_password_in "$out$err" "an unreachable server"
  expect 1 db copy --to "${done_db/:$PASSWORD@/:wrong-secret@}"
  assert_contains "$err" "password" "a wrong password"
  assert_not_contains "$err" "wrong-secret" "a wrong password: not shown"
  expect 1 db copy --to "$(without_password "$done_db")?password=wrong-secret"
  assert_not_contains "$err$out" "wrong-secret" "a password parameter: not shown"
  if on_postgresql; then
    expect 4 db copy --to "$INSTCTL_DB"
    assert_contains "$err" "the instance database itself" "the source itself"
    expect 4 db copy --to "$(without_password "${INSTCTL_DB/postgresql:/postgres:}")"
    assert_contains "$err" "the instance database itself" "the source under another spelling"
    no_password_in "$out$err" "the source itself"
  fi
}

# The password from PGPASSWORD or ~/.pgpass, with a URI that has none: never in any output.
test_password_from_the_environment() {
  new_instance
  ok users create grace --email grace@example.com
  local target bare
  target=$(pg_database env)
  bare=$(without_password "$target")
  mkdir -p "$TMP/nohome"
  HOME=$TMP/nohome expect 1 db copy --to "$bare"
  assert_contains "$err" "password" "without a password: says what is missing"
  PGPASSWORD=$PASSWORD ok --json db copy --to "$bare"
  no_password_in "$out$err" "the copy with PGPASSWORD"
  mkdir -p "$TMP/home"
  printf '127.0.0.1:*:*:instctl:%s\n' "$PASSWORD" >"$TMP/home/.pgpass"
  chmod 600 "$TMP/home/.pgpass"
  HOME=$TMP/home INSTCTL_DB=$bare ok --json audit list --limit 1
  assert_eq "$(jqo '.[0].action')" "db.copy" "~/.pgpass is read"
  assert_eq "$(jqo '.[0].target')" "database:$bare" "the target named without a password"
  no_password_in "$out" "the audit entry"
  local back=$TMP/env-back.db
  HOME=$TMP/home INSTCTL_DB=$bare ok --json db copy --to "$back"
  no_password_in "$out$err" "the copy back"
  assert_eq "$(query "$back" "SELECT count(*) FROM accounts WHERE username = 'grace'")" "1" "copied back"
}

test_round_trip
test_odd_bytes
test_kill_and_resume
test_refusals
test_password_from_the_environment
finish
