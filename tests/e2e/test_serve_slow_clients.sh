#!/usr/bin/env bash
# Slow or idle clients do not starve others: while 200 connections send their headers one byte
# at a time, a normal request is answered within 100 ms, even with a single event loop. Limits
# per client: a new connection has --header-timeout to send its headers, and one address holds
# at most --max-client-connections connections while others are served. A full worker pool
# answers 503 with Retry-After at once.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

# Under the sanitizers everything runs several times slower: the bound is then 10 s, which still
# tells a starved request (it would wait for the 60 s read timeout) from a served one.
LIMIT_MS=100
[ "${INSTCTL_SANITIZED:-0}" = 1 ] && LIMIT_MS=10000

PORT=$(free_port)
"$BIN" init --domain "localhost:$PORT" --public-url "http://localhost:$PORT" >/dev/null 2>&1 || exit 1
ok users create alice --email alice@example.com

for threads in 1 2; do
  start_serve "$PORT" --threads "$threads" --read-timeout 60 --header-timeout 60
  req -H "Accept: application/activity+json" /users/alice  # makes alice's keys first
  expect_status 200 "warm-up"
  result=$(/usr/bin/python3 "$(dirname "$0")/slow_clients.py" "$PORT" "localhost:$PORT" 200 50)
  worst=$(printf '%s' "$result" | jq -r .worst_ms)
  echo "threads=$threads: $result"
  [ "$(printf '%s' "$result" | jq -r .slow_open)" = "200" ] && pass ||
    fail "the 200 slow connections stayed open: $result"
  if awk -v w="$worst" -v l="$LIMIT_MS" 'BEGIN { exit !(w < l) }'; then pass; else
    fail "threads=$threads: a normal request took $worst ms with 200 slow clients (limit $LIMIT_MS ms)"
  fi
  stop_serve TERM
  assert_eq "$serve_rc" "0" "stops cleanly with slow clients connected"
done

test_limits_per_client() {
  start_serve "$PORT" --header-timeout 3 --max-client-connections 5
  local result
  result=$(/usr/bin/python3 - "$PORT" "localhost:$PORT" <<'PY'
import json, socket, sys, time
port, host = int(sys.argv[1]), sys.argv[2]
def closed_within(s, seconds):
    s.settimeout(seconds)
    t0 = time.time()
    try:
        while s.recv(4096):
            pass
        return round(time.time() - t0, 2)
    except socket.timeout:
        return None
    except OSError:
        return round(time.time() - t0, 2)
def get(source):
    s = socket.create_connection(("127.0.0.1", port), source_address=(source, 0))
    s.sendall(f"GET /health HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
    data = b""
    s.settimeout(5)
    while chunk := s.recv(4096):
        data += chunk
    return data.split(b" ", 2)[1].decode() if data else "none"
out = {}
t0 = time.time()
partial = socket.create_connection(("127.0.0.1", port))
partial.sendall(b"GET /health HTTP/1.1\r\nHo")
idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(4)]
time.sleep(0.3)
extra = socket.create_connection(("127.0.0.1", port))
out["sixth_closed_after"] = closed_within(extra, 2)
out["other_address"] = get("127.0.0.2")
out["partial_closed_after"] = round(closed_within(partial, 10) + 0.3, 2)
out["idle_closed_after"] = closed_within(idle[0], 10)
out["same_address_later"] = get("127.0.0.1")
print(json.dumps(out))
PY
)
  echo "limits per client: $result"
  local sixth partial
  sixth=$(jq -r .sixth_closed_after <<<"$result")
  [ "$sixth" != null ] && awk -v t="$sixth" 'BEGIN { exit !(t < 1) }' && pass ||
    fail "a sixth connection from one address is closed at once: $result"
  assert_eq "$(jq -r .other_address <<<"$result")" "200" "another address is served meanwhile"
  partial=$(jq -r .partial_closed_after <<<"$result")
  awk -v t="$partial" 'BEGIN { exit !(t >= 2 && t < 8) }' && pass ||
    fail "a connection still sending its headers is closed after --header-timeout 3: $result"
  [ "$(jq -r .idle_closed_after <<<"$result")" != null ] && pass ||
    fail "a silent new connection is closed after the header timeout: $result"
  assert_eq "$(jq -r .same_address_later <<<"$result")" "200" \
    "once its connections are closed, the address is served again"
  stop_serve TERM
  assert_eq "$serve_rc" "0" "stops cleanly"
  expect 2 serve --max-client-connections -1
  expect 2 serve --header-timeout 0
  expect 2 serve --workers 0
  expect 2 serve --queue-limit lots
}

# A full worker pool answers 503 with Retry-After at once: with one worker and no queue, a
# sign-up that waits for a write lock another process holds on the database takes the only
# place; /health meanwhile is refused at once, and once the lock goes the sign-up is answered.
# SQLite only: there a whole-database write lock (BEGIN IMMEDIATE) can be held from outside;
# the pool is the same code on PostgreSQL.
# Three /health requests in a row, 0.2 s apart, all answered 503.
refused_three_times() {
  local i
  for i in 1 2 3; do
    [ "$(curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$PORT/health")" = 503 ] || return 1
    sleep 0.2
  done
}

test_full_pool() {
  if on_postgresql; then
    echo "test_full_pool: skipped on PostgreSQL (no whole-database write lock to hold from outside)"
    return
  fi
  ok config set waitlist.enabled true
  start_serve "$PORT" --workers 1 --queue-limit 0
  /usr/bin/python3 - "$INSTCTL_DB" "$TMP/locked" "$TMP/unlock" <<'PY' &
import os, sqlite3, sys, time
db, locked, unlock = sys.argv[1:4]
con = sqlite3.connect(db, isolation_level=None)
con.execute("BEGIN IMMEDIATE")
open(locked, "w").close()
deadline = time.time() + 30
while not os.path.exists(unlock) and time.time() < deadline:
    time.sleep(0.05)
con.execute("ROLLBACK")
PY
  local locker=$! held t0 t
  wait_until 10 test -e "$TMP/locked"
  # A /health of the poll below may hold the one worker at the moment the sign-up arrives, which
  # then gets its 503 at once: curl sends it again after the Retry-After. Its exit code follows
  # the status, so a sign-up that never got an answer says why. (The body goes to a file: curl
  # empties the output before it sends again, and cannot empty /dev/null.)
  { curl -sS -o "$TMP/held.body" -w '%{http_code}' --max-time 40 --retry 10 -H "Host: localhost:$PORT" \
    -H "Content-Type: application/json" -d '{"email":"held@example.com"}' \
    "http://127.0.0.1:$PORT/api/v1/waitlist"; echo " (curl exit code $?)"; } >"$TMP/held.status" 2>&1 &
  held=$!
  # The sign-up is on the worker once /health is refused again and again: a single refusal may
  # come from a moment's work of the worker (a poll's /health, a reading of the data version).
  wait_until 20 refused_three_times
  t0=$(date +%s%N)
  req /health
  t=$((($(date +%s%N) - t0) / 1000000))
  expect_status 503 "a full pool refuses"
  assert_contains "$headers" "retry-after: 1" "with Retry-After"
  [ "$t" -lt 2000 ] && pass || fail "the 503 took $t ms: it must come at once"
  touch "$TMP/unlock"
  wait "$locker" "$held"
  [[ "$(cat "$TMP/held.status")" =~ ^20[01]\  ]] && pass ||
    fail "the held sign-up got HTTP $(cat "$TMP/held.status") once the lock went (expected 200 or 201)"
  req /health
  expect_status 200 "the pool takes requests again"
  stop_serve TERM
}

test_limits_per_client
test_full_pool
finish
