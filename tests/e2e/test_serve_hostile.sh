#!/usr/bin/env bash
# Hostile HTTP input: header floods, bad Content-Lengths, endless chunked bodies, traversal,
# non-UTF-8 queries, Host games, request smuggling (Transfer-Encoding other than chunked,
# Transfer-Encoding with Content-Length, obs-fold: 400 and closed), absolute-form targets,
# HTTP/1.0 and pipelining each get the right status, the logs get raw bytes escaped, and the
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
# Raw bytes of a target reach the access log escaped (util/escape.hpp).
wait_for_log "$TMP/access.log" 1 -F ' /\u009b31mno\xffpage 404 ' || fail "the access log escapes the target"
assert_no_controls "$(cat "$TMP/access.log")" "access log"
assert_no_controls "$(cat "$SERVE_LOG")" "error log"
if grep -q " 5[0-9][0-9] " "$TMP/access.log"; then
  fail "server errors in the access log: $(grep " 5[0-9][0-9] " "$TMP/access.log" | head -3)"
else
  pass
fi
stop_serve TERM
assert_eq "$serve_rc" "0" "stops cleanly"
finish
