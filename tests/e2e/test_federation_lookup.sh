#!/usr/bin/env bash
# federation lookup and peers against a local peer: WebFinger shapes, hostile answers, the
# outbound guards, and every failure as a clear error with exit 7 (8 when policy refuses).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/peer.sh"

ROOT=$TMP/peer
setup() {
  new_instance
  ok config set federation.allow_http true
  ok config set federation.allow_private_addresses true
  start_peer "$ROOT"
  peer_account "$ROOT" alice
}

test_lookup() {
  ok --json federation lookup "alice@$PEER_HOST"
  assert_eq "$(jqo .id)" "$PEER_BASE/users/alice" "actor id"
  assert_eq "$(jqo .acct)" "alice@$PEER_HOST" "acct"
  assert_eq "$(jqo .shared_inbox)" "$PEER_BASE/inbox" "shared inbox"
  assert_eq "$(jqo .key_id)" "$PEER_BASE/users/alice#main-key" "key id"
  assert_eq "$(jqo .software)" "mastodon" "software from NodeInfo"
  assert_eq "$(sql "SELECT inbox_url || ' ' || CAST((public_key_pem LIKE '-----BEGIN PUBLIC KEY%') AS INTEGER) FROM accounts WHERE domain = '$PEER_HOST'")" \
    "$PEER_BASE/users/alice/inbox 1" "account recorded with inbox and key"
  ok --json federation peers
  assert_eq "$(jqo '.[0].domain')" "$PEER_HOST" "peer listed"
  assert_eq "$(jqo '.[0].software_version')" "4.3.0" "peer software version"
  # A second look-up refreshes the same account; by URL too.
  ok --json federation lookup "@alice@$PEER_HOST"
  ok --json federation lookup "$PEER_BASE/users/alice"
  assert_eq "$(jqo .acct)" "alice@$PEER_HOST" "URL look-up"
  assert_eq "$(sql "SELECT count(*) FROM accounts WHERE domain = '$PEER_HOST'")" "1" "one account"
  ok --json audit list --action federation.lookup
  assert_eq "$(jqo 'length')" "3" "look-ups audited"
}

test_gotosocial_shape() {
  peer_account "$ROOT" gts
  # GoToSocial: ld+json with the ActivityStreams profile, no aliases; an actor with extra JSON-LD.
  cat >"$ROOT/webfinger/gts.json" <<'JSON'
{"subject":"acct:gts@{host}","links":[{"rel":"self","type":"application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"","href":"{base}/users/gts"}]}
JSON
  jq '. + {"@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1", {"toot": "http://joinmastodon.org/ns#", "featured": {"@id": "toot:featured", "@type": "@id"}}], "featured": "{base}/users/gts/collections/featured", "url": {"type": "Link", "href": "{base}/@gts"}}' \
    "$ROOT/actors/gts.json" >"$ROOT/actors/gts.json.new" && mv "$ROOT/actors/gts.json.new" "$ROOT/actors/gts.json"
  ok --json federation lookup "gts@$PEER_HOST"
  assert_eq "$(jqo .url)" "$PEER_BASE/@gts" "Link url"
}

test_hostile_webfinger() {
  local n
  for n in 1 2 3; do
    sed "s/quitter\.no/{host}/g" "$SRC/tests/fixtures/mastodon/webfinger-hacker$n.http" >"$ROOT/webfinger/gargron.http"
    expect 7 federation lookup "gargron@$PEER_HOST"
  done
  # hacker1: the account has no actor; 2: another user of the host; 3: another host's name.
  assert_contains "$err" "localhost@kickass.zone" "hacker3 refused"
  sed "s/quitter\.no/{host}/g" "$SRC/tests/fixtures/mastodon/webfinger-hacker2.http" >"$ROOT/webfinger/gargron.http"
  expect 7 federation lookup "gargron@$PEER_HOST"
  assert_contains "$err" "catsrgr8@$PEER_HOST instead of gargron@$PEER_HOST" "hacker2 refused"
  sed "s/quitter\.no/{host}/g" "$SRC/tests/fixtures/mastodon/webfinger-hacker1.http" >"$ROOT/webfinger/gargron.http"
  expect 7 federation lookup "gargron@$PEER_HOST"
  assert_contains "$err" "no ActivityPub actor" "hacker1 refused"
  assert_eq "$(sql "SELECT count(*) FROM accounts WHERE username = 'gargron'")" "0" "nothing recorded"
  # An actor document on another host than the one asked: refused.
  peer_account "$ROOT" mallory
  sed -i 's#{base}/users/mallory#https://elsewhere.example/users/mallory#g' "$ROOT/actors/mallory.json"
  expect 7 federation lookup "mallory@$PEER_HOST"
  assert_contains "$err" "another host" "foreign actor id refused"
}

test_bad_answers() {
  expect 7 federation lookup "nobody@$PEER_HOST"
  assert_contains "$err" "404" "unknown account"
  peer_account "$ROOT" html
  printf '<html>not an actor</html>' >"$ROOT/actors/html.json"
  expect 7 federation lookup "html@$PEER_HOST"
  assert_contains "$err" "not a JSON object" "non-JSON actor"
  peer_account "$ROOT" big
  printf '{"subject":"acct:big@{host}","links":[{"rel":"self","type":"application/activity+json","href":"{base}/big"}]}' \
    >"$ROOT/webfinger/big.json"
  expect 7 federation lookup "big@$PEER_HOST"
  assert_contains "$err" "larger than 1024 KiB" "oversized answer"
  printf '{"subject":"acct:slow@{host}","links":[{"rel":"self","type":"application/activity+json","href":"{base}/slow"}]}' \
    >"$ROOT/webfinger/slow.json"
  INSTCTL_HTTP_TIMEOUT=1 expect 7 federation lookup "slow@$PEER_HOST"
  assert_contains "$err" "did not answer within 1 s" "timeout"
  expect 7 federation lookup "alice@127.0.0.1:1"
  assert_contains "$err" "127.0.0.1:1" "connection refused names the host"
  expect 2 federation lookup "not-an-acct"
  expect 2 --json federation lookup "@nobody"
}

test_guards_and_policy() {
  ok config set federation.allow_private_addresses false
  expect 7 federation lookup "alice@$PEER_HOST"
  assert_contains "$err" "federation.allow_private_addresses" "private address refused"
  ok config set federation.allow_private_addresses true
  ok config set federation.allow_http false
  expect 7 federation lookup "alice@$PEER_HOST"  # https to a plain-http server fails
  expect 7 federation lookup "$PEER_BASE/users/alice"
  assert_contains "$err" "federation.allow_http" "plain http refused"
  ok config set federation.allow_http true
  ok federation block 127.0.0.1 --severity suspend
  expect 8 --json federation lookup "alice@$PEER_HOST"
  assert_eq "$(jqo .error.kind)" "policy" "blocked domain refused by policy"
  ok --json federation peers
  assert_eq "$(jqo '.[0].block')" "suspend" "peers show the block state"
  ok federation unblock 127.0.0.1
  ok federation mode allowlist
  expect 8 federation lookup "alice@$PEER_HOST"
  assert_contains "$err" "allowlist" "allowlist mode refuses unknown domains"
  ok federation allow 127.0.0.1
  ok federation lookup "alice@$PEER_HOST"
  ok federation mode blocklist
}

setup
test_lookup
test_gotosocial_shape
test_hostile_webfinger
test_bad_answers
test_guards_and_policy
finish
