#!/usr/bin/env bash
# The PostgreSQL backend itself: init on an empty database, db status/migrate/check/backup,
# the URI never showing its password, and the errors for a server that cannot be reached, a
# wrong password and a missing database. Runs in the e2e-pg set (the other suites cover the
# commands and endpoints on both backends).
source "$(dirname "$0")/lib.sh"

if ! on_postgresql; then
  echo "$(basename "$0"): skipped on SQLite: runs against PostgreSQL (INSTCTL_TEST_BACKEND=postgresql, ctest -L e2e-pg)"
  exit 0
fi

password=$(printf '%s' "$INSTCTL_DB" | sed -E 's|^[a-z]+://[^:/@]+:([^@]+)@.*|\1|')
shown=${INSTCTL_DB/:$password@/@}

test_init_and_status() {
  new_instance
  ok --json db status
  assert_eq "$(jqo .backend)" "postgresql" "backend"
  assert_eq "$(jqo .database)" "$shown" "the URI without its password"
  assert_not_contains "$out" "$password" "no password in the status"
  assert_eq "$(jqo .schema_version)" "$(jqo .latest_version)" "migrated by init"
  assert_eq "$(jqo '.pending | length')" "0" "nothing pending"
  assert_eq "$(jqo '.size_bytes > 0')" "true" "a size"
  assert_contains "$(jqo .server_version)" "15" "the server's version"
  assert_eq "$(jqo .journal_mode)" "null" "no journal mode"
  ok --json db migrate
  assert_eq "$(jqo '.applied | length')" "0" "already up to date"
  ok --json db check
  assert_eq "$(jqo .ok)" "true" "healthy"
  # init refuses a database that already holds an instance.
  expect 4 init --domain other.example
  assert_contains "$err" "already holds an instance" "second init refused"
  assert_not_contains "$err" "$password" "no password in the message"
}

test_backup_points_to_pg_dump() {
  expect 2 db backup "$TMP/copy.db"
  assert_contains "$err" "pg_dump" "names the tool to use"
  assert_not_contains "$err" "$password" "no password in the message"
  [ ! -e "$TMP/copy.db" ] && pass || fail "no file written"
}

test_restore_points_to_pg_restore() {
  printf 'x' >"$TMP/dump.pgc"
  expect 2 -y db restore "$TMP/dump.pgc"
  assert_contains "$err" "pg_restore" "names the tool to use"
  assert_not_contains "$err" "$password" "no password in the message"
}

test_check_finds_a_lost_foreign_key() {
  new_instance
  ok users create bob --email bob@example.com
  ok reports create --target bob --category spam --comment "spam"
  # A restore with triggers off can leave a row whose target is gone.
  sql "SET session_replication_role = replica; DELETE FROM accounts WHERE username = 'bob'" >/dev/null
  expect 1 --json db check
  assert_eq "$(jqo .ok)" "false" "not healthy"
  assert_contains "$(jqo '.problems | join(" ")')" "table reports refer to a missing accounts row" "the lost reference"
}

test_schema_versions() {
  new_instance
  schema_version 999
  expect 1 users list
  assert_contains "$err" "newer than this instctl" "a newer schema is refused"
  schema_version 1
  expect 1 users list
  assert_contains "$err" "instctl db migrate" "an older schema asks for a migration"
  assert_contains "$err" "pg_dump" "and for a backup with pg_dump"
}

test_connection_errors() {
  local port
  port=$(free_port)
  expect 1 --db "postgresql://instctl:sekrit@127.0.0.1:$port/nowhere" users list
  assert_contains "$err" "cannot connect to the PostgreSQL database postgresql://instctl@127.0.0.1:$port/nowhere" \
    "names the server, without the password"
  assert_contains "$err" "check that the server runs" "says what to check"
  assert_not_contains "$err" "sekrit" "no password"
  local wrong=${INSTCTL_DB/:$password@/:wrong-password@}
  expect 1 --db "$wrong" users list
  assert_contains "$err" "password" "a wrong password is named"
  assert_not_contains "$err" "wrong-password" "and not shown"
  local missing=${INSTCTL_DB%/*}/no_such_database
  expect 1 --db "$missing" users list
  assert_contains "$err" "create the database first" "a missing database"
  assert_contains "$err" "instctl init --db URI" "a missing database: then init"
  assert_contains "$err" "instctl db copy --to URI" "a missing database: or a copy into it"
  # An empty database holds no instance yet.
  local empty=e2e_empty_$$
  local uri
  uri=$(bash "$PG_SH" createdb "$PG_DIR" "$empty")
  expect 1 --db "$uri" users list
  assert_contains "$err" "instctl init" "an empty database asks for init"
  bash "$PG_SH" dropdb "$PG_DIR" "$empty"
}

test_init_and_status
test_backup_points_to_pg_dump
test_restore_points_to_pg_restore
test_check_finds_a_lost_foreign_key
test_schema_versions
test_connection_errors
finish
