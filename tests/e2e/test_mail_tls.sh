#!/usr/bin/env bash
# Mail over TLS with a login: STARTTLS and SMTPS against a real aiosmtpd server with its own
# certificate authority, AUTH with the password file, and the refusals that keep a password
# off the wire in clear or in front of an unverified server.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/smtp_lib.sh"

PASSWORD="pw-$RANDOM-secret"
MAILDIR=$TMP/maildir
SESSIONS=$TMP/smtp-sessions

# start_tls_smtp MODE [USER PASSWORD]: (re)starts tls_smtp.py on a fresh maildir.
start_tls_smtp() {
  stop_smtp
  rm -rf "$MAILDIR" "$SESSIONS"
  SMTP_PORT=$(free_port)
  /usr/bin/python3 "$SRC/tests/e2e/tls_smtp.py" "$1" "$SMTP_PORT" "$MAILDIR" \
    "$TMP/server.pem" "$TMP/server.key" "${@:2}" >"$TMP/smtp.log" 2>&1 &
  SMTP_PID=$!
  local i
  for i in $(seq 1 200); do
    grep -q ready "$TMP/smtp.log" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "the TLS SMTP server did not start: $(cat "$TMP/smtp.log")" >&2
  exit 1
}

sessions() { cat "$SESSIONS" 2>/dev/null; }
no_password_shown() {
  assert_not_contains "$out$err" "$PASSWORD" "the password is never printed"
}

setup() {  # setup SCHEME: an instance that logs in as "mailer" with the password file
  new_instance
  printf '%s\n' "$PASSWORD" >"$TMP/smtp-password"
  chmod 600 "$TMP/smtp-password"
  "$BIN" config set mail.smtp_url "$1://127.0.0.1:$SMTP_PORT" >/dev/null &&
    "$BIN" config set mail.from invites@localhost >/dev/null &&
    "$BIN" config set mail.smtp_user mailer >/dev/null &&
    "$BIN" config set mail.smtp_password_file "$TMP/smtp-password" >/dev/null &&
    "$BIN" config set mail.smtp_ca_file "$TMP/ca.pem" >/dev/null || fail "setup"
}

fill() {  # fill N: N waiting entries
  local i
  { echo "email"; for i in $(seq 1 "$1"); do echo "person$i@example.org"; done; } >"$TMP/fill.csv"
  "$BIN" waitlist import "$TMP/fill.csv" >/dev/null 2>&1 || fail "fill import"
}

test_starttls_with_login() {
  start_tls_smtp starttls mailer "$PASSWORD"
  setup smtp
  ok invites create --email bea@example.com --send
  no_password_shown
  assert_eq "$(mail_count)" "1" "delivered"
  assert_eq "$(sessions)" "tls=yes auth=mailer" "upgraded with STARTTLS, then logged in"
  fill 3
  ok waitlist process --batch 3 --send
  no_password_shown
  assert_contains "$err" "3 sent, 0 failed" "the batch is sent"
  assert_contains "$err" "(1 SMTP connection)" "over one TLS connection"
  assert_eq "$(sessions | sort | uniq -c | sed 's/^ *//')" "4 tls=yes auth=mailer" "every message over TLS"
}

test_wrong_password() {
  start_tls_smtp starttls mailer "$PASSWORD"
  setup smtp
  printf 'not-the-password\n' >"$TMP/smtp-password"
  expect 7 invites create --email bea@example.com --send
  assert_contains "$err" "Login denied" "the refusal is named"
  assert_not_contains "$out$err" "not-the-password" "the wrong password is not printed either"
  assert_eq "$(mail_count)" "0" "nothing delivered"
  local code
  code=$(sql "SELECT code FROM invites WHERE email = 'bea@example.com'")
  ok --json invites show "$code"
  assert_eq "$(jqo '.mails | map(.state) | join(",")')" "unsent" "the mail stays queued"
  assert_contains "$(jqo '.mails[0].last_error')" "Login denied" "with the reason recorded"
  printf '%s\n' "$PASSWORD" >"$TMP/smtp-password"
  ok invites send "$code"
  assert_eq "$(mail_count)" "1" "resent once the password is right"
}

test_untrusted_certificate() {
  start_tls_smtp starttls mailer "$PASSWORD"
  setup smtp
  ok config unset mail.smtp_ca_file
  expect 7 invites create --email bea@example.com --send
  assert_contains "$err" "certificate" "the verification failure is named"
  no_password_shown
  assert_eq "$(mail_count)$(sessions)" "0" "nothing sent to an unverified server"
  ok config set mail.smtp_ca_file "$TMP/no-such-ca.pem"
  expect 2 invites create --email cy@example.com --send
  assert_contains "$err" "mail.smtp_ca_file" "an unreadable CA file names the setting"
  assert_eq "$(sql "SELECT count(*) FROM invites WHERE email = 'cy@example.com'")" "0" "nothing created"
}

test_smtps() {
  start_tls_smtp smtps mailer "$PASSWORD"
  setup smtps
  ok invites create --email bea@example.com --send
  no_password_shown
  assert_eq "$(sessions)" "tls=yes auth=mailer" "TLS from the first byte"
}

test_no_starttls_no_login() {
  # A server without STARTTLS (or a man in the middle stripping it): the password stays home.
  start_tls_smtp plain mailer "$PASSWORD"
  setup smtp
  expect 7 invites create --email bea@example.com --send
  assert_contains "$err" "STARTTLS" "the missing STARTTLS is named"
  no_password_shown
  assert_eq "$(mail_count)$(sessions)" "0" "nothing sent"
  # Without a login, a server without TLS is used as it is (a local relay).
  start_tls_smtp plain
  ok config unset mail.smtp_user
  ok config set mail.smtp_url "smtp://127.0.0.1:$SMTP_PORT"
  ok invites create --email cy@example.com --send
  assert_eq "$(sessions)" "tls=no auth=-" "plain delivery to a relay without a login"
}

make_test_certs "IP:127.0.0.1,DNS:localhost"
test_starttls_with_login
test_wrong_password
test_untrusted_certificate
test_smtps
test_no_starttls_no_login
finish
