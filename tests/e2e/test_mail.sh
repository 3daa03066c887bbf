#!/usr/bin/env bash
# Invite mail through a real SMTP server (aiosmtpd on loopback, delivering to a maildir).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/smtp_lib.sh"
source "$(dirname "$0")/serve_lib.sh"

# Statements per admitted and mailed entry (admission, invite, mail, claim, audit): at most.
K_STATEMENTS_PER_ADMISSION=${K_STATEMENTS_PER_ADMISSION:-15}

fill() {  # fill N: N waiting entries
  local i
  { echo "email"; for i in $(seq 1 "$1"); do echo "person$i@example.org"; done; } >"$TMP/fill.csv"
  "$BIN" waitlist import "$TMP/fill.csv" >/dev/null 2>&1 || fail "fill import"
}

# Prints "recipient code" for each delivered message, checking it is proper RFC 5322.
read_mails() {
  /usr/bin/python3 - "$MAILDIR/new" <<'PY'
import email, email.policy, os, re, sys
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    with open(os.path.join(d, name), "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    for h in ("Date", "Message-ID", "From", "To", "Subject", "MIME-Version"):
        assert msg[h], f"{name}: no {h} header"
    assert msg.get_content_type() == "text/plain", msg.get_content_type()
    assert msg.get_content_charset() == "utf-8"
    assert msg["Date"].datetime is not None
    body = msg.get_content()
    assert "Tëst Ínstance" in body and "Tëst Ínstance" in str(msg["Subject"]), "instance name"
    code = re.search(r"https://localhost:8080/invite/([A-Z0-9]+)", body).group(1)
    print(msg["To"].addresses[0].addr_spec, code)
PY
}

setup_instance() {
  new_instance
  "$BIN" config set instance.title "Tëst Ínstance" >/dev/null 2>&1
  stop_smtp
  rm -rf "$MAILDIR"
  start_smtp
  use_smtp
}

test_batch() {
  setup_instance
  fill 200
  ok waitlist process --batch 50 --send
  assert_contains "$err" "50 sent, 0 failed" "report"
  assert_contains "$err" "(1 SMTP connection)" "one connection for the batch"
  assert_eq "$(mail_count)" "50" "exactly 50 messages"
  assert_eq "$(mail_recipients | sort -u | wc -l)" "50" "to 50 distinct addresses"
  assert_eq "$(mail_recipients | sort)" \
    "$(sql "SELECT email FROM waitlist WHERE status = 'invited' ORDER BY email" | sort)" "to the admitted entries"
  local lines addr code created=0
  lines=$(read_mails) || fail "malformed message"
  while read -r addr code; do
    "$BIN" users create "u${addr%%@*}" --email "$addr" --invite "$code" >/dev/null 2>&1 && created=$((created + 1))
  done <<<"$lines"
  assert_eq "$created" "50" "every mailed link works for its address"
  assert_eq "$(sql "SELECT count(*) FROM waitlist WHERE status = 'joined'")" "50" "50 joined"
  ok waitlist process --batch 0 --send
  assert_eq "$(mail_count)" "50" "a re-run sends nothing twice"
  ok --json waitlist stats
  assert_eq "$(jqo .mails.sent)" "50" "stats count the mails"
}

# The server dies at the 11th message; the next run sends each remaining mail once.
test_server_dies() {
  setup_instance
  fill 30
  stop_smtp
  start_smtp dying_mailbox.DyingMailbox 10
  expect 7 --json waitlist process --batch 30 --send
  assert_eq "$(jqo 'length')" "30" "all 30 admitted and printed"
  assert_eq "$(jqo 'map(select(.mail == "sent")) | length')" "10" "ten sent"
  assert_contains "$err" "retries them" "says how to retry"
  assert_eq "$(mail_count)" "10" "ten delivered"
  assert_eq "$(sql "SELECT count(*) FROM mails WHERE state = 'unsent'")" "20" "twenty left unsent"
  assert_eq "$(sql "SELECT count(*) FROM waitlist WHERE status = 'invited'")" "30" "admissions recorded"
  stop_smtp
  start_smtp
  ok waitlist process --batch 0 --send
  assert_eq "$(mail_count)" "30" "the rest delivered"
  assert_eq "$(mail_recipients | sort -u | wc -l)" "30" "each exactly once"
  assert_eq "$(sql "SELECT count(*) FROM mails WHERE state <> 'sent'")" "0" "all recorded as sent"
  ok db check
}

test_server_down() {
  setup_instance
  fill 3
  stop_smtp
  expect 7 waitlist process --batch 3 --send
  assert_contains "$err" "could not be sent" "a clear error"
  assert_eq "$(sql "SELECT count(*) FROM waitlist WHERE status = 'invited'")" "3" "admitted anyway"
  assert_eq "$(sql "SELECT count(*) FROM mails WHERE state = 'unsent'")" "3" "mail left unsent"
  start_smtp
  ok waitlist process --batch 0 --send
  assert_eq "$(mail_count)" "3" "sent by the next run"
}

# Two cron runs with --send at once: 60 admissions, 60 mails, none twice.
test_concurrent_send() {
  setup_instance
  fill 100
  "$BIN" waitlist process --batch 30 --send >/dev/null 2>"$TMP/a.err" &
  local a=$!
  "$BIN" waitlist process --batch 30 --send >/dev/null 2>"$TMP/b.err" &
  local b=$!
  wait $a && pass || fail "run A: $(cat "$TMP/a.err")"
  wait $b && pass || fail "run B: $(cat "$TMP/b.err")"
  assert_eq "$(mail_count)" "60" "60 messages"
  assert_eq "$(mail_recipients | sort -u | wc -l)" "60" "60 distinct recipients"
}

# instctl killed while sending: nothing is sent twice, and the next run sends the rest.
test_killed_while_sending() {
  setup_instance
  fill 400
  "$BIN" waitlist process --batch 400 --send >/dev/null 2>&1 &
  local pid=$! i
  for i in $(seq 1 500); do
    [ "$(mail_count)" -ge 20 ] && break
    sleep 0.01
  done
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
  ok waitlist process --batch 0 --send
  local uncertain
  uncertain=$(sql "SELECT count(*) FROM mails WHERE state = 'sending'")
  [ "$uncertain" -le 1 ] && pass || fail "at most the one mail in flight is uncertain: $uncertain"
  assert_eq "$(mail_recipients | sort | uniq -d)" "" "no address mailed twice"
  assert_eq "$(( $(mail_count) + uncertain >= 400 ))" "1" "every other mail sent"
  assert_eq "$(sql "SELECT count(*) FROM mails WHERE state = 'unsent'")" "0" "nothing left unsent"
  # The mail the dead run left "sending" is taken again once its 15-minute claim has lapsed.
  # Counted from the claim, not from now: the rerun above may have taken a while.
  local claimed
  claimed=$(sql "SELECT min(claimed_at) FROM mails WHERE state = 'sending'")
  [ -n "$claimed" ] || claimed=$(date +%s)
  INSTCTL_NOW=$(( claimed + 14 * 60 )) ok waitlist process --batch 0 --send
  assert_eq "$(sql "SELECT count(*) FROM mails WHERE state = 'sending'")" "$uncertain" "not within the claim"
  INSTCTL_NOW=$(( claimed + 16 * 60 )) ok waitlist process --batch 0 --send
  assert_eq "$(sql "SELECT count(*) FROM mails WHERE state <> 'sent'")" "0" "every mail sent at last"
  assert_eq "$(( $(mail_recipients | sort -u | wc -l) ))" "400" "all 400 people got their invite"
}


test_invites_send() {
  setup_instance
  expect 2 invites create --email "not an address" --send
  ok -q invites create --email bob@example.com --send --expires-in 2d
  local code=${out##*/}
  assert_eq "$(mail_count)" "1" "invites create --send mails it"
  ok invites send "$code"
  assert_eq "$(mail_count)" "2" "invites send mails it again"
  assert_eq "$(mail_recipients | sort -u)" "bob@example.com" "to the bound address"
  ok --json invites show "$code"
  assert_eq "$(jqo '.mails | map(.state) | join(",")')" "sent,sent" "show lists the mails"
  local plain
  plain=$("$BIN" -q invites create | sed 's|.*/||')
  expect 2 invites send "$plain"
  assert_contains "$err" "not bound to an email address" "nowhere to send"
  ok invites revoke "$code"
  expect 4 invites send "$code"
  expect 3 invites send NOSUCHCODE22
  # An unreadable password file is named.
  ok config set mail.smtp_password_file "$TMP/no-such-file"
  expect 2 invites create --email carol@example.com --send
  assert_contains "$err" "mail.smtp_password_file" "names the setting"
  assert_eq "$(sql "SELECT count(*) FROM invites WHERE email = 'carol@example.com'")" "0" "nothing created"
  ok config unset mail.smtp_password_file
  ok config unset mail.from
  expect 2 invites send "$plain"
  assert_contains "$err" "mail.from" "names the missing setting"
}

# mail.from as admins copy it from other servers' settings: Name <address>. The SMTP envelope
# carries the address, the From header the whole.
test_from_with_a_name() {
  setup_instance
  expect 2 config set mail.from "Harbour Invites <not an address>"
  assert_contains "$err" "Name <invites@example.com>" "says which forms are accepted"
  expect 2 config set mail.from "Harbour <invites@localhost"
  expect 2 config set mail.from 'Har"bour <invites@localhost>'
  ok config set mail.from '"Harbour Invites" <invites@localhost>'
  ok -q config get mail.from
  assert_eq "$out" "Harbour Invites <invites@localhost>" "stored in one form"
  ok -q invites create --email dora@example.com --send
  assert_eq "$(mail_count)" "1" "sent"
  local f
  f=$(grep -l '^X-RcptTo: dora@example.com' "$MAILDIR"/new/*)
  assert_eq "$(sed -n 's/^X-MailFrom: //p' "$f")" "invites@localhost" "the envelope has the address"
  assert_eq "$(/usr/bin/python3 -c 'import email,email.policy,sys; m=email.message_from_binary_file(open(sys.argv[1],"rb"),policy=email.policy.default); a=m["From"].addresses[0]; print(a.display_name+"|"+a.addr_spec)' "$f")" \
    "Harbour Invites|invites@localhost" "the From header names the sender"
  ok config set mail.from invites@localhost
  ok -q invites create --email erin@example.com --send
  f=$(grep -l '^X-RcptTo: erin@example.com' "$MAILDIR"/new/*)
  assert_eq "$(sed -n 's/^X-MailFrom: //p' "$f")" "invites@localhost" "a plain address still works"
}

# Revoking an invite whose mail is still unsent cancels the mail.
test_revoke_cancels() {
  setup_instance
  fill 2
  stop_smtp
  expect 7 --json waitlist process --batch 2 --send
  local code
  code=$(jqo '.[0].invite_code')
  ok invites revoke "$code"
  start_smtp
  ok waitlist process --batch 0 --send
  assert_eq "$(mail_count)" "1" "only the other mail goes out"
}

# Prints "recipient|subject|Message-ID domain" for each delivered message, sorted, checking it
# is proper RFC 5322 plain text signed with the instance's name, without control characters.
mail_summary() {
  /usr/bin/python3 - "$MAILDIR/new" <<'PY' | sort
import email, email.policy, os, re, sys
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    with open(os.path.join(d, name), "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    for h in ("Date", "Message-ID", "From", "To", "Subject", "MIME-Version"):
        assert msg[h], f"{name}: no {h} header"
    assert msg.get_content_type() == "text/plain" and msg.get_content_charset() == "utf-8"
    body = msg.get_content()
    assert "Tëst Ínstance" in body, "signed with the instance's name"
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", body), "no control characters"
    domain = re.fullmatch(r"<[^@<>]+@([^<>]+)>", msg["Message-ID"]).group(1)
    print(f'{msg["To"].addresses[0].addr_spec}|{msg["Subject"]}|{domain}')
PY
}

queue_drained() {
  [ "$("$BIN" --json stats 2>/dev/null | jq '[.counts.mails[] | .unsent + .sending] | add')" = 0 ]
}

# Every mail about an account, through the one queue, sent by two serve processes and a cron
# run racing over it: each exactly once, to the right people only.
# moderation_mail_says USER TEXT RULES: USER got one mail, with the moderator's TEXT and RULES.
moderation_mail_says() {
  local f
  f=$(grep -l "^X-RcptTo: $1@example.com" "$MAILDIR"/new/*)
  assert_eq "$(wc -l <<<"$f")" "1" "one mail to $1"
  assert_contains "$(tr -d '\r' <"$f")" "$2" "$1: the moderator's text"
  assert_contains "$(tr -d '\r' <"$f")" "$3" "$1: the rules named"
}

test_account_mails() {
  setup_instance
  ok config set instance.contact_email mods@localhost
  local pw='correct horse battery staple'
  local who
  for who in mo:moderator quiet:moderator plain:user; do
    "$BIN" users create "${who%%:*}" --email "${who%%:*}@example.com" --role "${who#*:}" \
      --password-stdin <<<"$pw" >/dev/null 2>&1 || fail "create ${who%%:*}"
  done
  ok users modify quiet --notify none
  expect 2 users modify plain --notify reports
  assert_contains "$err" "not a moderator or admin" "only staff get notifications"
  expect 2 users modify plain --notify digest
  assert_contains "$err" "not a moderator or admin" "nor the digest"
  expect 2 users modify mo --notify everything
  assert_contains "$err" "digest (one mail a day about both) or none" "names the accepted values"
  ok users create pat --email pat@example.org --pending
  ok users create rex --email rex@example.org --pending
  ok users create sam --email sam@example.org --pending
  ok users approve pat
  ok users reject rex --notify
  assert_contains "$err" "told by mail" "says the person is told"
  ok users reject sam
  ok rules add "No spam"
  ok reports create --target plain --category violation --rule 1 --comment $'Buys \e[31mfollowers'
  ok reports resolve 1 --action suspend --reason "Spam after a warning."
  # The command line names the rules broken (--rule, as reports do); the mail tells them.
  ok rules add "Be kind"
  for who in wes sil sus; do ok users create "$who" --email "$who@example.com"; done
  expect 3 users warn wes --reason "Mind the tone." --rule 7
  assert_contains "$err" "no rule with id 7: 'instctl rules list' shows them" "an unknown rule, and where to look"
  expect 2 users unsilence wes --rule 2
  assert_contains "$err" "--rule" "only actions that record a strike name a rule"
  ok users warn wes --reason "Mind the tone." --rule 2
  assert_contains "$err" "Recorded warning strike 1 for wes." "the refused warning recorded nothing"
  ok users silence sil --reason "Too loud." --rule 2
  ok users suspend sus --reason "Spam again." --rule 1 --rule 2 --rule 1
  local i extra=""
  for i in $(seq 10 29); do  # more sign-ups, so the three senders overlap
    "$BIN" users create "n$i" --email "n$i@example.org" --pending >/dev/null 2>&1 || fail "create n$i"
    extra+="ada@example.com|New sign-up waiting for approval on Tëst Ínstance: @n$i@localhost:8080|localhost"$'\n'
    extra+="mo@example.com|New sign-up waiting for approval on Tëst Ínstance: @n$i@localhost:8080|localhost"$'\n'
  done
  ok --json stats
  assert_eq "$(jqo '.counts.mails.pending.unsent')" "46" "a notice per sign-up to each of ada and mo"
  # Two servers and a cron run race over the queue.
  local p1 p2 pid1 pid2
  p1=$(free_port)
  start_serve "$p1"
  pid1=$SERVE_PID
  p2=$(free_port)
  start_serve "$p2"
  pid2=$SERVE_PID
  local code
  code=$("$BIN" -q invites create | sed 's|.*/||')
  sign_up "$code" webby  # a sign-up from the web is welcomed too
  assert_eq "$status" "200" "signed up on the web"
  ok config set waitlist.enabled true
  req -H "Content-Type: application/json" -d '{"email":"wanda@example.org"}' /api/v1/waitlist
  assert_eq "$status" "201" "joined the waitlist on the web: a confirmation link is mailed"
  ok waitlist process --batch 0 --send
  wait_until 60 queue_drained || fail "the queue drained"
  kill "$pid1" "$pid2"
  wait "$pid1" "$pid2" 2>/dev/null
  local got want
  got=$(mail_summary) || fail "a malformed message"
  want=$(sort <<MAILS
${extra}ada@example.com|New report on Tëst Ínstance: plain|localhost
ada@example.com|New sign-up waiting for approval on Tëst Ínstance: @pat@localhost:8080|localhost
ada@example.com|New sign-up waiting for approval on Tëst Ínstance: @rex@localhost:8080|localhost
ada@example.com|New sign-up waiting for approval on Tëst Ínstance: @sam@localhost:8080|localhost
mo@example.com|New report on Tëst Ínstance: plain|localhost
mo@example.com|New sign-up waiting for approval on Tëst Ínstance: @pat@localhost:8080|localhost
mo@example.com|New sign-up waiting for approval on Tëst Ínstance: @rex@localhost:8080|localhost
mo@example.com|New sign-up waiting for approval on Tëst Ínstance: @sam@localhost:8080|localhost
mo@example.com|Welcome to Tëst Ínstance|localhost
pat@example.org|Your account on Tëst Ínstance is approved|localhost
plain@example.com|Welcome to Tëst Ínstance|localhost
plain@example.com|Your account on Tëst Ínstance is suspended|localhost
quiet@example.com|Welcome to Tëst Ínstance|localhost
rex@example.org|Your sign-up on Tëst Ínstance|localhost
sil@example.com|Your account on Tëst Ínstance is limited|localhost
sus@example.com|Your account on Tëst Ínstance is suspended|localhost
wanda@example.org|Confirm your place on the waitlist of Tëst Ínstance|localhost
webby@example.com|Welcome to Tëst Ínstance|localhost
wes@example.com|A warning from the moderators of Tëst Ínstance|localhost
MAILS
)
  assert_eq "$got" "$want" "each mail once, to the right people, Message-ID on the instance's domain"
  local f
  f=$(grep -l 'suspended' $(grep -l '^X-RcptTo: plain@example.com' "$MAILDIR"/new/*))
  assert_contains "$(cat "$f")" "Spam after a warning." "the moderator's text"
  assert_contains "$(cat "$f")" "mods@localhost" "how to reach the moderators"
  assert_contains "$(cat "$f")" "- No spam" "the rule broken"
  moderation_mail_says wes "Mind the tone." $'The rules this is about:\n- Be kind'
  moderation_mail_says sil "Too loud." "- Be kind"
  moderation_mail_says sus "Spam again." $'- No spam\n- Be kind'
  assert_eq "$(grep -c -- '- No spam' "$(grep -l '^X-RcptTo: sus@example.com' "$MAILDIR"/new/*)")" "1" \
    "a rule named twice is told once"
  ok --json stats
  assert_eq "$(jqo '.counts.mails | [.approved.sent, .rejected.sent, .moderation.sent, .report.sent, .pending.sent, .welcome.sent] | map(tostring) | join(" ")')" \
    "1 1 4 2 46 4" "stats count the mails by kind and state"
  assert_eq "$(jqo '.counts.mails.waitlist_confirmation.sent')" "1" "the confirmation counted once"
  ok stats
  assert_contains "$out" $'\n  moderation          cancelled 0, failed 0, sending 0, sent 4, unsent 0\n' "a line per kind"
  # Without the mail settings nothing is queued, and --notify says what is missing.
  ok config unset mail.smtp_url
  ok users create tom --email tom@example.org --pending
  expect 2 users reject tom --notify
  assert_contains "$err" "mail.smtp_url" "names the missing setting"
  ok users reject tom
  assert_eq "$(sql "SELECT count(*) FROM mails WHERE recipient LIKE 'tom@%'")" "0" "nothing queued"
  ok db check
}

# The daily digest: a moderator who chose it gets one mail a day about the new reports and
# sign-ups instead of one each; two serve processes and a cron run at once queue one digest;
# never to someone who is no longer a moderator.
test_digest() {
  setup_instance
  local pw='correct horse battery staple' t1
  t1=$(date -u -d '+25 hours' +%FT%TZ)
  for who in mo:moderator plain:user; do
    "$BIN" users create "${who%%:*}" --email "${who%%:*}@example.com" --role "${who#*:}" \
      --password-stdin <<<"$pw" >/dev/null 2>&1 || fail "create ${who%%:*}"
  done
  ok users modify mo --notify digest
  ok users modify ada --notify none
  ok --json users show mo
  assert_eq "$(jqo .notify)" "digest" "users show tells the setting"
  ok users create pat --email pat@example.org --pending
  ok reports create --target plain --category spam --comment "Sells followers"
  assert_eq "$(sql "SELECT count(*) FROM mails WHERE kind IN ('report', 'pending')")" "0" "no mail for each"
  local p1 p2 pid1 pid2
  p1=$(free_port)
  start_serve "$p1"
  pid1=$SERVE_PID
  p2=$(free_port)
  start_serve "$p2"
  pid2=$SERVE_PID
  ok --json mails digest  # the cron run races the two servers' mail workers
  wait_until 60 eval '[ "$(sql "SELECT count(*) FROM mails WHERE kind = '"'digest'"' AND state = '"'sent'"'")" = 1 ]' ||
    fail "the digest was sent"
  wait_until 60 queue_drained || fail "the queue drained"
  kill "$pid1" "$pid2"
  wait "$pid1" "$pid2" 2>/dev/null
  assert_eq "$(sql "SELECT count(*) FROM mails WHERE kind = 'digest'")" "1" "one digest queued by three racing processes"
  local got
  got=$(mail_summary | grep 'Daily digest') || fail "a malformed message, or no digest"
  assert_eq "$got" "mo@example.com|Daily digest for Tëst Ínstance: 1 new report and 1 sign-up waiting|localhost" \
    "to the moderator only, Message-ID on the instance's domain"
  local f
  f=$(grep -l '^New reports:' $(grep -l '^X-RcptTo: mo@example.com' "$MAILDIR"/new/*))
  assert_contains "$(cat "$f")" "plain on " "the report"
  assert_contains "$(cat "$f")" "@pat@localhost:8080 (pat@example.org) signed up" "the sign-up"
  assert_contains "$(cat "$f")" "Hello mo," "a greeting"
  ok --json mails digest
  assert_eq "$(jqo .due)" "0" "not again the same day"
  # The next day: only what is new since the last digest.
  INSTCTL_NOW=$(date -u -d '+1 hour' +%FT%TZ) ok reports create --target plain --category spam --comment "Again"
  INSTCTL_NOW=$t1 ok --json mails digest
  assert_eq "$(jqo '[.due, .queued, .mail.sent] | map(tostring) | join(" ")')" "1 1 1" "the next day's digest"
  assert_eq "$(mail_summary | grep -c 'Daily digest for Tëst Ínstance: 1 new report|')" "1" "a second digest, about what is new"
  # Demoted, mo gets no digest, whatever the setting says.
  ok users modify mo --role user
  INSTCTL_NOW=$(date -u -d '+26 hours' +%FT%TZ) ok reports create --target plain --category spam --comment "Once more"
  INSTCTL_NOW=$(date -u -d '+50 hours' +%FT%TZ) ok --json mails digest
  assert_eq "$(jqo .due)" "0" "no digest to someone who is not a moderator or admin"
  ok users modify mo --role moderator
  ok config unset mail.smtp_url
  expect 2 mails digest
  assert_contains "$err" "mail.smtp_url" "names the missing setting"
}

# A failing mail is retried with the deliveries' backoff, by serve too, and given up after
# three days: state "failed", visible in stats.
test_retry_backoff() {
  setup_instance
  fill 1
  stop_smtp
  expect 7 waitlist process --batch 1 --send
  assert_eq "$(sql "SELECT attempts FROM mails")" "1" "one attempt"
  local queued next
  queued=$(sql "SELECT created_at FROM mails")
  next=$(sql "SELECT next_attempt_at - created_at FROM mails")
  [ "$next" -ge 60 ] && [ "$next" -le 75 ] || fail "the first retry waits 1 to 1.25 minutes, not $next s"
  ok --json stats
  assert_eq "$(jqo .counts.mail_queue.failing)" "1" "stats show the failing mail"
  # serve's worker waits for the retry time; two hours later it tries again, and waits longer.
  local later p
  later=$(date -u -d "@$((queued + 7200))" +%FT%TZ)
  p=$(free_port)
  INSTCTL_NOW=$later start_serve "$p"
  wait_until 60 eval '[ "$(sql "SELECT attempts || state FROM mails")" = 2unsent ]' || fail "serve retried when due"
  next=$(sql "SELECT next_attempt_at - $((queued + 7200)) FROM mails")
  [ "$next" -ge 120 ] && [ "$next" -le 150 ] || fail "the second retry waits 2 to 2.5 minutes, not $next s"
  stop_serve
  # Three days after it was queued, the next failure gives it up.
  INSTCTL_NOW=$(date -u -d "@$((queued + 3 * 86400))" +%FT%TZ) expect 7 --json waitlist process --batch 0 --send
  assert_eq "$(sql "SELECT state FROM mails")" "failed" "given up"
  assert_contains "$(sql "SELECT last_error FROM mails")" "gave up after 3 attempts" "says why"
  ok --json stats
  assert_eq "$(jqo '[.counts.mail_queue.failed, .counts.mail_queue.unsent] | map(tostring) | join(" ")')" "1 0" "stats show it failed"
  start_smtp
  ok waitlist process --batch 0 --send
  assert_eq "$(mail_count)" "0" "a mail given up is not sent later"
}

# batch_cost N: admits and mails N entries of a fresh instance; sets COST to "statements
# vm_steps commits" of that run (INSTCTL_SQL_STATS) and writes the server's command counts to
# $TMP/smtp_commands.N.
batch_cost() {
  SMTP_LOG_COMMANDS=1 setup_instance
  fill "$1"
  local from
  from=$(($(wc -l <"$TMP/smtp.log") + 1))
  rm -f "$TMP/sql_stats"
  INSTCTL_SQL_STATS=$TMP/sql_stats ok waitlist process --batch "$1" --send
  assert_eq "$(mail_count)" "$1" "$1 mails delivered"
  smtp_commands "$from" >"$TMP/smtp_commands.$1"
  COST=$(jq -r '"\(.statements) \(.vm_steps) \(.commits)"' "$TMP/sql_stats")
}

# What one admission with its mail costs, in counts (never times), so that a path whose cost
# grows with the batch fails here: the SMTP conversation is MAIL, RCPT and DATA per mail on
# one connection; the database runs a fixed number of statements per entry, and the work they
# do per entry (SQLite's VM steps) does not grow with the batch (a claim that scanned and
# sorted every unsent mail once made a batch cost the square of its size). It commits once per
# mail (the mail accepted is recorded in the transaction that claims the next) and once per
# chunk of 100 admissions: each commit more per mail is a sync of the disk more per mail.
test_cost_per_admission() {
  local a b c st_ab st_bc steps_ab steps_bc commits
  batch_cost 10
  read -r -a a <<<"$COST"
  batch_cost 60
  read -r -a b <<<"$COST"
  batch_cost 200
  read -r -a c <<<"$COST"
  stop_smtp
  assert_eq "$(cat "$TMP/smtp_commands.200")" "$(printf 'DATA 200\nEHLO 1\nMAIL 200\nQUIT 1\nRCPT 200')" \
    "MAIL, RCPT and DATA per mail, one EHLO and QUIT per run"
  st_ab=$(((b[0] - a[0]) / 50))
  st_bc=$(((c[0] - b[0]) / 140))
  echo "per admitted entry: $st_ab and $st_bc statements, $(((b[1] - a[1]) / 50)) and $(((c[1] - b[1]) / 140)) VM steps"
  [ "$st_bc" -le "$K_STATEMENTS_PER_ADMISSION" ] && pass ||
    fail "$st_bc statements per admitted entry, more than $K_STATEMENTS_PER_ADMISSION"
  [ "$st_bc" -le "$st_ab" ] && pass || fail "statements per entry grow with the batch: $st_ab, then $st_bc"
  # From 60 entries to 200: 140 mails, and one chunk of admissions more (2 chunks, not 1).
  commits=$((c[2] - b[2]))
  echo "commits: $commits more for 140 more entries"
  [ "$commits" -le $((140 + 1)) ] && pass ||
    fail "$commits commits for 140 more admitted entries, more than one per mail and one per 100 admissions"
  [ "$commits" -ge 140 ] && pass || fail "$commits commits for 140 more mails: a mail sent is recorded before the next is claimed"
  if on_postgresql; then
    echo "(VM steps are SQLite's: not counted on PostgreSQL)"
  else
    steps_ab=$(((b[1] - a[1]) / 50))
    steps_bc=$(((c[1] - b[1]) / 140))
    [ $((steps_bc * 4)) -le $((steps_ab * 5)) ] && pass ||
      fail "the work per entry grows with the batch: $steps_ab VM steps per entry from 10 to 60, $steps_bc from 60 to 200"
  fi
}

test_cost_per_admission
test_account_mails
test_digest
test_retry_backoff
test_batch
test_server_dies
test_server_down
test_concurrent_send
test_killed_while_sending
test_invites_send
test_from_with_a_name
test_revoke_cancels
finish
