#!/usr/bin/env bash
# suggestions add|remove|list: local accounts featured to newcomers. Exit codes, refusals of
# accounts that cannot be suggested, all-or-nothing changes, the audit log, output formats.
source "$(dirname "$0")/lib.sh"

test_add_list_remove() {
  new_instance
  ok users create grace --email grace@example.com --display-name "Grace H." --note "Compilers, ships"
  ok users create hopper --email hopper@example.com
  ok suggestions list
  assert_contains "$err" "No suggested accounts" "an empty list says so"
  INSTCTL_ACTOR=cli:ops ok --json suggestions add grace @hopper@localhost:8080
  assert_eq "$(jqo 'map(.username) | join(",")')" "grace,hopper" "both added"
  ok --json suggestions list
  assert_eq "$(jqo 'length')" "2" "two suggestions"
  assert_eq "$(jqo '.[0] | [.username, .handle, .display_name, .note, .status, .suggested_by] | join("|")')" \
    "grace|@grace@localhost:8080|Grace H.|Compilers, ships|active|cli:ops" "the fields"
  [[ "$(jqo '.[0].suggested_at')" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$ ]] && pass || fail "suggested_at"
  ok -q suggestions list
  assert_eq "$out" $'grace\nhopper' "-q prints usernames"
  ok --format csv suggestions list
  assert_eq "$(head -1 <<<"$out" | tr -d '\r')" "username,handle,display_name,note,status,suggested_by,suggested_at" "CSV header"
  ok suggestions list
  assert_contains "$out" "@grace@localhost:8080" "the table shows handles"
  ok --json audit list --action suggestions.add
  assert_eq "$(jqo 'map(.target) | sort | join(",")')" "user:grace,user:hopper" "each add audited"
  ok --json suggestions remove hopper
  assert_eq "$(jqo '.[0].username')" "hopper" "removed"
  ok --json suggestions list
  assert_eq "$(jqo 'map(.username) | join(",")')" "grace" "one left"
  ok --json audit list --action suggestions.remove
  assert_eq "$(jqo '.[0].target')" "user:hopper" "the removal audited"
}

test_refusals() {
  new_instance
  ok users create grace --email grace@example.com
  ok users create pat --email pat@example.com --pending
  ok users create sus --email sus@example.com
  ok users suspend sus --reason "test"
  ok users create quiet --email quiet@example.com
  ok users silence quiet --reason "test"
  ok users create gone --email gone@example.com
  ok -y users delete gone
  sql "INSERT INTO accounts (username, username_key, domain, actor_uri, created_at, updated_at)
       VALUES ('far', 'far', 'remote.example', 'https://remote.example/users/far', 0, 0)"
  ok suggestions add grace
  expect 4 suggestions add grace
  assert_contains "$err" "suggested already" "a duplicate add"
  expect 3 suggestions add ghost
  expect 3 suggestions add far@remote.example
  assert_contains "$err" "remote account" "a remote account"
  local who
  for who in pat:pending sus:suspended quiet:silenced gone:deleted; do
    expect 4 suggestions add "${who%%:*}"
    assert_contains "$err" "is ${who#*:}" "a ${who#*:} account is refused"
  done
  expect 2 suggestions add ""
  expect 2 suggestions add id:x
  expect 2 suggestions add
  expect 2 suggestions remove
  expect 2 suggestions nonsense
  expect 3 suggestions remove ghost
  ok users create other --email other@example.com
  expect 3 suggestions remove other
  assert_contains "$err" "not suggested" "removing one who is not suggested"
  # All or nothing: a bad name anywhere in the list changes nothing.
  expect 3 suggestions add other ghost
  expect 3 suggestions remove grace other
  ok --json suggestions list
  assert_eq "$(jqo 'map(.username) | join(",")')" "grace" "nothing half-done"
  ok --json audit list --action suggestions.
  assert_eq "$(jqo 'length')" "1" "only the one change audited"
  # A suggested account suspended later stays listed for the admin, with its status.
  ok users suspend grace --reason "test"
  ok --json suggestions list
  assert_eq "$(jqo '.[0].status')" "suspended" "the list shows the status now"
  ok suggestions remove grace
  expect 0 --json suggestions list
  assert_eq "$(jqo 'length')" "0" "removable whatever the status"
  expect 2 --json suggestions add ""
  assert_eq "$(jqo .error.code)" "2" "the JSON error object"
  # db check knows that suggestions are local accounts.
  ok db check
  sql "INSERT INTO account_suggestions (account_id, created_at) SELECT id, 0 FROM accounts WHERE username = 'far'"
  run --json db check
  [ "$rc" != 0 ] && pass || fail "db check finds a remote suggestion"
  assert_eq "$(jqo '.problems | join(";")')" "suggested account far@remote.example: not a local account" \
    "and names it"
}

test_add_list_remove
test_refusals
finish
