#!/usr/bin/env bash
# serve --public-url: every id the running server makes uses the URL given on its command line,
# not the stored server.public_url. Actors, WebFinger links, the Accept the inbox queues for a
# Follow, and the keyId of the signature the in-process worker delivers that Accept with, all
# agree. The stored setting is left as it was.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/peer.sh"

ROOT=$TMP/peer
PORT=$(free_port)
DOMAIN=localhost:$PORT
STORED=https://stored.example
URL=http://$DOMAIN
"$BIN" init --domain stored.example --public-url "$STORED" >/dev/null 2>&1 || exit 1
ok config set federation.allow_http true
ok config set federation.allow_private_addresses true
ok users create alice --email alice@example.com
start_peer "$ROOT"
peer_account "$ROOT" pat
PAT=$PEER_BASE/users/pat

expect 2 serve --listen "127.0.0.1:$(free_port)" --public-url "ftp://x"
assert_contains "$err" "server.public_url" "a bad --public-url names the setting it stands for"

start_serve "$PORT" --public-url "$URL"
assert_contains "$(cat "$SERVE_LOG")" "($URL)" "the start-up line names the URL in force"

req -H 'Accept: application/activity+json' /users/alice
expect_status 200 "alice's actor"
assert_eq "$(jqb .id) $(jqb .inbox) $(jqb .publicKey.id) $(jqb .endpoints.sharedInbox)" \
  "$URL/users/alice $URL/users/alice/inbox $URL/users/alice#main-key $URL/inbox" \
  "the actor's ids are on --public-url"
req "/.well-known/webfinger?resource=acct:alice@$DOMAIN"
assert_eq "$(jqb '.links[] | select(.rel == "self") | .href')" "$URL/users/alice" \
  "WebFinger points at the actor on --public-url"
req -H 'Accept: application/activity+json' /actor
assert_eq "$(jqb .id)" "$URL/actor" "the instance actor too"

follow=$(jq -nc --arg a "$PAT" --arg o "$URL/users/alice" \
  '{"@context":"https://www.w3.org/ns/activitystreams",id:($a+"/follows/1"),type:"Follow",actor:$a,object:$o}')
res=$(printf '%s' "$follow" | python3 "$SRC/tests/servers/sign_post.py" --key "$ROOT/keys/pat.pem" \
  --key-id "$PAT#main-key" --url "$URL/users/alice/inbox")
assert_eq "$(jq -r .status <<<"$res")" "202" "pat's signed Follow of alice is taken"

# The worker inside serve delivers the Accept to pat's inbox.
for _ in $(seq 1 300); do
  grep -q '"/users/pat/inbox"' "$PEER_LOG" && break
  sleep 0.05
done
delivered=$(grep '"/users/pat/inbox"' "$PEER_LOG" | head -1)
[ -n "$delivered" ] || fail "the Accept was not delivered to pat's inbox"
out=$(jq -r .body <<<"$delivered")
assert_eq "$(jqo .type) $(jqo .actor) $(jqo .object.id)" "Accept $URL/users/alice $PAT/follows/1" \
  "the Accept is made by alice on --public-url"
assert_eq "$(jqo '.id | startswith("'"$URL"'/users/alice#accepts/")')" "true" \
  "its id is on --public-url"
signature=$(jq -r '.headers | to_entries[] | select(.key | ascii_downcase == "signature") | .value' \
  <<<"$delivered")
assert_contains "$signature" "keyId=\"$URL/users/alice#main-key\"" \
  "the delivery is signed with the key id on --public-url, which the actor publishes"
assert_not_contains "$signature" "$STORED" "nothing names the stored URL"

stop_serve
assert_eq "$serve_rc" "0" "serve stops cleanly"
ok config get server.public_url
assert_contains "$out" "$STORED" "the stored server.public_url is unchanged"
finish
