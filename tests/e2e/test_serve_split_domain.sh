#!/usr/bin/env bash
# Handles on a short account domain, actors on the web domain (Mastodon's LOCAL_DOMAIN and
# WEB_DOMAIN): two names for one loopback server, localhost:PORT for handles and
# 127.0.0.1:PORT for the web. WebFinger and host-meta answer on both Host names, and the
# instance API, NodeInfo, actors, look-ups and USER arguments agree on which name is which.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

PORT=$(free_port)
SHORT=localhost:$PORT
WEB=127.0.0.1:$PORT
URL=http://$WEB

test_init() {
  expect 2 init --db "$TMP/none.db"
  assert_contains "$err" "--public-url" "init needs a domain or a public URL"
  expect 2 init --domain social.example --public-url https://other.example --db "$TMP/mismatch.db"
  assert_contains "$err" "is not the host of --public-url" "a --domain that is not the URL's host"
  [ ! -e "$TMP/mismatch.db" ] || [ "$(sqlite3 "$TMP/mismatch.db" 'SELECT count(*) FROM instance')" = 0 ] &&
    pass || fail "nothing written for a refused init"
  ok --json init --account-domain Short.Example --public-url https://social.example.com --db "$TMP/doc.db"
  assert_eq "$(jqo '[.domain, .account_domain, .public_url] | join(" ")')" \
    "social.example.com short.example https://social.example.com" "the web domain comes from the public URL"
  ok init --account-domain "$SHORT" --public-url "$URL" --title "Split" --admin ada \
    --admin-email ada@example.com
  assert_contains "$err" "@USER@$SHORT" "init names the handle domain"
  assert_eq "$(sql 'SELECT domain, account_domain FROM instance')" "$WEB|$SHORT" "the split instance"
}

test_cli() {
  ok users create alice --email alice@example.com --display-name "Alice" --note "Writes <short> things"
  ok users modify alice --discoverable
  ok users modify ada --discoverable
  ok --json users show "alice@$SHORT"
  assert_eq "$(jqo .username)" "alice" "USER on the account domain"
  assert_eq "$(jqo .handle)" "@alice@$SHORT" "the handle uses the account domain"
  assert_eq "$(jqo .actor_url)" "$URL/users/alice" "the actor lives on the web domain"
  ok --json users show "@alice@$WEB"
  assert_eq "$(jqo .username)" "alice" "USER on the web domain"
  expect 3 users show "alice@other.example"
  # Local handles are answered from the database: no request leaves, nothing is recorded.
  ok --json federation lookup "@alice@$SHORT"
  assert_eq "$(jqo .id)" "$URL/users/alice" "lookup of a local handle: the actor id"
  assert_eq "$(jqo .acct) $(jqo .local) $(jqo .software)" "alice@$SHORT true instctl" "a local answer"
  ok --json federation lookup "$URL/users/alice"
  assert_eq "$(jqo .acct)" "alice@$SHORT" "lookup of the actor URL"
  ok --json federation lookup "acct:$SHORT@$SHORT"
  assert_eq "$(jqo .id) $(jqo .type)" "$URL/actor Application" "lookup of the instance actor"
  expect 3 federation lookup "nobody@$SHORT"
  assert_contains "$err" "no user 'nobody'" "an unknown local handle"
  assert_eq "$(sql "SELECT count(*) FROM accounts WHERE domain <> ''")" "0" "no remote account recorded"
  assert_eq "$(sql "SELECT count(*) FROM peers")" "0" "no peer recorded"
}

test_webfinger_on_both_names() {
  local host
  for host in "$SHORT" "$WEB"; do
    req -H "Host: $host" "/.well-known/webfinger?resource=acct:alice@$SHORT"
    expect_status 200 "WebFinger of the short handle, Host $host"
    assert_eq "$(jqb .subject)" "acct:alice@$SHORT" "subject on the account domain (Host $host)"
    assert_eq "$(jqb '.links[] | select(.rel == "self") | .href')" "$URL/users/alice" \
      "self link on the web domain (Host $host)"
    req -H "Host: $host" "/.well-known/webfinger?resource=acct:alice@$WEB"
    expect_status 200 "WebFinger of the web-domain handle, Host $host"
    assert_eq "$(jqb .subject)" "acct:alice@$SHORT" "canonical subject (Host $host)"
    req -H "Host: $host" "/.well-known/webfinger?resource=$URL/users/alice"
    expect_status 200 "WebFinger of the actor URL, Host $host"
    assert_eq "$(jqb .subject)" "acct:alice@$SHORT" "actor URL resolves to the short handle (Host $host)"
    req -H "Host: $host" "/.well-known/webfinger?resource=http://$SHORT/users/alice"
    expect_status 404 "actors do not live on the account domain (Host $host)"
    req -H "Host: $host" /.well-known/host-meta
    expect_status 200 "host-meta, Host $host"
    assert_contains "$body" "template=\"$URL/.well-known/webfinger?resource={uri}\"" \
      "host-meta points at the web domain's WebFinger (Host $host)"
    req -H "Host: $host" /.well-known/nodeinfo
    assert_eq "$(jqb '.links[0].href')" "$URL/nodeinfo/2.0" "NodeInfo links to the web domain (Host $host)"
  done
  req -H "Host: $SHORT" "/.well-known/webfinger?resource=acct:$SHORT@$SHORT"
  assert_eq "$(jqb .subject) $(jqb '.links[0].href')" "acct:$SHORT@$SHORT $URL/actor" "the instance actor"
  req -H "Host: elsewhere.example" "/.well-known/webfinger?resource=acct:alice@$SHORT"
  expect_status 421 "a Host that is neither name"
}

test_documents() {
  req -H "Accept: application/activity+json" /users/alice
  assert_eq "$(jqb .id) $(jqb .preferredUsername)" "$URL/users/alice alice" "the actor"
  assert_eq "$(jqb .url)" "$URL/@alice" "profile URL on the web domain"
  req /actor
  assert_eq "$(jqb .preferredUsername)" "$SHORT" "the instance actor is named after the account domain"
  req /api/v1/instance
  assert_eq "$(jqb .uri)" "$SHORT" "v1 uri: the account domain (Mastodon's LOCAL_DOMAIN)"
  assert_eq "$(jqb '.urls | has("streaming_api")')" "false" "v1: no streaming API advertised"
  req /api/v2/instance
  assert_eq "$(jqb .domain)" "$SHORT" "v2 domain: the account domain"
  req /nodeinfo/2.1
  assert_eq "$(jqb .usage.users.total) $(jqb .metadata.nodeName)" "2 Split" "NodeInfo"
  req /api/v1/directory
  assert_eq "$(jqb '[.[].acct] | sort | join(",")')" "ada,alice" "directory accts (local: no domain)"
  assert_eq "$(jqb '.[] | select(.username == "alice") | .url')" "$URL/@alice" "directory url"
}

test_welcome_handle() {
  local code
  code=$("$BIN" -q invites create | sed 's|.*/invite/||')
  sign_up "$code" sam
  expect_status 200 "sign-up"
  assert_contains "$body" "@sam@$SHORT" "the welcome page shows the short handle"
}

test_init
start_serve "$PORT"
test_cli
test_webfinger_on_both_names
test_documents
test_welcome_handle
stop_serve TERM
assert_eq "$serve_rc" "0" "server stopped cleanly"
finish
