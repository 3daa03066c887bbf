#!/usr/bin/env bash
# Fedify (tests/interop/fedify_peer.mjs) against an instance whose handles use another name
# than its web host: account domain localhost:PORT, web domain 127.0.0.1:PORT, one loopback
# server. Fedify resolves @alice@localhost:PORT by WebFinger, gets an actor whose id is on
# 127.0.0.1:PORT, follows alice, and receives an Accept whose signature it verifies.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/fedify_lib.sh"

PORT=$(free_port)
SHORT=localhost:$PORT
WEB=127.0.0.1:$PORT
"$BIN" init --account-domain "$SHORT" --public-url "http://$WEB" >/dev/null 2>&1 || exit 1
ok config set federation.allow_http true
ok config set federation.allow_private_addresses true
ok users create alice --email alice@example.com
start_serve "$PORT" --access-log "$TMP/access.log"

start_fedify "$WEB" "$SHORT"

fedify "resolve @alice@$SHORT"
assert_eq "$(jqo .ok)" "true" "Fedify resolves the short handle ($out)"
assert_eq "$(jqo .subject)" "acct:alice@$SHORT" "WebFinger subject on the account domain"
assert_eq "$(jqo .actor)" "http://$WEB/users/alice" "the actor's id is on the web domain"
assert_eq "$(jqo .inbox)" "http://$WEB/users/alice/inbox" "and so is its inbox"
wait_for_log "$TMP/access.log" 1 "GET /.well-known/webfinger?resource=acct%3Aalice%40localhost%3A$PORT \|GET /.well-known/webfinger?resource=acct:alice@localhost:$PORT " &&
  pass || fail "the WebFinger request reached serve: $(cat "$TMP/access.log")"

fedify "follow @alice@$SHORT"
assert_eq "$(jqo .ok)" "true" "Fedify's signed Follow of the handle is accepted ($out)"
assert_eq "$(sql "SELECT f.state FROM follows f JOIN accounts r ON r.id = f.follower_id WHERE r.actor_uri = '$FED'")" \
  "accepted" "the follow is recorded"
fedify "wait-accept 30"
assert_eq "$(jqo .ok)" "true" "Fedify received an Accept and verified its signature ($out)"
assert_eq "$(jqo .accept.actor)" "http://$WEB/users/alice" "the Accept comes from alice on the web domain"
assert_eq "$(jqo .accept.object)" "$(sql "SELECT activity_uri FROM follows")" "it accepts Fedify's Follow"

stop_fedify
stop_serve TERM
assert_eq "$serve_rc" "0" "server stopped cleanly"
finish
