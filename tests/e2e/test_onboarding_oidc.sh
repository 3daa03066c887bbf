#!/usr/bin/env bash
# Partner sign-up (auth.oidc.*) over HTTP with curl, against tests/servers/fake_oidc.mjs: the
# settings, `instctl auth test`, the flow from the invite page to a linked account (the address
# from the UserInfo endpoint, as a provider with oidc-provider's defaults gives it, and from the
# ID token), and the refusals (a token signed by another key, a wrong audience or authorized
# party, an expired token or one valid only in ten years, a UserInfo answer about someone
# else, a replayed state, a missing PKCE verifier, another browser), none of which creates an
# account, each logged with its reason; a trailing slash on the provider's issuer is the same
# person; an address the provider does not vouch for is not kept.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

PORT=$(free_port)
HOST=127.0.0.1:$PORT
URL=http://$HOST
JAR=$TMP/cookies
SECRET=fake-client-s3cret-do-not-print
printf '%s\n' "$SECRET" >"$TMP/client-secret"

"$BIN" init --domain "$HOST" --public-url "$URL" --title "Harbour" --admin ada \
  --admin-email ada@example.com >/dev/null 2>&1 || { echo "init failed" >&2; exit 1; }
ok config set onboarding.rate_limit 1000/1h

# The fake provider, on loopback.
need_node 18
node "$SRC/tests/servers/fake_oidc.mjs" "$TMP/oidc.port" instctl-test "$SECRET" 2>"$TMP/oidc.err" &
OIDC_PID=$!
on_exit "kill $OIDC_PID 2>/dev/null"
for _ in $(seq 1 200); do [ -s "$TMP/oidc.port" ] && break; sleep 0.05; done
[ -s "$TMP/oidc.port" ] || { echo "the fake provider did not start: $(cat "$TMP/oidc.err")" >&2; exit 1; }
ISSUER=http://127.0.0.1:$(cat "$TMP/oidc.port")
fake() { curl -s -o /dev/null "$ISSUER/$1"; }

accounts() { sql "SELECT count(*) FROM accounts WHERE domain = ''"; }

test_settings_are_validated() {
  expect 2 config set auth.oidc.issuer "not a url"
  expect 2 config set auth.oidc.allowed_domains "partner.example, bad_domain!"
  expect 2 config set auth.oidc.bypass_waitlist perhaps
  expect 2 config set auth.oidc.client_secret_file ""
  ok config set auth.oidc.allowed_domains "Partner.Example, staff.partner.example"
  ok -q config get auth.oidc.allowed_domains
  assert_eq "$out" "partner.example,staff.partner.example" "domains are stored canonically"
  ok config unset auth.oidc.allowed_domains
}

test_auth_test_needs_the_settings() {
  expect 2 auth test
  assert_contains "$err" "auth.oidc.issuer" "names the missing setting"
  ok config set auth.oidc.issuer "$ISSUER"
  ok config set auth.oidc.client_id instctl-test
  expect 2 auth test
  assert_contains "$err" "auth.oidc.client_secret_file" "names the secret file"
  ok config set auth.oidc.client_secret_file "$TMP/no-such-file"
  expect 2 auth test
  assert_contains "$err" "cannot read the client secret file" "an unreadable secret file"
  ok config set auth.oidc.client_secret_file "$TMP/client-secret"
  # The outbound guards of federation apply: a loopback provider is refused by default.
  expect 7 auth test
  ok config set federation.allow_http true
  ok config set federation.allow_private_addresses true
}

test_auth_test_reports_the_provider() {
  ok --json auth test
  assert_eq "$(jqo .issuer)" "$ISSUER" "issuer"
  assert_eq "$(jqo .token_endpoint)" "$ISSUER/token" "token endpoint"
  assert_eq "$(jqo '.keys | length')" "2" "two keys"
  assert_eq "$(jqo '[.keys[].kty] | join(",")')" "RSA,EC" "RSA and EC"
  assert_eq "$(jqo .redirect_uri)" "$URL/auth/oidc/callback" "the redirect URI to register"
  assert_not_contains "$out" "$SECRET" "the secret is not printed"
  ok auth test
  assert_contains "$out" "jwks_uri" "table output"
  assert_contains "$err" "2 signing keys found" "and a note"
  assert_not_contains "$out$err" "$SECRET" "nor in the table"
  fake "_broken?what=discovery"
  expect 6 auth test
  assert_contains "$err" "discovery document is not a JSON object" "malformed discovery"
  fake "_broken?what=jwks"
  expect 6 --json auth test
  assert_eq "$(jqo .error.kind)" "invalid_data" "JSON error"
  assert_contains "$err" "no usable signing key" "a JWKS without usable keys"
  fake "_broken?what=none"
  ok config set auth.oidc.issuer "http://127.0.0.1:$(free_port)"
  expect 7 auth test
  ok config set auth.oidc.issuer "$ISSUER/"
  ok -q config get auth.oidc.issuer
  assert_eq "$out" "$ISSUER" "the trailing slash is dropped"
}

# sign_in START_PATH: the browser's way through start, the provider and the callback, with
# the cookie jar; sets $status and $body to the callback's answer and $callback to its URL.
callback=""
sign_in() {
  local location
  location=$(curl -s -o /dev/null -c "$JAR" -b "$JAR" -w '%{redirect_url}' "$URL$1")
  case "$location" in "$ISSUER/auth?"*) ;; *) fail "start did not redirect to the provider: $location"; return ;; esac
  callback=$(curl -s -o /dev/null -w '%{redirect_url}' "$location")
  req -b "$JAR" -c "$JAR" "${callback#"$URL"}"
}
field() {  # NAME: a hidden or text field's value in the last page
  sed -n "s/.*name=\"$1\"[^>]* value=\"\\([^\"]*\\)\".*/\\1/p" <<<"$body" | head -1
}

test_invite_page_offers_the_partner() {
  local code
  ok config set auth.oidc.display_name "Harbour Press"
  code=$("$BIN" -q invites create | sed 's|.*/invite/||')
  req "/invite/$code"
  assert_contains "$body" "Continue with Harbour Press" "the button"
  assert_contains "$body" "href=\"/auth/oidc/start?invite=$code\"" "carries the invite"
  req /auth/sign_up
  assert_contains "$body" "Joining is by invitation" "invite mode without an invite"
  assert_not_contains "$body" "Continue with" "no button without bypass_waitlist"
  ok config set auth.oidc.bypass_waitlist true
  req /auth/sign_up
  assert_contains "$body" "Continue with Harbour Press" "partner members may skip the invite"
  ok config set auth.oidc.bypass_waitlist false
}

test_sign_up_links_the_identity() {
  local code before
  code=$("$BIN" -q invites create | sed 's|.*/invite/||')
  before=$(accounts)
  # A privacy policy, and mail settings so the welcome is queued (nothing listens there: only
  # the queue is checked here; test_mail.sh sends).
  printf '# Privacy\n\nWhat we keep.\n' >"$TMP/privacy.md"
  ok config set instance.privacy_policy_file "$TMP/privacy.md"
  ok config set mail.smtp_url "smtp://127.0.0.1:$(free_port)"
  ok config set mail.from "hello@localhost"
  sign_in "/auth/oidc/start?invite=$code"
  expect_status 200 "the username form"
  assert_contains "$body" "Choose your username" "heading"
  assert_contains "$body" '<a href="/privacy-policy">privacy policy</a>' "the partner form links the privacy policy"
  assert_eq "$(field username)" "fake_member" "pre-filled from preferred_username"
  assert_eq "$(field email)" "fake.member@partner.example" "and the verified email"
  assert_eq "$(accounts)" "$before" "nothing created yet"
  local ticket token
  ticket=$(field ticket)
  token=$(field csrf_token)
  req -b "$JAR" --data-urlencode "csrf_token=$token" --data-urlencode "ticket=$ticket" \
    --data-urlencode username=ada --data-urlencode agree=yes /auth/oidc/register
  expect_status 422 "a taken username"
  assert_contains "$body" "This username is taken" "says so"
  req -b "$JAR" --data-urlencode "csrf_token=$token" --data-urlencode "ticket=$ticket" \
    --data-urlencode username=fakemember --data-urlencode email=other@evil.example \
    --data-urlencode agree=yes /auth/oidc/register
  expect_status 200 "the welcome page"
  assert_contains "$body" "@fakemember@$HOST" "with the handle"
  assert_eq "$(sql "SELECT count(*) FROM mails WHERE kind = 'welcome' AND recipient = 'fake.member@partner.example'")" \
    "1" "one welcome mail queued for the partner member"
  ok config unset mail.smtp_url
  ok config unset instance.privacy_policy_file
  assert_contains "$body" "no separate password is kept here" "no password to keep safe"
  assert_not_contains "$body" "Keep your password safe" "no talk of a password"
  ok --json users show fakemember
  assert_eq "$(jqo .email)" "fake.member@partner.example" "the verified address, not the typed one"
  assert_eq "$(jqo .invite_code)" "$code" "the invite was redeemed"
  assert_eq "$(jqo .activation_pending)" "false" "no activation link waits: the partner signs in"
  assert_eq "$(jqo '.identities[0].issuer')" "$ISSUER" "linked to the issuer"
  assert_eq "$(jqo '.identities[0].subject')" "fake-member-1" "and the subject"
  ok users show fakemember
  assert_contains "$out" "identities (1)" "the table lists the identity"
  ok --json audit list --action auth.link
  assert_eq "$(jqo '.[0].target')" "user:fakemember" "the link is audited"
  # The form cannot be sent twice.
  req -b "$JAR" --data-urlencode "csrf_token=$token" --data-urlencode "ticket=$ticket" \
    --data-urlencode username=fakemember2 --data-urlencode agree=yes /auth/oidc/register
  expect_status 410 "a used ticket"
  # A second sign-in finds the same account.
  before=$(accounts)
  sign_in /auth/oidc/start
  expect_status 200 "second sign-in"
  assert_contains "$body" "Welcome back" "recognised"
  assert_contains "$body" "@fakemember@$HOST" "the same account"
  assert_eq "$(accounts)" "$before" "no second account"
}

# refused WHAT NEEDLE: the last callback was refused with a page saying NEEDLE.
refused() {
  if [ "$status" -lt 400 ]; then fail "$1: HTTP $status, expected a refusal"; else pass; fi
  assert_contains "$body" "$2" "$1"
  assert_contains "$headers" "content-type: text/html" "$1 is a page"
}

test_bad_tokens_are_refused() {
  local before
  ok config set registrations.mode open
  fake "_mode?m=otherkey"
  before=$(accounts)
  sign_in /auth/oidc/start
  refused "a token signed by another key" "not signed by the provider&#39;s key"
  fake "_mode?m=wrongaud"
  sign_in /auth/oidc/start
  refused "a wrong audience" "meant for another site"
  fake "_mode?m=expired"
  sign_in /auth/oidc/start
  refused "an expired token" "has expired"
  fake "_mode?m=nonce"
  sign_in /auth/oidc/start
  refused "another sign-in's nonce" "another sign-in attempt"
  fake "_mode?m=nbf"
  sign_in /auth/oidc/start
  refused "a token valid only in ten years (nbf)" "dated in the future"
  fake "_mode?m=azp"
  sign_in /auth/oidc/start
  refused "a token issued to another party (azp), one audience" "meant for another site"
  fake "_mode?m=othersub"
  sign_in /auth/oidc/start
  refused "a UserInfo answer about another subject" "could not confirm who you are"
  fake "_mode?m=es256"
  sign_in /auth/oidc/start
  expect_status 200 "ES256 is accepted"
  assert_contains "$body" "Welcome back" "the same member"
  fake "_mode?m=good"
  assert_eq "$(accounts)" "$before" "no account was created"
}

test_replayed_and_broken_flows_are_refused() {
  local before location
  before=$(accounts)
  sign_in /auth/oidc/start
  expect_status 200 "a fresh sign-in"
  req -b "$JAR" "${callback#"$URL"}"
  refused "a replayed state" "used already"
  # Another browser (no cookie) cannot finish someone's sign-in.
  location=$(curl -s -o /dev/null -c "$JAR" -b "$JAR" -w '%{redirect_url}' "$URL/auth/oidc/start")
  callback=$(curl -s -o /dev/null -w '%{redirect_url}' "$location")
  req "${callback#"$URL"}"
  refused "another browser" "started in another browser"
  # A sign-in whose PKCE verifier is lost stops before the code is sent.
  location=$(curl -s -o /dev/null -c "$JAR" -b "$JAR" -w '%{redirect_url}' "$URL/auth/oidc/start")
  callback=$(curl -s -o /dev/null -w '%{redirect_url}' "$location")
  sql "UPDATE oidc_logins SET code_verifier = NULL WHERE claimed_at IS NULL"
  req -b "$JAR" "${callback#"$URL"}"
  refused "a missing PKCE verifier" "PKCE verifier is missing"
  req -b "$JAR" "/auth/oidc/callback?code=x&state=made-up"
  refused "an unknown state" "used already or has expired"
  req -b "$JAR" "/auth/oidc/callback?error=access_denied&state=x"
  refused "a provider error" "used already or has expired"
  assert_eq "$(accounts)" "$before" "no account was created"
  assert_eq "$(sql "SELECT count(*) FROM oidc_logins WHERE length(state_hash) != 64 OR trim(state_hash, '0123456789abcdef') <> ''")" \
    "0" "states are stored as hashes"
  assert_eq "$(sql "SELECT DISTINCT coalesce(purpose, 'none') FROM oidc_logins")" "sign_up" \
    "the starts from /auth/oidc/start keep their purpose, sign_up, in its own column"
}

test_registration_mode_applies() {
  local before
  fake "_mode?m=good"
  ok users unlink-identity fakemember
  ok config set registrations.mode closed
  before=$(accounts)
  sign_in /auth/oidc/start
  refused "closed mode" "Registrations are closed"
  ok config set registrations.mode invite
  sign_in /auth/oidc/start
  refused "invite mode without an invite" "You need an invite"
  ok config set registrations.mode open
  ok config set auth.oidc.allowed_domains other.example
  sign_in /auth/oidc/start
  refused "a domain not allowed" "partner&#39;s domains"
  ok config unset auth.oidc.allowed_domains
  assert_eq "$(accounts)" "$before" "no account was created"
}

test_issuer_with_a_trailing_slash_is_the_same_person() {
  local before
  # Linked first while the provider names its issuer with a trailing slash (the address is
  # typed: fakemember has the provider's one)...
  fake "_issuer?slash=1"
  fake "_mode?m=unverified"
  sign_in /auth/oidc/start
  expect_status 200 "the username form"
  req -b "$JAR" --data-urlencode "csrf_token=$(field csrf_token)" --data-urlencode "ticket=$(field ticket)" \
    --data-urlencode username=slashmember --data-urlencode email=slash@example.com \
    --data-urlencode agree=yes /auth/oidc/register
  fake "_mode?m=good"
  expect_status 200 "signed up while the issuer had a slash"
  ok --json users show slashmember
  assert_eq "$(jqo '.identities[0].issuer')" "$ISSUER" "keyed on the configured issuer"
  # ...then without it, and with it again: the same account each time.
  before=$(accounts)
  fake "_issuer?slash=0"
  sign_in /auth/oidc/start
  assert_contains "$body" "@slashmember@$HOST" "without the slash: the same account"
  fake "_issuer?slash=1"
  sign_in /auth/oidc/start
  assert_contains "$body" "@slashmember@$HOST" "with the slash: the same account"
  fake "_issuer?slash=0"
  assert_eq "$(accounts)" "$before" "no second account"
  ok users unlink-identity slashmember
}

test_claims_in_the_id_token_and_unverified_addresses() {
  fake "_claims?in=idtoken"
  sign_in /auth/oidc/start
  expect_status 200 "claims in the ID token: the username form"
  assert_eq "$(field email)" "fake.member@partner.example" "the address from the ID token"
  assert_contains "$body" "Confirmed by" "verified: used as is"
  fake "_mode?m=unverified"
  sign_in /auth/oidc/start
  expect_status 200 "an unverified address: the username form"
  assert_not_contains "$body" "Confirmed by" "an unverified address is not locked"
  req -b "$JAR" --data-urlencode "csrf_token=$(field csrf_token)" --data-urlencode "ticket=$(field ticket)" \
    --data-urlencode username=plainmember --data-urlencode email=plain@example.com \
    --data-urlencode agree=yes /auth/oidc/register
  expect_status 200 "signed up with a typed address"
  ok --json users show plainmember
  assert_eq "$(jqo .email)" "plain@example.com" "the typed address"
  assert_eq "$(jqo '.identities[0].email')" "null" "the unverified address is not the identity's"
  # From the UserInfo endpoint too.
  ok users unlink-identity plainmember
  fake "_claims?in=userinfo"
  sign_in /auth/oidc/start
  expect_status 200 "unverified at UserInfo: the username form"
  assert_not_contains "$body" "Confirmed by" "not locked either"
  fake "_mode?m=good"
}

test_unlink_identity() {
  expect 3 users unlink-identity fakemember
  assert_contains "$err" "no linked identity" "nothing left to unlink"
  expect 3 users unlink-identity nobody
  ok --json audit list --action users.unlink_identity
  assert_contains "$(jqo 'map(.target) | join(" ")')" "user:fakemember" "unlinking is audited"
  ok --json users show fakemember
  assert_eq "$(jqo '.identities | length')" "0" "users show lists none"
}

test_settings_are_validated
test_auth_test_needs_the_settings
test_auth_test_reports_the_provider
start_serve "$PORT" --threads 2
test_invite_page_offers_the_partner
test_sign_up_links_the_identity
test_bad_tokens_are_refused
test_replayed_and_broken_flows_are_refused
test_registration_mode_applies
test_issuer_with_a_trailing_slash_is_the_same_person
test_claims_in_the_id_token_and_unverified_addresses
test_unlink_identity
stop_serve
assert_not_contains "$(cat "$TMP"/serve.*)" "$SECRET" "the secret is never logged"
# Every refused callback is in the error log with its reason.
for reason in "ID token was refused (bad_signature)" "ID token was refused (wrong_audience)" \
  "ID token was refused (expired)" "ID token was refused (not_yet_valid)" \
  "ID token was refused (wrong_authorized_party)" "ID token was refused (wrong_nonce)" \
  "UserInfo answer names another subject" "state is unknown, used already or expired" \
  "cookie is not the one that started" "PKCE verifier is missing" \
  "registration refused: Registrations are closed"; do
  assert_contains "$(grep -h 'partner sign-in refused' "$TMP"/serve.* || true)" "$reason" "logged: $reason"
done
finish
