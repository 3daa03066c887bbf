#!/usr/bin/env bash
# users import --invite [--send]: each new user gets a single-use invite bound to its address,
# mailed through a real SMTP server; redeeming it claims the account made for that person.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/smtp_lib.sh"

code_for() {  # code_for ADDRESS: the invite code in the mail sent to ADDRESS
  local f
  for f in $(mail_files); do
    if grep -q "^X-RcptTo: $1" "$f"; then
      grep -o 'https://localhost:8080/invite/[A-Za-z0-9]*' "$f" | head -1 | sed 's|.*/||'
      return
    fi
  done
}

mail_to() {  # mail_to ADDRESS: the mail sent to ADDRESS, quoted-printable decoded
  local f
  for f in $(mail_files); do
    if grep -q "^X-RcptTo: $1" "$f"; then
      /usr/bin/python3 -c 'import quopri, sys; sys.stdout.write(quopri.decodestring(sys.stdin.buffer.read()).decode())' <"$f"
      return
    fi
  done
}

setup_instance() {
  new_instance
  stop_smtp
  rm -rf "$MAILDIR"
  start_smtp
  use_smtp
  printf 'username,email,role\namy,amy@example.com,moderator\nbob,bob@example.com,\ncy,not-an-address,\n' >"$TMP/authors.csv"
}

test_import_sends_invites() {
  setup_instance
  expect 5 users import "$TMP/authors.csv" --invite --send
  assert_contains "$err" "not-an-address" "the bad row is reported"
  assert_contains "$err" "2 sent, 0 failed" "the mail report"
  assert_contains "$err" "Imported 2 new users: each signs in by redeeming a single-use invite" "says how the new users get in"
  assert_eq "$(mail_count)" "2" "two mails"
  assert_eq "$(mail_recipients | sort | tr '\n' ' ')" "amy@example.com bob@example.com " "to the new users"
  assert_eq "$(sql "SELECT group_concat(email || ':' || max_uses || ':' || uses, ' ') FROM (SELECT * FROM invites ORDER BY id) AS i")" \
    "amy@example.com:1:0 bob@example.com:1:0" "one single-use invite bound to each address"
  assert_eq "$(sql "SELECT count(*) FROM mails WHERE state = 'sent'")" "2" "recorded as sent"
  # The username is fixed on the invite page; the mail says so in the page's words.
  assert_contains "$(mail_to amy@example.com)" "Your account @amy@localhost:8080 is ready for you" \
    "the mail names the account made for amy"
  assert_not_contains "$(mail_to amy@example.com)" "username you choose" "and offers no choice"
  ok --json users show amy
  assert_eq "$(jqo .activation_pending)" "true" "the account waits for its owner"
  assert_eq "$(jqo .role)" "moderator" "with the row's role"

  printf 'username,email\ndee,dee@example.com\n' | "$BIN" --json users import - --invite >"$TMP/dee.json"
  assert_eq "$(jq -r '.new_users[0].invite_url' "$TMP/dee.json")" \
    "https://localhost:8080/invite/$(sql "SELECT code FROM invites WHERE email = 'dee@example.com'")" "the invite URL in JSON"
  assert_eq "$(jq -r '.new_users[0].activation_url' "$TMP/dee.json")" "null" "no activation link with --invite"
  assert_eq "$(mail_count)" "2" "no mail without --send"

  # Redeeming the mailed invite claims the account: no second account, the invite is used.
  local code
  code=$(code_for amy@example.com)
  [ -n "$code" ] && pass || fail "no invite code in amy's mail"
  run_in "a long enough password" users create amy --email amy@example.com --invite "$code" --password-stdin
  assert_eq "$rc" "0" "amy claims her account ($err)"
  ok --json users show amy
  assert_eq "$(jqo .activation_pending)" "false" "activated"
  assert_eq "$(jqo .invite_code)" "$code" "the invite is recorded"
  assert_eq "$(jqo .role)" "moderator" "the imported role is kept"
  assert_eq "$(sql "SELECT count(*) FROM accounts WHERE email = 'amy@example.com'")" "1" "no second account"
  assert_eq "$(sql "SELECT uses FROM invites WHERE code = '$code'")" "1" "the invite is used"
  assert_eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'users.claim'")" "1" "audited"
  # Used up: a second redemption is refused.
  run_in "a long enough password" users create amy --email amy@example.com --invite "$code" --password-stdin
  assert_eq "$rc" "4" "a used invite claims nothing"

  # Bob's invite names bob's address and account only.
  code=$(code_for bob@example.com)
  run_in "a long enough password" users create robert --email bob@example.com --invite "$code" --password-stdin
  assert_eq "$rc" "4" "another username with bob's address is refused"
  assert_eq "$(sql "SELECT uses FROM invites WHERE code = '$code'")" "0" "and the invite is not used"
  # An invite not bound to the address cannot take over a waiting account.
  ok -q invites create
  run_in "a long enough password" users create bob --email bob@example.com --invite "${out##*/}" --password-stdin
  assert_eq "$rc" "4" "an unbound invite does not claim bob's account"
  assert_contains "$err" "taken" "the username is taken"
  ok --json users show bob
  assert_eq "$(jqo .activation_pending)" "true" "bob's account still waits for bob"
}

test_refusals() {
  setup_instance
  expect 2 users import "$TMP/authors.csv" --send
  assert_contains "$err" "--invite" "--send needs --invite"
  "$BIN" config unset mail.smtp_url >/dev/null 2>&1
  expect 2 users import "$TMP/authors.csv" --invite --send
  assert_contains "$err" "mail.smtp_url" "names the missing setting"
  assert_eq "$(sql "SELECT count(*) FROM accounts")" "1" "nothing imported without mail settings"
  expect 5 --json users import "$TMP/authors.csv" --invite --dry-run
  assert_eq "$(jqo .created)" "2" "a dry run counts the new users"
  assert_eq "$(sql "SELECT count(*) FROM invites")" "0" "and makes no invites"
  assert_eq "$(mail_count)" "0" "nor mail"
}

test_import_sends_invites
test_refusals
finish
