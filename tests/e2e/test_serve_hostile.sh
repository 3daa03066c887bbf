#!/usr/bin/env bash
# Hostile HTTP input: header floods, bad Content-Lengths, endless chunked bodies, traversal,
# non-UTF-8 queries, Host games, request smuggling (Transfer-Encoding other than chunked,
# Transfer-Encoding with Content-Length, obs-fold: 400 and closed), absolute-form targets,
# HTTP/1.0 and pipelining each get the right status, the logs get raw bytes escaped, and the
# server stays up and keeps serving. Then the same, and load, with --log-format json: every
# line of both logs parses with jq, with the hostile text in its fields. A signed POST's actor
# is never logged (its keyId is): the line for one whose actor carries an ESC is checked, and
# any line naming that actor must show it escaped.
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

# hostile_checks LOAD: hostile_logs.py's requests (quotes, backslashes, bytes that are not
# UTF-8 in a target, a request id, a signed request's keyId and actor) and LOAD more.
hostile_checks() {
  local completed=no verdict detail
  while read -r verdict detail; do
    case $verdict in
      ok) pass ;;
      done) completed=yes ;;
      *) fail "$verdict $detail" ;;
    esac
  done < <(/usr/bin/python3 "$(dirname "$0")/hostile_logs.py" "$PORT" "localhost:$PORT" "$1" 2>&1)
  assert_eq "$completed" "yes" "every request of hostile_logs.py was sent"
}
hostile_checks 40

kill -0 "$SERVE_PID" 2>/dev/null && pass || fail "the server died"
# Raw bytes of a target reach the access log escaped (util/escape.hpp).
wait_for_log "$TMP/access.log" 1 -F ' /\u009b31mno\xffpage 404 ' || fail "the access log escapes the target"
wait_for_log "$TMP/access.log" 1 -F ' /logs/\x22[31m\x5c\xff\xfe\u009b\x22/end 404 ' ||
  fail "the access log escapes quotes and backslashes"
assert_contains "$(cat "$SERVE_LOG")" 'the key https://127.0.0.1:9/users/[31m\\xff\xfe\u009b#main-key' \
  "the error log escapes a signed request's keyId"
# The actor of a signed POST is never logged: for the POST whose actor carries an ESC and a BEL
# (a JSON body's \u001b]0;owned\u0007), what the logs say is the 401 and the keyId the inbox
# could not fetch. Should the actor ever be logged, it must show escaped: every line naming it
# holds the escaped form.
actor_escaped() {  # FILE ESCAPED WHAT
  local lines
  lines=$(grep -a 'owned' "$1")
  if [ -z "$lines" ] || ! grep -avF -- "$2" <<<"$lines" | grep -q .; then pass; else
    fail "$3: the hostile actor unescaped: $(cat -v <<<"$lines" | head -3)"
  fi
}
assert_contains "$(cat "$SERVE_LOG")" \
  'error: POST /inbox: inbox refused a Follow: the key https://127.0.0.1:9/users/mallory#main-key could not be fetched' \
  "the error log's line for the POST whose actor carries an ESC"
actor_escaped "$SERVE_LOG" '\x1b]0;owned\x07' "error log"
actor_escaped "$TMP/access.log" '\x1b]0;owned\x07' "access log"
assert_no_controls "$(cat "$TMP/access.log")" "access log"
assert_no_controls "$(cat "$SERVE_LOG")" "error log"
if grep -q " 5[0-9][0-9] " "$TMP/access.log"; then
  fail "server errors in the access log: $(grep " 5[0-9][0-9] " "$TMP/access.log" | head -3)"
else
  pass
fi
stop_serve TERM
assert_eq "$serve_rc" "0" "stops cleanly"

# The same in JSON (the server.log_format setting), with load.
ok config set server.log_format json
start_serve "$PORT" --read-timeout 2s --access-log "$TMP/access.json"
while read -r verdict detail; do
  case $verdict in ok | done) ;; *) fail "$verdict $detail" ;; esac
done < <(/usr/bin/python3 "$(dirname "$0")/hostile_http.py" "$PORT" "localhost:$PORT" 2 2>&1)
hostile_checks 400
stop_serve TERM
assert_eq "$serve_rc" "0" "stops cleanly"
# Each line one JSON object with the common fields, however hostile its text.
json_lines_ok() {  # FILE WHAT
  local lines objects
  lines=$(wc -l <"$1")
  objects=$(jq -c 'select(type == "object" and (.ts | test("^[0-9-]{10}T[0-9:.]{12}Z$"))
                   and (.level | type == "string") and (.msg | type == "string"))' "$1" | wc -l)
  [ "$lines" -gt 0 ] && [ "$objects" = "$lines" ] && pass ||
    fail "$2: $objects of $lines lines are JSON log objects"
}
json_lines_ok "$TMP/access.json" "JSON access log"
json_lines_ok "$SERVE_LOG" "JSON error log"
assert_no_controls "$(cat "$TMP/access.json")" "JSON access log"
assert_no_controls "$(cat "$SERVE_LOG")" "JSON error log"
count_json() { jq -c "select($2)" "$1" | wc -l; }
[ "$(count_json "$TMP/access.json" '.status == 200 and .method == "GET" and .path == "/users/alice"')" -ge 60 ] &&
  pass || fail "the load is in the JSON access log"
[ "$(count_json "$TMP/access.json" '.path == "/logs/\"[31m\\\ufffd\ufffd\u009b\"/end" and .status == 404
                                    and (.bytes | type == "number") and (.duration_ms | type == "number")
                                    and .client == "127.0.0.1"')" = 1 ] &&
  pass || fail "the hostile target in the JSON access log: $(grep -a '/logs/' "$TMP/access.json")"
[ "$(count_json "$TMP/access.json" '.key_id == "https://127.0.0.1:9/users/[31m\\\ufffd\ufffd\u009b#main-key"
                                    and .status == 401 and .request_id == "req-[31m\\\ufffd\ufffd\u009b"')" = 1 ] &&
  pass || fail "the hostile keyId and request id in the JSON access log: $(grep -a key_id "$TMP/access.json")"
[ "$(count_json "$SERVE_LOG" '.level == "error" and .method == "POST" and .path == "/inbox"
                              and (.msg | contains("[31m\\\ufffd\ufffd\u009b#main-key could not be fetched"))')" = 1 ] &&
  pass || fail "the hostile keyId in the JSON error log: $(grep -a inbox "$SERVE_LOG")"
[ "$(count_json "$SERVE_LOG" '.level == "error" and .path == "/inbox"
                              and (.msg | startswith("inbox refused a Follow: the key https://127.0.0.1:9/users/mallory#main-key could not be fetched"))')" = 1 ] &&
  pass || fail "the JSON error log's line for the POST whose actor carries an ESC: $(grep -a mallory "$SERVE_LOG")"
[ "$(count_json "$TMP/access.json" '.key_id == "https://127.0.0.1:9/users/mallory#main-key" and .status == 401')" = 1 ] &&
  pass || fail "the JSON access log's line for that POST: $(grep -a mallory "$TMP/access.json")"
actor_escaped "$SERVE_LOG" '\u001b]0;owned\u0007' "JSON error log"
actor_escaped "$TMP/access.json" '\u001b]0;owned\u0007' "JSON access log"
[ "$(count_json "$TMP/access.json" '.status == 400 and .path == "-"')" -ge 1 ] &&
  pass || fail "requests that cannot be read are in the JSON access log too"
# --log-format wins over the setting.
start_serve "$PORT" --log-format text
stop_serve TERM
[[ "$(head -1 "$SERVE_LOG")" =~ ^[0-9-]+T[0-9:]+Z\ instctl:\ serving ]] && pass ||
  fail "--log-format text over the setting: $(head -1 "$SERVE_LOG")"
expect 2 serve --log-format yaml
assert_contains "$err" "--log-format" "a wrong format names the option"
expect 2 config set server.log_format yaml
finish
