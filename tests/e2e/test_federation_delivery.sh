#!/usr/bin/env bash
# The delivery queue against a local inbox that fails on purpose: signatures (checked by
# Fedify), grouping by shared inbox, the retry schedule on an injected clock, 410 Gone, dead
# jobs, policy drops, two concurrent workers, and a worker killed mid-delivery.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/peer.sh"

ROOT=$TMP/peer
T0=2026-11-28T06:00:00Z
T0S=$(date -u -d "$T0" +%s)

setup() {
  new_instance
  ok config set federation.allow_http true
  ok config set federation.allow_private_addresses true
  start_peer "$ROOT"
  peer_account "$ROOT" alice
  peer_account "$ROOT" bob
  peer_account "$ROOT" carol
  # carol has no shared inbox: she gets her own delivery.
  jq 'del(.endpoints)' "$ROOT/actors/carol.json" >"$ROOT/c.json" && mv "$ROOT/c.json" "$ROOT/actors/carol.json"
  ok federation lookup "alice@$PEER_HOST"
  ok federation lookup "bob@$PEER_HOST"
  ok federation lookup "carol@$PEER_HOST"
  ok users create writer --email writer@example.com
  follow alice writer
  follow bob writer
  follow carol writer
}

# follow REMOTE LOCAL: REMOTE (on the peer) follows the local user LOCAL.
follow() {
  sql "INSERT INTO follows (follower_id, followed_id, state, created_at)
       SELECT r.id, l.id, 'accepted', 0 FROM accounts r, accounts l
       WHERE r.username = '$1' AND r.domain = '$PEER_HOST' AND l.username = '$2' AND l.domain = ''"
}

inbox() { printf '%s' "$1" >"$ROOT/inbox.json"; }
posts_to() { jq -r --arg p "$1" 'select(.path == $p) | .body' "$PEER_LOG" | grep -c . ; }
state_of() { sql "SELECT state FROM deliveries WHERE id = $1"; }

test_signed_delivery_verified_by_fedify() {
  inbox '{}'
  # The peer knows writer's first key (it fetched the actor, and caches the key).
  ok -q users rotate-keys writer
  ok -q federation deliver
  : >"$PEER_LOG"
  local old_pem
  old_pem=$(sql "SELECT public_key_pem FROM accounts WHERE username = 'writer'")
  ok --json users rotate-keys writer
  assert_eq "$(sql "SELECT count(*) FROM retired_keys")" "1" "the replaced key is kept for the Update"
  assert_eq "$(sql "SELECT count(*) FROM deliveries WHERE state = 'pending' AND signing_key_id IS NOT NULL")" \
    "2" "the Update's deliveries are signed with it"
  ok --json federation queue
  assert_eq "$(jqo 'map(.inbox) | sort | join(" ")')" \
    "$PEER_BASE/inbox $PEER_BASE/users/carol/inbox" "grouped by shared inbox, carol on her own"
  assert_eq "$(jqo '.[0].type')" "Update" "an Update is queued"
  ok --json federation deliver
  assert_eq "$(jqo .delivered)" "2" "both delivered"
  assert_eq "$(posts_to /inbox)" "1" "one POST to the shared inbox"
  assert_eq "$(sql "SELECT count(*) FROM retired_keys")" "0" "the replaced key is gone once delivered"
  local sig
  sig=$(jq -r 'select(.path == "/inbox") | .headers.Signature' "$PEER_LOG")
  assert_contains "$sig" 'keyId="https://localhost:8080/users/writer#main-key"' "signed by the user"
  assert_contains "$sig" 'headers="(request-target) host date digest content-type"' "signed headers"
  assert_eq "$(jq -r 'select(.path == "/inbox") | .body | fromjson | .object.publicKey.publicKeyPem' "$PEER_LOG")" \
    "$(sql "SELECT public_key_pem FROM accounts WHERE username = 'writer'")" "the Update carries the new key"
  # users delete queues a Delete to the followers, signed with the kept key.
  ok -y users delete writer
  ok --json federation deliver
  assert_eq "$(jqo .delivered)" "2" "Delete delivered"
  assert_eq "$(jq -r 'select(.path == "/inbox") | .body | fromjson | .type' "$PEER_LOG" | tail -1)" "Delete" "Delete sent"
  # An independent implementation verifies every signed POST, as a peer that caches the old
  # key and fetches no key again (one such peer behind each inbox): the Update verifies with
  # the old key and teaches it the new one, which verifies the Delete.
  jq -n --arg id "https://localhost:8080/users/writer" --arg pem "$old_pem" '{($id): $pem}' \
    >"$TMP/keys.json"
  need_node 20 "$SRC/tests/interop"
  local path
  : >"$TMP/fedify.out"
  for path in /inbox /users/carol/inbox; do
    jq -c --arg p "$path" 'select(.path == $p)' "$PEER_LOG" >"$TMP/to-peer.log"
    if node "$SRC/tests/interop/verify_signatures.mjs" "$TMP/to-peer.log" "$TMP/keys.json" >>"$TMP/fedify.out" 2>&1; then
      pass
    else
      fail "Fedify rejected a signature to $path: $(cat "$TMP/fedify.out")"
    fi
  done
  assert_eq "$(grep -c '^verified' "$TMP/fedify.out")" "4" "Fedify verified all four POSTs"
  # Without the Update, the old key does not verify what the new key signed.
  jq -c 'select(.body | fromjson | .type == "Delete")' "$PEER_LOG" >"$TMP/deletes.log"
  if node "$SRC/tests/interop/verify_signatures.mjs" "$TMP/deletes.log" "$TMP/keys.json" >/dev/null 2>&1; then
    fail "the Delete verified with the old key"
  else pass; fi
  # The check can fail: a POST replayed to another path, or with another body, is rejected.
  jq -c '.path = "/users/alice/inbox"' "$PEER_LOG" | head -1 >"$TMP/moved.log"
  jq -c '.body = (.body | sub("Update"; "Delete"))' "$PEER_LOG" | head -1 >"$TMP/altered.log"
  for f in moved altered; do
    if node "$SRC/tests/interop/verify_signatures.mjs" "$TMP/$f.log" "$TMP/keys.json" >/dev/null 2>&1; then
      fail "Fedify accepted a $f request"
    else pass; fi
  done
  : >"$PEER_LOG"
}

# A fresh user followed by alice and bob (one shared inbox), with an Update queued at T0.
queue_one() {
  local name=$1
  ok users create "$name" --email "$name@example.com"
  follow alice "$name"
  follow bob "$name"
  INSTCTL_NOW=$T0 ok -q users rotate-keys "$name"
  JOB=$(sql "SELECT max(id) FROM deliveries")
}

test_retry_schedule() {
  inbox '{"/inbox": 500}'
  queue_one retry1
  export INSTCTL_NOW=$T0
  ok --json federation deliver
  assert_eq "$(jqo .retrying)" "1" "500 is retried"
  local next
  next=$(sql "SELECT next_attempt_at - $T0S FROM deliveries WHERE id = $JOB")
  [ "$next" -ge 60 ] && [ "$next" -le 75 ] && pass || fail "first retry after 60-75 s, got $next"
  ok --json federation queue
  assert_eq "$(jqo '.[0].last_error')" "$PEER_BASE/inbox answered 500" "error recorded"
  ok --json federation deliver
  assert_eq "$(jqo .retrying)" "0" "not due yet: nothing sent"
  export INSTCTL_NOW=$((T0S + 80))
  ok --json federation deliver
  next=$(sql "SELECT next_attempt_at - ($T0S + 80) FROM deliveries WHERE id = $JOB")
  [ "$next" -ge 120 ] && [ "$next" -le 150 ] && pass || fail "second retry after 120-150 s, got $next"
  assert_eq "$(sql "SELECT attempts FROM deliveries WHERE id = $JOB")" "2" "two attempts"
  # Much later, still failing: the delay is capped at 6 h.
  sql "UPDATE deliveries SET attempts = 12, next_attempt_at = $T0S + 86400 WHERE id = $JOB"
  export INSTCTL_NOW=$((T0S + 86400))
  ok federation deliver
  next=$(sql "SELECT next_attempt_at - ($T0S + 86400) FROM deliveries WHERE id = $JOB")
  [ "$next" -ge 21600 ] && [ "$next" -le 27000 ] && pass || fail "capped at 6 h (+jitter), got $next"
  # After about 3 days the delivery is dead.
  export INSTCTL_NOW=$((T0S + 3 * 86400))
  ok --json federation deliver
  assert_eq "$(jqo .dead)" "1" "dead after 3 days"
  assert_eq "$(state_of "$JOB")" "dead" "state dead"
  ok --json federation queue --status dead
  assert_contains "$(jqo '.[0].last_error')" "gave up after 14 attempts" "dead reason"
  ok --json stats
  assert_eq "$(jqo .counts.dead_deliveries)" "1" "stats count dead deliveries"
  # An admin retries it once the peer is fixed.
  inbox '{}'
  ok --json federation queue retry --dead
  assert_eq "$(jqo .retried)" "1" "dead job back in the queue"
  ok --json federation deliver
  assert_eq "$(jqo .delivered)" "1" "delivered after retry"
  expect 4 federation queue retry "$JOB"
  expect 3 federation queue retry 99999
  expect 2 federation queue retry
  unset INSTCTL_NOW
}

test_timeout_is_retried() {
  inbox '{"/inbox": "slow"}'
  queue_one slow1
  INSTCTL_NOW=$T0 INSTCTL_HTTP_TIMEOUT=1 ok --json federation deliver
  assert_eq "$(jqo .retrying)" "1" "timeout retried"
  assert_contains "$(sql "SELECT last_error FROM deliveries WHERE id = $JOB")" "did not answer within 1 s" "timeout recorded"
  ok federation queue drop "$JOB"
  expect 3 federation queue drop "$JOB"
}

test_gone_and_refused() {
  inbox '{"/inbox": 410}'
  queue_one gone1
  INSTCTL_NOW=$T0 ok --json federation deliver
  assert_eq "$(jqo .dead)" "1" "410 is not retried"
  assert_contains "$(sql "SELECT last_error FROM deliveries WHERE id = $JOB")" "410 Gone" "410 recorded"
  assert_eq "$(sql "SELECT count(*) FROM follows f JOIN accounts a ON a.id = f.follower_id WHERE a.username IN ('alice', 'bob')")" \
    "0" "410 removes the follows of the accounts behind the inbox"
  inbox '{"/inbox": 403}'
  queue_one refused1
  INSTCTL_NOW=$T0 ok --json federation deliver
  assert_eq "$(jqo .dead)" "1" "403 is not retried"
  inbox '{}'
}

test_policy_drops() {
  queue_one blocked1
  ok federation block 127.0.0.1 --severity suspend
  local before
  before=$(wc -l <"$PEER_LOG")
  INSTCTL_NOW=$T0 ok --json federation deliver
  assert_eq "$(jqo .dropped)" "1" "queued job to a suspended domain dropped"
  assert_eq "$(wc -l <"$PEER_LOG")" "$before" "nothing sent to the suspended domain"
  INSTCTL_NOW=$T0 ok users rotate-keys blocked1
  assert_eq "$(sql "SELECT count(*) FROM deliveries WHERE state = 'pending'")" "0" "nothing queued for it"
  ok federation unblock 127.0.0.1
}

test_two_workers_deliver_once() {
  inbox '{}'
  : >"$PEER_LOG"
  local i
  for i in $(seq 1 12); do
    "$BIN" users create "many$i" --email "many$i@example.com" >/dev/null 2>&1
    follow alice "many$i"
  done
  ok -y users rotate-keys --all
  local queued
  queued=$(sql "SELECT count(*) FROM deliveries WHERE state = 'pending'")
  [ "$queued" -ge 12 ] && pass || fail "jobs queued: $queued"
  "$BIN" federation deliver >"$TMP/w1.out" 2>"$TMP/w1.err" &
  local w1=$!
  "$BIN" federation deliver >"$TMP/w2.out" 2>"$TMP/w2.err" &
  local w2=$!
  wait $w1 && wait $w2 && pass || fail "a worker failed: $(cat "$TMP/w1.err" "$TMP/w2.err")"
  assert_eq "$(wc -l <"$PEER_LOG")" "$queued" "every job POSTed once"
  assert_eq "$(jq -r '.body | fromjson | .id' "$PEER_LOG" | sort | uniq -d | wc -l)" "0" "no activity twice"
  assert_eq "$(sql "SELECT count(*) FROM deliveries WHERE state = 'delivered' AND attempts = 1 AND id IN (SELECT id FROM deliveries ORDER BY id DESC LIMIT $queued)")" \
    "$queued" "each delivered on its first claim"
}

test_killed_worker_leaves_job_retryable() {
  inbox '{"/inbox": "slow"}'
  queue_one killed1
  # A second rotation: its Update is signed with the replaced key, which must outlive the kill.
  ok federation queue drop "$JOB"
  INSTCTL_NOW=$T0 ok -q users rotate-keys killed1
  JOB=$(sql "SELECT max(id) FROM deliveries")
  local retired
  retired=$(sql "SELECT signing_key_id FROM deliveries WHERE id = $JOB")
  [ -n "$retired" ] && pass || fail "the Update names the retired key"
  : >"$PEER_LOG"
  INSTCTL_NOW=$T0 "$BIN" federation deliver >/dev/null 2>&1 &
  local pid=$!
  local i
  for i in $(seq 1 1500); do
    [ -s "$PEER_LOG" ] && break
    sleep 0.02
  done
  kill -9 "$pid"
  wait "$pid" 2>/dev/null
  assert_eq "$(state_of "$JOB")" "delivering" "held by the dead worker"
  inbox '{}'
  INSTCTL_NOW=$T0 ok --json federation deliver
  assert_eq "$(jqo .delivered)" "0" "not taken while the lease runs"
  assert_eq "$(sql "SELECT count(*) FROM retired_keys WHERE id = $retired")" "1" \
    "the retired key is kept for the held job"
  INSTCTL_NOW=$((T0S + 301)) ok --json federation deliver
  assert_eq "$(jqo .delivered)" "1" "taken over after the lease"
  assert_eq "$(state_of "$JOB")" "delivered" "delivered, not lost"
  assert_eq "$(sql "SELECT count(*) FROM retired_keys")" "0" "and its retired key is gone"
  ok db check
}

test_loop_stops_on_signal() {
  inbox '{}'
  : >"$PEER_LOG"
  "$BIN" federation deliver --loop --interval 0.2 >"$TMP/loop.out" 2>"$TMP/loop.err" &
  local pid=$!
  queue_one loop1
  local i
  for i in $(seq 1 1500); do
    [ -s "$PEER_LOG" ] && break
    sleep 0.02
  done
  assert_eq "$(wc -l <"$PEER_LOG")" "1" "the loop delivered a job queued while it ran"
  kill -TERM "$pid"
  wait "$pid"
  assert_eq "$?" "0" "the loop exits 0 on SIGTERM"
}

setup
test_signed_delivery_verified_by_fedify
test_retry_schedule
test_timeout_is_retried
test_gone_and_refused
test_policy_drops
test_two_workers_deliver_once
test_killed_worker_leaves_job_retryable
test_loop_stops_on_signal
finish
