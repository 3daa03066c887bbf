#!/usr/bin/env bash
# The member's own pages over HTTP (curl against a real `instctl serve`): the activation and
# reset links the CLI prints, spent once; sign-in, the session cookie and sign-out; the
# lock-out that answers an unknown name as it answers a known one; CSRF and rate limits; the
# account pages (change password, export, delete, unlink the partner identity) and their bad
# input; "forgot password" with the mail it sends through a real SMTP server, and its limits.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/smtp_lib.sh"

PORT=$(free_port)
HOST=127.0.0.1:$PORT
URL=http://$HOST
T0=2026-11-28T08:00:00Z
JAR=$TMP/cookies

INSTCTL_NOW=$T0 "$BIN" --json init --domain "$HOST" --public-url "$URL" --title "Harbour" \
  --admin ada --admin-email ada@example.com >"$TMP/init.json" 2>"$TMP/.err" ||
  { echo "init failed: $(cat "$TMP/.err")" >&2; exit 1; }
ok config set onboarding.rate_limit 1000/1h

# csrf PATH: visits a page like a browser (cookie jar, following redirects: /auth/sign_in
# leads a signed-in member to /settings) and prints the form's token.
csrf() {
  curl -s -L -c "$JAR" -b "$JAR" "$URL$1" |
    sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1
}
# post PATH TOKEN [CURL OPTIONS]: a form POST with the jar's cookies, keeping what it sets.
post() {
  local path=$1 token=$2
  shift 2
  req -b "$JAR" -c "$JAR" --data-urlencode "csrf_token=$token" "$@" "$path"
}
# set_password PATH PASSWORD [AGAIN]: the password form of a link, as a browser fills it in.
set_password() {
  local token
  token=$(csrf "$1")
  [ -n "$token" ] || token=$(csrf /auth/sign_in)  # a spent link has no form
  post "$1" "$token" --data-urlencode "password=$2" --data-urlencode "password_confirmation=${3:-$2}"
}
# sign_in LOGIN PASSWORD: the sign-in form.
sign_in() {
  post /auth/sign_in "$(csrf /auth/sign_in)" --data-urlencode "login=$1" --data-urlencode "password=$2"
}
session_cookie() { awk '$6 == "instctl_session" { print $7 }' "$JAR"; }
sha256() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
link_path() { printf '%s' "${1#"$URL"}"; }

test_activate_from_the_printed_link() {
  rm -f "$JAR"
  INSTCTL_NOW=$T0 ok --json users create bea --email bea@example.com --display-name "Bea"
  local path
  path=$(link_path "$(jqo .activation_url)")
  req "$path"
  expect_status 200 "the activation page"
  assert_contains "$body" "Choose your password" "its form"
  assert_contains "$body" "@bea@$HOST" "whose account it is"
  set_password "$path" correct-horse battery-staple
  expect_status 422 "two different passwords"
  assert_contains "$body" "The two passwords are not the same" "said so"
  set_password "$path" short
  expect_status 422 "a password the CLI would refuse"
  assert_contains "$body" "The password is too short: use at least 8 characters." "the CLI's rule"
  assert_eq "$(sql "SELECT password_hash IS NULL FROM accounts WHERE username = 'bea'")" "1" "nothing set yet"
  set_password "$path" correct-horse
  expect_status 303 "password set"
  assert_contains "$headers" "location: /settings" "on to the settings"
  assert_contains "$headers" "set-cookie: instctl_session=" "signed in"
  assert_contains "$headers" "; path=/; httponly; samesite=lax; max-age=1209600" "cookie attributes"
  assert_not_contains "$headers" "secure" "not Secure on a plain http instance"
  local cookie
  cookie=$(session_cookie)
  assert_eq "$(sql "SELECT count(*) FROM sessions WHERE token_hash = '$(sha256 "$cookie")'")" "1" \
    "the session is stored as the token's hash"
  assert_eq "$(sql "SELECT count(*) FROM sessions WHERE token_hash = '$cookie'")" "0" "never in clear"
  req -b "$JAR" /settings
  expect_status 200 "the signed-in page"
  assert_contains "$body" "@bea@$HOST" "who is signed in"
  assert_contains "$body" 'action="/auth/sign_out' "a sign-out button"
  assert_eq "$(sql "SELECT activation_token_hash IS NULL FROM accounts WHERE username = 'bea'")" "1" "the link is spent"
  # Used once: the page now says what to do, and a second POST changes nothing.
  req "$path"
  expect_status 404 "the link a second time"
  assert_contains "$body" "This link cannot be used" "a clear page"
  assert_contains "$body" "ask the instance" "what to do"
  set_password "$path" other-password
  expect_status 404 "setting a password with it again"
  sign_in bea other-password
  expect_status 401 "the second password was not set"
  # The access log never shows the token.
  wait_for_log "$TMP/access.log" 1 "/auth/activate/"
  assert_not_contains "$(cat "$TMP/access.log" "$SERVE_LOG")" "${path#/auth/activate/}" "no token in the logs"
}

# The links `init` prints for the first admin and `users import` prints for each new user (with
# --json) are pages of the server: each sets a password, signs in, and is spent.
test_activate_links_of_init_and_import() {
  local link
  link=$(jq -r .admin_activation_url "$TMP/init.json")
  assert_contains "$link" "$URL/auth/activate/" "init printed the admin's link on the public URL"
  rm -f "$JAR"
  req "$(link_path "$link")"
  expect_status 200 "the admin's activation page"
  assert_contains "$body" "@ada@$HOST" "whose account it is"
  set_password "$(link_path "$link")" adas-horse-staple
  expect_status 303 "the admin set a password"
  assert_contains "$headers" "set-cookie: instctl_session=" "and is signed in"
  rm -f "$JAR"
  sign_in ada adas-horse-staple
  expect_status 303 "the admin signs in with it"
  printf 'username,email\nimp1,imp1@example.com\nimp2,imp2@example.com\n' >"$TMP/import.csv"
  INSTCTL_NOW=$T0 ok --json users import "$TMP/import.csv"
  assert_eq "$(jqo '.new_users | length')" "2" "two links printed"
  local who
  for who in imp1 imp2; do
    link=$(jqo ".new_users[] | select(.username == \"$who\") | .activation_url")
    assert_contains "$link" "$URL/auth/activate/" "$who: a link on the public URL"
    rm -f "$JAR"
    req "$(link_path "$link")"
    expect_status 200 "$who: the activation page"
    assert_contains "$body" "@$who@$HOST" "$who: whose account it is"
    set_password "$(link_path "$link")" "$who-horse-staple"
    expect_status 303 "$who: password set"
    rm -f "$JAR"
    sign_in "$who" "$who-horse-staple"
    expect_status 303 "$who: signs in with it"
    set_password "$(link_path "$link")" "$who-other-staple"
    expect_status 404 "$who: the link is spent"
  done
}

test_expired_and_unknown_links() {
  INSTCTL_NOW=2026-11-20T08:00:00Z ok --json users create cy --email cy@example.com
  req "$(link_path "$(jqo .activation_url)")"
  expect_status 410 "an activation link older than 7 days"
  assert_contains "$body" "This activation link has expired" "says so"
  assert_contains "$body" "Ask the instance&#39;s admins for a new link." "and what to do"
  INSTCTL_NOW=2026-11-27T07:00:00Z ok --json users reset-password bea
  req "$(link_path "$(jqo .reset_url)")"
  expect_status 410 "a reset link older than 24 hours"
  assert_contains "$body" "This password link has expired" "says so"
  req /auth/activate/not-a-token
  expect_status 404 "a made-up token"
}

test_reset_from_the_printed_link() {
  rm -f "$JAR"
  sign_in bea correct-horse
  expect_status 303 "signed in before the reset"
  cp "$JAR" "$TMP/old-browser"
  INSTCTL_NOW=$T0 ok --json users reset-password bea
  local path
  path=$(link_path "$(jqo .reset_url)")
  assert_contains "$path" "/auth/reset/" "the printed link"
  rm -f "$JAR"
  req "$path"
  expect_status 200 "the reset page"
  assert_contains "$body" "Choose a new password" "its form"
  set_password "$path" new-horse-staple
  expect_status 303 "new password set"
  req -b "$JAR" /settings
  expect_status 200 "signed in with it"
  req -b "$TMP/old-browser" /settings
  expect_status 303 "the sessions from before the reset are over"
  sign_in bea correct-horse
  expect_status 401 "the old password no longer works"
  sign_in bea new-horse-staple
  expect_status 303 "the new one does"
  req "$path"
  expect_status 404 "the reset link is spent"
  # Links printed before they moved to /auth/reset/ still work.
  INSTCTL_NOW=$T0 ok --json users reset-password bea
  req "/auth/password/$(jqo .reset_url | sed 's|.*/auth/reset/||')"
  expect_status 200 "the older path"
}

test_sign_in_and_out() {
  rm -f "$JAR"
  req /settings
  expect_status 303 "settings need a session"
  assert_contains "$headers" "location: /auth/sign_in" "to the sign-in page"
  sign_in bea wrong-password
  expect_status 401 "a wrong password"
  assert_contains "$body" "The username or password is not right." "said plainly"
  assert_contains "$body" 'value="bea"' "the name stays"
  sign_in BEA@example.com new-horse-staple
  expect_status 303 "by email address, any case"
  sign_in "@bea@$HOST" new-horse-staple
  expect_status 303 "by handle"
  local cookie
  cookie=$(session_cookie)
  req -b "$JAR" /auth/sign_in
  expect_status 303 "the sign-in page when signed in"
  # Sign-out is a form like the others: without its token it is refused.
  req -b "$JAR" -d x=1 /auth/sign_out
  expect_status 403 "sign-out without a CSRF token"
  req -b "$JAR" /settings
  expect_status 200 "still signed in"
  post /auth/sign_out "$(csrf /settings)"
  expect_status 200 "signed out"
  assert_contains "$body" "You have signed out" "says so"
  assert_contains "$headers" "set-cookie: instctl_session=; path=/; httponly; samesite=lax; max-age=0" "cookie removed"
  req -b "instctl_session=$cookie" /settings
  expect_status 303 "the old cookie is worth nothing"
  assert_eq "$(sql "SELECT count(*) FROM sessions WHERE token_hash = '$(sha256 "$cookie")'")" "0" "the session is gone"
  # An account that may not sign in: its password alone does not say so to strangers.
  ok users suspend bea --reason test
  sign_in bea new-horse-staple
  expect_status 403 "a suspended account"
  assert_contains "$body" "You cannot sign in now" "told after the right password"
  ok users unsuspend bea
}

test_csrf_and_cross_site_posts() {
  rm -f "$JAR"
  local token
  token=$(csrf /auth/sign_in)
  req -b "$JAR" --data-urlencode login=bea --data-urlencode password=new-horse-staple /auth/sign_in
  expect_status 403 "sign-in without a token"
  post /auth/sign_in "forged.token" --data-urlencode login=bea --data-urlencode password=new-horse-staple
  expect_status 403 "a forged token"
  post /auth/sign_in "$token" -H "Origin: https://evil.example" --data-urlencode login=bea \
    --data-urlencode password=new-horse-staple
  expect_status 403 "from another site"
  INSTCTL_NOW=$T0 ok --json users reset-password bea
  local path
  path=$(link_path "$(jqo .reset_url)")
  req -b "$JAR" --data-urlencode password=x-password-1 --data-urlencode password_confirmation=x-password-1 "$path"
  expect_status 403 "a reset without a token"
  req "$path"
  expect_status 200 "the link still works"
  INSTCTL_NOW=$T0 ok --json users create cora --email cora@example.com
  path=$(link_path "$(jqo .activation_url)")
  token=$(csrf "$path")
  post "$path" "forged.token" --data-urlencode password=x-password-1 --data-urlencode password_confirmation=x-password-1
  expect_status 403 "an activation with a forged token"
  post "$path" "$token" -H "Origin: https://evil.example" --data-urlencode password=x-password-1 \
    --data-urlencode password_confirmation=x-password-1
  expect_status 403 "an activation from another site"
  req "$path"
  expect_status 200 "the activation link still works"
}

# Five failures in fifteen minutes lock the name out for fifteen minutes, whether or not an
# account has it, in whichever forms it is typed (a handle is its username, an email address
# is another name): the same statuses, pages and Retry-After for an account and an unknown
# name, so neither whether it exists nor whose email address is whose shows.
test_lock_out_does_not_reveal_accounts() {
  local name email login
  for name in bea nobody; do
    email=$name@example.com
    : >"$TMP/answers.$name"
    for login in "$name" "$name" "$name" "$name" "$email" "${name^^}" "@$name@$HOST" "$email"; do
      sign_in "$login" "wrong-password"
      printf '%s %s\n' "$status" "$(grep -i '^retry-after:' <<<"$headers" | tr -d '\r')" >>"$TMP/answers.$name"
      printf '%s' "$body" | sed 's/name="csrf_token" value="[^"]*"//; s/\(id="login"[^>]*\) value="[^"]*"/\1/' \
        >>"$TMP/answers.$name"
      echo >>"$TMP/answers.$name"
    done
    sed -n 1p "$TMP/answers.$name" | grep -q '^401 ' || fail "$name: a wrong password is 401"
  done
  assert_eq "$(cat "$TMP/answers.bea")" "$(cat "$TMP/answers.nobody")" \
    "the same statuses, Retry-After and pages for an account and an unknown name"
  assert_eq "$(grep -o '^[0-9][0-9][0-9] [a-zA-Z:0-9 -]*$' "$TMP/answers.bea" | tr '\n' ,)" \
    "401 ,401 ,401 ,401 ,401 ,429 retry-after: 900,429 retry-after: 900,401 ," \
    "the email address counts apart from the username; the name's fifth failure locks it"
  assert_contains "$(cat "$TMP/answers.bea")" "Too many failed sign-ins for this account: please try again in 15 minutes." "what it says"
  sign_in bea new-horse-staple
  expect_status 429 "even the right password waits"
  stop_serve
  INSTCTL_NOW=2026-11-28T08:16:00Z start_serve "$PORT" --access-log "$TMP/access.log"
  sign_in bea new-horse-staple
  expect_status 303 "after the lock-out"
}

test_rate_limit_per_address() {
  ok config set onboarding.rate_limit 2/1h
  sign_in nobody2 x
  sign_in nobody2 x
  sign_in bea new-horse-staple
  expect_status 429 "the third sign-in from one address in an hour"
  assert_contains "$body" "Too many attempts from your address" "says why"
  ok config set onboarding.rate_limit 1000/1h
}

test_settings_change_the_profile() {
  rm -f "$JAR"
  sign_in bea new-horse-staple
  req -b "$JAR" /settings
  assert_contains "$body" 'id="display_name" name="display_name" maxlength="30"' "the display name field"
  assert_contains "$body" 'value="Bea"' "as it is"
  assert_not_contains "$body" 'value="yes" checked' "a new account is not listed in the directory"
  req /api/v1/directory
  assert_eq "$(jqb '[.[].username] | index("bea")')" "null" "nor in the directory"
  local token
  token=$(csrf /settings)
  post /settings "$token" --data-urlencode "display_name=Bea B." --data-urlencode "note=Sails <b>boats</b>" \
    --data-urlencode discoverable=yes
  expect_status 200 "profile saved"
  assert_contains "$body" "Your profile is saved." "says so"
  assert_contains "$body" "Sails &lt;b&gt;boats&lt;/b&gt;" "the bio, escaped"
  req -H 'Accept: application/activity+json' /users/bea
  assert_eq "$(jqb .name)" "Bea B." "the actor's name"
  assert_contains "$(jqb .summary)" "Sails &lt;b&gt;boats&lt;/b&gt;" "the bio in the actor document"
  assert_eq "$(jqb .discoverable)" "true" "discoverable"
  req /api/v1/directory
  assert_eq "$(jqb '[.[].username] | index("bea") != null')" "true" "listed in the directory once opted in"
  post /settings "$token" --data-urlencode "display_name=$(printf 'x%.0s' $(seq 31))" --data-urlencode "note=n"
  expect_status 422 "a display name too long"
  assert_contains "$body" "The display name is longer than 30 characters." "next to the field"
  assert_eq "$(sql "SELECT display_name || '|' || discoverable FROM accounts WHERE username = 'bea'")" "Bea B.|1" "nothing saved"
  req --data-urlencode "csrf_token=$token" --data-urlencode display_name=Nobody /settings
  expect_status 403 "without the CSRF cookie"
  rm -f "$TMP/anon"
  token=$(curl -s -c "$TMP/anon" -b "$TMP/anon" "$URL/auth/sign_in" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
  req -b "$TMP/anon" --data-urlencode "csrf_token=$token" --data-urlencode display_name=Nobody /settings
  expect_status 303 "without a session"
  # The command line has the same switch.
  ok users modify bea --no-discoverable
  req /api/v1/directory
  assert_eq "$(jqb '[.[].username] | index("bea")')" "null" "users modify --no-discoverable"
  expect 2 users modify bea --discoverable --no-discoverable
  assert_contains "$err" "discoverable" "one or the other"
  ok users modify bea --discoverable
  assert_eq "$(sql "SELECT discoverable FROM accounts WHERE username = 'bea'")" "1" "users modify --discoverable"
}

# activate_new USER PASSWORD: an account made by the CLI, activated from its link (signed in).
activate_new() {
  rm -f "$JAR"
  INSTCTL_NOW=$T0 ok --json users create "$1" --email "$1@example.com"
  set_password "$(link_path "$(jqo .activation_url)")" "$2"
  expect_status 303 "$1 activated"
}

test_change_password() {
  activate_new dee first-password
  cp "$JAR" "$TMP/dee-other-browser"
  req -b "$JAR" /settings
  assert_contains "$body" 'href="/settings/password"' "settings lead to the password page"
  req -b "$JAR" /settings/password
  expect_status 200 "the password page"
  assert_contains "$body" 'name="current_password"' "asks for the current password"
  local token
  token=$(csrf /settings/password)
  change() {
    post /settings/password "$token" --data-urlencode "current_password=$1" \
      --data-urlencode "password=$2" --data-urlencode "password_confirmation=${3:-$2}"
  }
  change wrong-password second-password
  expect_status 401 "a wrong current password"
  assert_contains "$body" "Your password is not right: type it again." "said next to the field"
  change first-password second-password third-password
  expect_status 422 "two different new passwords"
  assert_contains "$body" "The two new passwords are not the same: type them again." "said so"
  change first-password short
  expect_status 422 "a new password the CLI would refuse"
  assert_contains "$body" "The password is too short: use at least 8 characters." "the CLI's rule"
  req -b "$JAR" --data-urlencode current_password=first-password \
    --data-urlencode password=second-password --data-urlencode password_confirmation=second-password \
    /settings/password
  expect_status 403 "without the CSRF token"
  post /settings/password "$token" -H "Origin: https://evil.example" \
    --data-urlencode current_password=first-password --data-urlencode password=second-password \
    --data-urlencode password_confirmation=second-password
  expect_status 403 "from another site"
  rm -f "$TMP/anon"
  req -b "$TMP/anon" -c "$TMP/anon" /settings/password
  expect_status 303 "the page needs a session"
  change first-password second-password
  expect_status 303 "changed"
  assert_contains "$headers" "location: /settings?changed=password" "back to the settings"
  assert_contains "$headers" "set-cookie: instctl_session=" "this browser gets a new session"
  req -b "$JAR" "/settings?changed=password"
  expect_status 200 "still signed in here"
  assert_contains "$body" "Your password is changed." "says so"
  req -b "$TMP/dee-other-browser" /settings
  expect_status 303 "the other browser's session has ended"
  sign_in dee first-password
  expect_status 401 "the old password no longer works"
  sign_in dee second-password
  expect_status 303 "the new one does"
  # Wrong current passwords count towards the account's lock-out, which sign-in waits for.
  token=$(csrf /settings/password)
  local i
  for i in 1 2 3 4; do change "wrong-$i" x-password-1; done
  change wrong-5 x-password-1
  expect_status 429 "the fifth wrong password locks the account out"
  assert_contains "$headers" "retry-after: 900" "for fifteen minutes"
  sign_in dee second-password
  expect_status 429 "sign-in waits too"
}

test_export_my_data() {
  activate_new eve eve-password
  ok users modify eve --note "Knits <socks>" --approve-followers manual
  INSTCTL_ACTOR=eve ok --json invites create --max-uses 3 --message "Come along"
  local code
  code=$(jqo .code)
  req -b "$JAR" /settings/export
  expect_status 200 "the export page"
  assert_contains "$body" "never contains your password" "what it holds"
  req -b "$JAR" -d x=1 /settings/export
  expect_status 403 "the download without a CSRF token"
  post /settings/export "$(csrf /settings/export)"
  expect_status 200 "the download"
  printf '%s' "$body" >"$TMP/export.json"
  assert_contains "$headers" "content-type: application/json" "JSON"
  assert_contains "$headers" 'content-disposition: attachment; filename="eve-2026-11-28.json"' "a file to keep"
  local j=$TMP/export.json
  assert_eq "$(jq -r .version "$j")" "1" "the format's version"
  assert_eq "$(jq -r .account.username "$j")" "eve" "the account"
  assert_eq "$(jq -r .account.email "$j")" "eve@example.com" "its address"
  assert_eq "$(jq -r .account.note "$j")" "Knits <socks>" "its bio, exact"
  assert_eq "$(jq -r .account.manually_approves_followers "$j")" "true" "its settings"
  assert_eq "$(jq -r .account.has_password "$j")" "true" "whether it has a password"
  assert_eq "$(jq -r '.invites | length' "$j")" "1" "the invite eve made"
  assert_eq "$(jq -r '.invites[0].code + " " + .invites[0].message' "$j")" "$code Come along" "its code and message"
  assert_eq "$(jq -c '[.followers, .following, .follow_requests, .identities, .reports_filed] | map(length)' "$j")" \
    "[0,0,0,0,0]" "the lists, empty"
  assert_eq "$(jq -r '[paths | map(tostring) | join(".") | select(test("password_hash|private|token|session"))] | length' "$j")" \
    "0" "no secret's field"
  local hash
  hash=$(sql "SELECT password_hash FROM accounts WHERE username = 'eve'")
  assert_not_contains "$(cat "$j")" "$hash" "not the password hash"
  assert_not_contains "$(cat "$j")" "PRIVATE KEY" "nor a private key"
}

test_unlink_partner_identity() {
  # fay signs in with the partner only: no password. Her session and identity are written as
  # the partner's callback would write them.
  INSTCTL_NOW=$T0 ok users create fay --email fay@example.com
  local id token
  id=$(sql "SELECT id FROM accounts WHERE username = 'fay'")
  token=fay-session-token-0123456789abcdef
  sql "INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES ('$(sha256 "$token")', $id, 0, 4102444800)" >/dev/null
  sql "INSERT INTO account_identities (account_id, issuer, subject, email, linked_at) VALUES ($id, 'https://partner.example', 'fay', 'fay@partner.example', 0)" >/dev/null
  sql "UPDATE accounts SET activation_token_hash = NULL, activation_expires_at = NULL WHERE id = $id" >/dev/null
  rm -f "$JAR"
  printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tinstctl_session\t%s\n' "$token" >"$JAR"
  req -b "$JAR" /settings
  expect_status 200 "fay is signed in"
  assert_contains "$body" "is linked: you can sign in with it" "the linked identity"
  assert_contains "$body" 'action="/settings/partner/unlink' "an unlink button"
  req -b "$JAR" -d x=1 /settings/partner/unlink
  expect_status 403 "unlink without a CSRF token"
  post /settings/partner/unlink "$(csrf /settings)"
  expect_status 409 "unlink without a password"
  assert_contains "$body" "Your account has no password yet" "says why"
  assert_contains "$body" "Forgot your password?" "and the way out"
  assert_eq "$(sql "SELECT count(*) FROM account_identities WHERE account_id = $id")" "1" "still linked"
  # Deleting the account asks for a password fay does not have: the page and the refusal say
  # how to get one.
  req -b "$JAR" /settings/delete
  expect_status 200 "the delete page"
  assert_contains "$body" "Your account has no password yet (you sign in with the partner)." "says fay has none"
  assert_contains "$body" "Get a password link with &quot;Forgot your password?&quot; on the sign-in page" "and how to get one"
  post /settings/delete "$(csrf /settings/delete)" --data-urlencode current_password=anything
  expect_status 401 "no password to confirm with"
  assert_contains "$body" "Your account has no password yet: get one with &quot;Forgot your password?&quot; on the sign-in page." \
    "the refusal says why and the way out"
  assert_not_contains "$body" "Your password is not right" "not a wrong password"
  ok --json users show fay
  assert_eq "$(jqo .status)" "active" "fay is still here"
  # With a password, the identity goes.
  INSTCTL_NOW=$T0 ok --json users reset-password fay
  set_password "$(link_path "$(jqo .reset_url)")" fay-password
  expect_status 303 "fay sets a password (and is signed in again)"
  post /settings/partner/unlink "$(csrf /settings)"
  expect_status 200 "unlinked"
  assert_eq "$(sql "SELECT count(*) FROM account_identities WHERE account_id = $id")" "0" "the link is gone"
  post /settings/partner/unlink "$(csrf /settings)"
  expect_status 404 "nothing left to unlink"
  assert_contains "$body" "Fay has no linked identity." "says so"
}

test_delete_my_account() {
  activate_new gus gus-password
  req -b "$JAR" /settings/delete
  expect_status 200 "the delete page"
  assert_contains "$body" "This cannot be undone." "a warning"
  local token
  token=$(csrf /settings/delete)
  post /settings/delete "$token" --data-urlencode current_password=wrong-password
  expect_status 401 "a wrong password"
  assert_contains "$body" "Your password is not right: type it again." "said next to the field"
  req -b "$JAR" --data-urlencode current_password=gus-password /settings/delete
  expect_status 403 "without the CSRF token"
  ok --json users show gus
  assert_eq "$(jqo .status)" "active" "gus is still here"
  req -H 'Accept: application/activity+json' /users/gus
  expect_status 200 "and so is the actor"
  post /settings/delete "$token" --data-urlencode current_password=gus-password
  expect_status 200 "deleted"
  assert_contains "$body" "Your account is deleted" "says so"
  assert_contains "$headers" "set-cookie: instctl_session=; path=/; httponly; samesite=lax; max-age=0" "signed out"
  req -H 'Accept: application/activity+json' /users/gus
  expect_status 410 "the actor is gone"
  ok --json users show gus
  assert_eq "$(jqo .status)" "deleted" "the same state as users delete"
  assert_eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'users.delete' AND target = 'user:gus'")" "1" "audited as users delete"
  assert_eq "$(sql "SELECT count(*) FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE a.username = 'gus'")" "0" "no session left"
  sign_in gus gus-password
  expect_status 401 "no more sign-in"
}

# Forgot password: the mail arrives, its link sets a new password, sign-in works; an unknown
# name gets the same page and no mail; the spent link gets the clear page.
test_forgot_password() {
  rm -f "$JAR"
  stop_serve  # an hour later: the sign-in bucket emptied by the rate-limit test is full again
  INSTCTL_NOW=2026-11-28T09:30:00Z start_serve "$PORT" --access-log "$TMP/access.log"
  start_smtp
  use_smtp || fail "mail settings"
  req /auth/sign_in
  assert_contains "$body" 'href="/auth/forgot"' "the sign-in page links to it"
  req /auth/forgot
  expect_status 200 "the forgot-password page"
  assert_contains "$body" "Username or email address" "asks for the account"
  post /auth/forgot "$(csrf /auth/forgot)" --data-urlencode "login=BEA@example.com"
  expect_status 200 "asked for a known address"
  local known=$body
  assert_contains "$body" "Check your mail" "what it says"
  post /auth/forgot "$(csrf /auth/forgot)" --data-urlencode "login=nobody@example.com"
  expect_status 200 "asked for an unknown address"
  assert_eq "$body" "$known" "the same page, whether or not the account exists"
  post /auth/forgot "$(csrf /auth/forgot)" --data-urlencode "login=ghost"
  assert_eq "$body" "$known" "the same page for an unknown username"
  post /auth/forgot "$(csrf /auth/forgot)" --data-urlencode "login=  "
  expect_status 422 "nothing typed"
  assert_contains "$body" "Type your username or email address" "says what to type"
  post /auth/forgot "not-the-token" --data-urlencode "login=bea"
  expect_status 403 "a forged form"
  req -b "$JAR" -H "Origin: https://evil.example" --data-urlencode "csrf_token=$(csrf /auth/forgot)" \
    --data-urlencode "login=bea" /auth/forgot
  expect_status 403 "a cross-site post"
  wait_until 60 eval '[ -n "$(delivered_to bea@example.com)" ]' || fail "the reset mail arrived"
  wait_until 60 eval '[ "$("$BIN" --json stats | jq ".counts.mail_queue.unsent + .counts.mail_queue.sending")" = 0 ]' ||
    fail "the queue drained"
  local mail
  mail=$(delivered_to bea@example.com)
  assert_eq "$(head -1 <<<"$mail")" "Reset your password on Harbour|127.0.0.1" "subject, and a Message-ID on the instance's domain"
  assert_contains "$mail" "Hello Bea B.," "a capitalised greeting with the display name"
  assert_contains "$mail" "If you did not ask for this, you can ignore this mail" "what to do if unexpected"
  assert_eq "$(mail_count)" "1" "one mail: none for the unknown address and username"
  local link
  link=$(grep -o "$URL/auth/reset/[A-Za-z0-9_-]*" <<<"$mail")
  [ -n "$link" ] || fail "a reset link in the mail"
  rm -f "$JAR"
  set_password "$(link_path "$link")" forgotten-horse-staple
  expect_status 303 "the mailed link sets a new password"
  rm -f "$JAR"
  sign_in bea forgotten-horse-staple
  expect_status 303 "sign-in works with it"
  req "$(link_path "$link")"
  expect_status 404 "the spent link"
  assert_contains "$body" "This link cannot be used" "the clear page"
  assert_contains "$body" "Forgot your password?" "and how to get a new one"
  # Welcome after activation, once.
  INSTCTL_NOW=2026-11-28T09:30:00Z ok --json users create hal --email hal@example.com
  local activate
  activate=$(link_path "$(jqo .activation_url)")
  rm -f "$JAR"
  set_password "$activate" hals-horse-staple
  expect_status 303 "activated"
  set_password "$activate" hals-horse-staple
  expect_status 404 "the link is spent"
  wait_until 60 eval '[ -n "$(delivered_to hal@example.com)" ]' || fail "the welcome arrived"
  wait_until 60 eval '[ "$("$BIN" --json stats | jq ".counts.mail_queue.unsent + .counts.mail_queue.sending")" = 0 ]' ||
    fail "the queue drained"
  mail=$(delivered_to hal@example.com)
  assert_eq "$(grep -c '|127.0.0.1$' <<<"$mail")" "1" "one mail to hal"
  assert_eq "$(head -1 <<<"$mail")" "Welcome to Harbour|127.0.0.1" "the welcome, Message-ID on the instance's domain"
  assert_contains "$mail" "Your handle is @hal@$HOST" "with the handle"
  assert_contains "$mail" "Sign in at $URL/auth/sign_in" "and what to do next"
  ok config unset mail.smtp_url
  stop_smtp
}

# The forgot-password limits (onboarding.rate_limit, here 3 an hour): each client address has a
# forgot_password bucket (429 past it), each account a forgot_password_account bucket counted
# however it is named (past it the same page, no mail); every answer takes as long.
test_forgot_password_limits() {
  rm -f "$JAR"
  start_smtp
  use_smtp || fail "mail settings"
  ok config set onboarding.rate_limit 3/1h
  local i login token start took
  i=0
  for login in hal "HAL@example.com" "@hal" hal; do
    i=$((i + 1))
    token=$(csrf /auth/forgot)
    start=$(date +%s%N)
    post /auth/forgot "$token" -H "X-Forwarded-For: 198.51.100.$i" --data-urlencode "login=$login"
    took=$((($(date +%s%N) - start) / 1000000))
    expect_status 200 "$login from 198.51.100.$i: the same answer"
    assert_contains "$body" "Check your mail" "$login: what it says"
    [ "$took" -ge 250 ] || fail "$login: answered after ${took} ms, before the 250 ms every answer takes"
  done
  wait_until 60 eval '[ "$("$BIN" --json stats | jq ".counts.mail_queue.unsent + .counts.mail_queue.sending")" = 0 ]' ||
    fail "the queue drained"
  assert_eq "$(delivered_to hal@example.com | grep -c '^Reset your password')" "3" \
    "three reset mails for hal, however named, and none past the account's limit"
  for i in 1 2 3; do
    post /auth/forgot "$(csrf /auth/forgot)" -H "X-Forwarded-For: 198.51.100.99" --data-urlencode "login=ghost$i"
    expect_status 200 "unknown name $i from one address"
  done
  post /auth/forgot "$(csrf /auth/forgot)" -H "X-Forwarded-For: 198.51.100.99" --data-urlencode "login=hal"
  expect_status 429 "the fourth request from one address in an hour"
  assert_contains "$body" "Too many attempts from your address" "says why"
  assert_contains "$headers" "retry-after:" "and when to return"
  post /auth/forgot "$(csrf /auth/forgot)" -H "X-Forwarded-For: 198.51.100.98" --data-urlencode "login=ghost1"
  expect_status 200 "another address is not held back"
  ok config set onboarding.rate_limit 1000/1h
  ok config unset mail.smtp_url
  stop_smtp
}

# A forgot-password answer waits out its floor without holding a worker: with one worker,
# eight requests at once all answer in about one floor (held one after another on the worker
# they would take eight), and GET /health meanwhile answers before any of them.
test_forgot_holds_no_worker() {
  rm -f "$JAR"
  start_serve "$PORT" --workers 1
  local token i start took curls=()
  token=$(csrf /auth/forgot)
  start=$(date +%s%N)
  for i in $(seq 1 8); do
    curl -s -o "$TMP/forgot.$i" -w '%{http_code}' --max-time 10 -b "$JAR" -H "X-Forwarded-For: 198.51.100.$((50 + i))" \
      --data-urlencode "csrf_token=$token" --data-urlencode "login=nobody$i" \
      "http://127.0.0.1:$PORT/auth/forgot" >"$TMP/forgot.$i.status" &
    curls+=("$!")
  done
  sleep 0.05
  req /health
  expect_status 200 "/health while eight forgot-password answers wait"
  for i in $(seq 1 8); do [ -s "$TMP/forgot.$i.status" ] && fail "forgot $i answered before /health"; done
  wait "${curls[@]}"
  took=$((($(date +%s%N) - start) / 1000000))
  for i in $(seq 1 8); do
    assert_eq "$(cat "$TMP/forgot.$i.status")" "200" "forgot $i answered"
    assert_contains "$(cat "$TMP/forgot.$i")" "Check your mail" "forgot $i: the page"
  done
  [ "$took" -lt 1500 ] || fail "eight answers took ${took} ms with one worker: they held it in turn"
  pass
  stop_serve
}

INSTCTL_NOW=$T0 start_serve "$PORT" --threads 2 --access-log "$TMP/access.log"
test_activate_from_the_printed_link
test_activate_links_of_init_and_import
test_expired_and_unknown_links
test_reset_from_the_printed_link
test_sign_in_and_out
test_csrf_and_cross_site_posts
test_settings_change_the_profile
test_change_password
test_export_my_data
test_unlink_partner_identity
test_delete_my_account
test_lock_out_does_not_reveal_accounts
test_rate_limit_per_address
test_forgot_password
test_forgot_password_limits
stop_serve
test_forgot_holds_no_worker
finish
