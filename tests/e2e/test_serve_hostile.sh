#!/usr/bin/env bash
# Hostile HTTP input: header floods, bad Content-Lengths, endless chunked bodies, traversal,
# non-UTF-8 queries, Host games, HTTP/1.0 and pipelining each get the right status, and the
# server stays up and keeps serving.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

PORT=$(free_port)
"$BIN" init --domain "localhost:$PORT" --public-url "http://localhost:$PORT" >/dev/null 2>&1 || exit 1
ok users create alice --email alice@example.com
ok users create bob --email bob@example.com
start_serve "$PORT" --read-timeout 2s --access-log "$TMP/access.log"

completed=no
while read -r verdict detail; do
  case $verdict in
    ok) pass ;;
    done) completed=yes ;;
    *) fail "$verdict $detail" ;;
  esac
done < <(/usr/bin/python3 "$(dirname "$0")/hostile_http.py" "$PORT" "localhost:$PORT" 2 2>&1)
assert_eq "$completed" "yes" "every hostile request was tried"

kill -0 "$SERVE_PID" 2>/dev/null && pass || fail "the server died"
if grep -q " 5[0-9][0-9] " "$TMP/access.log"; then
  fail "server errors in the access log: $(grep " 5[0-9][0-9] " "$TMP/access.log" | head -3)"
else
  pass
fi
stop_serve TERM
assert_eq "$serve_rc" "0" "stops cleanly"
finish
