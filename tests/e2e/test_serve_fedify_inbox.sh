#!/usr/bin/env bash
# Fedify (an independent ActivityPub implementation, tests/interop/fedify_peer.mjs) on another
# loopback port talks to instctl serve's inbox: a signed Follow, answered by instctl with an
# Accept that Fedify verifies; a signed Flag that `instctl reports list` shows; an Undo after
# which the follower is gone; a Follow of a user who approves followers by hand, accepted with
# `users follow-requests approve`; instctl remembers that Fedify 1.5.9 takes draft-cavage; the
# Follow and the Accept move the inbox and delivery counters of GET /metrics. Then Fedify 2 (Node 22), once signing first with RFC 9421
# and once with draft-cavage: instctl takes each Follow at the first knock (no 401) and Fedify
# verifies the Accept, signed with the standard instctl says it used for that peer: the one
# Fedify signed with; the inbox counter names that standard (standard="rfc9421" for the first).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/fedify_lib.sh"

PORT=$(free_port)
HOST=localhost:$PORT
"$BIN" init --domain "$HOST" --public-url "http://$HOST" >/dev/null 2>&1 || exit 1
ok config set federation.allow_http true
ok config set federation.allow_private_addresses true
ok users create alice --email alice@example.com
ok config set server.metrics local
start_serve "$PORT" --access-log "$TMP/access.log"

start_fedify "$HOST"

follower_state() {
  sql "SELECT f.state FROM follows f JOIN accounts r ON r.id = f.follower_id
       WHERE r.actor_uri = '$FED' AND f.followed_id = (SELECT id FROM accounts WHERE username = 'alice' AND domain = '')"
}
inbox_posts() { grep -c ' POST /inbox \| POST /users/alice/inbox ' "$TMP/access.log" || true; }

fedify "follow alice"
assert_eq "$(jqo .ok)" "true" "Fedify's signed Follow is accepted by instctl ($out)"
assert_eq "$(follower_state)" "accepted" "the follow is recorded"
fedify "wait-accept 30"
assert_eq "$(jqo .ok)" "true" "Fedify received an Accept and verified its signature ($out)"
assert_eq "$(jqo .accept.actor)" "http://$HOST/users/alice" "the Accept comes from alice"
assert_eq "$(jqo .accept.object)" "$(sql "SELECT activity_uri FROM follows")" "it accepts Fedify's Follow"
# The peer has the Accept before serve reads the peer's answer and marks the job delivered.
accept_state() { sql "SELECT state FROM deliveries WHERE activity_type = 'Accept'"; }
wait_until 10 eval '[ "$(accept_state)" = delivered ]'
assert_eq "$(accept_state)" "delivered" "serve's delivery worker sent it"
# metric SERIES: its value in GET /metrics (test_serve_metrics.sh checks the rest).
metric() { req /metrics; printf '%s\n' "$body" | awk -v s="$1" 'index($0, s " ") == 1 { print $2 }'; }
assert_eq "$(metric 'instctl_inbox_activities_total{type="Follow",outcome="accepted",standard="cavage"}')" \
  "1" "Fedify's Follow moved the inbox counter"
wait_until 10 eval '[ "$(metric '\''instctl_deliveries_total{outcome="delivered"}'\'')" = 1 ]'
assert_eq "$(metric 'instctl_deliveries_total{outcome="delivered"}')" "1" "the Accept moved the delivery counter"
peer_learned() {
  "$BIN" --json federation peers | jq -r --arg d "$1" '.[] | select(.domain == $d) | .signature_learned'
}
assert_eq "$(peer_learned "$FED_HOST")" "cavage" \
  "after one delivery instctl remembers draft-cavage for Fedify 1.5.9"

fedify "flag alice spam from alice"
assert_eq "$(jqo .ok)" "true" "Fedify's signed Flag is accepted ($out)"
out=$("$BIN" --json reports list --origin remote)
assert_eq "$(jqo 'length')" "1" "reports list shows one remote report"
assert_eq "$(jqo '.[0].target') | $(jqo '.[0].origin') | $(jqo '.[0].comment')" \
  "alice | $FED_HOST | spam from alice" "the Flag's target, origin and comment"

fedify "undo alice"
assert_eq "$(jqo .ok)" "true" "Fedify's signed Undo is accepted ($out)"
assert_eq "$(follower_state)" "" "the follower is gone"
req -H 'Accept: application/activity+json' /users/alice/followers
assert_eq "$(jqb .totalItems)" "0" "alice's followers collection is empty again"
wait_for_log "$TMP/access.log" 3 ' POST /inbox \| POST /users/alice/inbox '
assert_eq "$(inbox_posts)" "3" "three inbox POSTs in the access log"

# alice now approves followers by hand: Fedify's next Follow waits until the CLI approves it.
ok users modify alice --approve-followers manual
fedify "follow alice"
assert_eq "$(jqo .ok)" "true" "Fedify follows alice again ($out)"
second_follow=$(jqo .follow)
assert_eq "$(follower_state)" "pending" "the follow waits for alice's decision"
fedify "wait-accept 2 2"
assert_eq "$(jqo .ok)" "false" "no Accept before the decision"
ok users follow-requests approve alice "fed@$FED_HOST"
fedify "wait-accept 30 2"
assert_eq "$(jqo .ok)" "true" "after approval Fedify receives an Accept and verifies it ($out)"
assert_eq "$(jqo .accept.object)" "$second_follow" "it accepts the second Follow"
assert_eq "$(follower_state)" "accepted" "the follow is accepted"

stop_fedify

# The signature standard instctl says it signed with for a peer: the one `federation peers`
# says worked (or else plans), draft-cavage while instctl signs with nothing else.
sent_signature() {
  local got
  got=$("$BIN" --json federation peers |
    jq -r --arg d "$1" '.[] | select(.domain == $d) | .signature_learned // .signature // empty')
  case "$got" in
    rfc9421) echo rfc9421 ;;
    cavage | "") echo draft-cavage-http-signatures-12 ;;
    *) echo "$got" ;;
  esac
}

accepts_delivered() { sql "SELECT count(*) FROM deliveries WHERE activity_type = 'Accept' AND state = 'delivered'"; }

ok users modify alice --approve-followers auto
for knock in rfc9421 draft-cavage-http-signatures-12; do
  posts=$(inbox_posts) delivered=$(accepts_delivered)
  standard=$([ "$knock" = rfc9421 ] && echo rfc9421 || echo cavage)
  follows_counted=$(metric "instctl_inbox_activities_total{type=\"Follow\",outcome=\"accepted\",standard=\"$standard\"}")
  start_fedify2 "$knock" "$HOST"
  fedify "follow alice"
  assert_eq "$(jqo .ok)" "true" "Fedify 2 ($knock first) follows alice ($out)"
  assert_eq "$(jqo -c '[.knocks[] | "\(.signature) \(.status)"]')" "[\"$knock 202\"]" \
    "Fedify 2 ($knock first): one knock, accepted at once"
  wait_for_log "$TMP/access.log" $((posts + 1)) ' POST /inbox \| POST /users/alice/inbox '
  assert_eq "$(inbox_posts)" "$((posts + 1))" "Fedify 2 ($knock first): one inbox POST in the access log"
  assert_eq "$(follower_state)" "accepted" "Fedify 2 ($knock first): the follow is recorded"
  assert_eq "$(metric "instctl_inbox_activities_total{type=\"Follow\",outcome=\"accepted\",standard=\"$standard\"}")" \
    "$((${follows_counted:-0} + 1))" "Fedify 2 ($knock first): the inbox counter names the standard $standard"
  fedify "wait-accept 30"
  assert_eq "$(jqo .ok)" "true" "Fedify 2 ($knock first) received an Accept and verified its signature ($out)"
  assert_eq "$(jqo .accept.object)" "$(sql "SELECT f.activity_uri FROM follows f JOIN accounts r ON r.id = f.follower_id WHERE r.actor_uri = '$FED'")" \
    "Fedify 2 ($knock first): it accepts the Follow"
  wait_until 10 eval '[ "$(accepts_delivered)" -gt "$delivered" ]'
  assert_eq "$(jqo .accept.signature)" "$(sent_signature "$FED_HOST")" \
    "Fedify 2 ($knock first): the Accept is signed with the standard instctl says it used"
  assert_eq "$(jqo .accept.signature)" "$knock" \
    "Fedify 2 ($knock first): instctl answers in the standard Fedify signed with"
  stop_fedify
done
assert_not_contains "$(grep ' POST /inbox \| POST /users/alice/inbox ' "$TMP/access.log")" '" 401 ' \
  "no inbox POST was refused with 401"

stop_serve TERM
assert_eq "$serve_rc" "0" "server stopped cleanly"
finish
