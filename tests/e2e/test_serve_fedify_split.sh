#!/usr/bin/env bash
# Fedify (tests/interop/fedify_peer.mjs) against an instance whose handles use another name
# than its web host: account domain localhost:PORT, web domain 127.0.0.1:PORT, one loopback
# server. Fedify resolves @alice@localhost:PORT by WebFinger, gets an actor whose id is on
# 127.0.0.1:PORT, follows alice, and receives an Accept whose signature it verifies.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

if ! bash "$SRC/tests/interop/setup.sh"; then
  fail "could not install Fedify for the interop check (npm registry)"
  finish
fi
PORT=$(free_port)
SHORT=localhost:$PORT
WEB=127.0.0.1:$PORT
"$BIN" init --account-domain "$SHORT" --public-url "http://$WEB" >/dev/null 2>&1 || exit 1
ok config set federation.allow_http true
ok config set federation.allow_private_addresses true
ok users create alice --email alice@example.com
start_serve "$PORT" --access-log "$TMP/access.log"

coproc PEER { node "$SRC/tests/interop/fedify_peer.mjs" "$WEB" "$SHORT" 2>"$TMP/fedify.err"; }
on_exit "kill $PEER_PID 2>/dev/null"
peer() {
  echo "$1" >&"${PEER[1]}"
  out=""
  read -r -t 60 -u "${PEER[0]}" out || out='{"ok":false,"error":"no answer from the Fedify peer"}'
}
read -r -t 60 -u "${PEER[0]}" out || { fail "the Fedify peer did not start: $(cat "$TMP/fedify.err")"; finish; exit 1; }
FED=$(jqo .actor)

peer "resolve @alice@$SHORT"
assert_eq "$(jqo .ok)" "true" "Fedify resolves the short handle ($out)"
assert_eq "$(jqo .subject)" "acct:alice@$SHORT" "WebFinger subject on the account domain"
assert_eq "$(jqo .actor)" "http://$WEB/users/alice" "the actor's id is on the web domain"
assert_eq "$(jqo .inbox)" "http://$WEB/users/alice/inbox" "and so is its inbox"
grep -q "GET /.well-known/webfinger?resource=acct%3Aalice%40localhost%3A$PORT \|GET /.well-known/webfinger?resource=acct:alice@localhost:$PORT " \
  "$TMP/access.log" && pass || fail "the WebFinger request reached serve: $(cat "$TMP/access.log")"

peer "follow @alice@$SHORT"
assert_eq "$(jqo .ok)" "true" "Fedify's signed Follow of the handle is accepted ($out)"
assert_eq "$(sql "SELECT f.state FROM follows f JOIN accounts r ON r.id = f.follower_id WHERE r.actor_uri = '$FED'")" \
  "accepted" "the follow is recorded"
peer "wait-accept 30"
assert_eq "$(jqo .ok)" "true" "Fedify received an Accept and verified its signature ($out)"
assert_eq "$(jqo .accept.actor)" "http://$WEB/users/alice" "the Accept comes from alice on the web domain"
assert_eq "$(jqo .accept.object)" "$(sql "SELECT activity_uri FROM follows")" "it accepts Fedify's Follow"

echo quit >&"${PEER[1]}"
stop_serve TERM
assert_eq "$serve_rc" "0" "server stopped cleanly"
finish
