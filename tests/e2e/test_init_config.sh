#!/usr/bin/env bash
# init, config, rules, db, stats and the global conventions (formats, exit codes, errors).
source "$(dirname "$0")/lib.sh"

test_init() {
  expect 1 users list  # no database yet
  assert_contains "$err" "instctl init" "the missing-database error names the fix"
  ok --json init --domain LocalHost:8080 --title "Test Instance" --admin ada --admin-email ada@example.com
  assert_eq "$(jqo .domain)" "localhost:8080" "domain is normalised"
  assert_eq "$(jqo .public_url)" "http://localhost:8080" "public URL is http:// for localhost"
  assert_contains "$(jqo .admin_activation_url)" "http://localhost:8080/auth/activate/" "admin link"
  ok -q config get server.listen
  assert_eq "$out" "127.0.0.1:8080" "server.listen takes the domain's port"
  if ! on_postgresql; then
    assert_eq "$(stat -c %a "$INSTCTL_DB")" "600" "database file mode"
    assert_eq "$(sql 'PRAGMA journal_mode')" "wal" "WAL mode"
  fi
  expect 4 init --domain other.example
  assert_contains "$err" "already holds an instance" "second init refused"
  expect 2 init --domain "bad domain!" --db "$TMP/other.db"
  expect 2 init --db "$TMP/other.db"  # --domain missing
  ok --json init --domain social.example.com --account-domain EXAMPLE.com --db "$TMP/split.db"
  assert_eq "$(jqo .account_domain)" "example.com" "account domain"
  assert_eq "$(jqo .public_url)" "https://social.example.com" "public URL is https:// for a real domain"
  ok --json init --domain 127.0.0.1:8088 --db "$TMP/loopback.db"
  assert_eq "$(jqo .public_url)" "http://127.0.0.1:8088" "http:// for a loopback address"
  ok -q config get server.listen --db "$TMP/loopback.db"
  assert_eq "$out" "127.0.0.1:8088" "listens on the domain's port"
  expect 2 init --domain t.example --title "  " --db "$TMP/notitle.db"
  assert_contains "$err" "instance.title" "an empty title is refused at init"
  ok --json init --domain social.example.net:8443 --db "$TMP/port.db"
  assert_eq "$(jqo .public_url)" "https://social.example.net:8443" "https:// keeps the port"
  assert_eq "$(sql "SELECT count(*) FROM instance WHERE actor_public_key_pem LIKE '-----BEGIN PUBLIC KEY%'")" \
    "1" "the instance actor has keys"
}

test_config() {
  ok --json config get registrations.mode
  assert_eq "$(jqo .value)" "invite" "default registration mode"
  assert_eq "$(jqo .default)" "true" "reported as default"
  assert_eq "$(jqo .set) $(jqo .default_value)" "false invite" "not set; the default value"
  ok config list
  assert_eq "$(printf '%s\n' "$out" | head -1 | tr -s ' ')" "KEY VALUE DEFAULT SET" "config list's columns"
  assert_eq "$(printf '%s\n' "$out" | grep '^registrations.mode ' | tr -s ' ')" "registrations.mode invite invite" \
    "DEFAULT shows the default value, SET is blank"
  ok config set registrations.mode APPROVAL
  ok -q config get registrations.mode
  assert_eq "$out" "approval" "quiet prints the value"
  expect 2 config set registrations.mode sometimes
  assert_contains "$err" "open, approval, invite, closed" "names the accepted values"
  expect 2 config set no.such.key 1
  expect 2 config set registration.mode invite
  assert_contains "$err" "did you mean registrations.mode?" "a mistyped key gets the nearest one"
  expect 2 config set registrations.mode aproval
  assert_contains "$err" "did you mean approval?" "a mistyped value gets the nearest one"
  expect 2 config set instance.title ""
  assert_contains "$err" "instance.title may not be empty" "an empty title is refused"
  expect 2 config get no.such.key
  ok config set waitlist.enabled yes
  ok -q config get waitlist.enabled
  assert_eq "$out" "true" "booleans are canonical"
  expect 2 config set mail.smtp_url http://mail.example
  ok config set mail.smtp_url smtp://127.0.0.1:2525
  ok config set server.public_url https://social.example/
  ok -q config get server.public_url
  assert_eq "$out" "https://social.example" "trailing slash dropped"
  ok config unset server.public_url
  ok --json config list
  assert_eq "$(jqo 'map(select(.key == "registrations.mode")) | .[0].value')" "approval" "list"
  ok --json audit list --action config.set --limit 0
  assert_eq "$(jqo 'length')" "4" "every config set is audited"
  assert_eq "$(jqo '.[0].actor')" "cli:test" "actor from INSTCTL_ACTOR"
  ok config set instance.description "A harbour"
  ok config list
  assert_eq "$(printf '%s\n' "$out" | grep '^instance.description ' | tr -s ' ')" "instance.description A harbour yes" \
    "a set value is marked"
  ok config unset instance.description
  assert_contains "$err" "instance.description is back to its default" "unset says so"
}

test_rules() {
  ok --json rules add "Be kind" --hint "No harassment"
  local id
  id=$(jqo .id)
  ok -q rules add "No spam"
  ok --json rules list
  assert_eq "$(jqo 'length')" "2" "two rules"
  ok rules remove "$id"
  expect 3 rules remove "$id"
  ok --json rules list
  assert_eq "$(jqo '.[0].text')" "No spam" "removed rule gone from the list"
  expect 2 rules add "   "
}

test_formats() {
  ok --format csv users list
  assert_eq "$(printf '%s' "$out" | head -1 | tr -d '\r')" \
    "id,username,email,display_name,role,status,created_at,invite_code,note" "CSV header"
  ok --format ndjson users list
  assert_eq "$(printf '%s\n' "$out" | jq -r .username | head -1)" "ada" "NDJSON line"
  ok users list --json  # global option after the verb
  assert_eq "$(jqo '.[0].role')" "admin" "--json after the verb"
  ok users list
  assert_contains "$out" "USERNAME" "table header"
  expect 2 --format yaml users list
  expect 2 --format jsno users list
  assert_contains "$err" "did you mean json?" "a mistyped option value gets the nearest one"
  expect 2 users frobnicate
  assert_contains "$err" "the commands are: " "an unknown verb lists the group's verbs"
  expect 2 users crate bob --email bob@example.com
  assert_contains "$err" "unknown command 'crate' for 'instctl users'; did you mean create? The commands are" \
    "a mistyped verb gets the nearest one"
  expect 2 users
  assert_contains "$err" "'instctl users' needs a command: " "a group without a verb lists them"
  expect 2 --no-such-option users list
  expect 2 users create bob --emial bob@example.com
  assert_contains "$err" "unknown option --emial for 'instctl users create'; did you mean --email?" \
    "a mistyped option gets the nearest one"
  expect 2 invites create --expires-in 3 days
  assert_contains "$err" "unexpected 'days' after '--expires-in 3': --expires-in takes one value" \
    "a value in two words is named"
  assert_contains "$err" "7d" "and the accepted form shown"
  assert_not_contains "$err" "The following argument" "no raw parser message"
  expect 3 --json users show ghost
  assert_eq "$(jqo .error.code)" "3" "JSON error code"
  assert_eq "$(jqo .error.kind)" "not_found" "JSON error kind"
  assert_contains "$err" "instctl: error: no user 'ghost'" "error line on stderr"
  ok --version
  assert_contains "$out" "SQLite 3." "version names SQLite"
}

test_db() {
  ok --json db status
  assert_eq "$(jqo '.pending | length')" "0" "no pending migrations"
  assert_eq "$(jqo .schema_version)" "$(jqo .latest_version)" "schema current"
  ok db check
  if on_postgresql; then
    echo "test_db: backups and damaged files are SQLite's, skipped on PostgreSQL (see test_db_postgresql.sh)"
    return
  fi
  ok db backup "$TMP/backup.db"
  assert_eq "$(stat -c %a "$TMP/backup.db")" "600" "backup file mode"
  ok --db "$TMP/backup.db" db check
  ok --db "$TMP/backup.db" -q users list
  assert_contains "$out" "ada" "backup holds the users"
  expect 2 db backup "$TMP/backup.db"  # exists, no TTY, no --yes
  ok -y db backup "$TMP/backup.db"
  expect 2 db backup "$TMP/no/such/dir/b.db"
  assert_contains "$err" "the directory $TMP/no/such/dir does not exist" "a missing directory is named"
  [ ! -e "$TMP/no" ] && pass || fail "nothing created for a missing directory"
  test_restore
  # A database from a newer instctl is refused by every command.
  cp "$INSTCTL_DB" "$TMP/newer.db"
  sqlite3 "$TMP/newer.db" "PRAGMA user_version = 999"
  expect 1 --db "$TMP/newer.db" users list
  assert_contains "$err" "newer than this instctl" "newer schema refused"
  expect 1 --db "$TMP/newer.db" db migrate
  # An older one asks for a migration, and db migrate brings it up to date.
  sqlite3 "$TMP/older.db" "PRAGMA user_version = 0"
  # Non-SQLite and corrupted files get a clear error, not a crash.
  head -c 4096 /dev/urandom >"$TMP/garbage.db"
  expect 1 --db "$TMP/garbage.db" users list
  assert_contains "$err" "not an SQLite database" "garbage file"
  printf 'hello' >"$TMP/text.db"
  expect 1 --db "$TMP/text.db" db status
  expect 1 --db "$TMP" users list
  assert_contains "$err" "directory" "a directory as --db"
  # A real database with damaged pages: a clear error from the commands and from db check.
  cp "$INSTCTL_DB" "$TMP/damaged.db"
  sqlite3 "$TMP/damaged.db" "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE" >/dev/null
  local size
  size=$(stat -c %s "$TMP/damaged.db")
  dd if=/dev/urandom of="$TMP/damaged.db" bs=1 seek=$((size / 2)) count=$((size / 3)) conv=notrunc status=none
  run --db "$TMP/damaged.db" db check
  [ "$rc" = 1 ] && pass || fail "db check of a damaged database exits 1, got $rc"
  [ "$rc" -lt 128 ] && pass || fail "no crash on a damaged database"
  run --db "$TMP/damaged.db" users list
  [ "$rc" -lt 128 ] && pass || fail "users list on a damaged database does not crash (rc $rc)"
}

# db restore (SQLite; test_db_postgresql.sh has the PostgreSQL refusal, test_serve.sh the
# refusal while serve runs): $TMP/backup.db was made by db backup just before.
test_restore() {
  ok users create rita --email rita@example.com  # after the backup
  expect 2 db restore "$TMP/backup.db"  # no TTY, no --yes
  ok -q users show rita
  ok -y --json db restore "$TMP/backup.db"
  assert_eq "$(jqo .previous)" "$INSTCTL_DB.before-restore" "the replaced database is kept"
  assert_eq "$(jqo .schema_version)" "$(jqo .backup_schema_version)" "same schema"
  expect 3 users show rita
  ok -q users show ada
  ok db check
  ok --db "$INSTCTL_DB.before-restore" -q users show rita
  [ ! -e "$INSTCTL_DB.restore-tmp" ] && pass || fail "no temporary copy left"
  [ ! -e "$INSTCTL_DB.restore-tmp-changes" ] && pass || fail "nor the copy's change counter"
  # Into a path where no database is: the way back after losing the file.
  ok --db "$TMP/again.db" --json db restore "$TMP/backup.db"
  assert_eq "$(jqo .previous)" "null" "nothing replaced"
  ok --db "$TMP/again.db" -q users show ada
  # Refusals leave the database as it is.
  local before
  before=$(sql "SELECT count(*) FROM accounts")
  expect 3 -y db restore "$TMP/no-such-backup.db"
  assert_contains "$err" "no backup file at" "a missing backup"
  printf 'not a database at all, just text\n' >"$TMP/text-backup.db"
  expect 6 -y db restore "$TMP/text-backup.db"
  assert_contains "$err" "is not an SQLite database" "a file that is not SQLite"
  sqlite3 "$TMP/foreign.db" "CREATE TABLE t(x)"
  expect 6 -y db restore "$TMP/foreign.db"
  assert_contains "$err" "not an instctl one" "an SQLite file of another program"
  cp "$TMP/backup.db" "$TMP/newer-backup.db"
  sqlite3 "$TMP/newer-backup.db" "PRAGMA user_version = 999"
  expect 4 -y db restore "$TMP/newer-backup.db"
  assert_contains "$err" "comes from a newer instctl" "a backup from a newer version"
  expect 2 -y db restore "$TMP/backup.db" --db "$TMP/no/such/dir/x.db"
  assert_contains "$err" "does not exist" "a missing directory for the database"
  assert_eq "$(sql "SELECT count(*) FROM accounts")" "$before" "refusals change nothing"
  [ ! -e "$INSTCTL_DB.restore-tmp" ] && pass || fail "no temporary copy left by a refusal"
}

test_migrate_from_empty() {
  local db=$TMP/fresh.db
  sqlite3 "$db" "PRAGMA user_version = 0; CREATE TABLE t(x);"
  ok --db "$db" --json db status
  local latest
  latest=$(jqo .latest_version)
  [ "$(jqo '.pending | length')" -ge 1 ] && pass || fail "pending migrations listed"
  expect 1 --db "$db" users list
  assert_contains "$err" "db migrate" "asks for a migration"
  ok --db "$db" --json db migrate
  assert_eq "$(jqo .schema_version)" "$latest" "migrated to the latest version"
  ok --db "$db" db migrate
  assert_contains "$err" "up to date" "second migrate is a no-op"
}

test_stats() {
  ok --json stats
  assert_eq "$(jqo .counts.users.active)" "1" "one active user"
  assert_eq "$(jqo '.daily.signups | length')" "30" "30 days"
  ok stats
  assert_contains "$out" "signups" "table stats"
}

test_init
test_config
test_rules
test_formats
test_db
test_migrate_from_empty
test_stats
finish
