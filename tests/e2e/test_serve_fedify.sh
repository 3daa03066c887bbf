#!/usr/bin/env bash
# Fedify (an independent ActivityPub implementation, tests/interop) discovers a user of
# instctl serve on another loopback port: WebFinger for acct:alice@localhost:PORT, alice's
# actor and her public key, and the NodeInfo.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

need_node 20 "$SRC/tests/interop"
PORT=$(free_port)
HOST=localhost:$PORT
"$BIN" init --domain "$HOST" --public-url "http://$HOST" --registrations open >/dev/null 2>&1 || exit 1
ok users create alice --email alice@example.com --display-name "Alice"
start_serve "$PORT"

discover() { node "$SRC/tests/interop/discover.mjs" "$HOST" "$1" 2>"$TMP/fedify.err"; }

out=$(discover alice)
if [ "$(jqo .ok)" = "true" ]; then pass; else fail "Fedify could not discover alice: $out $(cat "$TMP/fedify.err")"; fi
assert_eq "$(jqo .subject)" "acct:alice@$HOST" "WebFinger subject"
assert_eq "$(jqo .self)" "http://$HOST/users/alice" "WebFinger self link"
assert_eq "$(jqo .actor)" "http://$HOST/users/alice" "actor id"
assert_eq "$(jqo .preferred_username)" "alice" "preferredUsername"
assert_eq "$(jqo .inbox)" "http://$HOST/users/alice/inbox" "inbox"
assert_eq "$(jqo .shared_inbox)" "http://$HOST/inbox" "shared inbox"
assert_eq "$(jqo .key_id)" "http://$HOST/users/alice#main-key" "key id"
assert_eq "$(jqo .key_owner)" "http://$HOST/users/alice" "key owner is the actor"
assert_eq "$(jqo .key_type) $(jqo .key_bits)" "RSA 2048" "an RSA-2048 key Fedify can use"
assert_eq "$(jqo .software)" "instctl" "NodeInfo software"
assert_eq "$(jqo '.protocols | join(",")')" "activitypub" "NodeInfo protocols"
assert_eq "$(jqo .users_total)" "1" "NodeInfo users"
assert_eq "$(jqo .open_registrations)" "true" "NodeInfo openRegistrations"

# The same look-up fails for an unknown user and, at the next request, for a suspended one.
out=$(discover nobody)
assert_eq "$(jqo .ok) $(jqo .step)" "false webfinger" "unknown user not found"
ok users suspend alice --reason "test"
out=$(discover alice)
assert_eq "$(jqo .ok) $(jqo .step)" "false webfinger" "suspended user gone"
stop_serve TERM
assert_eq "$serve_rc" "0" "server stopped cleanly"
finish
