#!/usr/bin/env bash
# The onboarding pages over HTTP (curl against a real `instctl serve` on loopback): escaping of
# every text, CSRF and same-origin checks, body limits, rate limits that trip and recover, and
# concurrent sign-ups on a single-use invite.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/smtp_lib.sh"

PORT=$(free_port)
HOST=127.0.0.1:$PORT
URL=http://$HOST
T0=2026-11-28T08:00:00Z
XSS='<script>alert(1)</script>'
JAR=$TMP/cookies

"$BIN" init --domain "$HOST" --public-url "$URL" --title "Harbour" --admin ada \
  --admin-email ada@example.com >/dev/null 2>&1 || { echo "init failed" >&2; exit 1; }
ok config set onboarding.rate_limit 1000/1h
ok config set waitlist.enabled true

new_code() { INSTCTL_NOW=$T0 "$BIN" -q invites create "$@" | sed 's|.*/invite/||'; }
# csrf PATH: visits a page like a browser (cookie jar) and prints the form's token.
csrf() {
  curl -s -c "$JAR" -b "$JAR" "$URL$1" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1
}
# post PATH TOKEN [CURL OPTIONS]: a form POST with the jar's cookie; sets $status, $body.
post() {
  local path=$1 token=$2
  shift 2
  req -b "$JAR" --data-urlencode "csrf_token=$token" "$@" "$path"
}
sign_up_data() {  # CODE USERNAME: the fields of a complete sign-up
  printf -- '--data-urlencode invite=%s --data-urlencode username=%s --data-urlencode email=%s@example.com --data-urlencode password=correct-horse --data-urlencode agree=yes' "$1" "$2" "$2"
}

test_pages_are_accessible_html() {
  local code token
  code=$(new_code --note "for the book club, private" --message "Hello from ada")
  req "/invite/$code"
  expect_status 200 "invite page"
  assert_contains "$headers" "content-type: text/html; charset=utf-8" "HTML"
  assert_contains "$body" '<html lang="en">' "lang attribute"
  assert_contains "$body" 'name="viewport"' "viewport for phones"
  assert_contains "$body" "Harbour" "the instance title"
  assert_contains "$body" "Hello from ada" "the inviter's message"
  assert_not_contains "$body" "book club" "the admins' note stays private"
  assert_contains "$body" "Your handle will be @username@" "the username is the invitee's choice"
  assert_not_contains "$body" "<script" "no script at all"
  local inputs labels
  inputs=$(grep -o '<input type="\(text\|email\|password\|checkbox\)" id="[a-z_]*"' <<<"$body" | sed 's/.*id="//; s/"//' | sort | tr '\n' ' ')
  labels=$(grep -o '<label for="[a-z_]*"' <<<"$body" | sed 's/.*for="//; s/"//' | sort | tr '\n' ' ')
  assert_eq "$inputs" "agree email password username " "the form's inputs"
  assert_eq "$labels" "$inputs" "every input has its label"
  code=$(new_code --email bound@example.com)
  req "/invite/$code"
  assert_contains "$body" 'value="bound@example.com"' "a bound invite pre-fills the address"
  assert_contains "$body" 'readonly' "and locks it"
}

test_every_text_is_escaped() {
  ok config set instance.title "Harbour $XSS"
  ok config set instance.description "Welcome <img src=x onerror=alert(2)> & more"
  ok rules add "Be kind $XSS" --hint "<b>really</b>"
  local code token
  code=$(new_code --message "note $XSS")
  req "/invite/$code"
  expect_status 200 "invite page with hostile settings"
  assert_not_contains "$body" "$XSS" "no raw script"
  assert_not_contains "$body" "<img" "no raw img"
  assert_not_contains "$body" "<b>really" "no raw markup in rule hints"
  assert_contains "$body" "Harbour &lt;script&gt;alert(1)&lt;/script&gt;" "title escaped"
  assert_contains "$body" "&lt;img src=x onerror=alert(2)&gt; &amp; more" "description escaped"
  assert_contains "$body" "Be kind &lt;script&gt;" "rule escaped"
  assert_contains "$body" "note &lt;script&gt;" "note escaped"
  token=$(csrf "/invite/$code")
  post /auth/sign_up "$token" --data-urlencode "invite=$code" --data-urlencode "username=a$XSS" \
    --data-urlencode "email=\"><svg onload=alert(3)>@x.example" --data-urlencode "password=$XSS"
  expect_status 422 "hostile sign-up refused"
  assert_not_contains "$body" "$XSS" "username escaped"
  assert_not_contains "$body" "<svg" "email escaped"
  assert_contains "$body" 'value="a&lt;script&gt;alert(1)&lt;/script&gt;"' "the username is kept, escaped"
  assert_contains "$(grep -o '<input type="password"[^>]*>' <<<"$body")" 'value=""' "the password is never echoed"
  token=$(csrf /waitlist)
  post /waitlist "$token" --data-urlencode "email=bad" --data-urlencode "username=$XSS" \
    --data-urlencode "reason=</textarea>$XSS"
  expect_status 422 "hostile waitlist entry refused"
  assert_not_contains "$body" "$XSS" "waitlist fields escaped"
  assert_contains "$body" "&lt;/textarea&gt;&lt;script&gt;" "the reason is kept, escaped"
  req /waitlist
  assert_not_contains "$body" "$XSS" "waitlist page escapes the title"
  ok config set instance.title "Harbour"
}

# errors_in: the texts of the page's field errors and of its summary, one a line.
errors_in() { grep -o '<span class="error" id="[a-z]*-error">[^<]*</span>' <<<"$body" | sed 's/<[^>]*>//g'; }
summary_in() { grep -o '<li><a href="#[a-z]*">[^<]*</a></li>' <<<"$body" | sed 's/<[^>]*>//g'; }

test_form_errors_are_written_for_people() {
  local code token errors
  code=$(new_code)
  req "/invite/$code"
  token=$(csrf "/invite/$code")
  assert_contains "$body" 'action="/auth/sign_up#sign-up-form" id="sign-up-form"' \
    "the form comes back scrolled to itself (no script)"
  post /auth/sign_up "$token" --data-urlencode "invite=$code" --data-urlencode "email=nobody"
  expect_status 422 "an empty sign-up"
  errors=$(errors_in)
  assert_eq "$(wc -l <<<"$errors")" "4" "a problem for each field: $errors"
  assert_eq "$(grep -cv '^[A-Z].*\.$' <<<"$errors")" "0" "each a sentence: $errors"
  assert_not_contains "$errors" "--" "no command-line wording"
  assert_not_contains "$errors" "instctl" "no command names"
  assert_contains "$errors" "Choose a username." "the empty username"
  assert_contains "$errors" "This is not an email address" "the address"
  assert_contains "$body" '<div class="alert summary" role="alert">' "a summary at the top of the form"
  assert_eq "$(summary_in)" "$errors" "listing the same problems in the same order"
  assert_contains "$body" '<li><a href="#username">Choose a username.</a></li>' "each leading to its field"
  ok config set registrations.require_reason true
  req /waitlist
  token=$(csrf /waitlist)
  assert_contains "$body" 'action="/waitlist#waitlist-form" id="waitlist-form"' "the waitlist form too"
  post /waitlist "$token" --data-urlencode "email=someone@example.com"
  expect_status 422 "no reason"
  assert_eq "$(errors_in)" "Please say why you would like to join." "the reason's problem in a sentence"
  assert_eq "$(summary_in)" "Please say why you would like to join." "in the summary"
  ok config set registrations.require_reason false
}

test_sign_up_records_the_invite() {
  local code token
  code=$(new_code --autofollow ada)
  token=$(csrf "/invite/$code")
  # shellcheck disable=SC2046
  post /auth/sign_up "$token" $(sign_up_data "$code" newbie)
  expect_status 200 "sign-up"
  assert_contains "$body" "@newbie@$HOST" "the welcome page shows the handle"
  assert_contains "$body" "Keep your password safe" "a password member is told to keep it safe"
  assert_contains "$body" "no approval needed" "not pending"
  assert_contains "$body" "You now follow @ada@$HOST" "the autofollow"
  ok --json users show newbie
  assert_eq "$(jqo .invite_code)" "$code" "users show records the invite"
  # shellcheck disable=SC2046
  post /auth/sign_up "$token" $(sign_up_data "$code" another)
  expect_status 410 "the used invite"
  assert_contains "$body" "used up" "says it is used up"
}

test_sign_up_without_an_invite_follows_the_mode() {
  local token
  req /auth/sign_up
  expect_status 200 "invite mode"
  assert_contains "$body" "Joining is by invitation" "says an invite is needed"
  assert_not_contains "$body" "<form" "no form"
  ok config set registrations.mode approval
  token=$(csrf /auth/sign_up)
  req -b "$JAR" --data-urlencode "csrf_token=$token" --data-urlencode username=walkin \
    --data-urlencode email=walkin@example.com --data-urlencode password=correct-horse \
    --data-urlencode agree=yes /auth/sign_up
  expect_status 200 "approval mode sign-up"
  assert_contains "$body" "@walkin@$HOST" "the handle"
  assert_contains "$body" "waiting for a moderator" "approval pending"
  assert_not_contains "$body" "Share your handle," "not told to share a handle that does not work yet"
  assert_contains "$body" "Once it is approved, share your handle" "but when it will"
  ok --json users show walkin
  assert_eq "$(jqo .status)" "pending" "in the approval queue"
  ok config set registrations.mode closed
  req /auth/sign_up
  expect_status 403 "closed"
  assert_contains "$body" "Registrations are closed" "says so"
  ok config set registrations.mode invite
}

test_waitlist_admission_invite() {
  local code
  INSTCTL_NOW=$T0 ok waitlist add turn@example.com --username turner
  INSTCTL_NOW=$T0 ok --json waitlist admit turn@example.com
  code=$(jqo '.[0].invite_code // .invite_code')
  ok --json invites show "$code"
  assert_eq "$(jqo .username)" "turner" "the requested username is carried into the invite"
  req "/invite/$code"
  expect_status 200 "a waitlist admission's invite"
  assert_contains "$body" "your turn on the waitlist has come" "says why"
  assert_contains "$body" 'value="turn@example.com"' "bound to the entry's address"
  assert_contains "$(grep -o '<input type="text" id="username"[^>]*>' <<<"$body")" 'value="turner"' \
    "the requested username is filled in"
  assert_not_contains "$(grep -o '<input type="text" id="username"[^>]*>' <<<"$body")" 'readonly' \
    "and can still be changed"
  assert_contains "$body" "Your handle will be @turner@$HOST, the username you asked for" "says so"
}

test_imported_account_is_claimed() {
  local code token
  printf 'username,email\nreserved,reserved@example.com\n' >"$TMP/import.csv"
  ok users import "$TMP/import.csv" --invite
  code=$(sql "SELECT code FROM invites WHERE email = 'reserved@example.com'")
  token=$(csrf "/invite/$code")
  req "/invite/$code"
  assert_contains "$(grep -o '<input type="text" id="username"[^>]*>' <<<"$body")" 'value="reserved"' \
    "the account's username is filled in"
  assert_contains "$(grep -o '<input type="text" id="username"[^>]*>' <<<"$body")" 'readonly' "and locked"
  assert_contains "$body" "Your account @reserved@$HOST is ready for you" "in the mail's words"
  # shellcheck disable=SC2046
  post /auth/sign_up "$token" $(sign_up_data "$code" reserved)
  expect_status 200 "claiming the account"
  assert_contains "$body" "@reserved@$HOST" "the welcome page"
  ok --json users show reserved
  assert_eq "$(jqo .activation_pending) $(jqo .invite_code)" "false $code" "claimed with the invite"
}

test_cross_site_posts_are_refused() {
  local code token before
  code=$(new_code)
  token=$(csrf "/invite/$code")
  before=$(sql "SELECT count(*) FROM accounts")
  # shellcheck disable=SC2046
  post /auth/sign_up "" $(sign_up_data "$code" csrf_a)
  expect_status 403 "no token"
  # shellcheck disable=SC2046
  req -H "Origin: https://evil.example" $(sign_up_data "$code" csrf_b) /auth/sign_up
  expect_status 403 "cross-site, no token, no cookie"
  # shellcheck disable=SC2046
  post /auth/sign_up "$token" -H "Origin: https://evil.example" $(sign_up_data "$code" csrf_c)
  expect_status 403 "cross-site origin with a token"
  # shellcheck disable=SC2046
  req --data-urlencode "csrf_token=$token" $(sign_up_data "$code" csrf_d) /auth/sign_up
  expect_status 403 "a token without its cookie"
  req -H "Origin: https://evil.example" -H "Content-Type: application/json" \
    -d '{"email":"x@example.com"}' /api/v1/waitlist
  expect_status 403 "cross-site JSON"
  assert_eq "$(sql "SELECT count(*) FROM accounts")" "$before" "nothing was created"
  assert_eq "$(sql "SELECT count(*) FROM waitlist WHERE email = 'x@example.com'")" "0" "nobody listed"
}

test_body_limit() {
  local token
  token=$(csrf /waitlist)
  head -c 20000 /dev/zero | tr '\0' 'a' >"$TMP/big"
  post /waitlist "$token" --data-urlencode "reason@$TMP/big" --data-urlencode "email=big@example.com"
  expect_status 413 "a form over 16 KiB"
  req -H "Content-Type: application/json" -d '["big@example.com"]' /api/v1/waitlist
  expect_status 400 "a JSON body that is not an object"
  assert_eq "$(jqb .error)" 'The body must be a JSON object: {"email": ...}.' "says what to send"
}

test_invite_problem_pages() {
  local code
  req /invite/NOSUCHCODE22
  expect_status 404 "unknown code"
  assert_contains "$body" "not valid" "says it is not valid"
  assert_contains "$body" 'href="/waitlist"' "links to the waitlist"
  local unknown=$body
  req "/invite/%3Cb%3E"
  assert_eq "$body" "$unknown" "every unknown code gets the same page"
  code=$(new_code)
  ok invites revoke "$code"
  req "/invite/$code"
  expect_status 410 "revoked"
  assert_contains "$body" "withdrawn" "says it was withdrawn"
  code=$(new_code --expires-in 1h)
  # Two hours later, on a second server.
  local main_pid=$SERVE_PID
  INSTCTL_NOW=2026-11-28T10:00:00Z start_serve "$(free_port)"
  req "/invite/$code"
  expect_status 410 "expired"
  assert_contains "$body" "expired" "says it expired"
  stop_serve
  SERVE_PID=$main_pid SERVE_PORT=$PORT
}

test_rate_limit_trips_and_recovers() {
  ok config set onboarding.rate_limit 3/1h
  local i
  for i in 1 2 3; do
    req -H "Content-Type: application/json" -d "{\"email\":\"rl$i@example.com\"}" /api/v1/waitlist
    expect_status 201 "join $i"
  done
  req -H "Content-Type: application/json" -d '{"email":"rl4@example.com"}' /api/v1/waitlist
  expect_status 429 "the fourth join in an hour"
  assert_contains "$headers" "retry-after: 1200" "Retry-After"
  assert_eq "$(jqb .error)" "Too many attempts from your address. Please try again in 20 minutes." \
    "the wait in words"
  # Twenty minutes later (a restarted server with a later clock: the buckets are stored).
  stop_serve
  INSTCTL_NOW=2026-11-28T08:20:00Z start_serve "$PORT"
  req -H "Content-Type: application/json" -d '{"email":"rl4@example.com"}' /api/v1/waitlist
  expect_status 201 "one more after twenty minutes"
  assert_eq "$(jqb .position)" "$(sql "SELECT count(*) FROM waitlist WHERE status = 'waiting' AND confirmed_at IS NOT NULL")" \
    "its position"
  req -H "Content-Type: application/json" -d '{"email":"rl5@example.com"}' /api/v1/waitlist
  expect_status 429 "and only one"
  ok config set onboarding.rate_limit 1000/1h
}

test_concurrent_sign_ups_on_a_single_use_invite() {
  local code token i pids=()
  code=$(new_code --max-uses 1)
  token=$(csrf "/invite/$code")
  for i in 1 2 3 4 5 6 7 8; do
    curl -s -o /dev/null -w '%{http_code}\n' -b "$JAR" --data-urlencode "csrf_token=$token" \
      --data-urlencode "invite=$code" --data-urlencode "username=racer$i" \
      --data-urlencode "email=racer$i@example.com" --data-urlencode "password=correct-horse" \
      --data-urlencode "agree=yes" "$URL/auth/sign_up" >"$TMP/race.$i" &
    pids+=($!)
  done
  wait "${pids[@]}"
  assert_eq "$(cat "$TMP"/race.* | grep -c '^200$')" "1" "one sign-up succeeded"
  assert_eq "$(cat "$TMP"/race.* | grep -c '^410$')" "7" "the others saw the used-up page"
  assert_eq "$(sql "SELECT count(*) FROM accounts WHERE invite_code = '$code'")" "1" "one user"
  assert_eq "$(sql "SELECT uses FROM invites WHERE code = '$code'")" "1" "one use"
}

# hold_writes: another process holds the database's write lock (SQLite: BEGIN EXCLUSIVE;
# PostgreSQL: an EXCLUSIVE lock on accounts, which reads pass) until release_writes.
hold_writes() {
  if on_postgresql; then
    PGAPPNAME=instctl-test-hold psql -X -q "$INSTCTL_DB" \
      -c "BEGIN; LOCK TABLE accounts IN EXCLUSIVE MODE; SELECT pg_sleep(300)" >/dev/null 2>&1 &
    holder=$!
    on_exit "kill $holder 2>/dev/null"
    wait_until 10 writes_held
  else
    hold_sqlite_write_lock
  fi
}
writes_held() {
  [ "$(sql "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE a.application_name = 'instctl-test-hold' AND l.mode = 'ExclusiveLock'
            AND l.granted")" -ge 1 ]
}
release_writes() {
  if on_postgresql; then
    sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = 'instctl-test-hold'" >/dev/null
  else
    rm -f "$TMP/hold"
  fi
  wait "$holder"
}

# A database busy with another writer for longer than serve waits (30 s) is the server's
# failure, not the person's: "try again" with 503 and Retry-After, never a problem of the form
# (such as "This address already has an account here."), and nothing is written.
test_busy_database_asks_to_try_again() {
  local code token
  code=$(new_code)
  token=$(csrf "/invite/$code")
  hold_writes
  # shellcheck disable=SC2046
  post /auth/sign_up "$token" $(sign_up_data "$code" patient) --max-time 90
  release_writes
  expect_status 503 "a sign-up while the database is locked"
  assert_contains "$body" "Please try again" "the page asks to try again"
  assert_contains "$body" "try again in a minute" "with the public words of the failure"
  assert_not_contains "$body" "already has an account" "never the duplicate-account text"
  assert_not_contains "$body" "locked" "nor the operator's message"
  assert_contains "$headers" "retry-after: 30" "Retry-After"
  expect 3 users show patient
  # shellcheck disable=SC2046
  post /auth/sign_up "$token" $(sign_up_data "$code" patient)
  expect_status 200 "the same sign-up once the lock is gone"
}

test_waitlist_disabled() {
  ok config set waitlist.enabled false
  req /waitlist
  expect_status 404 "no waitlist page"
  req -H "Content-Type: application/json" -d '{"email":"w@example.com"}' /api/v1/waitlist
  expect_status 404 "no waitlist API"
  req /invite/NOSUCHCODE22
  assert_not_contains "$body" 'href="/waitlist"' "no waitlist link"
  ok config set waitlist.enabled true
}

# The confirmation mail to $1 in the SMTP server: prints "subject|Message-ID domain|link path".
confirmation_mail() {
  /usr/bin/python3 - "$MAILDIR/new" "$1" <<'PY'
import email, email.policy, os, re, sys
d, to = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(d)):
    with open(os.path.join(d, name), "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    if msg["To"].addresses[0].addr_spec.lower() != to:
        continue
    domain = re.fullmatch(r"<[^@<>]+@([^<>]+)>", msg["Message-ID"]).group(1)
    path = re.search(r"https?://[^/\s]+(/waitlist/confirm/\S+)", msg.get_content()).group(1)
    print(f'{msg["Subject"]}|{domain}|{path}')
PY
}
mail_to() { [ -n "$(confirmation_mail "$1")" ]; }

# Every form that asks for an address links the privacy policy, when there is one.
test_forms_link_the_privacy_policy() {
  local code link='How your address is kept and used: <a href="/privacy-policy">privacy policy</a>.'
  req /waitlist
  assert_not_contains "$body" "$link" "no link without a policy"
  req /auth/forgot
  assert_not_contains "$body" "$link" "nor on the forgot-password form"
  printf 'We keep little.\n' >"$TMP/privacy.md"
  ok config set instance.privacy_policy_file "$TMP/privacy.md"
  req /waitlist
  assert_contains "$body" "$link" "the waitlist form links it"
  code=$(new_code)
  req "/invite/$code"
  assert_contains "$body" "$link" "the invite's sign-up form links it"
  ok config set registrations.mode approval
  req /auth/sign_up
  assert_contains "$body" "$link" "the sign-up form links it"
  req /auth/forgot
  assert_contains "$body" "$link" "the forgot-password form, which takes an email address, links it"
  req /auth/sign_in
  assert_contains "$body" "$link" "the sign-in form, which takes an email address, links it"
  ok config set registrations.mode invite
  ok config unset instance.privacy_policy_file
}

# Double opt-in: a web entry waits for its mailed link; the GET shows a button, the POST
# confirms once; process admits confirmed entries only and removes the expired ones.
test_waitlist_double_opt_in() {
  local token path api_path
  start_smtp
  use_smtp || fail "mail settings"
  token=$(csrf /waitlist)
  post /waitlist "$token" --data-urlencode "email=Opt.In@example.org"
  expect_status 201 "joined from the page"
  assert_contains "$body" "check your email" "told to confirm the address"
  assert_not_contains "$body" "Your place in the queue" "no place before the confirmation"
  ok --json waitlist show opt.in@example.org
  assert_eq "$(jqo '[.confirmed, .position, .confirmed_at] | map(tostring) | join(" ")')" "false null null" \
    "unconfirmed, not in line"
  req -H "Content-Type: application/json" -d '{"email":"late@example.org"}' /api/v1/waitlist
  expect_status 201 "joined through the API"
  assert_eq "$(jq -c . <<<"$body")" '{"already_listed":false,"confirmed":false,"position":null}' \
    "the API says it waits for the confirmation, with no position yet"
  req -H "Content-Type: application/json" -d '{"email":"late@example.org"}' /api/v1/waitlist
  assert_eq "$status $(jq -c . <<<"$body")" '200 {"already_listed":true,"confirmed":false,"position":null}' \
    "joining again changes nothing"
  ok waitlist add admin.added@example.org
  ok --json waitlist show admin.added@example.org
  assert_eq "$(jqo .confirmed)" "true" "an entry an admin adds is confirmed"
  ok waitlist stats
  assert_contains "$out" "unconfirmed" "stats count the unconfirmed entries"
  wait_until 30 mail_to opt.in@example.org || fail "the confirmation mail arrived"
  wait_until 30 mail_to late@example.org || fail "the API's confirmation mail arrived"
  local mail
  mail=$(confirmation_mail opt.in@example.org)
  assert_eq "${mail%|*}" "Confirm your place on the waitlist of Harbour|${HOST%:*}" \
    "subject and Message-ID domain"
  assert_eq "$(mail_recipients | grep -c '^Opt.In@example.org$')" "1" "one mail, to the address as typed"
  path=${mail##*|}
  api_path=$(confirmation_mail late@example.org)
  api_path=${api_path##*|}
  assert_eq "$(sql "SELECT count(*) FROM waitlist WHERE confirm_token_hash = '${path#/waitlist/confirm/}'")" "0" \
    "only the token's hash is stored"
  INSTCTL_NOW=$T0 ok --json waitlist process --batch 10 --dry-run
  assert_eq "$(jqo 'map(.email | ascii_downcase) | index("opt.in@example.org")')" "null" "process skips the unconfirmed entry"
  assert_eq "$(jqo 'map(.email) | index("admin.added@example.org") != null')" "true" "and would admit the confirmed one"
  expect 4 waitlist admit opt.in@example.org
  assert_contains "$err" "has not confirmed its address" "admitting it by name says why not"
  req "$path"
  expect_status 200 "the link's page"
  assert_contains "$body" "Confirm my place</button>" "a button to press"
  assert_eq "$(sql "SELECT count(*) FROM waitlist WHERE email_key = 'opt.in@example.org' AND confirmed_at IS NULL")" "1" \
    "opening the link (as a mail scanner does) confirms nothing"
  token=$(csrf "$path")
  post "$path" "$token"
  expect_status 200 "confirmed"
  assert_contains "$body" "Your address is confirmed" "says so"
  assert_contains "$body" "Your place in the queue is" "with its place"
  ok --json waitlist show opt.in@example.org
  assert_eq "$(jqo '[.confirmed, (.position | type)] | map(tostring) | join(" ")')" "true number" "in line now"
  post "$path" "$token"
  expect_status 200 "a second use"
  assert_contains "$body" "Already confirmed" "is told the link was used"
  req "$path"
  assert_contains "$body" "Already confirmed" "and so is a second visit"
  req -b "$JAR" --data-urlencode "csrf_token=nope" "$path"
  expect_status 403 "the POST needs the page's CSRF token"
  req /waitlist/confirm/NOSUCHTOKEN
  expect_status 404 "an unknown link"
  assert_not_contains "$(cat "$TMP/serve.$PORT.out" "$SERVE_LOG")" "${path#/waitlist/confirm/}" "the token is in no log line"
  # late@ is not confirmed in time: its link expires and process removes it.
  sql "UPDATE waitlist SET created_at = created_at - 49 * 3600 WHERE email = 'late@example.org'" >/dev/null
  req "$api_path"
  expect_status 410 "an expired link"
  assert_contains "$body" "This link has expired" "says so"
  token=$(csrf /waitlist)
  post "$api_path" "$token"
  expect_status 410 "an expired link cannot confirm"
  INSTCTL_NOW=$T0 ok waitlist process --batch 10
  assert_eq "$(sql "SELECT email_key FROM waitlist WHERE status = 'invited' AND email_key LIKE '%.%@example.org' ORDER BY email_key" | tr '\n' ,)" \
    "admin.added@example.org,opt.in@example.org," "process admits the confirmed entries"
  assert_contains "$err" "Removed 1 unconfirmed entry not confirmed within waitlist.confirm_within (late@example.org)" \
    "and removes the expired one"
  assert_eq "$(sql "SELECT count(*) FROM waitlist WHERE email = 'late@example.org'")" "0" "gone"
  req -H "Content-Type: application/json" -d '{"email":"late@example.org"}' /api/v1/waitlist
  expect_status 201 "the address may join again"
  expect 2 config set waitlist.confirm_within soon
  assert_contains "$err" "a duration such as 30m, 48h" "a bad duration names the accepted form"
  ok config unset mail.smtp_url
  ok config unset mail.from
  stop_smtp
}

INSTCTL_NOW=$T0 start_serve "$PORT" --threads 2
test_pages_are_accessible_html
test_form_errors_are_written_for_people
test_every_text_is_escaped
test_sign_up_records_the_invite
test_sign_up_without_an_invite_follows_the_mode
test_waitlist_admission_invite
test_imported_account_is_claimed
test_cross_site_posts_are_refused
test_body_limit
test_invite_problem_pages
test_concurrent_sign_ups_on_a_single_use_invite
test_busy_database_asks_to_try_again
test_waitlist_disabled
test_forms_link_the_privacy_policy
test_waitlist_double_opt_in
test_rate_limit_trips_and_recovers
stop_serve
finish
