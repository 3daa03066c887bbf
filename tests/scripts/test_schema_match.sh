#!/usr/bin/env bash
# scripts/check_schema_match.py: the twins as they are pass, and a copy of them where one twin
# lost a column, an index's uniqueness, a type or a default fails, naming the difference.
set -u
src=${INSTCTL_SOURCE_DIR:?}
script="$src/scripts/check_schema_match.py"
dir=$(mktemp -d)
chmod 0755 "$dir"
pg_dir=${INSTCTL_TEST_PG_DIR:-}
cleanup() {
  [ "$pg_dir" != "$dir/pg" ] || bash "$src/tests/servers/postgres.sh" stop "$pg_dir" >/dev/null 2>&1
  rm -rf "$dir"
}
trap cleanup EXIT
# One server for every run below: ctest's (e2e-pg's fixture), else one of our own.
if [ -z "$pg_dir" ] || [ ! -f "$pg_dir/uri" ]; then
  pg_dir=$dir/pg
  bash "$src/tests/servers/postgres.sh" start "$pg_dir" >/dev/null || { echo "cannot start PostgreSQL" >&2; exit 1; }
fi
fails=0
# expect RC DESCRIPTION [TEXT]: the check on $dir/m exits RC and its output holds TEXT.
expect() {
  local rc=0 out
  out=$(/usr/bin/python3 "$script" --migrations "$dir/m" --pg-dir "$pg_dir" 2>&1) || rc=$?
  if [ "$rc" -eq "$1" ] && { [ -z "${3:-}" ] || grep -qF -- "$3" <<<"$out"; }; then
    echo "ok - $2"
  else
    echo "not ok - $2 (exit $rc)"; printf '%s\n' "$out" | sed 's/^/# /'; fails=$((fails+1))
  fi
}
# fresh: a new copy of the project's migrations in $dir/m.
fresh() { rm -rf "$dir/m" && cp -r "$src/src/instctl/db/migrations" "$dir/m"; }
# edit FILE SED-SCRIPT: changes one twin, and checks that the change took.
edit() {
  cp "$dir/m/$1" "$dir/before"
  sed -i -e "$2" "$dir/m/$1"
  if cmp -s "$dir/m/$1" "$dir/before"; then echo "not ok - the edit '$2' of $1 changed nothing"; fails=$((fails+1)); fi
}

fresh
expect 0 "the project's migrations build the same schema on both backends" "tables alike"

fresh; edit postgresql/0001_core.sql '/^  display_name TEXT NOT NULL/d'
expect 1 "a column missing from the PostgreSQL twin" \
  "column accounts.display_name: only in the SQLite migrations"

fresh; edit 0015_mail_retry_digest.sql 's/^ALTER TABLE accounts ADD COLUMN digest_at INTEGER;/-- &/'
expect 1 "a column missing from the SQLite twin" \
  "column accounts.digest_at: only in the PostgreSQL migrations"

fresh; edit postgresql/0001_core.sql 's/^CREATE UNIQUE INDEX accounts_actor_uri/CREATE INDEX accounts_actor_uri/'
expect 1 "an index unique on one backend only" "index accounts_actor_uri on accounts: unique True on SQLite, False on PostgreSQL"

fresh; edit postgresql/0001_core.sql 's/^  email TEXT,/  email BIGINT,/'
expect 1 "a column of another type class" "column accounts.email: type text on SQLite, integer on PostgreSQL"

fresh; edit postgresql/0001_core.sql "s/^  role TEXT NOT NULL DEFAULT 'user'/  role TEXT NOT NULL DEFAULT 'admin'/"
expect 1 "another default" "column accounts.role: default 'user' on SQLite, 'admin' on PostgreSQL"

fresh; edit 0001_core.sql 's/^  password_hash TEXT,/  password_hash TEXT NOT NULL,/'
expect 1 "NOT NULL on one backend only" "column accounts.password_hash: NOT NULL on SQLite, nullable on PostgreSQL"

fresh; rm "$dir/m/postgresql/0015_mail_retry_digest.sql"
expect 1 "a migration without its twin" "migration 0015_mail_retry_digest.sql: no PostgreSQL twin"

[ "$fails" -eq 0 ]
