#!/usr/bin/env bash
# GET /api/v1/directory (Mastodon's profile directory: Account entities, offset, limit,
# order, local), and the onboarding pages with several autofollows and suggested accounts.
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
ok users suspend carol
ok users create dave --email dave@example.com
sql "UPDATE accounts SET discoverable = 0 WHERE username = 'dave'"
ok users create erin --email erin@example.com --pending
sql "INSERT INTO accounts (username, username_key, domain, actor_uri, created_at, updated_at)
     VALUES ('far', 'far', 'remote.example', 'https://remote.example/users/far', 0, 0)"
# 85 more members, so that pages and the limit's ceiling show.
{ echo username,email; for i in $(seq -w 1 85); do echo "m$i,m$i@example.com"; done; } >"$TMP/members.csv"
ok users import "$TMP/members.csv"
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
  ok users suspend carol
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

test_shape
test_who_is_listed
test_pages_and_orders
test_bad_parameters
test_welcome_page
stop_serve TERM
assert_eq "$serve_rc" "0" "server stopped cleanly"
finish
