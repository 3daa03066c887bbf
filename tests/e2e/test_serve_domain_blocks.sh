#!/usr/bin/env bash
# /api/v1/instance/domain_blocks honours api.show_domain_blocks and obfuscation, at the next
# request; /api/v1/instance/peers leaves blocked domains out.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

PORT=$(free_port)
"$BIN" init --domain "localhost:$PORT" --public-url "http://localhost:$PORT" >/dev/null 2>&1 || exit 1
for d in friends.example sub.spam.example quiet.example; do
  sql "INSERT INTO accounts (username, username_key, domain, created_at, updated_at) VALUES ('u', 'u', '$d', 0, 0)"
done
ok federation block spam.example --severity suspend --public-comment "spam"
ok federation block quiet.example --severity silence --obfuscate
start_serve "$PORT"

req /api/v1/instance/domain_blocks
expect_status 404 "hidden by default (api.show_domain_blocks users: no signed-in API users)"
ok config set api.show_domain_blocks all
req /api/v1/instance/domain_blocks
expect_status 200 "shown with api.show_domain_blocks all, without a restart"
assert_eq "$(jqb '[.[] | .domain + ":" + .severity + ":" + .comment] | join(",")')" \
  "quie*.****ple:silence:,spam.example:suspend:spam" "obfuscated domain, severities, public comments"
assert_eq "$(jqb '.[1].digest')" "$(printf 'spam.example' | sha256sum | cut -d' ' -f1)" \
  "digest is the SHA-256 of the real domain"
ok config set api.show_domain_blocks none
req /api/v1/instance/domain_blocks
expect_status 404 "hidden again with none"

req /api/v1/instance/peers
expect_status 200 "peers"
assert_eq "$(jqb 'join(",")')" "friends.example" "blocked domains and their subdomains are not listed"
stop_serve TERM
finish
