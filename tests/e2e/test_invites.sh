#!/usr/bin/env bash
# invites, redemption by 'users create --invite', registration modes, email-domain blocks.
source "$(dirname "$0")/lib.sh"

new_code() {  # new_code [OPTIONS]: creates an invite and prints its code
  "$BIN" -q invites create "$@" | sed 's|.*/invite/||'
}

test_create_list_show() {
  new_instance
  ok --json invites create --max-uses 5 --expires-in 7d --note "for writers"
  local code
  code=$(jqo .code)
  [[ "$code" =~ ^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{12}$ ]] && pass || fail "code alphabet: $code"
  assert_eq "$(jqo .url)" "https://localhost:8080/invite/$code" "invite URL"
  assert_eq "$(jqo .max_uses)" "5" "max uses"
  assert_eq "$(jqo .status)" "active" "status"
  assert_eq "$(jqo .note)" "for writers" "note"
  [ -n "$(jqo .expires_at)" ] && pass || fail "expiry set"
  ok -q invites create --count 3
  assert_eq "$(printf '%s\n' "$out" | wc -l)" "3" "--count 3 prints three URLs"
  assert_eq "$(printf '%s\n' "$out" | sort -u | wc -l)" "3" "distinct codes"
  ok --json invites list
  assert_eq "$(jqo length)" "4" "four active invites"
  ok --json invites show "$(printf '%s' "$code" | tr 'A-Z' 'a-z')"
  assert_eq "$(jqo .code)" "$code" "codes are looked up ignoring case"
  ok --format csv invites list
  assert_contains "$(printf '%s' "$out" | head -1)" "code,url,max_uses,uses,expires_at,status,note,email,created_at" "CSV columns"
  ok --json audit list --action invites.create
  assert_eq "$(jqo length)" "4" "each invite audited"
}

test_bad_input() {
  new_instance
  expect 2 invites create --max-uses 0
  expect 2 invites create --expires-in soon
  expect 2 invites create --expires-at 2001-01-01
  expect 2 invites create --expires-in 1d --expires-at 2099-01-01
  expect 2 invites create --email not-an-email
  expect 2 invites create --send
  assert_contains "$err" "--email" "--send needs --email"
  expect 2 invites create --email bob@example.com --send
  assert_contains "$err" "mail.smtp_url" "names the missing setting"
  assert_contains "$err" "mail.from" "names the missing setting"
  expect 2 invites create --count 0
  expect 2 invites create --count 2 --email a@example.com
  expect 3 invites create --autofollow ghost
  expect 2 invites list --status sometimes
  expect 3 invites show NOSUCHCODE22
  expect 3 invites revoke NOSUCHCODE22
  expect 3 users create bob --email bob@example.com --invite NOSUCHCODE22
  ok --json invites list --status all
  assert_eq "$(jqo length)" "0" "nothing was created by the bad commands"
  assert_eq "$(sql "SELECT count(*) FROM accounts WHERE username = 'bob'")" "0" "no user"
}

test_redeem_and_limits() {
  new_instance
  local code
  code=$(new_code --max-uses 2 --autofollow ada)
  ok --json users create bob --email bob@example.com --invite "$code"
  assert_eq "$(jqo .invite_code)" "$code" "the user records the invite"
  assert_eq "$(jqo .status)" "active" "active"
  assert_eq "$(sql "SELECT count(*) FROM follows f JOIN accounts a ON a.id = f.follower_id JOIN accounts b ON b.id = f.followed_id WHERE a.username = 'bob' AND b.username = 'ada'")" \
    "1" "--autofollow: the new user follows ada"
  ok users create carol --email carol@example.com --invite "$code"
  expect 4 users create dave --email dave@example.com --invite "$code"
  assert_contains "$err" "used up" "exhausted invite"
  ok --json invites show "$code"
  assert_eq "$(jqo .status)" "exhausted" "status exhausted"
  assert_eq "$(jqo '.redeemed_by | map(.username) | join(",")')" "bob,carol" "who redeemed it"
  # A failed creation does not spend a use.
  local one
  one=$(new_code)
  expect 4 users create bob --email other@example.com --invite "$one"  # username taken
  ok --json invites show "$one"
  assert_eq "$(jqo .uses)" "0" "no use spent by a failed creation"
  ok invites revoke "$one"
  assert_eq "$err" "Revoked invite $one (it had 1 use left)." "says what was revoked, on stderr"
  assert_not_contains "$out" "Revoked" "stdout keeps the records"
  expect 4 invites revoke "$one"
  expect 4 users create erin --email erin@example.com --invite "$one"
  assert_contains "$err" "revoked" "revoked invite"
  ok --json invites list --status revoked
  assert_eq "$(jqo '.[0].code')" "$one" "listed as revoked"
  ok -q invites revoke "$(new_code --max-uses 3)"
  assert_eq "$err" "" "-q: no note"
}

test_expiry_with_clock() {
  new_instance
  export INSTCTL_NOW=2026-11-28T12:00:00Z
  local code
  code=$(new_code --expires-in 1h)
  export INSTCTL_NOW=2026-11-28T12:59:59Z
  ok --json invites show "$code"
  assert_eq "$(jqo .status)" "active" "still active a second before"
  # stats and invites list apply one rule at the same moment: not expired yet for either.
  ok --json stats
  assert_eq "$(jqo .counts.invites.expired)" "0" "stats: not expired a second before"
  assert_eq "$(jqo .counts.invites.active)" "1" "stats: active a second before"
  ok --json invites list --status expired
  assert_eq "$(jqo length)" "0" "list: not expired a second before"
  export INSTCTL_NOW=2026-11-28T13:00:00Z
  ok --json invites list --status expired
  assert_eq "$(jqo '.[0].code')" "$code" "expired at the hour"
  ok --json stats
  assert_eq "$(jqo .counts.invites.expired)" "1" "stats: expired at the hour"
  expect 4 users create bob --email bob@example.com --invite "$code"
  assert_contains "$err" "expired" "expired invite refused"
  unset INSTCTL_NOW
}

test_email_binding() {
  new_instance
  local code
  code=$(new_code --email Bob@Example.com)
  expect 8 users create mallory --email mallory@example.com --invite "$code"
  assert_contains "$err" "another email address" "bound to another address"
  ok users create bob --email bob@EXAMPLE.com --invite "$code"
}

test_registration_modes() {
  new_instance
  local code
  ok config set registrations.mode approval
  code=$(new_code)
  ok --json users create bob --email bob@example.com --invite "$code"
  assert_eq "$(jqo .status)" "active" "an invite skips the approval queue"
  ok config set registrations.mode closed
  code=$(new_code)
  expect 8 users create carol --email carol@example.com --invite "$code"
  assert_contains "$err" "closed" "no invites under closed"
  ok --json invites show "$code"
  assert_eq "$(jqo .uses)" "0" "the refused redemption spent nothing"
  ok users create carol --email carol@example.com  # admins are not bound without an invite
  ok config set registrations.mode open
  ok users create dave --email dave@example.com --invite "$code"
}

test_email_blocks() {
  new_instance
  ok --json email-blocks add Spam.Example mail.bad.example
  assert_eq "$(jqo 'map(.domain) | join(",")')" "spam.example,mail.bad.example" "normalised domains"
  expect 4 email-blocks add spam.example
  expect 2 email-blocks add "not a domain"
  local code
  code=$(new_code)
  expect 8 users create bob --email bob@spam.example --invite "$code"
  assert_contains "$err" "blocked" "blocked domain"
  expect 8 users create bob --email bob@eu.spam.example --invite "$code"
  ok users create bob --email bob@notspam.example --invite "$code"
  expect 8 invites create --email x@spam.example
  expect 8 waitlist add x@sub.spam.example
  ok -q email-blocks list
  assert_eq "$out" "$(printf 'mail.bad.example\nspam.example')" "list"
  ok email-blocks remove spam.example
  expect 3 email-blocks remove spam.example
  ok waitlist add x@sub.spam.example
}

# N sign-ups racing for an invite with three uses: exactly three get in.
test_concurrent_redemption() {
  new_instance
  local code i n=10 pids=()
  code=$(new_code --max-uses 3)
  for i in $(seq 1 $n); do
    "$BIN" users create "racer$i" --email "racer$i@example.com" --invite "$code" >/dev/null 2>"$TMP/race$i.err" &
    pids+=($!)
  done
  local okays=0 refused=0
  for i in "${!pids[@]}"; do
    if wait "${pids[$i]}"; then okays=$((okays + 1)); else
      rc=$?
      [ "$rc" = 4 ] && refused=$((refused + 1))
    fi
  done
  assert_eq "$okays" "3" "exactly three redemptions"
  assert_eq "$refused" "$((n - 3))" "the others are refused as used up"
  assert_eq "$(sql "SELECT count(*) FROM accounts WHERE invite_code = '$code'")" "3" "three accounts"
  assert_eq "$(sql "SELECT uses FROM invites WHERE code = '$code'")" "3" "three uses"
  ok db check
}

test_multiple_autofollows() {
  new_instance
  ok users create grace --email grace@example.com
  ok users create hopper --email hopper@example.com
  ok users create gone --email gone@example.com
  ok --json invites create --max-uses 3 --autofollow hopper --autofollow ada --autofollow @grace@localhost:8080
  local code
  code=$(jqo .code)
  assert_eq "$(jqo '.autofollows | join(",")')" "hopper,ada,grace" "every autofollow, in the order given"
  assert_eq "$(jqo .autofollow)" "hopper" "autofollow: the first, as before"
  ok --json invites show "$code"
  assert_eq "$(jqo '.autofollows | join(",")')" "hopper,ada,grace" "invites show"
  ok --json audit list --action invites.create
  assert_eq "$(jqo '.[0].details.autofollows | join(",")')" "hopper,ada,grace" "audited"
  ok users create newbie --email newbie@example.com --invite "$code"
  assert_eq "$(sql "SELECT group_concat(b.username, ',') FROM (SELECT b.username FROM follows f
       JOIN accounts a ON a.id = f.follower_id JOIN accounts b ON b.id = f.followed_id
       WHERE a.username = 'newbie' ORDER BY b.username) b")" "ada,grace,hopper" "the new user follows each"
  # A deleted account is skipped at redemption; the others are still followed.
  ok -y users delete grace
  ok users create second --email second@example.com --invite "$code"
  assert_eq "$(sql "SELECT count(*) FROM follows f JOIN accounts a ON a.id = f.follower_id WHERE a.username = 'second'")" \
    "2" "a deleted autofollow is skipped"
  ok --json invites create --autofollow ada
  assert_eq "$(jqo '.autofollows | join(",")')" "ada" "one autofollow"
  ok --json invites create
  assert_eq "$(jqo .autofollow) $(jqo '.autofollows | length')" "null 0" "no autofollow"
  expect 2 invites create --autofollow ada --autofollow @ada
  assert_contains "$err" "twice" "the same account twice"
  expect 3 invites create --autofollow ada --autofollow ghost
  expect 4 invites create --autofollow ada --autofollow grace
  assert_contains "$err" "deleted" "a deleted account cannot be followed"
  expect 3 invites create --autofollow someone@remote.example
  expect 2 invites create --autofollow
  ok --json invites list --status all
  assert_eq "$(jqo length)" "3" "nothing created by the refused commands"
}

# Two processes redeeming a single-use invite at the same moment, several times over: each
# time exactly one account is made (on PostgreSQL the processes are separate sessions, as two
# hosts would be).
test_concurrent_single_use() {
  new_instance
  local round code a b rc_a rc_b
  for round in 1 2 3 4 5; do
    code=$(new_code --max-uses 1)
    "$BIN" users create "one${round}a" --email "one${round}a@example.com" --invite "$code" >/dev/null 2>"$TMP/one_a.err" &
    a=$!
    "$BIN" users create "one${round}b" --email "one${round}b@example.com" --invite "$code" >/dev/null 2>"$TMP/one_b.err" &
    b=$!
    rc_a=0 rc_b=0
    wait "$a" || rc_a=$?
    wait "$b" || rc_b=$?
    assert_eq "$(printf '%s\n' "$rc_a" "$rc_b" | sort | paste -sd,)" "0,4" \
      "round $round: one redemption, one refusal as used up"
    assert_eq "$(sql "SELECT count(*) FROM accounts WHERE invite_code = '$code'")" "1" "round $round: one account"
    assert_eq "$(sql "SELECT uses FROM invites WHERE code = '$code'")" "1" "round $round: one use"
  done
  ok db check
}

test_create_list_show
test_bad_input
test_multiple_autofollows
test_redeem_and_limits
test_expiry_with_clock
test_email_binding
test_registration_modes
test_email_blocks
test_concurrent_redemption
test_concurrent_single_use
finish
