# Shared helpers for the end-to-end suites: each suite sources this file, drives the real
# binary against a real database file in a fresh temporary directory, and calls `finish`.
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

# Extra cleanup a suite wants (stopping servers): add commands with `on_exit CMD`.
exit_cmds=()
on_exit() { exit_cmds+=("$*"); }
cleanup_e2e() {
  local c
  for c in "${exit_cmds[@]+"${exit_cmds[@]}"}"; do eval "$c" || true; done
  rm -rf "$TMP"
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
}
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
# jqo FILTER: applies jq to the last command's stdout (which must be valid JSON).
jqo() {
  if ! printf '%s' "$out" | jq -e . >/dev/null 2>&1; then
    fail "stdout is not JSON: $out"
    return 1
  fi
  printf '%s' "$out" | jq -r "$@"
}
# sql QUERY: reads the database directly, to check what commands stored.
sql() { sqlite3 -batch -noheader "$INSTCTL_DB" "$@"; }

# new_instance [INIT OPTIONS]: a fresh instance at localhost:8080 with an admin "ada".
new_instance() {
  rm -f "$INSTCTL_DB" "$INSTCTL_DB-wal" "$INSTCTL_DB-shm"
  "$BIN" init --domain localhost:8080 --title "Test Instance" --admin ada \
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
