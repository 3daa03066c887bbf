#!/usr/bin/env bash
# GET /api/v1/directory (Mastodon's profile directory: Account entities, offset, limit,
# order, local), the onboarding pages with several autofollows and suggested accounts, the
# profile pages (/@USER, escaping, 410, the browser's redirect from /users/USER), and every
# URL the actors, WebFinger and NodeInfo publish answering.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

PORT=$(free_port)
HOST=127.0.0.1:$PORT
URL=http://$HOST
XSS='<script>alert(1)</script>'
NAME='Al <b>x</b> & co'  # display names are at most 30 characters
"$BIN" init --domain "$HOST" --public-url "$URL" --title "Directory" --admin ada \
  --admin-email ada@example.com >/dev/null 2>&1 || { echo "init failed" >&2; exit 1; }
ok config set onboarding.rate_limit 1000/1h
ok users create alice --email alice@example.com --display-name "$NAME" --note "Bio $XSS"$'\n'"line two"
ok users create bob --email bob@example.com
ok users create carol --email carol@example.com
ok users suspend carol --reason "test"
ok users create dave --email dave@example.com
ok users create erin --email erin@example.com --pending
sql "INSERT INTO accounts (username, username_key, domain, actor_uri, created_at, updated_at)
     VALUES ('far', 'far', 'remote.example', 'https://remote.example/users/far', 0, 0)"
# 85 more members, so that pages and the limit's ceiling show.
{ echo username,email; for i in $(seq -w 1 85); do echo "m$i,m$i@example.com"; done; } >"$TMP/members.csv"
ok users import "$TMP/members.csv"
# New accounts are not listed until they opt in: every one here but dave has.
sql "UPDATE accounts SET discoverable = 1 WHERE domain = '' AND username <> 'dave'"
# alice changed her profile last: she is the most recently active.
INSTCTL_NOW=2099-01-01T00:00:00Z ok users modify alice --display-name "$NAME"
start_serve "$PORT"

test_shape() {
  req "/api/v1/directory?limit=80"
  expect_status 200 "directory"
  assert_contains "$headers" "content-type: application/json" "JSON"
  assert_contains "$headers" "access-control-allow-origin: *" "CORS"
  local a='.[] | select(.username == "alice")'
  assert_eq "$(jqb "$a | [has(\"id\", \"username\", \"acct\", \"display_name\", \"note\", \"url\", \"uri\",
    \"avatar\", \"avatar_static\", \"header\", \"header_static\", \"created_at\", \"followers_count\",
    \"following_count\", \"statuses_count\", \"last_status_at\", \"locked\", \"bot\", \"discoverable\",
    \"group\", \"fields\", \"emojis\")] | all")" "true" "every field of Mastodon's Account"
  assert_eq "$(jqb "$a | [(.id | type), (.followers_count | type), (.locked | type), (.fields | type),
    (.emojis | type), (.last_status_at | type)] | join(\",\")")" "string,number,boolean,array,array,null" "field types"
  assert_eq "$(jqb "$a | .acct")" "alice" "acct: the username, as Mastodon for local accounts"
  assert_eq "$(jqb "$a | .url") $(jqb "$a | .uri")" "$URL/@alice $URL/users/alice" "url and uri"
  assert_eq "$(jqb "$a | .display_name")" "$NAME" "display_name is text"
  assert_eq "$(jqb "$a | .note")" "<p>Bio &lt;script&gt;alert(1)&lt;/script&gt;<br>line two</p>" "note: escaped HTML"
  assert_eq "$(jqb "$a | .created_at | test(\"^[0-9]{4}-[0-9]{2}-[0-9]{2}T00:00:00.000Z$\")")" "true" "created_at"
  assert_eq "$(jqb "$a | .discoverable") $(jqb "$a | .bot") $(jqb "$a | .statuses_count")" "true false 0" "flags"
  local avatar
  avatar=$(jqb "$a | .avatar")
  assert_eq "$avatar" "$URL/avatars/original/missing.png" "avatar"
  req "${avatar#"$URL"}"
  expect_status 200 "the avatar is served"
  assert_contains "$headers" "content-type: image/png" "as a PNG"
}

test_who_is_listed() {
  req "/api/v1/directory?limit=80&order=new"
  local names
  names=$(jqb '[.[].username] | join(",")')
  assert_not_contains ",$names," ",carol," "suspended accounts are left out"
  assert_not_contains ",$names," ",dave," "undiscoverable accounts are left out"
  assert_not_contains ",$names," ",erin," "pending accounts are left out"
  assert_not_contains ",$names," ",far," "remote accounts are left out"
  req "/api/v1/directory?limit=80&local=true"
  assert_eq "$(jqb 'length')" "80" "local=true: only local accounts anyway"
  req "/api/v1/directory?local=false&limit=1"
  expect_status 200 "local=false"
  ok users unsuspend carol
  req "/api/v1/directory?limit=80&order=new&offset=80"
  assert_contains "$(jqb '[.[].username] | join(",")')" "carol" "listed again at the next request"
}

test_pages_and_orders() {
  # ada, alice, bob, carol and 85 members are listed: 89.
  req /api/v1/directory
  assert_eq "$(jqb 'length')" "40" "the default limit is 40"
  assert_eq "$(jqb '.[0].username')" "alice" "order=active by default: the latest change first"
  req "/api/v1/directory?limit=500"
  assert_eq "$(jqb 'length')" "80" "a limit over 80 is clamped to 80, as Mastodon does"
  local all="" page offset
  for offset in 0 40 80; do
    req "/api/v1/directory?order=new&offset=$offset"
    page=$(jqb '[.[].username] | join(",")')
    all="$all${all:+,}$page"
  done
  assert_eq "$(tr ',' '\n' <<<"$all" | wc -l)" "89" "the pages add up to every listed account"
  assert_eq "$(tr ',' '\n' <<<"$all" | sort -u | wc -l)" "89" "with no account twice"
  assert_eq "$(cut -d, -f1 <<<"$all")" "m85" "order=new: the newest first"
  assert_eq "$(tr ',' '\n' <<<"$all" | tail -1)" "ada" "and the first account last"
  req "/api/v1/directory?order=new&offset=89"
  assert_eq "$(jqb 'length')" "0" "past the end: an empty page"
  req "/api/v1/directory?order=active&limit=2"
  assert_eq "$(jqb '.[0].username')" "alice" "order=active"
}

test_bad_parameters() {
  local q
  for q in limit=0 limit=-1 limit=abc limit= offset=-1 offset=x order=popular local=maybe 'limit=1e3'; do
    req "/api/v1/directory?$q"
    expect_status 400 "?$q"
    [ -n "$(jqb .error)" ] && pass || fail "?$q: a JSON error"
  done
  req -X POST /api/v1/directory
  expect_status 405 "POST"
}

test_welcome_page() {
  ok suggestions add alice bob carol dave
  ok users suspend carol --reason "test"
  local code
  code=$("$BIN" -q invites create --max-uses 2 --autofollow ada --autofollow bob | sed 's|.*/invite/||')
  req "/invite/$code"
  assert_contains "$body" "You will follow @ada@$HOST and @bob@$HOST when you join" "the invite page names both"
  sign_up "$code" newbie
  expect_status 200 "sign-up"
  assert_contains "$body" "You now follow @ada@$HOST and @bob@$HOST." "the welcome page names both"
  assert_eq "$(sql "SELECT group_concat(name, ',') FROM (SELECT b.username AS name FROM follows f
       JOIN accounts a ON a.id = f.follower_id JOIN accounts b ON b.id = f.followed_id
       WHERE a.username = 'newbie' ORDER BY b.username) AS f")" "ada,bob" "the newcomer follows both"
  assert_contains "$body" "People to follow" "the suggestions"
  local people
  people=$(sed -n 's/.*<ul class="people">\(.*\)<\/ul>.*/\1/p' <<<"$body")
  assert_contains "$people" "@alice@$HOST" "a suggested account's handle"
  assert_contains "$people" "Al &lt;b&gt;x&lt;/b&gt; &amp; co" "its display name, escaped"
  assert_contains "$people" "Bio &lt;script&gt;alert(1)&lt;/script&gt; line two" "its bio, escaped"
  assert_not_contains "$body" "$XSS" "nothing unescaped"
  assert_not_contains "$body" "<b>x</b>" "no markup from a display name"
  assert_not_contains "$people" "@bob@" "accounts followed already are not suggested again"
  assert_not_contains "$people" "@carol@" "suspended accounts are not suggested"
  assert_contains "$people" "@dave@$HOST" "an admin may feature an unlisted account"
  # Without suggestions the section is not shown.
  ok suggestions remove alice dave
  sign_up "$code" second
  expect_status 200 "second sign-up"
  assert_not_contains "$body" "People to follow" "no suggestions, no section"
}

test_profile_page() {
  local far
  far=$(sql "SELECT id FROM accounts WHERE username = 'far'")
  sql "INSERT INTO follows (follower_id, followed_id, created_at)
       SELECT $far, id, 0 FROM accounts WHERE username = 'alice'"
  req /@alice
  expect_status 200 "alice's profile page"
  assert_contains "$headers" "content-type: text/html; charset=utf-8" "HTML"
  assert_contains "$headers" "content-security-policy: default-src 'none'" "the pages' CSP"
  assert_contains "$headers" "link: <$URL/users/alice>; rel=\"alternate\"; type=\"application/activity+json\"" \
    "Link header to the actor"
  assert_contains "$body" "<link rel=\"alternate\" type=\"application/activity+json\" href=\"$URL/users/alice\">" \
    "alternate link in the head"
  assert_contains "$body" '<h1 class="name">Al &lt;b&gt;x&lt;/b&gt; &amp; co</h1>' "display name, escaped"
  assert_contains "$body" '<p class="handle">@alice@'"$HOST"'</p>' "handle"
  assert_contains "$body" "<p>Bio &lt;script&gt;alert(1)&lt;/script&gt;<br>line two</p>" "bio, escaped, its line break kept"
  assert_contains "$body" '<dd id="followers">1</dd>' "follower count"
  local created
  created=$(sql "SELECT created_at FROM accounts WHERE username = 'alice'")
  assert_contains "$body" "<dt>Joined</dt><dd><time datetime=\"$(date -u -d "@$created" +%Y-%m-%dT%H:%M:%SZ)\">$(date -u -d "@$created" +%F)</time></dd>" \
    "join date"
  assert_contains "$body" "search there for" "how to follow from another server"
  assert_contains "$body" '<footer class="site">' "footer"
  assert_not_contains "$body" "<script" "no script"
  assert_not_contains "$body" "<b>x</b>" "no markup from a display name"
  assert_not_contains "$body" 'name="robots"' "a discoverable member's page may be indexed"
  req /@dave
  expect_status 200 "an unlisted member's page"
  assert_contains "$body" '<meta name="robots" content="noindex">' "not indexed"
  ok users create quinn --email quinn@example.com --display-name "Q \"x\" 'y' </p>"
  req /@quinn
  assert_contains "$body" "Q &quot;x&quot; &#39;y&#39; &lt;/p&gt;" "quotes escaped"
  req /@carol
  expect_status 410 "a suspended member's page"
  assert_contains "$body" "This account is suspended" "says so"
  assert_contains "$body" "@carol@$HOST" "and whose"
  ok users create gone --email gone@example.com
  ok -y users delete gone
  req /@gone
  expect_status 410 "a deleted member's page"
  assert_contains "$body" "This account has been deleted" "says so"
  req /@erin
  expect_status 404 "a sign-up waiting for approval"
  req /@nobody
  expect_status 404 "unknown"
  assert_contains "$headers" "content-type: text/html" "a 404 page"
  assert_contains "$body" "There is no account @nobody@$HOST on this server." "saying what was not found"
  req "/@%3Cscript%3E"
  expect_status 404 "a name with markup"
  assert_not_contains "$body" "<script" "escaped in the 404 page"
  # Browsers following the actor's URL get the page; servers keep getting the actor.
  req -H "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" /users/alice
  expect_status 302 "a browser asking for the actor"
  assert_contains "$headers" "location: $URL/@alice" "is sent to the profile page"
  req -H "Accept: application/activity+json, text/html;q=0.1" /users/alice
  expect_status 200 "activity+json first still gets the actor"
  assert_eq "$(jqb .type)" "Person" "the actor"
  req -H "Accept: text/html" /users/carol
  expect_status 302 "a suspended member's actor, in a browser"
  req -H "Accept: text/html" /users/nobody
  expect_status 404 "no redirect for an unknown name"
}

# url_list KIND < DOCUMENT: "METHOD URL ACCEPT" for each URL on this instance's host in a JSON
# document: inboxes are POSTed to (unsigned: a 401 shows the inbox is there), an actor's `url`
# and WebFinger links with their own type are fetched as the link says, the rest as KIND.
url_list() {
  jq -r --arg base "$URL" --arg kind "$1" '
    . as $doc | paths(strings) as $p | ($doc | getpath($p)) as $v
    | select($v == $base or ($v | startswith($base + "/")))
    | if ($p[-1] == "inbox" or $p[-1] == "sharedInbox") then "POST \($v) -"
      elif $p[-1] == "url" then "GET \($v) text/html"
      elif ($p[-1] == "href" and $p[-3] == "links") then
        "GET \($v) \(($doc | getpath($p[:-1] + ["type"])) // $kind)"
      else "GET \($v) \($kind)" end' 2>/dev/null
}

# check_urls ALLOWED: every URL in $TMP/urls answers with an ALLOWED status (a regex; an
# inbox answers an unsigned POST with 401, or 410 when ALLOWED takes 410).
check_urls() {
  local method u accept code
  while read -r method u accept; do
    if [ "$method" = POST ]; then
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST \
        -H 'Content-Type: application/activity+json' --data "$(jq -nc --arg o "$URL/users/alice" \
          '{id: "https://x.example/f/1", type: "Follow", actor: "https://x.example/users/x", object: $o}')" "$u")
      [[ $code = 401 || ($code = 410 && 410 =~ $1) ]] && pass ||
        fail "$u: an unsigned POST answered $code, expected an inbox's 401"
    else
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "Accept: $accept" "${u%%#*}")
      [[ $code =~ $1 ]] && pass || fail "$u (Accept: $accept) answered $code"
    fi
  done <"$TMP/urls"
}

test_every_published_url_answers() {
  local n doc
  : >"$TMP/urls"
  get() { curl -s --max-time 10 -H "Accept: $1" "$URL$2"; }
  get application/activity+json /users/alice | url_list application/activity+json >>"$TMP/urls"
  get application/activity+json /actor | url_list application/activity+json >>"$TMP/urls"
  get application/jrd+json "/.well-known/webfinger?resource=acct:alice@$HOST" | url_list application/activity+json >>"$TMP/urls"
  get application/jrd+json "/.well-known/webfinger?resource=acct:$HOST@$HOST" | url_list application/activity+json >>"$TMP/urls"
  get application/json /.well-known/nodeinfo >"$TMP/nodeinfo.json"
  url_list application/json <"$TMP/nodeinfo.json" >>"$TMP/urls"
  for doc in $(jq -r '.links[].href' "$TMP/nodeinfo.json"); do
    curl -s --max-time 10 "$doc" | url_list application/json >>"$TMP/urls"
  done
  sort -u -o "$TMP/urls" "$TMP/urls"
  n=$(wc -l <"$TMP/urls")
  [ "$n" -ge 10 ] && pass || fail "only $n URLs found in the documents: $(cat "$TMP/urls")"
  for u in "GET $URL/@alice text/html" "GET $URL/about text/html" "POST $URL/actor/inbox -" \
           "GET $URL/actor/outbox application/activity+json" "GET $URL/nodeinfo/2.1 application/json"; do
    grep -qxF "$u" "$TMP/urls" && pass || fail "the walk misses $u"
  done
  check_urls '^2[0-9][0-9]$'
  # A member suspended after a server fetched her documents: every URL answers 2xx or 410.
  ok users create susan --email susan@example.com
  get application/activity+json /users/susan | url_list application/activity+json >"$TMP/urls"
  get application/jrd+json "/.well-known/webfinger?resource=acct:susan@$HOST" | url_list application/activity+json >>"$TMP/urls"
  ok users suspend susan --reason "test"
  grep -q "/@susan " "$TMP/urls" && pass || fail "susan's profile page is in her documents"
  check_urls '^(2[0-9][0-9]|410)$'
  req /@susan
  expect_status 410 "her page says she is suspended"
}

test_shape
test_who_is_listed
test_pages_and_orders
test_bad_parameters
test_welcome_page
test_profile_page
test_every_published_url_answers
stop_serve TERM
assert_eq "$serve_rc" "0" "server stopped cleanly"
finish
