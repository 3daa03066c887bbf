#!/usr/bin/env bash
# users: create, list, show, modify, approve/reject, moderation actions, delete, passwords, keys.
source "$(dirname "$0")/lib.sh"

test_create() {
  ok --json users create alice --email Alice@Example.COM --display-name "Alice A." --note "Writes."
  assert_eq "$(jqo .username)" "alice" "username"
  assert_eq "$(jqo .email)" "Alice@example.com" "email domain lower-cased"
  assert_eq "$(jqo .status)" "active" "status"
  assert_eq "$(jqo .role)" "user" "default role"
  assert_contains "$(jqo .activation_url)" "https://localhost:8080/auth/activate/" "activation link"
  local token
  token=$(jqo .activation_url | sed 's|.*/||')
  assert_eq "$(sql "SELECT count(*) FROM accounts WHERE activation_token_hash = '$token'")" "0" \
    "the token is stored only as a hash"
  ok -q users create bob --email bob@example.com
  assert_eq "$out" "bob" "quiet prints the username"
  run_in "bob's password" users create carol --email carol@example.com --password-stdin --role moderator
  assert_eq "$rc" "0" "create with --password-stdin"
  assert_eq "$(sql "SELECT password_hash LIKE '\$scrypt\$%' FROM accounts WHERE username = 'carol'")" "1" \
    "scrypt hash"
  run_in "short" users create dave --email dave@example.com --password-stdin
  assert_eq "$rc" "2" "short password refused"
  # Bad input.
  expect 4 users create ALICE --email other@example.com
  assert_contains "$err" "taken" "duplicate username in another case"
  expect 4 users create alice2 --email ALICE@example.com
  assert_contains "$err" "already used by alice" "names the account that holds the address"
  expect 4 users modify bob --email alice@example.com
  assert_contains "$err" "already used by alice" "modify names it too"
  expect 2 users create erin --email not-an-email
  assert_contains "$err" "not an email address" "bad email message"
  expect 2 users create "bad name" --email x@example.com
  expect 2 users create admin --email x@example.com
  assert_contains "$err" "reserved" "reserved name"
  expect 2 users create abcdefghijklmnopqrstuvwxyz12345 --email x@example.com
  expect 2 users create frank --email f@example.com --role god
  expect 2 users create frank
  assert_eq "$(sql "SELECT count(*) FROM accounts WHERE username_key IN ('frank','erin','dave')")" "0" \
    "nothing half-written by refused commands"
  ok --json users create pete --email pete@example.com --pending
  assert_eq "$(jqo .status)" "pending" "pending"
}

test_resolve_forms() {
  local id
  id=$(sql "SELECT id FROM accounts WHERE username = 'alice'")
  for ref in alice @alice ALICE alice@localhost:8080 alice@example.com "id:$id"; do
    ok -q users show "$ref"
    assert_eq "$out" "alice" "USER form $ref"
  done
  expect 3 users show ghost
  expect 3 users show "id:99999"
  expect 2 users show "id:abc"
  expect 3 users show ghost@example.com
}

test_list() {
  ok --json users list
  assert_eq "$(jqo 'length')" "5" "all users"
  ok --json users list --role moderator
  assert_eq "$(jqo '.[0].username')" "carol" "role filter"
  ok --json users list --status pending
  assert_eq "$(jqo '[.[].username] | join(",")')" "pete" "status filter"
  ok --json users list --search ALI
  assert_eq "$(jqo 'length')" "1" "search"
  ok --json users list --limit 2
  local last
  last=$(jqo '.[-1].id')
  assert_eq "$(jqo 'length')" "2" "limit"
  ok --json users list --limit 2 --after "$last"
  [ "$(jqo '.[0].id')" -gt "$last" ] && pass || fail "--after pages forward"
  expect 2 users list --status sleeping
  expect 2 users list --limit -1
  ok --format csv users list --status pending
  assert_eq "$(printf '%s\n' "$out" | wc -l)" "2" "CSV header and one row"
}

test_show_modify() {
  ok --json users modify alice --display-name "Alice B." --role moderator --email alice@new.example
  assert_eq "$(jqo .display_name)" "Alice B." "display name changed"
  assert_eq "$(jqo .role)" "moderator" "role changed"
  expect 4 users modify alice --email bob@example.com
  expect 2 users modify alice
  expect 2 users modify alice --email nope
  expect 3 users modify ghost --display-name X
  ok --json users show alice
  assert_eq "$(jqo .followers_count)" "0" "followers count"
  assert_eq "$(jqo .keys_generated)" "false" "keys appear when first needed"
  assert_eq "$(jqo '[.history[].action] | join(",")')" "users.modify,users.create" "history"
  assert_eq "$(jqo .actor_url)" "https://localhost:8080/users/alice" "actor URL"
}

test_queue() {
  ok users create q1 --email q1@example.com --pending
  ok users create q2 --email q2@example.com --pending
  ok --json users approve --oldest 2
  assert_eq "$(jqo '[.[].username] | join(",")')" "pete,q1" "oldest first"
  expect 4 users approve q1
  assert_contains "$err" "not pending" "approve of an active user"
  expect 2 users approve
  expect 2 users approve q2 --oldest 1
  ok users reject q2
  assert_eq "$err" "Rejected q2: the sign-ups are removed." "reject says so"
  expect 3 users show q2
  expect 4 users reject alice
  # A failing name leaves the others untouched.
  ok users create q3 --email q3@example.com --pending
  expect 3 users approve q3 ghost
  ok -q --json users show q3
  ok --json users show q3
  assert_eq "$(jqo .status)" "pending" "all-or-nothing approve"
  ok users create q4 --email q4@example.com --pending
  assert_contains "$err" "Created q4" "create says so"
  ok users approve q3 q4
  assert_eq "$err" "Approved q3 and q4." "approve says whom, in a sentence"
  ok --json users create q5 --email q5@example.com --pending
  ok --json users approve q5
  assert_eq "$err" "" "no note with --json"
}

test_actions() {
  ok --json users suspend bob --reason "spam"
  assert_eq "$(jqo .status)" "suspended" "suspended"
  expect 4 users suspend bob --reason "spam"
  expect 2 users silence alice
  assert_contains "$err" "silence needs a reason" "silence without --reason is refused"
  assert_contains "$err" "--reason TEXT" "and names the option"
  expect 2 users suspend alice --reason "  "
  ok -q users show alice
  ok --json users show alice
  assert_eq "$(jqo .status)" "active" "a refused action changes nothing"
  ok --json users silence bob --reason "flooding"
  assert_eq "$(jqo .status)" "suspended" "suspension outranks silence"
  ok --json users unsuspend bob
  assert_eq "$(jqo .status)" "silenced" "silence remains"
  ok users unsilence bob
  expect 4 users unsilence bob
  ok --json users disable bob
  assert_eq "$(jqo .status)" "disabled" "disabled"
  ok --json users enable bob
  assert_eq "$(jqo .status)" "active" "enabled"
  expect 3 users suspend ghost
  ok --json audit list --target user:bob --limit 0
  assert_eq "$(jqo 'map(select(.action == "users.suspend")) | .[0].details.reason')" "spam" \
    "reason in the audit log"
}

test_delete() {
  expect 2 users delete carol  # no TTY, no --yes
  ok -q users show carol
  ok --json -y users delete carol
  assert_eq "$(jqo .status)" "deleted" "deleted"
  assert_eq "$(jqo .email)" "null" "personal data erased"
  expect 4 -y users delete carol
  expect 4 users create Carol --email carol2@example.com
  assert_contains "$err" "never reused" "tombstone keeps the name"
  ok users create carol2 --email carol@example.com
  expect 4 users suspend carol --reason "spam"
  expect 4 users reset-password carol
}

test_passwords_and_keys() {
  ok --json users reset-password alice
  assert_contains "$(jqo .reset_url)" "https://localhost:8080/auth/reset/" "reset link"
  ok -q users reset-password alice
  assert_contains "$out" "/auth/reset/" "quiet prints the link"
  run_in "a brand new password" users reset-password alice --password-stdin
  assert_eq "$rc" "0" "password from stdin"
  assert_eq "$(sql "SELECT reset_token_hash IS NULL FROM accounts WHERE username = 'alice'")" "1" \
    "setting a password clears the reset link"
  ok users rotate-keys alice
  assert_eq "$(sql "SELECT public_key_pem LIKE '-----BEGIN PUBLIC KEY%' FROM accounts WHERE username = 'alice'")" \
    "1" "keys after rotation"
  local before
  before=$(sql "SELECT public_key_pem FROM accounts WHERE username = 'alice'")
  ok users rotate-keys alice
  [ "$before" != "$(sql "SELECT public_key_pem FROM accounts WHERE username = 'alice'")" ] && pass ||
    fail "rotate-keys changes the key"
  expect 2 users rotate-keys
  expect 2 users rotate-keys --all  # confirmation needed
  ok -y --json users rotate-keys --all
  assert_eq "$(jqo 'length')" "$(sql "SELECT count(*) FROM accounts WHERE domain = '' AND deleted_at IS NULL")" \
    "every live local user"
}

test_no_secrets_in_output() {
  local all
  all=$("$BIN" --json users list; "$BIN" --json users show alice; "$BIN" --json audit list --limit 0;
        "$BIN" --format csv users list)
  assert_not_contains "$all" "scrypt" "no password hashes in output"
  assert_not_contains "$all" "PRIVATE KEY" "no private keys in output"
}

test_concurrent_writers() {
  # A loop of creates beside a loop of modifies on the same file: no "database is locked",
  # nothing lost.
  ok users create target --email target@example.com
  (for i in $(seq 1 40); do "$BIN" -q users create "conc$i" --email "conc$i@example.com" || echo "create $i failed"; done) \
    >"$TMP/a.log" 2>&1 &
  local a=$!
  (for i in $(seq 1 40); do "$BIN" -q users modify target --display-name "Name $i" || echo "modify $i failed"; done) \
    >"$TMP/b.log" 2>&1 &
  local b=$!
  wait $a $b
  assert_eq "$(grep -c . "$TMP/a.log" | tr -d ' ')" "40" "40 creates printed their names"
  assert_not_contains "$(cat "$TMP/a.log" "$TMP/b.log")" "failed" "no failures"
  assert_not_contains "$(cat "$TMP/a.log" "$TMP/b.log")" "locked" "no database is locked"
  assert_eq "$(sql "SELECT count(*) FROM accounts WHERE username LIKE 'conc%'")" "40" "nothing lost"
  assert_eq "$(sql "SELECT display_name FROM accounts WHERE username = 'target'")" "Name 40" "last modify wins"
  ok db check
}

new_instance
test_create
test_resolve_forms
test_list
test_show_modify
test_queue
test_actions
test_delete
test_passwords_and_keys
test_no_secrets_in_output
test_concurrent_writers
finish
