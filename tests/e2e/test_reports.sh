#!/usr/bin/env bash
# Moderation: reports from filing to resolution, account actions and strikes, roles, the audit log.
source "$(dirname "$0")/lib.sh"

setup_people() {
  new_instance
  ok users create mia --email mia@example.com --role moderator
  local u
  for u in bob carol spammer dave erin; do ok users create "$u" --email "$u@example.com"; done
  ok -q rules add "No spam"
  rule=$out
}

test_full_flow() {
  ok --json reports create --target spammer --category violation --rule "$rule" \
    --comment "Posts the same link everywhere" --status https://localhost:8080/@spammer/1 --reporter bob
  r1=$(jqo .id)
  assert_eq "$(jqo .status)" "open" "a new report is open"
  assert_eq "$(jqo .category)" "violation" "category"
  assert_eq "$(jqo '.rule_ids | join(",")')" "$rule" "rule ids"
  assert_eq "$(jqo .reporter)" "bob" "reporter"
  assert_eq "$(jqo .origin)" "local" "origin"
  assert_eq "$(jqo '.status_urls[0]')" "https://localhost:8080/@spammer/1" "status URL"
  ok -q reports create --target spammer --category spam --reporter carol
  r2=$out
  ok --json reports list
  assert_eq "$(jqo 'map(.id) | join(",")')" "$r1,$r2" "open reports, oldest first"

  ok --json reports assign "$r1" --to mia --as ada
  assert_eq "$(jqo .assigned_to)" "mia" "assigned"
  ok --json reports list --assigned-to mia
  assert_eq "$(jqo 'map(.id) | join(",")')" "$r1" "the moderator's queue"
  ok --json reports list --unassigned
  assert_eq "$(jqo 'map(.id) | join(",")')" "$r2" "the unassigned queue"
  ok --json reports note "$r1" "Checked the posts: all the same link" --as mia
  assert_eq "$(jqo .author)" "mia" "the note's author"

  ok --json reports resolve "$r1" --action suspend --text "Spam run" --as mia
  assert_eq "$(jqo .status)" "resolved" "resolved"
  assert_eq "$(jqo .action_taken)" "suspend" "action taken"
  assert_eq "$(jqo .resolved_by)" "mia" "resolved by"
  [ "$(jqo .resolved_at)" != "null" ] && pass || fail "resolved_at set"
  assert_eq "$(jqo .target_status)" "suspended" "the account is suspended (as reports show names it)"
  assert_eq "$(jqo .account_status)" "suspended" "and under the older name, for scripts"
  assert_eq "$(jqo .strike.action)" "suspend" "strike action"
  assert_eq "$(jqo .strike.text)" "Spam run" "strike text"
  assert_eq "$(jqo .strike.report_id)" "$r1" "strike names the report"
  assert_eq "$(jqo .strike.moderator)" "mia" "strike names the moderator"
  assert_eq "$(jqo '.also_resolved | join(",")')" "$r2" "every open report against the account"
  local strike
  strike=$(jqo .strike.id)

  ok --json reports show "$r2"
  assert_eq "$(jqo .status)" "resolved" "the other report is resolved too"
  assert_eq "$(jqo .action_taken)" "suspend" "with the same action"
  ok --json users show spammer
  assert_eq "$(jqo .status)" "suspended" "users show: status"
  assert_eq "$(jqo '.strikes | length')" "1" "users show: one strike"
  assert_eq "$(jqo '.strikes[0].report_id')" "$r1" "users show: the strike's report"
  assert_eq "$(jqo '.open_reports | length')" "0" "users show: no open reports left"
  assert_eq "$(sql 'SELECT count(*) FROM account_strikes')" "1" "one strike stored"

  ok --json reports show "$r1"
  assert_eq "$(jqo '.notes[0].text')" "Checked the posts: all the same link" "show: notes"
  assert_eq "$(jqo '.rules[0].text')" "No spam" "show: the rule's text"
  assert_eq "$(jqo '.previous_reports | map(.id) | join(",")')" "$r2" "show: the target's other reports"
  assert_eq "$(jqo '.strikes[0].id')" "$strike" "show: strikes against the target"
  assert_eq "$(jqo '[.history[].action] | join(",")')" \
    "reports.resolve,reports.note,reports.assign,reports.create" "show: who did what"
  assert_eq "$(jqo '.history[0].actor')" "mia" "the moderator is the audit actor"

  ok --json audit list --target user:spammer --action users.suspend
  assert_eq "$(jqo 'length')" "1" "the suspension is audited"
  assert_eq "$(jqo '.[0].actor')" "mia" "audit actor"
  assert_eq "$(jqo '.[0].details.strike_id')" "$strike" "audit details: strike"
  assert_eq "$(jqo '.[0].details.report_id')" "$r1" "audit details: report"
  assert_eq "$(jqo '.[0].details.reason')" "Spam run" "audit details: reason"
  ok --json audit list --action reports.
  assert_eq "$(jqo 'map(select(.target == "report:'"$r2"'" and .action == "reports.resolve")) | length')" \
    "1" "the report resolved along is audited too"

  expect 4 reports resolve "$r1" --action suspend --reason "spam" --as mia
  assert_contains "$err" "already resolved" "resolving a resolved report"
  assert_contains "$err" "reports reopen" "names the fix"
  ok --json reports reopen "$r1" --as mia
  assert_eq "$(jqo .status)" "open" "reopened"
  assert_eq "$(jqo .action_taken)" "null" "reopening clears the resolution"
  expect 4 reports reopen "$r1" --as mia
  expect 2 reports resolve "$r1" --action suspend --as mia
  assert_contains "$err" "suspend needs a reason" "suspend without a reason is refused"
  expect 4 reports resolve "$r1" --action suspend --reason "spam" --as mia  # suspended already
  assert_contains "$err" "already suspended" "states the account's state"
  ok reports resolve "$r1" --action none --as mia
  ok --json users unsuspend spammer --as mia
  assert_eq "$(jqo .status)" "active" "unsuspend reverses it"
  assert_eq "$(sql 'SELECT count(*) FROM account_strikes')" "1" "lifting a suspension is no strike"
}

test_bad_input() {
  expect 3 reports show 999
  assert_contains "$err" "no report 999" "unknown report"
  expect 3 reports resolve 999 --as mia
  expect 3 reports note 999 "x" --as mia
  expect 3 reports create --target ghost --category spam
  assert_contains "$err" "no user 'ghost'" "unknown user"
  expect 2 reports create --target bob --category spam --rule "$rule"
  assert_contains "$err" "--rule applies only to violation reports" "rule ids on a spam report"
  expect 2 reports create --target bob --category violation
  assert_contains "$err" "--rule ID" "violation needs rules"
  expect 3 reports create --target bob --category violation --rule 4242
  expect 2 reports create --target bob --category rude
  expect 2 reports create --target bob --status ftp://example.com/x
  expect 2 reports list --status pending
  expect 2 reports list --assigned-to mia --unassigned
  ok -q reports create --target bob --category spam
  local id=$out
  expect 2 reports resolve "$id" --action ban --as mia
  expect 4 reports assign "$id" --to carol --as mia
  assert_contains "$err" "carol is not a moderator" "a non-moderator assignee"
  expect 3 reports assign "$id" --to ghost --as mia
  expect 4 reports resolve "$id" --as carol
  assert_contains "$err" "not a moderator" "a non-moderator cannot resolve"
  INSTCTL_ACTOR=carol expect 4 reports note "$id" "hello"
  expect 2 reports assign "$id"  # nobody named: no one to assign to
  INSTCTL_ACTOR=mia ok --json reports assign "$id"
  assert_eq "$(jqo .assigned_to)" "mia" "INSTCTL_ACTOR names the moderator"
  expect 4 reports assign "$id" --to mia
  ok reports unassign "$id" --as mia
  expect 4 reports unassign "$id" --as mia
  expect 4 users warn bob --as carol
  assert_eq "$(sql "SELECT count(*) FROM reports WHERE id = $id AND status = 'open'")" "1" \
    "refusals change nothing"
  ok --format json audit list --limit 1
  assert_eq "$(jqo '.[0].action')" "reports.unassign" "refusals are not audited"
}

test_remote_accounts() {
  ok reports create --target @Troll@Remote.Example --category other --comment "Harasses members"
  assert_contains "$err" "Recorded the remote account Troll@remote.example" "says it recorded the account"
  ok --json reports list --target troll@remote.example
  local id
  id=$(jqo '.[0].id')
  assert_eq "$(jqo '.[0].target')" "Troll@remote.example" "the remote account"
  assert_eq "$(sql "SELECT count(*) FROM accounts WHERE domain = 'remote.example'")" "1" "one row"
  ok -q reports create --target troll@remote.example --category spam
  ok --json reports list --target @troll@remote.example
  assert_eq "$(jqo 'length')" "2" "both reports found by ACCT"
  expect 4 reports resolve "$id" --action disable --as mia
  assert_contains "$err" "only silence and suspend" "an action not allowed on a remote account"
  expect 4 reports resolve "$id" --action warn --as mia
  expect 4 users disable troll@remote.example
  ok --json reports show "$id"
  assert_eq "$(jqo .status)" "open" "the report stays open after a refused action"
  expect 4 reports forward "$id" --as mia
  assert_contains "$err" "federation lookup" "forwarding needs the actor"
  sql "UPDATE accounts SET actor_uri = 'https://remote.example/users/troll', inbox_url = 'https://remote.example/users/troll/inbox' WHERE domain = 'remote.example'"
  ok --json reports forward "$id" --as mia
  assert_eq "$(jqo .forwarded)" "true" "forwarded"
  assert_eq "$(jqo .activity.type)" "Flag" "a Flag"
  assert_eq "$(jqo .activity.actor)" "https://localhost:8080/actor" "sent by the instance actor"
  assert_eq "$(jqo '.activity.object[0]')" "https://remote.example/users/troll" "about the target"
  assert_eq "$(jqo .activity.content)" "Harasses members" "with the comment"
  assert_eq "$(jqo .delivery)" "queued" "queued for delivery"
  ok --json federation queue
  assert_eq "$(jqo '[.[] | select(.type == "Flag")][0].inbox')" "https://remote.example/users/troll/inbox" \
    "the Flag waits in the delivery queue for the target's inbox"
  expect 4 reports forward "$id" --as mia
  ok --json reports resolve "$id" --action silence --text "troll" --as mia
  assert_eq "$(jqo .account_status)" "silenced" "silence applies to remote accounts"
  assert_eq "$(jqo '.also_resolved | length')" "1" "and resolves the other report"
  ok -q reports create --target dave --category spam
  expect 4 reports forward "$out" --as mia  # a local user's report stays here
}

test_user_actions_share_the_implementation() {
  ok -q reports create --target erin --category spam --reporter bob
  local id=$out
  INSTCTL_ACTOR=mia ok users silence erin --reason "Flooding"
  assert_contains "$out" "silenced" "silenced"
  assert_contains "$err" "Silenced erin (strike 1)." "says what happened"
  assert_contains "$err" "Resolved 1 open report against erin: $id." "says which reports closed"
  ok --json reports show "$id"
  assert_eq "$(jqo .status)" "resolved" "users silence resolves the open report"
  assert_eq "$(jqo .action_taken)" "silence" "with its action"
  assert_eq "$(jqo .resolved_by)" "mia" "by the moderator"
  ok users warn erin --reason "Last warning" --as mia
  assert_contains "$err" "Recorded warning strike 2 for erin." "the strike's number in a sentence"
  assert_eq "$(printf '%s\n' "$out" | grep -c '^status ')" "1" "stdout keeps the record"
  ok users unsilence erin --as mia
  assert_contains "$err" "Lifted the silence on erin." "a reversal says so too"
  ok --json users show erin
  assert_eq "$(jqo '[.strikes[].action] | join(",")')" "silence,warn" "strikes, oldest first"
  assert_eq "$(jqo '.strikes[1].text')" "Last warning" "the warning's text"
  expect 3 users suspend ghost
  expect 3 users suspend erin --as ghost
  # A table never shows raw JSON: the strike gets its own lines; one name for the target's
  # status in every command.
  ok -q reports create --target dave --category spam
  local id2=$out
  ok reports resolve "$id2" --action warn --text "Mind the tone" --as mia
  assert_not_contains "$out" '{"' "no raw JSON in the table"
  assert_eq "$(printf '%s\n' "$out" | grep -c '^strike$')" "1" "the strike under its own heading"
  assert_eq "$(printf '%s\n' "$out" | grep -E '^  action +warn$' | wc -l)" "1" "its fields indented below"
  assert_eq "$(printf '%s\n' "$out" | grep -E '^target_status +active$' | wc -l)" "1" "target_status"
  assert_not_contains "$out" "account_status" "the older name stays out of the table"
  assert_contains "$err" "Resolved report $id2. Recorded warning strike 1 for dave." "the resolution in a sentence"
  ok reports show "$id2"
  assert_eq "$(printf '%s\n' "$out" | grep -E '^target_status +active$' | wc -l)" "1" "reports show: the same name"
}

test_concurrent_resolve() {
  local i id a b rcs
  for i in 1 2 3 4 5; do
    ok users create "target$i" --email "target$i@example.com"
    ok -q reports create --target "target$i" --category spam
    id=$out
    # Two moderators resolve the same report at once.
    "$BIN" reports resolve "$id" --action suspend --text spam --as mia >/dev/null 2>"$TMP/a.err" &
    a=$!
    "$BIN" reports resolve "$id" --action suspend --text spam --as ada >/dev/null 2>"$TMP/b.err" &
    b=$!
    rcs=""
    wait "$a"
    rcs+="$? "
    wait "$b"
    rcs+="$?"
    if [ "$rcs" = "0 4" ] || [ "$rcs" = "4 0" ]; then pass; else
      fail "exit codes $rcs, expected one 0 and one 4: $(cat "$TMP/a.err" "$TMP/b.err")"
    fi
    assert_eq "$(sql "SELECT count(*) FROM account_strikes s JOIN accounts a ON a.id = s.account_id WHERE a.username = 'target$i'")" \
      "1" "a single strike"
    assert_eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'reports.resolve' AND target = 'report:$id'")" \
      "1" "a single resolution in the audit log"
  done
}

test_stats_and_checks() {
  ok -q reports create --target bob --category other
  ok --json stats
  assert_eq "$(jqo .counts.reports.open)" "$(sql "SELECT count(*) FROM reports WHERE status = 'open'")" \
    "stats: open reports"
  assert_eq "$(jqo '.daily.reports | length')" "30" "stats: reports per day"
  ok db check
  ok --format csv reports list --status all
  assert_eq "$(printf '%s' "$out" | head -1 | cut -d, -f1-4 | tr -d '\r')" "id,status,category,rule_ids" "CSV header"
  ok reports list
  assert_contains "$out" "ASSIGNED_TO" "table"
  if sql "UPDATE audit_log SET actor = 'someone else'" 2>/dev/null; then fail "the audit log was edited"; else pass; fi
  if sql "DELETE FROM audit_log" 2>/dev/null; then fail "the audit log was emptied"; else pass; fi
  # db check notices a resolved report that says nobody resolved it.
  sql "UPDATE reports SET resolved_by = NULL WHERE id = (SELECT min(id) FROM reports WHERE status = 'resolved')"
  expect 1 --json db check
  assert_contains "$(jqo '.problems | join(" ")')" "status and resolution fields disagree" "db check"
}

setup_people
test_full_flow
test_bad_input
# A comment as a reporter could write it (remote Flags: test_serve_inbox.sh): escaped in the
# table and in `show`, exact in JSON and CSV.
test_outside_text() {
  new_instance
  ok users create bob --email bob@example.com
  ok -q reports create --target bob --category other --comment "$OUTSIDE_TEXT"
  local id=$out
  ok reports show "$id"
  assert_contains "$out" "$ESCAPED_TEXT" "show escapes the comment"
  assert_no_controls "$out" "show"
  ok --json reports show "$id"
  assert_eq "$(jqo .comment)" "$OUTSIDE_TEXT" "--json keeps the comment exact"
  ok --format csv reports list
  assert_contains "$out" $'\e]0;owned\a' "CSV keeps it exact"
}

test_remote_accounts
test_user_actions_share_the_implementation
test_concurrent_resolve
test_stats_and_checks
test_outside_text
finish
