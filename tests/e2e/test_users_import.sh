#!/usr/bin/env bash
# users import / export: formats, per-row errors with exact line numbers, conflicts, dry run,
# exit codes, output, filters and the round trip.
source "$(dirname "$0")/lib.sh"
export INSTCTL_NOW=2026-11-28T06:21:38Z

# usernames: the local users, oldest first, on one line.
usernames() { sql "SELECT group_concat(username, ' ') FROM (SELECT username FROM accounts WHERE domain = '' ORDER BY id) AS u"; }
# errors: LINE<TAB>REASON for each failed row of the last --json import.
errors() { jqo '.errors[] | "\(.line)\t\(.reason)"'; }

test_csv_dialect() {
  new_instance
  # A BOM, CRLF line ends, columns in another order, quoted commas, quotes and line breaks.
  printf '\xef\xbb\xbfnote,Email,username,display_name,role\r\n' >"$TMP/a.csv"
  printf '"Writes ""poems"",\r\nand plays",amy@Example.COM,amy,"Smith, Amy",moderator\r\n' >>"$TMP/a.csv"
  printf ',bob@example.com,bob,Bob,\r\n' >>"$TMP/a.csv"
  printf 'plain,cy@example.com,cy,Zoë Çy,user' >>"$TMP/a.csv"  # no final line end
  ok --json users import "$TMP/a.csv"
  assert_eq "$(jqo '[.format, .rows, .created, .updated, .skipped, .failed] | @csv')" '"csv",3,3,0,0,0' "summary"
  assert_eq "$(jqo '.new_users | map(.line) | @csv')" "2,4,5" "lines of the new users (a quoted line break counts)"
  assert_contains "$(jqo '.new_users[0].activation_url')" "https://localhost:8080/auth/activate/" "activation link in JSON"
  ok --json users show amy
  assert_eq "$(jqo .note)" $'Writes "poems",\r\nand plays' "quoted note"
  assert_eq "$(jqo .display_name)" "Smith, Amy" "quoted comma"
  assert_eq "$(jqo .email)" "amy@example.com" "email domain lower-cased"
  assert_eq "$(jqo .role)" "moderator" "role"
  assert_eq "$(jqo .keys_generated)" "false" "no keys generated during import"
  assert_eq "$(jqo .activation_pending)" "true" "imported users activate by link"
  ok --json users show bob
  assert_eq "$(jqo .role)" "user" "an empty role is user"
  ok --json users show cy
  assert_eq "$(jqo .display_name)" "Zoë Çy" "UTF-8 kept"
  assert_eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'users.import'")" "1" "one audit entry per run"
  assert_eq "$(sql "SELECT json_extract(details, '$.created') FROM audit_log WHERE action = 'users.import'")" "3" \
    "the audit entry has the counts"
  assert_eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'users.create'")" "1" "no per-row audit (ada only)"
}

test_bad_rows() {
  new_instance
  {
    printf 'username,email,note\n'                        # 1
    printf 'good1,good1@example.com,"Two\nLines"\n'         # 2-3
    printf 'good2,good2@example.com\n'                      # 4: a field missing
    printf 'bad name,bad@example.com,\n'                    # 5
    printf 'good3,not-an-email,\n'                          # 6
    printf 'good1,other@example.com,\n'                     # 7: duplicate username
    printf 'good4,GOOD1@example.com,\n'                     # 8: duplicate email
    printf 'good5,good5@example.com,\xc3\x28\n'             # 9: invalid UTF-8
    printf 'good6,good6@example.com,"%s"\n' "$(head -c 70000 /dev/zero | tr '\0' x)"  # 10: too long
    printf 'ada,ada2@example.com,\n'                         # 11: exists (fail)
    printf 'good7,ada@example.com,\n'                        # 12: email exists
    printf 'admin,root@example.com,\n'                       # 13: reserved
    printf 'good8,good8@example.com,a,extra\n'               # 14: one field too many
    printf 'go"od9,good9@example.com,\n'                     # 15: stray quote
    printf 'good10,good10@example.com,Fine\r\n'              # 16 (CRLF)
  } >"$TMP/bad.csv"
  expect 5 --json users import "$TMP/bad.csv"
  assert_eq "$(jqo '[.rows, .created, .failed] | @csv')" "14,2,12" "counts"
  local want
  want=$(cat <<'EOT'
4	the row has 2 fields, the header names 3 columns (username, email, note): a field is missing
5	the username may contain only letters, digits and underscores
6	'not-an-email' is not an email address (no @)
7	duplicate: the username 'good1' is also on line 2
8	duplicate: the email address GOOD1@example.com is also on line 2
9	the note field is not valid UTF-8: save the file as UTF-8
10	the row is longer than 65536 bytes
11	the user 'ada' already exists (--on-conflict skip leaves existing users alone, --on-conflict update changes them)
12	the email address ada@example.com already belongs to the user 'ada'
13	the username 'admin' is reserved
14	the row has 4 fields, the header names 3 columns (username, email, note): quote fields that contain commas ("Smith, Jo")
15	a quote inside an unquoted field: quote the whole field, and write quotes inside it twice ("")
EOT
)
  assert_eq "$(errors)" "$want" "every bad row with its line and reason"
  assert_eq "$(usernames)" "ada good1 good10" "the good rows were applied"
  assert_contains "$err" "12 of 14 rows failed" "stderr names the failure"
  # Table output: the errors on stderr as FILE:LINE: REASON, the summary on stdout.
  new_instance
  expect 5 users import "$TMP/bad.csv"
  assert_contains "$err" "$TMP/bad.csv:7: duplicate: the username 'good1' is also on line 2" "FILE:LINE: reason"
  assert_eq "$(printf '%s\n' "$out" | grep -cE '^failed +12$')" "1" "summary table"
  assert_contains "$err" "one-time activation link" "note about activation links"
  assert_contains "$err" "Imported 2 new users: each signs in" "the count in a sentence"
}

test_unreadable_files() {
  new_instance
  printf 'username,email,password\nx,x@example.com,secret\n' >"$TMP/u.csv"
  expect 6 users import "$TMP/u.csv"
  assert_contains "$err" "unknown column 'password' in the header (line 1): the known columns are username, email, display_name, role, note" \
    "unknown columns refused with the known ones"
  printf 'username,display_name\n' >"$TMP/u.csv"
  expect 6 users import "$TMP/u.csv"
  assert_contains "$err" "has no 'email' column" "required column"
  : >"$TMP/empty.csv"
  expect 6 --json users import "$TMP/empty.csv"
  assert_eq "$(jqo .error.code)" "6" "JSON error document"
  printf '{"username": "x"}' >"$TMP/obj.json"
  expect 6 users import --format json "$TMP/obj.json"
  assert_contains "$err" "not a JSON array" "JSON must be an array"
  printf 'user\xffname,email\n' >"$TMP/u.csv"
  expect 6 users import "$TMP/u.csv"
  assert_contains "$err" "not valid UTF-8" "header encoding"
  expect 1 users import "$TMP/does-not-exist.csv"
  assert_contains "$err" "cannot read $TMP/does-not-exist.csv" "missing file named"
  expect 2 users import "$TMP/u.csv" --on-conflict sometimes
  expect 2 users import "$TMP/u.csv" --format xml
  expect 2 users import
  assert_eq "$(usernames)" "ada" "nothing imported"
}

test_json_ndjson_stdin() {
  new_instance
  cat >"$TMP/u.json" <<'EOT'
[
  {"username": "jay", "email": "jay@example.com", "display_name": "Jay", "note": null},
  {"username": "kim", "email": "kim@example.com", "shoe_size": "9"},
  {"username": "lee", "email": 5},
  "lee",
  {"username": "max", "email": "max@example.com", "role": "owner"}
]
EOT
  expect 5 --json users import "$TMP/u.json"
  assert_eq "$(jqo .format)" "json" "JSON detected"
  want=$(cat <<'EOT'
3	unknown field 'shoe_size': the known fields are username, email, display_name, role, note
4	the field 'email' must be a string, not number
5	expected an object with the fields username, email, display_name, role, note, found string
6	unknown role 'owner': use user, moderator or admin
EOT
)
  assert_eq "$(errors)" "$want" "JSON rows with their lines"
  printf '{"username": "ned", "email": "ned@example.com"}\n\n{"username": "oz",\n' >"$TMP/u.ndjson"
  run_in "$(cat "$TMP/u.ndjson")" --json users import -
  assert_eq "$rc" "5" "stdin import exit"
  assert_eq "$(jqo .format)" "ndjson" "NDJSON detected"
  assert_eq "$(jqo '.errors[0].line')" "3" "NDJSON line numbers count blank lines"
  assert_contains "$(jqo '.errors[0].reason')" "not valid JSON" "NDJSON parse error"
  run_in $'username,email\npat,pat@example.com\n' users import - --format csv
  assert_eq "$rc" "0" "CSV from stdin with --format"
  assert_eq "$(usernames)" "ada jay ned pat" "users afterwards"
}

test_conflicts() {
  new_instance
  printf 'username,email,display_name\nann,ann@example.com,Ann\n' >"$TMP/c1.csv"
  ok users import "$TMP/c1.csv"
  printf 'username,email,role\nann,ann@new.example,admin\nbea,bea@example.com,\nada,ann@new.example,\n' >"$TMP/c2.csv"
  expect 5 --json users import "$TMP/c2.csv" --on-conflict fail
  assert_eq "$(jqo '[.created, .failed] | @csv')" "1,2" "fail: conflicting rows fail"
  expect 5 --json users import "$TMP/c2.csv" --on-conflict skip
  assert_eq "$(jqo '[.created, .skipped, .failed] | @csv')" "0,2,1" "skip: existing users left alone"
  assert_eq "$(jqo '.errors[0].reason')" "duplicate: the email address ann@new.example is also on line 2" \
    "a duplicate inside the file"
  ok --json users show ann
  assert_eq "$(jqo .email)" "ann@example.com" "skip changed nothing"
  new_instance
  ok users import "$TMP/c1.csv"
  printf 'username,email,role\nann,ann@new.example,admin\nada,ANN@new.example,\ncat,ann@example.com,\n' >"$TMP/c3.csv"
  expect 5 --json users import "$TMP/c3.csv" --on-conflict update
  assert_eq "$(jqo '[.updated, .created, .failed] | @csv')" "1,1,1" "update"
  assert_eq "$(jqo '.errors[0].reason')" "duplicate: the email address ANN@new.example is also on line 2" \
    "the same address twice in the file"
  assert_eq "$(sql "SELECT username FROM accounts WHERE email = 'ann@example.com'")" "cat" \
    "an address an update freed is free for the next row"
  ok --json users show ann
  assert_eq "$(jqo '[.email, .role, .display_name] | @csv')" '"ann@new.example","admin","Ann"' \
    "update sets the file's columns and keeps the others"
}

test_large_file_outcomes() {
  # Rows of new users are written 500 to a statement; a statement where any row meets a taken
  # name, or a key an earlier row named, is redone row by row. The outcome of every row is
  # what one row at a time gives, across those boundaries.
  new_instance
  ok users create old --email old@example.com
  /usr/bin/python3 - "$TMP/big.csv" <<'PY'
import sys
rows = {n: (f"author{n}", f"author{n}@example.com") for n in range(2, 1602)}  # line -> row
rows[700] = ("old", "mover@example.com")            # an existing user
rows[1200] = ("author1200", "author5@example.com")  # an address line 5 created
rows[1550] = ("author1550", "MOVER@example.com")    # the address of line 700, which failed
with open(sys.argv[1], "w") as f:
    f.write("username,email\n")
    for line in range(2, 1602):
        f.write("%s,%s\n" % rows[line])
PY
  expect 5 --json users import "$TMP/big.csv"
  assert_eq "$(jqo '[.rows, .created, .failed] | @csv')" "1600,1597,3" "1,597 created, 3 failed"
  assert_eq "$(errors)" "700	the user 'old' already exists (--on-conflict skip leaves existing users alone, --on-conflict update changes them)
1200	duplicate: the email address author5@example.com is also on line 5
1550	duplicate: the email address MOVER@example.com is also on line 700" "each failed row with its line"
  assert_eq "$(sql "SELECT count(*) FROM accounts WHERE domain = '' AND username LIKE 'author%'")" "1597" \
    "the rows around them are created"
  assert_eq "$(sql "SELECT username FROM accounts WHERE id > (SELECT id FROM accounts WHERE username = 'author699') ORDER BY id LIMIT 1")" \
    "author701" "in the file's order"
  ok db check
}

test_dry_run() {
  new_instance
  printf 'username,email\nd1,d1@example.com\nd2,d2@example.com\nd1,d3@example.com\nada,x@example.com\n' >"$TMP/d.csv"
  local before
  before=$(db_dump | md5sum)
  expect 5 --json users import "$TMP/d.csv" --dry-run
  local dry
  dry=$(jqo '{rows, created, updated, skipped, failed, errors, lines: [.new_users[].line]}')
  assert_eq "$(jqo '.dry_run')" "true" "marked as a dry run"
  assert_eq "$(jqo '.new_users[0].activation_url')" "null" "no links in a dry run"
  assert_eq "$(db_dump | md5sum)" "$before" "a dry run changes nothing"
  expect 5 --json users import "$TMP/d.csv"
  assert_eq "$(jqo '{rows, created, updated, skipped, failed, errors, lines: [.new_users[].line]}')" "$dry" \
    "a dry run reports exactly what the real run does"
}

test_quiet() {
  new_instance
  printf 'username,email\nq1,q1@example.com\nq2,q2@example.com\n' >"$TMP/q.csv"
  ok -q users import "$TMP/q.csv"
  assert_eq "$out" $'q1\nq2' "--quiet prints the new usernames"
}

test_export() {
  new_instance
  ok users create mod1 --email mod1@example.com --role moderator --display-name "Mod, One"
  ok users create gone --email gone@example.com
  ok users delete gone --yes
  ok users create sus --email sus@example.com --note $'multi\nline "bio"'
  ok users suspend sus --reason "test"
  ok users export
  assert_eq "$(printf '%s' "$out" | head -1 | tr -d '\r')" "username,email,display_name,role,note" "CSV header"
  assert_eq "$(printf '%s\n' "$out" | cut -d, -f1 | grep -c -E '^(ada|mod1|sus)$')" "3" "users exported"
  assert_not_contains "$out" "gone" "deleted accounts are not exported"
  ok users export --format json
  assert_eq "$(jqo '.[0] | keys | join(",")')" "display_name,email,note,role,username" "only profile fields"
  assert_eq "$(jqo '.[1].display_name')" "Mod, One" "JSON value"
  ok --json users export
  assert_eq "$(jqo 'length')" "3" "--json exports JSON"
  ok users export --format ndjson --role moderator
  assert_eq "$(printf '%s\n' "$out" | jq -r .username)" "mod1" "filter --role"
  ok users export --format ndjson --status suspended
  assert_eq "$(printf '%s\n' "$out" | jq -r .username)" "sus" "filter --status"
  ok users export --format ndjson --search MOD --limit 1
  assert_eq "$(printf '%s\n' "$out" | jq -r .username)" "mod1" "filter --search and --limit"
  ok users export --format ndjson --after 1 --limit 1
  assert_eq "$(printf '%s\n' "$out" | jq -r .username)" "mod1" "paging with --after"
  ok users export --format json --status deleted
  assert_eq "$out" "[]" "an empty export is an empty array"
  for f in csv json ndjson; do
    ok users export --format $f
    assert_not_contains "$out" "scrypt" "no password hashes ($f)"
    assert_not_contains "$out" "PRIVATE KEY" "no keys ($f)"
  done
  expect 2 users export --format yaml
}

test_round_trip() {
  new_instance
  {
    printf 'username,email,display_name,role,note\n'
    printf 'rt1,rt1@example.com,"Comma, Quote ""Q""",admin,"Line\nbreak, and ""quotes"""\n'
    printf 'rt2,RT2@Example.com,Zoë,moderator,\n'
    printf 'rt3,rt3@example.com,,user,plain\n'
  } >"$TMP/rt.csv"
  ok users import "$TMP/rt.csv"
  for f in csv json ndjson; do
    ok users export --format $f
    printf '%s\n' "$out" >"$TMP/export1.$f"
    local db=$INSTCTL_DB
    export INSTCTL_DB=$TMP/fresh.db
    rm -f "$INSTCTL_DB"*
    "$BIN" init --domain fresh.example >/dev/null 2>&1
    ok users import "$TMP/export1.$f"
    ok users export --format $f
    printf '%s\n' "$out" >"$TMP/export2.$f"
    export INSTCTL_DB=$db
    if cmp -s "$TMP/export1.$f" "$TMP/export2.$f"; then pass; else
      fail "round trip ($f) differs: $(diff "$TMP/export1.$f" "$TMP/export2.$f")"
    fi
  done
  assert_eq "$(grep -c . "$TMP/export1.ndjson")" "4" "ada and the three imported users"
}

test_csv_dialect
test_bad_rows
test_unreadable_files
test_json_ndjson_stdin
test_conflicts
test_large_file_outcomes
test_dry_run
test_quiet
test_export
test_round_trip
finish
