#!/usr/bin/env bash
# Partner sign-up in a real browser against a real OpenID Connect provider: oidc-provider
# (npm, pinned in tests/browser) and Debian's chromium driven by playwright-core. The person
# clicks "Continue with ..." on the invite page, logs in at the provider, picks a username and
# lands on the welcome page; `users show` lists the linked identity; a second sign-in finds
# the same account. The provider runs with its defaults (the address comes from its UserInfo
# endpoint), then again with the claims in the ID token; then it answers 9 s late while twenty
# sign-ins start, and /health and WebFinger must not wait for it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/browser_lib.sh"

browser_suite
HOST=127.0.0.1:$PORT
SECRET=browser-test-client-secret
printf '%s\n' "$SECRET" >"$TMP/client-secret"
"$BIN" init --domain "$HOST" --public-url "http://$HOST" --title "Harbour Writers" --admin ada \
  --admin-email ada@example.com >/dev/null 2>&1 || { echo "init failed" >&2; exit 1; }

# oidc-provider with its defaults (the scope claims at the UserInfo endpoint only), or with
# them in the ID token too (claims-in-id-token); sets ISSUER.
start_provider() { start_oidc_provider instctl-browser "$SECRET" "$HOST" "$@"; }
start_provider

ok config set federation.allow_http true
ok config set federation.allow_private_addresses true
ok config set auth.oidc.issuer "$ISSUER"
ok config set auth.oidc.client_id instctl-browser
ok config set auth.oidc.client_secret_file "$TMP/client-secret"
ok config set auth.oidc.display_name "Harbour Press"
ok config set onboarding.rate_limit 1000/1h  # the twenty sign-in starts of test_slow_partner
ok rules add "Be kind to one another."
ok --json auth test
assert_eq "$(jqo .issuer)" "$ISSUER" "auth test reaches oidc-provider"
assert_contains "$(jqo '[.keys[].kty] | join(",")')" "RSA" "and reads its keys"
code=$("$BIN" -q invites create --max-uses 5 | sed 's|.*/invite/||')
start_serve "$PORT"

browser_run oidc_signin.mjs "http://$HOST" "$code" grace.hopper "$shots"
assert_eq "$(saw .button)" "Continue with Harbour Press" "the button on the invite page"
assert_eq "$(saw .form_url | sed 's/?.*//')" "http://$HOST/auth/oidc/callback" "back at the callback"
assert_contains "$(saw .form_text)" "Choose your username" "the username form"
assert_eq "$(saw .prefilled_username)" "grace_hopper" "pre-filled from preferred_username"
assert_eq "$(saw .prefilled_email)" "grace.hopper@partner.example" "and the email"
assert_eq "$(saw .email_readonly)" "true" "the verified email is locked"
assert_contains "$(saw .welcome_text)" "@grace_hopper@$HOST" "the welcome page shows the handle"
assert_contains "$(saw .second_text)" "Welcome back" "a second sign-in is recognised"
assert_contains "$(saw .second_text)" "@grace_hopper@$HOST" "as the same account"
ok --json users show grace_hopper
assert_eq "$(jqo .status)" "active" "the new user is active"
assert_eq "$(jqo .invite_code)" "$code" "the invite was redeemed"
assert_eq "$(jqo '.identities | length')" "1" "one linked identity"
assert_eq "$(jqo '.identities[0].issuer')" "$ISSUER" "the provider's issuer"
assert_eq "$(jqo '.identities[0].subject')" "grace.hopper" "and subject"
assert_eq "$(sql "SELECT count(*) FROM accounts WHERE domain = ''")" "2" "ada and grace, no second account"
for s in oidc-username oidc-welcome oidc-second; do
  if [ -s "$shots/$s.png" ]; then pass; else fail "no screenshot $s.png"; fi
done

# The second set-up: a provider that puts the claims in the ID token as well.
start_provider claims-in-id-token
ok config set auth.oidc.issuer "$ISSUER"
mkdir -p "$TMP/shots2"
seen=$(node "$SRC/tests/browser/oidc_signin.mjs" "http://$HOST" "$code" ada.lovelace "$TMP/shots2" 2>"$TMP/node2.err")
if [ "$(saw .ok)" != "true" ]; then
  fail "the browser run with claims in the ID token failed: $(saw .error) $(cat "$TMP/node2.err")"
else
  assert_eq "$(saw .prefilled_email)" "ada.lovelace@partner.example" "claims in the ID token: the email"
  assert_eq "$(saw .email_readonly)" "true" "locked too"
  assert_contains "$(saw .second_text)" "@ada_lovelace@$HOST" "and recognised the second time"
fi
# A slow partner: its discovery, token and JWKS endpoints answer 9 s late. Twenty sign-in
# starts at once wait on the outbound thread, not on workers: /health and WebFinger answer
# within the bound meanwhile; sixteen starts wait (the cap) and end by their 8 s deadline with
# 502, the other four are answered 503 at once.
test_slow_partner() {
  local limit=1000 i t worst=0 waiting pids=()
  [ "${INSTCTL_SANITIZED:-0}" = 1 ] && limit=4000
  curl -s -o /dev/null "$ISSUER/_delay?ms=9000"
  : >"$TMP/starts"
  for i in $(seq 1 20); do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "http://$HOST/auth/oidc/start" >>"$TMP/starts" &
    pids+=($!)
  done
  provider_waiting() { curl -s "$ISSUER/_delay" | jq -r .waiting; }
  wait_until 10 eval '[ "$(provider_waiting)" -ge 16 ]'
  for i in $(seq 1 10); do
    for path in /health "/.well-known/webfinger?resource=acct:ada@$HOST"; do
      t=$(curl -s -o /dev/null -w '%{time_total}' "http://$HOST$path")
      t=$(awk -v t="$t" 'BEGIN { printf "%d", t * 1000 }')
      [ "$t" -gt "$worst" ] && worst=$t
    done
  done
  waiting=$(provider_waiting)
  wait "${pids[@]}"
  [ "$worst" -lt "$limit" ] && pass ||
    fail "/health or WebFinger took $worst ms while the partner stalled (limit $limit ms)"
  [ "$waiting" -gt 0 ] && pass || fail "the starts were no longer waiting while the requests were timed"
  assert_eq "$(cut -d' ' -f1 "$TMP/starts" | sort | uniq -c | awk '{print $2 ":" $1}' | paste -sd' ')" \
    "502:16 503:4" "sixteen starts wait and end with 502, four are refused at once"
  assert_eq "$(awk '$1 == 502 && $2 > 12 { n++ } END { print n + 0 }' "$TMP/starts")" "0" \
    "a start has 8 s in all for the provider"
  assert_contains "$(cat "$SERVE_LOG")" "partner sign-in not started" "the failures are logged"
  curl -s -o /dev/null "$ISSUER/_delay?ms=0"
}
test_slow_partner

stop_serve
assert_not_contains "$(cat "$TMP"/serve.* "$TMP/node.err")" "$SECRET" "the secret is never logged"
finish
