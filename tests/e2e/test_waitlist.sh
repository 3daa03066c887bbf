#!/usr/bin/env bash
# waitlist: the queue, admissions, the cron job under concurrency and kills, import, stats.
source "$(dirname "$0")/lib.sh"

fill() {  # fill N [PREFIX]: N waiting entries via import
  local n=$1 prefix=${2:-p} i
  { echo "email,source"; for i in $(seq 1 "$n"); do echo "$prefix$i@example.org,bulk"; done; } >"$TMP/fill.csv"
  "$BIN" waitlist import "$TMP/fill.csv" >/dev/null 2>&1 || { fail "fill import"; return 1; }
}

test_queue() {
  new_instance
  export INSTCTL_NOW=2026-11-28T10:00:00Z
  ok --json waitlist add alice@example.com --username alice --reason "I write" --source newsletter
  assert_eq "$(jqo .position)" "1" "first in line"
  assert_eq "$(jqo .status)" "waiting" "waiting"
  export INSTCTL_NOW=2026-11-28T10:01:00Z
  ok waitlist add bob@example.com
  export INSTCTL_NOW=2026-11-28T10:02:00Z
  ok --json waitlist add carol@example.com --priority 10
  assert_eq "$(jqo .position)" "1" "priority goes first"
  unset INSTCTL_NOW
  ok --json waitlist list
  assert_eq "$(jqo 'map(.email) | join(",")')" "carol@example.com,alice@example.com,bob@example.com" "queue order"
  assert_eq "$(jqo 'map(.position) | join(",")')" "1,2,3" "positions"
  assert_eq "$(jqo 'map(.confirmed) | all')" "true" "entries an admin adds count as confirmed"
  assert_eq "$(jqo '.[0].confirmed_at | type')" "string" "with the time"
  ok waitlist list
  assert_contains "$(head -1 <<<"$out")" "CONFIRMED" "the table shows the confirmation"
  ok --json waitlist show BOB@example.com
  assert_eq "$(jqo .position)" "3" "show gives the position"
  ok --json waitlist show "$(jqo .id)"
  assert_eq "$(jqo .email)" "bob@example.com" "show by id"
  expect 4 waitlist add " Alice@EXAMPLE.com "
  assert_contains "$err" "already on the waitlist" "duplicate after normalising"
  expect 4 waitlist add ada@example.com
  assert_contains "$err" "already has an account" "existing users are not queued"
  expect 2 waitlist add not-an-email
  expect 2 waitlist add x@example.com --username "no spaces"
  expect 3 waitlist show nobody@example.com
  expect 2 waitlist list --status sometimes
  ok --json audit list --action waitlist.add
  assert_eq "$(jqo length)" "3" "adds are audited"
}

test_admit_reject_remove() {
  new_instance
  ok waitlist add alice@example.com
  ok waitlist add bob@example.com
  ok waitlist add carol@example.com
  ok --json waitlist admit bob@example.com --expires-in 7d
  local code
  code=$(jqo '.[0].invite_code')
  assert_eq "$(jqo '.[0].status')" "invited" "invited"
  assert_eq "$(jqo '.[0].invite_url')" "https://localhost:8080/invite/$code" "invite URL"
  ok --json invites show "$code"
  assert_eq "$(jqo .email)" "bob@example.com" "the invite is bound to the entry's address"
  assert_eq "$(jqo .max_uses)" "1" "single use"
  expect 4 waitlist admit bob@example.com
  ok --json waitlist show alice@example.com
  assert_eq "$(jqo .position)" "1" "positions close up"
  expect 8 users create robert --email other@example.com --invite "$code"
  ok users create bob --email bob@example.com --invite "$code"
  ok --json waitlist show bob@example.com
  assert_eq "$(jqo .status)" "joined" "redeeming the invite joins the entry"
  ok --json waitlist reject carol@example.com --reason "spam"
  assert_eq "$(jqo '.[0].status')" "rejected" "rejected"
  expect 4 waitlist reject carol@example.com
  expect 4 waitlist add carol@example.com  # still known, as rejected
  ok waitlist remove carol@example.com
  expect 3 waitlist remove carol@example.com
  ok waitlist add carol@example.com  # removed: may join again
  # All or nothing: one unknown entry and nothing is admitted.
  expect 3 waitlist admit alice@example.com ghost@example.com
  ok --json waitlist show alice@example.com
  assert_eq "$(jqo .status)" "waiting" "nothing admitted"
  ok --json waitlist stats
  assert_eq "$(jqo .joined)" "1" "stats: joined"
  assert_eq "$(jqo .waiting)" "2" "stats: waiting"
  assert_eq "$(jqo .conversion_rate)" "1" "stats: conversion"
  assert_eq "$(jqo .unconfirmed)" "0" "stats: unconfirmed (entries from the web not yet confirmed)"
  assert_eq "$(jqo '.joins_per_day | length')" "30" "stats: joins per day"
  ok --json stats
  assert_eq "$(jqo .counts.waitlist.joined)" "1" "instctl stats has the waitlist"
  assert_eq "$(jqo '.daily.waitlist_joins[29]')" "3" "waitlist joins today"
  assert_eq "$(jqo .counts.invites.exhausted)" "1" "instctl stats has the invites"
  ok waitlist stats
  assert_contains "$out" "conversion" "table stats"
  # Nested counts get their own lines, never JSON.
  assert_not_contains "$out" '{"' "no raw JSON in the table"
  assert_eq "$(printf '%s\n' "$out" | grep -c '^mails$')" "1" "the mail counts under a heading"
  assert_eq "$(printf '%s\n' "$out" | grep -cE '^  cancelled +[0-9]+$')" "1" "each count on its own line"
  ok db check
}

test_process() {
  new_instance
  fill 12
  ok --json waitlist process --batch 5 --dry-run
  assert_eq "$(jqo length)" "5" "dry run lists five"
  assert_eq "$(sql "SELECT count(*) FROM waitlist WHERE status = 'waiting'")" "12" "dry run changes nothing"
  ok --json waitlist process --batch 5
  assert_eq "$(jqo 'map(.email) | join(",")')" \
    "p1@example.org,p2@example.org,p3@example.org,p4@example.org,p5@example.org" "queue order"
  assert_eq "$(jqo '[.[].invite_code] | unique | length')" "5" "five invites"
  ok -q waitlist process --batch 100
  assert_eq "$(printf '%s\n' "$out" | grep -c '/invite/')" "7" "the rest, as invite URLs"
  ok --json waitlist process --batch 5
  assert_eq "$(jqo length)" "0" "nothing left to admit"
  expect 2 waitlist process --batch -1
  expect 2 waitlist process
  expect 2 waitlist process --batch 5 --send
  assert_contains "$err" "mail.smtp_url" "--send without settings names them"
  ok db check
}

# Two cron runs started together never admit one entry twice.
test_concurrent_process() {
  new_instance
  fill 100
  "$BIN" --json waitlist process --batch 30 >"$TMP/a.json" 2>"$TMP/a.err" &
  local a=$!
  "$BIN" --json waitlist process --batch 30 >"$TMP/b.json" 2>"$TMP/b.err" &
  local b=$!
  wait $a && pass || fail "run A: $(cat "$TMP/a.err")"
  wait $b && pass || fail "run B: $(cat "$TMP/b.err")"
  assert_eq "$(jq -s 'add | length' "$TMP/a.json" "$TMP/b.json")" "60" "60 admissions"
  assert_eq "$(jq -s 'add | map(.id) | unique | length' "$TMP/a.json" "$TMP/b.json")" "60" "60 distinct entries"
  assert_eq "$(sql "SELECT count(*) FROM waitlist WHERE status = 'invited'")" "60" "60 invited"
  assert_eq "$(sql "SELECT count(*) FROM invites")" "60" "one invite each"
  ok db check
}

# A run killed halfway leaves every entry admitted with its invite or still waiting.
test_killed_run() {
  new_instance
  fill 3000 k
  "$BIN" waitlist process --batch 3000 >/dev/null 2>&1 &
  local pid=$! i
  for i in $(seq 1 400); do
    [ "$(sql "SELECT count(*) FROM waitlist WHERE status = 'invited'" 2>/dev/null)" -gt 0 ] 2>/dev/null && break
    sleep 0.01
  done
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
  local admitted
  admitted=$(sql "SELECT count(*) FROM waitlist WHERE status = 'invited'")
  assert_eq "$(sql "SELECT count(*) FROM waitlist w JOIN invites i ON i.id = w.invite_id WHERE w.status = 'invited'")" \
    "$admitted" "every admitted entry has its invite"
  assert_eq "$(sql "SELECT count(*) FROM invites")" "$admitted" "no invite without its entry"
  ok db check
  ok waitlist process --batch 3000
  assert_eq "$(sql "SELECT count(*) FROM waitlist WHERE status = 'invited'")" "3000" "the next run finishes"
  assert_eq "$(sql "SELECT count(DISTINCT waitlist_id) FROM invites")" "3000" "each admitted once"
  ok db check
}

test_import() {
  new_instance
  ok email-blocks add spam.example
  cat >"$TMP/list.csv" <<'CSV'
email,username,reason,priority
one@example.com,one,"says ""hi"", twice",1
bad-address,,,
two@spam.example,,,
one@example.com,,,
three@example.com,,,x
four@example.com,,,
CSV
  expect 5 waitlist import "$TMP/list.csv"
  assert_contains "$err" "line 3" "bad address reported with its line"
  assert_contains "$err" "line 4" "blocked domain reported"
  assert_contains "$err" "line 5" "duplicate reported"
  assert_contains "$err" "line 6" "bad priority reported"
  ok --json waitlist list
  assert_eq "$(jqo 'map(.email) | join(",")')" "one@example.com,four@example.com" "good rows applied"
  assert_eq "$(jqo '.[0].reason')" 'says "hi", twice' "CSV quoting"
  printf 'email,colour\na@example.com,red\n' >"$TMP/unknown.csv"
  assert_eq "$(sql "SELECT count(*) FROM waitlist WHERE confirmed_at IS NULL")" "0" "imported entries count as confirmed"
  expect 6 waitlist import "$TMP/unknown.csv"
  assert_contains "$err" "known columns" "unknown column"
  printf 'five@example.com\nsix@example.com\n' | "$BIN" waitlist import - >/dev/null 2>&1 && pass || fail "plain list from stdin"
  assert_eq "$(sql "SELECT count(*) FROM waitlist")" "4" "plain list imported"
  expect 2 waitlist import "$TMP/missing.csv"
}

# A reason as a visitor of the waitlist form could write it: escaped on the screen, exact as data.
test_outside_text() {
  new_instance
  ok --json waitlist add eve@example.com --reason "$OUTSIDE_TEXT"
  assert_eq "$(jqo .reason)" "$OUTSIDE_TEXT" "--json keeps the reason exact"
  ok waitlist show eve@example.com
  assert_contains "$out" "$ESCAPED_TEXT" "show escapes the reason"
  assert_no_controls "$out" "show"
  ok --format ndjson waitlist show eve@example.com
  assert_eq "$(jqo .reason)" "$OUTSIDE_TEXT" "NDJSON keeps it exact"
  ok --format csv waitlist show eve@example.com
  assert_contains "$out" $'\e[2J' "CSV keeps it exact"
}

test_queue
test_outside_text
test_admit_reject_remove
test_process
test_concurrent_process
test_killed_run
test_import
finish
