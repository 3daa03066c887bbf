#!/usr/bin/env bash
# A member running their own account in a real browser (Debian's chromium via playwright-core,
# tests/browser/account.mjs) against a real `instctl serve` and a real OpenID Connect provider
# (oidc-provider with its defaults, tests/browser/oidc_provider.mjs): activate, change the
# password and sign in with the new one, export the data as JSON, link the partner identity
# and sign in with the partner, delete the account and see the actor answer 410; and "forgot
# your password?" from the sign-in page, with the link from the mail a real SMTP server
# (aiosmtpd) received.
# INSTCTL_SCREENSHOTS=DIR keeps the screenshots (the README's tour: docs/).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/smtp_lib.sh"
source "$(dirname "$0")/browser_lib.sh"

browser_suite
HOST=127.0.0.1:$PORT
SECRET=account-test-client-secret
printf '%s\n' "$SECRET" >"$TMP/client-secret"
"$BIN" init --domain "$HOST" --public-url "http://$HOST" --title "Harbour Writers" --admin ada \
  --admin-email ada@example.com >/dev/null 2>&1 || { echo "init failed" >&2; exit 1; }

start_oidc_provider instctl-account "$SECRET" "$HOST"

ok config set federation.allow_http true
ok config set federation.allow_private_addresses true
ok config set auth.oidc.issuer "$ISSUER"
ok config set auth.oidc.client_id instctl-account
ok config set auth.oidc.client_secret_file "$TMP/client-secret"
ok config set auth.oidc.display_name "Harbour Press"
ok --json users create hana --email hana@example.com --display-name "Hana"
activation=$(jqo .activation_url | sed "s|^http://$HOST||")
start_serve "$PORT"

browser_run account.mjs "http://$HOST" "$activation" hana.partner "$shots" "$TMP/export.json"
[ -n "${ACCOUNT_BROWSER_OUT:-}" ] && printf "%s" "$seen" >"$ACCOUNT_BROWSER_OUT"
assert_contains "$(saw .settings_text)" "@hana@$HOST" "activated and signed in"
assert_contains "$(saw .settings_text)" "Change your password" "the settings lead to the account pages"
assert_contains "$(saw .changed_text)" "Your password is changed." "the password is changed"
assert_contains "$(saw .sign_in_text)" "Sign in with Harbour Press" "the sign-in page offers the partner"
assert_contains "$(saw .old_password_text)" "The username or password is not right." "the old password is refused"
assert_eq "$(saw .new_password_url)" "http://$HOST/settings" "the new one signs in"

assert_contains "$(saw .export_name)" "hana-" "the export's file name"
assert_eq "$(saw .export.account.username)" "hana" "the export's account"
assert_eq "$(saw .export.account.email)" "hana@example.com" "its address"
assert_eq "$(saw .export.account.display_name)" "Hana" "its display name"
assert_eq "$(saw '.export.identities | length')" "0" "no identity linked yet"
assert_eq "$(saw '[.export | paths | map(tostring) | join(".") | select(test("password_hash|private|token"))] | length')" \
  "0" "no secret in the export"

assert_contains "$(saw .linked_text)" "You can now sign in as @hana@$HOST with Harbour Press." "linked"
assert_contains "$(saw .settings_linked_text)" "Your Harbour Press account (hana.partner@partner.example) is linked" "settings show the link"
assert_eq "$(saw .partner_url)" "http://$HOST/settings" "signed in with the partner"
assert_contains "$(saw .partner_text)" "@hana@$HOST" "as hana"
assert_eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'auth.link' AND target = 'user:hana'")" "1" "the link is audited"
assert_eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'auth.sign_in' AND details LIKE '%partner%'")" "1" "the partner sign-in is audited"

assert_contains "$(saw .wrong_delete_text)" "Your password is not right" "a wrong password deletes nothing"
assert_contains "$(saw .deleted_text)" "Your account is deleted" "deleted"
assert_eq "$(saw .after_delete_url)" "http://$HOST/auth/sign_in" "and signed out"
req -H 'Accept: application/activity+json' /users/hana
expect_status 410 "the actor answers 410"
ok --json users show hana
assert_eq "$(jqo .status)" "deleted" "the same state as users delete"
assert_eq "$(jqo '.identities | length')" "0" "the identity went with it"
assert_eq "$(jqo '[.history[].action] | index("users.delete") != null')" "true" "through users delete's path"
for s in account-activated account-password account-export account-settings account-sign-in account-delete; do
  if [ -s "$shots/$s.png" ]; then pass; else fail "no screenshot $s.png"; fi
done

# Forgot password: ada asks from the sign-in page; the suite finds the link in the mail and
# hands it to the browser, which sets a new password and is signed in.
start_smtp
use_smtp || fail "mail settings"
node "$SRC/tests/browser/forgot.mjs" "http://$HOST" ada@example.com "ada new horse battery" \
  "$TMP/reset.link" >"$TMP/forgot.out" 2>"$TMP/forgot.err" &
forgot=$!
if wait_until 60 eval '[ -n "$(delivered_to ada@example.com)" ]'; then
  grep -o "http://$HOST/auth/reset/[A-Za-z0-9_-]*" <<<"$(delivered_to ada@example.com)" | head -1 \
    >"$TMP/reset.link.new" && mv "$TMP/reset.link.new" "$TMP/reset.link"
  pass
else
  fail "the reset mail arrived: $(cat "$TMP/forgot.out" "$TMP/forgot.err")"
fi
wait "$forgot"
seen=$(tail -n 1 "$TMP/forgot.out")
if [ "$(saw .ok)" = "true" ]; then pass; else
  fail "the forgot-password run failed: $(saw .error) $(cat "$TMP/forgot.err")"
fi
assert_contains "$(saw .asked_text)" "Check your mail" "the forgot-password page says where the link went"
assert_eq "$(head -1 <<<"$(delivered_to ada@example.com)")" "Reset your password on Harbour Writers|127.0.0.1" \
  "the reset mail: its subject, and a Message-ID on the instance's domain"
assert_contains "$(saw .reset_text)" "Choose a new password" "the mailed link opens the password form"
assert_contains "$(saw .settings_text)" "@ada@$HOST" "the new password is set and ada is signed in"
assert_contains "$(saw .spent_text)" "This link cannot be used" "the link is spent"

stop_serve
assert_not_contains "$(cat "$TMP"/serve.* "$TMP/node.err")" "$SECRET" "the secret is never logged"
finish
