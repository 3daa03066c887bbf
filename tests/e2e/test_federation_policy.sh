#!/usr/bin/env bash
# federation block|unblock|allow|disallow|list|mode|import|export: domain policy and
# Mastodon-compatible files.
source "$(dirname "$0")/lib.sh"
FIX=$SRC/tests/fixtures/mastodon

test_block_and_list() {
  new_instance
  ok --json federation block Bad.Example --severity silence --reject-media --public-comment "spam, mostly"
  assert_eq "$(jqo .domain)" "bad.example" "domain normalised"
  assert_eq "$(jqo .severity)" "silence" "severity"
  assert_eq "$(jqo .reject_media)" "true" "reject_media"
  ok --json federation block evil.bad.example --severity suspend --obfuscate --private-comment "internal"
  ok --json federation list
  assert_eq "$(jqo 'length')" "2" "two blocks"
  assert_eq "$(jqo '.[1].private_comment')" "internal" "private comment listed"
  ok --format csv federation list
  assert_eq "$(printf '%s' "$out" | head -1 | tr -d '\r')" \
    "domain,severity,reject_media,reject_reports,public_comment,private_comment,obfuscate,held_by" "CSV columns"
  ok -q federation list --blocks
  assert_eq "$out" "$(printf 'bad.example\nevil.bad.example')" "quiet prints domains"
  # A weaker rule under a stricter parent: refused without --force.
  expect 4 federation block sub.evil.bad.example --severity silence
  assert_contains "$err" "--force" "names the fix"
  assert_eq "$(sql "SELECT count(*) FROM domain_blocks WHERE domain = 'sub.evil.bad.example'")" "0" "nothing written"
  ok federation block sub.evil.bad.example --severity silence --force
  # Changing an existing block keeps what is not given.
  ok --json federation block bad.example --reject-reports
  assert_eq "$(jqo .severity)" "silence" "severity kept"
  assert_eq "$(jqo .public_comment)" "spam, mostly" "comment kept"
  assert_eq "$(jqo .reject_reports)" "true" "flag added"
  expect 2 federation block "not a domain"
  expect 2 federation block x.example --severity harsh
  ok federation unblock sub.evil.bad.example
  expect 3 federation unblock sub.evil.bad.example
  assert_contains "$err" "not blocked" "unblock of an unknown domain"
  ok --json audit list --action federation.block --limit 0
  assert_eq "$(jqo 'length')" "4" "every block audited"
  ok --json stats
  assert_eq "$(jqo .counts.blocked_domains)" "2" "stats count blocks"
}

test_allowlist() {
  new_instance
  ok federation allow friends.example
  expect 4 federation allow friends.example
  ok --json federation list --allows
  assert_eq "$(jqo '.[0].domain')" "friends.example" "allow listed"
  ok -q federation mode
  assert_eq "$out" "blocklist" "default mode"
  ok federation mode allowlist
  ok -q config get federation.mode
  assert_eq "$out" "allowlist" "mode is the setting"
  expect 2 federation mode wide-open
  ok federation disallow friends.example
  expect 3 federation disallow friends.example
  expect 2 federation list --blocks --allows
}

test_mastodon_round_trip() {
  local f
  for f in domain_blocks.csv domain_blocks_quoted.csv; do
    new_instance
    ok --json federation import "$FIX/$f"
    assert_eq "$(jqo .format)" "mastodon-csv" "$f detected"
    assert_eq "$(jqo .failed)" "0" "$f imports cleanly"
    "$BIN" federation export >"$TMP/export.csv"
    if cmp -s "$FIX/$f" "$TMP/export.csv"; then pass; else
      fail "$f does not round-trip byte for byte: $(diff "$FIX/$f" "$TMP/export.csv")"
    fi
  done
  new_instance
  ok federation import --allows "$FIX/domain_allows.csv"
  "$BIN" federation export --allows >"$TMP/allows.csv"
  cmp -s "$FIX/domain_allows.csv" "$TMP/allows.csv" && pass || fail "allows do not round-trip"
}

test_import_formats() {
  new_instance
  ok --json federation import "$FIX/domain_blocks_reject_follows.csv"
  assert_eq "$(jqo .created)" "4" "newer Mastodon export imported"
  assert_contains "$err" "#reject_follows" "unknown column noted"
  new_instance
  ok --json federation import "$FIX/domain_blocks_list.txt"
  assert_eq "$(jqo .format)" "text" "plain list detected"
  assert_eq "$(sql "SELECT group_concat(severity) FROM domain_blocks")" "suspend,suspend,suspend" \
    "plain lists block as suspend"
  new_instance
  run_in '[{"domain": "j.example", "severity": "noop", "reject_media": true}, "k.example"]' \
    --json federation import -
  assert_eq "$rc" "0" "JSON from stdin"
  assert_eq "$(jqo .format)" "json" "JSON detected"
  "$BIN" federation export --format json >"$TMP/blocks.json"
  assert_eq "$(jq -r '.[0].reject_media' "$TMP/blocks.json")" "true" "JSON export"
  "$BIN" federation export --format text >"$TMP/blocks.txt"
  assert_eq "$(cat "$TMP/blocks.txt")" "$(printf 'j.example\nk.example')" "text export"
  new_instance
  ok --json federation import --format json "$TMP/blocks.json"
  assert_eq "$(jqo .created)" "2" "JSON export re-imports"
}

test_import_limit_and_changes() {
  new_instance
  ok federation block old.example --severity suspend
  printf '#domain,#severity
limited.example,limit
old.example,suspend
new.example,suspend
' \
    >"$TMP/limit.csv"
  ok --json federation import "$TMP/limit.csv"
  assert_eq "$(sql "SELECT severity FROM domain_blocks WHERE domain = 'limited.example'")" "silence" \
    "Mastodon's 'limit' is silence"
  assert_eq "$(jqo '[.changes[] | "\(.line):\(.domain):\(.change):\(.severity)"] | join(" ")')" \
    "2:limited.example:created:silence 3:old.example:skipped:suspend 4:new.example:created:suspend" \
    "JSON lists each domain and what was done"
  ok federation block other.example --severity limit
  assert_eq "$(sql "SELECT severity FROM domain_blocks WHERE domain = 'other.example'")" "silence" \
    "'limit' in federation block too"
  new_instance
  ok federation import --verbose "$TMP/limit.csv"
  assert_contains "$out" "limited.example" "--verbose lists the domains"
  assert_contains "$(printf '%s\n' "$out" | grep new.example)" "created" "with what was done"
  ok federation import "$TMP/limit.csv"
  assert_not_contains "$out" "limited.example" "without --verbose only counts"
}

test_import_errors() {
  new_instance
  printf '#domain,#severity,#reject_media\nok.example,silence,false\nbad domain,suspend,false\nx.example,harsh,false\n' \
    >"$TMP/bad.csv"
  expect 5 --json federation import "$TMP/bad.csv"
  assert_eq "$(jqo .created)" "1" "good row applied"
  assert_eq "$(jqo '.errors | map(.line) | join(",")')" "3,4" "bad rows by line"
  assert_contains "$err" "line 4: x.example: unknown severity" "row error on stderr"
  assert_eq "$(sql "SELECT group_concat(domain) FROM domain_blocks")" "ok.example" "only the good row"
  # Dry run: same report, nothing written.
  new_instance
  expect 5 --json federation import --dry-run "$TMP/bad.csv"
  assert_eq "$(jqo .dry_run)" "true" "dry run reported"
  assert_eq "$(sql "SELECT count(*) FROM domain_blocks")" "0" "dry run writes nothing"
  # Conflicts: skip by default, update on request.
  ok federation block ok.example --severity suspend
  printf 'ok.example\n' >"$TMP/one.txt"
  ok --json federation import "$TMP/one.txt"
  assert_eq "$(jqo .skipped)" "1" "existing block skipped"
  printf '[{"domain": "ok.example", "severity": "silence"}]' >"$TMP/one.json"
  ok --json federation import --on-conflict update "$TMP/one.json"
  assert_eq "$(jqo .updated)" "1" "existing block updated"
  expect 2 federation import --on-conflict merge "$TMP/one.json"
  # Files that cannot be parsed at all.
  printf '[{"domain": ' >"$TMP/broken.json"
  expect 6 federation import "$TMP/broken.json"
  assert_contains "$err" "not valid JSON" "broken JSON"
  # A number beyond a double's range is refused like any broken JSON (it crashed the import).
  printf '[{"domain": "big.example", "severity": "silence", "n": 1e99999}]' >"$TMP/big.json"
  expect 6 federation import "$TMP/big.json"
  assert_contains "$err" "number overflow" "a number out of range"
  printf '#domain,#severity\n"open,suspend\n' >"$TMP/broken.csv"
  expect 6 federation import "$TMP/broken.csv"
  expect 2 federation import "$TMP/no-such-file.csv"
}

test_block_and_list
test_allowlist
test_mastodon_round_trip
test_import_formats
test_import_limit_and_changes
test_import_errors
finish
