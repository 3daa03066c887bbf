#!/usr/bin/env bash
# A user who approves followers manually: follows arrive pending through the inbox of
# instctl serve, `users followers [--pending]` lists them, `users follow-requests approve|reject`
# decides (a signed Accept or Reject queued and delivered), and `users modify
# --approve-followers` switches the mode (auto accepts those waiting, and followers get an
# Update of the actor), `users remove-follower` removes a follower with a Reject of its Follow.
# Every refusal has its exit code.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/peer.sh"

ROOT=$TMP/peer
PORT=$(free_port)
DOMAIN=localhost:$PORT
URL=http://$DOMAIN
"$BIN" init --domain "$DOMAIN" --public-url "$URL" >/dev/null 2>&1 || exit 1
ok config set federation.allow_http true
ok config set federation.allow_private_addresses true
ok users create mona --email mona@example.com
ok users create alice --email alice@example.com
start_peer "$ROOT"
for name in pat rex sam; do peer_account "$ROOT" "$name"; done
PAT=$PEER_BASE/users/pat
REX=$PEER_BASE/users/rex
SAM=$PEER_BASE/users/sam
# --no-deliver: answers stay in the queue to be checked; `federation deliver` sends them.
start_serve "$PORT" --no-deliver

follow() {  # NAME TARGET N: a signed Follow by NAME of TARGET; sets $status
  local actor=$PEER_BASE/users/$1
  local json
  json=$(jq -nc --arg id "$actor/follows/$3" --arg a "$actor" --arg o "$URL/users/$2" \
    '{"@context":"https://www.w3.org/ns/activitystreams",id:$id,type:"Follow",actor:$a,object:$o}')
  status=$(printf '%s' "$json" | python3 "$SRC/tests/servers/sign_post.py" --key "$ROOT/keys/$1.pem" \
    --key-id "$actor#main-key" --url "$URL/users/$2/inbox" | jq -r .status)
}
state_of() { sql "SELECT f.state FROM follows f JOIN accounts r ON r.id = f.follower_id JOIN accounts l ON l.id = f.followed_id WHERE r.actor_uri = '$1' AND l.username = '$2'"; }
queued() { sql "SELECT count(*) FROM deliveries WHERE activity_type = '$1'"; }

test_mode_switch_and_pending() {
  ok users modify mona --approve-followers manual
  ok --format json users show mona
  assert_eq "$(jqo .manually_approves_followers)" "true" "mona approves followers by hand"
  assert_eq "$(sql "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1")" "users.modify" "audited"
  expect 2 users modify mona --approve-followers sometimes
  req -H 'Accept: application/activity+json' /users/mona
  assert_eq "$(jqb .manuallyApprovesFollowers)" "true" "her actor says so"

  follow pat mona 1
  assert_eq "$status" "202" "pat's Follow is taken"
  follow rex mona 1
  assert_eq "$status" "202" "rex's Follow is taken"
  assert_eq "$(state_of "$PAT" mona) $(state_of "$REX" mona)" "pending pending" "both wait"
  assert_eq "$(queued Accept)" "0" "nothing is answered yet"

  ok --format json users followers mona --pending
  assert_eq "$(jqo -c '[.[] | [.account, .state, .actor_uri]]')" \
    "[[\"pat@$PEER_HOST\",\"pending\",\"$PAT\"],[\"rex@$PEER_HOST\",\"pending\",\"$REX\"]]" \
    "users followers --pending lists both, oldest first"
  ok users followers mona
  assert_contains "$out" "pat@$PEER_HOST" "the table names the follower"
  ok --format json users followers alice
  assert_eq "$(jqo length)" "0" "alice has no followers"
}

test_approve() {
  ok users follow-requests approve mona "pat@$PEER_HOST"
  assert_contains "$err" "pat@$PEER_HOST now follows mona" "says what happened"
  ok --format json users followers mona
  assert_eq "$(jqo -c '[.[] | [.account, .state]]')" \
    "[[\"pat@$PEER_HOST\",\"accepted\"],[\"rex@$PEER_HOST\",\"pending\"]]" "pat is accepted, rex waits"
  assert_eq "$(state_of "$PAT" mona)" "accepted" "the follow is accepted"
  out=$(sql "SELECT activity FROM deliveries WHERE activity_type = 'Accept'")
  assert_eq "$(jqo .actor) $(jqo .object.id) $(jqo .object.actor) $(jqo .object.object)" \
    "$URL/users/mona $PAT/follows/1 $PAT $URL/users/mona" "an Accept of pat's Follow is queued"
  assert_eq "$(sql "SELECT inbox_url FROM deliveries WHERE activity_type = 'Accept'")" "$PAT/inbox" \
    "to pat's inbox"
  assert_eq "$(sql "SELECT action || ' ' || target FROM audit_log ORDER BY id DESC LIMIT 1")" \
    "users.follow_approve user:mona" "audited"

  expect 4 users follow-requests approve mona "pat@$PEER_HOST"
  assert_contains "$err" "already follows" "approving twice is a conflict"
  follow pat mona 1
  assert_eq "$status" "202" "pat's Follow delivered again"
  assert_eq "$(queued Accept)" "1" "is not answered twice"
}

test_reject() {
  ok users follow-requests reject mona "$REX"
  assert_eq "$(state_of "$REX" mona)" "" "rex's request is gone (named by actor URL)"
  out=$(sql "SELECT activity FROM deliveries WHERE activity_type = 'Reject'")
  assert_eq "$(jqo .type) $(jqo .actor) $(jqo .object.id) $(jqo .object.actor)" \
    "Reject $URL/users/mona $REX/follows/1 $REX" "a Reject of rex's Follow is queued"
  assert_eq "$(jqo '.id | startswith("'"$URL"'/users/mona#rejects/follows/")')" "true" "its id"
  expect 3 users follow-requests reject mona "$REX"
  assert_contains "$err" "no follow request from rex@$PEER_HOST" "no request left"
}

test_refusals() {
  expect 3 users followers nobody
  expect 3 users follow-requests approve nobody "pat@$PEER_HOST"
  expect 3 users follow-requests approve mona "ghost@$PEER_HOST"
  expect 3 users follow-requests approve mona "$PEER_BASE/users/ghost"
  assert_contains "$err" "no known account has the actor URL" "an unknown actor URL"
  expect 2 users follow-requests approve mona alice
  assert_contains "$err" "local user" "a local user is not a follower"
  expect 3 users follow-requests approve alice "pat@$PEER_HOST"
  expect 2 users follow-requests approve mona
  expect 2 users follow-requests
}

test_switch_to_auto_accepts_waiting() {
  follow sam mona 1
  assert_eq "$(state_of "$SAM" mona)" "pending" "sam waits"
  local updates
  updates=$(queued Update)
  ok users modify mona --approve-followers auto
  assert_eq "$(state_of "$SAM" mona)" "accepted" "switching to auto accepts sam"
  assert_eq "$(queued Accept)" "2" "with an Accept for sam"
  assert_eq "$(sql "SELECT json_extract(details, '$.follow_requests_approved') FROM audit_log WHERE action = 'users.modify' ORDER BY id DESC LIMIT 1")" \
    "1" "the audit entry counts the requests approved"
  [ "$(queued Update)" -gt "$updates" ] && pass || fail "followers get an Update of mona's actor"
  out=$(sql "SELECT activity FROM deliveries WHERE activity_type = 'Update' ORDER BY id DESC LIMIT 1")
  assert_eq "$(jqo .object.manuallyApprovesFollowers)" "false" "the Update carries the new setting"
  follow rex mona 2
  assert_eq "$(state_of "$REX" mona)" "accepted" "a new follow is accepted at once"
}

test_remove_follower() {
  ok users remove-follower mona "pat@$PEER_HOST"
  assert_contains "$err" "pat@$PEER_HOST no longer follows mona" "says what happened"
  assert_eq "$(state_of "$PAT" mona)" "" "pat no longer follows mona"
  out=$(sql "SELECT activity FROM deliveries WHERE activity_type = 'Reject' AND inbox_url = '$PAT/inbox'")
  assert_eq "$(jqo .type) $(jqo .actor) $(jqo .object.id) $(jqo .object.actor)" \
    "Reject $URL/users/mona $PAT/follows/1 $PAT" "a Reject of pat's Follow is queued to pat"
  assert_eq "$(sql "SELECT action || ' ' || target FROM audit_log ORDER BY id DESC LIMIT 1")" \
    "users.follower_remove user:mona" "audited"
  expect 3 users remove-follower mona "pat@$PEER_HOST"
  assert_contains "$err" "does not follow mona" "removing twice: exit 3"
  expect 3 users remove-follower alice "$SAM"
  assert_contains "$err" "does not follow alice" "another user's follower: exit 3"
  assert_eq "$(state_of "$SAM" mona)" "accepted" "and it is untouched"
  expect 2 users remove-follower mona alice
  assert_contains "$err" "local user" "a local user is not a follower: exit 2"
  expect 3 users remove-follower nobody "$SAM"
  expect 2 users remove-follower mona
}

test_answers_are_delivered() {
  ok federation deliver
  local accepts rejects
  accepts=$(jq -r 'select(.path == "/users/pat/inbox") | .body | fromjson | .type' "$PEER_LOG" | sort -u)
  assert_contains "$accepts" "Accept" "pat received the Accept"
  rejects=$(jq -r 'select(.path == "/users/rex/inbox") | .body | fromjson | .type' "$PEER_LOG" | sort -u)
  assert_contains "$rejects" "Reject" "rex received the Reject"
  local sig
  sig=$(jq -r 'select(.path == "/users/rex/inbox") | .headers | to_entries[] | select(.key | ascii_downcase == "signature") | .value' "$PEER_LOG" | head -1)
  assert_contains "$sig" "keyId=\"$URL/users/mona#main-key\"" "signed by mona"
}

test_mode_switch_and_pending
test_approve
test_reject
test_refusals
test_switch_to_auto_accepts_waiting
test_remove_follower
test_answers_are_delivered
stop_serve
finish
