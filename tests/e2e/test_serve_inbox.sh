#!/usr/bin/env bash
# The inbox of instctl serve against a fake peer whose actors sign with their own keys:
# Follow (accepted, or pending for manual approval) answered by a signed Accept, Undo, Flag,
# Update and Delete of an actor, ignored types; and every refusal (another key, tampered body,
# stale Date, unsigned, uncovered headers, key of another actor, 300 KiB, not JSON, a NUL in
# the actor's host, suspended domain) with the server still up and nothing recorded.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/peer.sh"

ROOT=$TMP/peer
PORT=$(free_port)
DOMAIN=localhost:$PORT
URL=http://$DOMAIN
"$BIN" init --domain "$DOMAIN" --public-url "$URL" --title "Inbox Test" >/dev/null 2>&1 || exit 1
ok config set federation.allow_http true
ok config set federation.allow_private_addresses true
ok users create alice --email alice@example.com
ok users create mona --email mona@example.com
sql "UPDATE accounts SET manually_approves_followers = 1 WHERE username = 'mona'"
start_peer "$ROOT"
peer_account "$ROOT" pat
peer_account "$ROOT" rex
# --no-deliver: the queued Accepts stay in the queue for the checks; delivery is tested below.
start_serve "$PORT" --no-deliver

PAT=$PEER_BASE/users/pat
REX=$PEER_BASE/users/rex

# post PATH BODY [sign_post.py OPTIONS]: POSTs BODY signed as pat (unless --as NAME) to PATH;
# sets $status and $body.
post() {
  local path=$1 json=$2 as=pat
  shift 2
  if [ "${1:-}" = "--as" ]; then as=$2; shift 2; fi
  local key_id=$PEER_BASE/users/$as#main-key
  if [ "${1:-}" = "--key-id" ]; then key_id=$2; shift 2; fi
  local res
  res=$(printf '%s' "$json" | python3 "$SRC/tests/servers/sign_post.py" --key "$ROOT/keys/$as.pem" \
    --key-id "$key_id" --url "$URL$path" "$@")
  status=$(jq -r .status <<<"$res")
  body=$(jq -r .body <<<"$res")
}
follow_json() {  # ID ACTOR OBJECT
  jq -nc --arg id "$1" --arg a "$2" --arg o "$3" \
    '{"@context":"https://www.w3.org/ns/activitystreams",id:$id,type:"Follow",actor:$a,object:$o}'
}
followers_of() { sql "SELECT count(*) FROM follows f JOIN accounts l ON l.id = f.followed_id WHERE l.username = '$1' AND l.domain = ''"; }
state_of_follow() { sql "SELECT f.state FROM follows f JOIN accounts r ON r.id = f.follower_id JOIN accounts l ON l.id = f.followed_id WHERE r.actor_uri = '$1' AND l.username = '$2'"; }
counts() { sql "SELECT (SELECT count(*) FROM follows) || ' ' || (SELECT count(*) FROM reports) || ' ' || (SELECT count(*) FROM deliveries) || ' ' || (SELECT count(*) FROM accounts WHERE domain <> '') || ' ' || (SELECT count(*) FROM audit_log)"; }

test_refusals_record_nothing() {
  local before
  before=$(counts)
  local f
  f=$(follow_json "$PAT/follows/1" "$PAT" "$URL/users/alice")
  post /inbox "$f" --as rex --key-id "$PEER_BASE/users/pat#main-key"
  expect_status 401 "signed with another actor's key under pat's keyId"
  assert_contains "$body" "does not verify" "401 names the bad signature"
  post /inbox "$f" --tamper
  expect_status 401 "tampered body (Digest mismatch)"
  assert_contains "$body" "Digest" "401 names the Digest"
  post /inbox "$f" --age $((13 * 3600))
  expect_status 401 "Date 13 h old"
  assert_contains "$body" "Date" "401 names the Date"
  post /inbox "$f" --unsigned
  expect_status 401 "unsigned POST"
  req -X POST -H 'Content-Type: application/activity+json' --data "$f" /inbox
  expect_status 401 "a bare POST without Date, Digest or Signature"
  post /inbox "$f" --headers "(request-target) date digest"
  expect_status 401 "host not signed"
  assert_contains "$body" "host" "401 names the missing header"
  post /inbox "$f" --headers "host date digest"
  expect_status 401 "(request-target) not signed"
  post /inbox "$f" --headers "(request-target) host digest"
  expect_status 401 "date not signed"
  post /inbox "$f" --headers "(request-target) host date"
  expect_status 401 "digest not signed"
  post /inbox "$(follow_json "$REX/follows/1" "$REX" "$URL/users/alice")"
  expect_status 401 "pat's valid signature on an activity whose actor is rex"
  assert_contains "$body" "not to the activity's actor" "401 names the owner mismatch"
  head -c $((300 * 1024)) /dev/zero | tr '\0' 'a' >"$TMP/big"
  post /inbox "{\"type\":\"Follow\",\"pad\":\"$(cat "$TMP/big")\"}"
  expect_status 413 "a 300 KiB body"
  post /inbox 'this is {not json'
  expect_status 400 "invalid JSON"
  post /inbox '{"type":"Follow"}'
  expect_status 400 "an activity without an actor"
  post /inbox '["an array"]'
  expect_status 400 "a JSON array"
  # A NUL in the actor's host: a policy check would read one domain and a resolver another, so
  # such a host is no host at all, whatever the signature.
  post /inbox "$(follow_json "$PAT/follows/nul" "http://127.0.0.1@NUL@.allowed.example:${PEER_BASE##*:}/users/pat" \
    "$URL/users/alice" | sed 's/@NUL@/\\u0000/')"
  expect_status 400 "an actor URL with a NUL in its host"
  assert_contains "$body" "no actor URL" "400 says the actor URL is not one"
  ok federation block 127.0.0.1 --severity suspend
  post /inbox "$f"
  expect_status 403 "a sender on a suspended domain"
  ok federation unblock 127.0.0.1
  req /health
  expect_status 200 "the server is still up"
  local after
  after=$(counts)
  # The two block commands wrote their own audit entries; nothing else changed.
  local b=(${before}) a=(${after})
  assert_eq "${a[0]} ${a[1]} ${a[2]} ${a[3]}" "${b[0]} ${b[1]} ${b[2]} ${b[3]}" \
    "no follow, report, delivery or account recorded"
  assert_eq "${a[4]}" "$((b[4] + 2))" "no audit entry but the block and unblock"
  assert_eq "$(grep -c . "$PEER_LOG" || true)" "0" "nothing was sent to the peer"
}

test_follow_accept_undo() {
  post /inbox "$(follow_json "$PAT/follows/1" "$PAT" "$URL/users/alice")"
  expect_status 202 "a signed Follow on the shared inbox"
  assert_eq "$(state_of_follow "$PAT" alice)" "accepted" "the follow is recorded as accepted"
  assert_eq "$(sql "SELECT username || '@' || domain FROM accounts WHERE actor_uri = '$PAT'")" \
    "pat@$PEER_HOST" "the follower's account is recorded"
  local accept
  accept=$(sql "SELECT activity FROM deliveries WHERE activity_type = 'Accept'")
  out=$accept
  assert_eq "$(jqo .actor) $(jqo .object.id) $(jqo .object.actor) $(jqo .object.object)" \
    "$URL/users/alice $PAT/follows/1 $PAT $URL/users/alice" "an Accept of that Follow is queued"
  assert_eq "$(sql "SELECT inbox_url FROM deliveries WHERE activity_type = 'Accept'")" \
    "$PAT/inbox" "to the follower's inbox"
  req -H 'Accept: application/activity+json' /users/alice/followers
  assert_eq "$(jqb .totalItems)" "1" "alice's followers collection counts pat"

  # A key rotation announces the very document GET /users/alice serves, with the new key.
  ok users rotate-keys alice
  local update
  update=$(sql "SELECT activity FROM deliveries WHERE activity_type = 'Update'")
  req -H 'Accept: application/activity+json' /users/alice
  expect_status 200 "alice's actor after the rotation"
  assert_eq "$(jq -Sc .object <<<"$update")" "$(jqb -Sc .)" "the Update carries the served actor"
  assert_eq "$(jq -c '.object | [.discoverable, .indexable, .tag, .attachment] | map(select(. != null)) | length' <<<"$update")" \
    "4" "with discoverable, indexable, tag and attachment"
  assert_eq "$(jq -r .object.publicKey.publicKeyPem <<<"$update")" \
    "$(sql "SELECT public_key_pem FROM accounts WHERE username = 'alice' AND domain = ''")" "and the new key"
  assert_eq "$(jq -c '."@context"' <<<"$update")" "$(jqb -c '."@context"')" "under the actor's context"

  post /inbox "$(follow_json "$PAT/follows/1" "$PAT" "$URL/users/alice")"
  expect_status 202 "the same Follow again"
  assert_eq "$(sql "SELECT count(*) FROM deliveries WHERE activity_type = 'Accept'")" "1" \
    "a redelivered Follow queues no second Accept"

  post /users/mona/inbox "$(follow_json "$PAT/follows/2" "$PAT" "$URL/users/mona")"
  expect_status 202 "a Follow of mona on her own inbox"
  assert_eq "$(state_of_follow "$PAT" mona)" "pending" "pending: mona approves followers by hand"
  assert_eq "$(sql "SELECT count(*) FROM deliveries WHERE activity_type = 'Accept'")" "1" \
    "no Accept for a pending follow"

  local undo
  undo=$(jq -nc --arg a "$PAT" --arg o "$URL/users/alice" \
    '{id:($a+"/undo/1"),type:"Undo",actor:$a,object:{id:($a+"/follows/1"),type:"Follow",actor:$a,object:$o}}')
  post /inbox "$undo"
  expect_status 202 "Undo of the Follow"
  assert_eq "$(followers_of alice)" "0" "the follower is gone"
  undo=$(jq -nc --arg a "$PAT" '{id:($a+"/undo/2"),type:"Undo",actor:$a,object:($a+"/follows/2")}')
  post /inbox "$undo"
  expect_status 202 "Undo naming the Follow by URI"
  assert_eq "$(followers_of mona)" "0" "the pending follow is gone"
  # Some servers undo a follow by naming the followed actor itself (a plain URL).
  post /inbox "$(follow_json "$PAT/follows/4" "$PAT" "$URL/users/alice")"
  expect_status 202 "pat follows alice again"
  assert_eq "$(followers_of alice)" "1" "pat follows alice"
  undo=$(jq -nc --arg a "$PAT" '{id:($a+"/undo/5"),type:"Undo",actor:$a,object:"'"$URL"'/users/mona"}')
  post /inbox "$undo"
  expect_status 202 "Undo naming an actor pat does not follow"
  assert_eq "$(followers_of alice)" "1" "ends no other follow"
  undo=$(jq -nc --arg a "$PAT" '{id:($a+"/undo/4"),type:"Undo",actor:$a,object:"'"$URL"'/users/alice"}')
  post /inbox "$undo"
  expect_status 202 "Undo naming alice's actor URL"
  assert_eq "$(followers_of alice)" "0" "the Undo of the followed actor ends the follow"

  post /users/nobody/inbox "$(follow_json "$PAT/follows/3" "$PAT" "$URL/users/nobody")"
  expect_status 404 "the inbox of an unknown user"
  post /inbox "$(follow_json "$PAT/follows/3" "$PAT" "$URL/users/nobody")"
  expect_status 202 "a Follow of an unknown user is ignored"
  assert_eq "$(sql "SELECT count(*) FROM follows")" "0" "and records nothing"
}

test_flag() {
  local flag
  flag=$(jq -nc --arg a "$PAT" --arg o "$URL/users/alice" \
    '{"@context":["https://www.w3.org/ns/activitystreams"],id:($a+"/flags/1"),type:"Flag",actor:$a,object:[$o],content:"spam from alice"}')
  post /inbox "$flag"
  expect_status 202 "a signed Flag"
  out=$("$BIN" --json reports list --origin remote)
  assert_eq "$(jqo 'length') $(jqo '.[0].comment') $(jqo '.[0].origin')" \
    "1 spam from alice $PEER_HOST" "the Flag became a remote report"
  ok federation block 127.0.0.1 --severity noop --reject-reports
  flag=$(jq -c '.id += "x"' <<<"$flag")
  post /inbox "$flag"
  expect_status 202 "a Flag from a domain with reject_reports is answered"
  assert_eq "$(sql "SELECT count(*) FROM reports")" "1" "but dropped"
  ok federation unblock 127.0.0.1
}

test_update_and_delete_actor() {
  post /inbox "$(follow_json "$PAT/follows/4" "$PAT" "$URL/users/alice")"
  expect_status 202 "pat follows alice again"
  local actor
  actor=$(sed "s|{base}|$PEER_BASE|g" "$ROOT/actors/pat.json" | jq -c '.name = "Pat Renamed"')
  post /inbox "$(jq -nc --arg a "$PAT" --argjson o "$actor" '{id:($a+"#update-1"),type:"Update",actor:$a,object:$o}')"
  expect_status 202 "Update of the actor"
  assert_eq "$(sql "SELECT display_name FROM accounts WHERE actor_uri = '$PAT'")" "Pat Renamed" \
    "the profile is refreshed"
  post /inbox "$(jq -nc --arg a "$PAT" '{id:($a+"/notes/1"),type:"Create",actor:$a,object:{type:"Note",content:"hi"}}')"
  expect_status 202 "a Create is answered 202"
  post /inbox "$(jq -nc --arg a "$PAT" '{id:($a+"#delete"),type:"Delete",actor:$a,object:$a}')"
  expect_status 202 "Delete of the actor"
  assert_eq "$(followers_of alice)" "0" "its follows are removed"
}

test_key_rotation() {
  # rex changes his key; instctl holds the old one and fetches the new one once.
  post /inbox "$(follow_json "$REX/follows/1" "$REX" "$URL/users/alice")" --as rex
  expect_status 202 "rex follows alice (his key is fetched and cached)"
  cp "$ROOT/keys/rex.pem" "$TMP/rex-old.pem"
  peer_account "$ROOT" rex
  post /inbox "$(follow_json "$REX/follows/2" "$REX" "$URL/users/mona")" --as rex
  expect_status 202 "after a key change, the new key is fetched again"
  local pem
  pem=$(openssl pkey -in "$ROOT/keys/rex.pem" -pubout)
  assert_eq "$(sql "SELECT public_key_pem FROM accounts WHERE actor_uri = '$REX'")" "$pem" \
    "the cached key is the new one"
  cp "$TMP/rex-old.pem" "$ROOT/keys/rex.pem"
  post /inbox "$(follow_json "$REX/follows/3" "$REX" "$URL/users/alice")" --as rex
  expect_status 401 "the old key no longer verifies"
}

test_delivery_by_serve() {
  # A second server on the same database, with its delivery worker, sends the queued Accept.
  stop_serve TERM
  assert_eq "$serve_rc" "0" "stopped"
  start_serve "$PORT"
  delivered() { sql "SELECT count(*) FROM deliveries WHERE state = 'delivered'"; }
  wait_until 10 eval '[ "$(delivered)" -gt 0 ]'
  assert_eq "$(jq -r 'select(.path == "/users/pat/inbox") | .body' "$PEER_LOG" | jq -r .type | sort -u)" \
    "Accept" "serve's worker delivered the Accept to pat's inbox"
  stop_serve TERM
  assert_eq "$serve_rc" "0" "serve with its delivery worker stops cleanly"
}

test_refusals_record_nothing
test_follow_accept_undo
test_flag
test_update_and_delete_actor
test_key_rotation
test_delivery_by_serve
finish
