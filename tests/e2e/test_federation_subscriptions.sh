#!/usr/bin/env bash
# federation subscriptions|drafts: blocklists fetched from a loopback server (list_server.py:
# ETag/304, a 500, a 20 MB body), consensus across lists, drafts with their consequences,
# retractions, hand blocks left alone, failures keeping the last good state, two refreshes at
# once and a refresh killed with SIGKILL; serve's inbox refusing (403) a signed POST from an
# actor on a domain whose draft was accepted.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/peer.sh"

LISTS=$TMP/lists
mkdir -p "$LISTS"
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
/usr/bin/python3 "$(dirname "$0")/list_server.py" "$PORT" "$LISTS" "$TMP/lists.log" &
server=$!
on_exit "kill $server"
wait_until 10 curl -s -o /dev/null "$BASE/fail" || { echo "the list server did not start" >&2; exit 1; }

HEADER='#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate'
# list FILE LINE...: writes a Mastodon CSV export with these rows.
list() {
  local file=$1
  shift
  { echo "$HEADER"; printf '%s\n' "$@"; } >"$LISTS/$file"
}

setup_instance() {
  new_instance
  ok config set federation.allow_http true
  ok config set federation.allow_private_addresses true
  ok federation block hand.example --severity silence --public-comment "ours"
}

test_consensus_and_drafts() {
  setup_instance
  # Two accounts on evil.example: one follows ada, ada follows the other.
  sql "INSERT INTO accounts (username, username_key, domain, actor_uri, inbox_url, created_at, updated_at)
       VALUES ('fan', 'fan', 'evil.example', 'https://evil.example/users/fan', 'https://evil.example/users/fan/inbox', 1, 1),
              ('star', 'star', 'evil.example', 'https://evil.example/users/star', 'https://evil.example/users/star/inbox', 1, 1)"
  sql "INSERT INTO follows (follower_id, followed_id, state, created_at)
       SELECT a.id, b.id, 'accepted', 2 FROM accounts a, accounts b
       WHERE (a.username = 'fan' AND b.username = 'ada') OR (a.username = 'ada' AND b.username = 'star')"
  list a.csv "hand.example,suspend,false,false,from a,false" "evil.example,suspend,true,false,spam,false"
  list b.csv "other.example,suspend,false,false,,false"
  ok federation subscriptions add "$BASE/a.csv" --name a
  ok --json federation subscriptions add "$BASE/b.csv" --name b --format mastodon-csv
  assert_eq "$(jqo .trust)" "draft" "draft is the default trust"
  expect 4 federation subscriptions add "$BASE/b.csv" --name b2
  assert_contains "$err" "already subscribed as b" "a URL is subscribed once"
  expect 2 federation subscriptions add "not a url"
  ok federation subscriptions policy --threshold 2
  ok --json federation subscriptions refresh
  assert_eq "$(jqo '.changes | length')" "0" "one list naming a domain is not enough at threshold 2"
  assert_eq "$(jqo '[.lists[].result] | join(",")')" "updated,updated" "both lists fetched"

  list b.csv "other.example,suspend,false,false,,false" "evil.example,suspend,false,false,,false"
  ok --json federation subscriptions refresh
  assert_eq "$(jqo '.changes | length')" "1" "the second list makes a draft"
  assert_eq "$(jqo '.changes[0] | "\(.domain) \(.change) \(.state) \(.held_by)"')" "evil.example block draft a, b" "draft proposed"
  assert_eq "$(jqo '.changes[0] | "\(.followers) \(.follows) \(.accounts)"')" "1 1 2" "its consequences"
  assert_eq "$(sql "SELECT count(*) FROM domain_blocks WHERE domain = 'evil.example'")" "0" "a draft blocks nothing"
  ok --json federation drafts list
  assert_eq "$(jqo '.[0].reject_media')" "false" "weakest: a flag only when both lists set it"
  id=$(jqo '.[0].id')
  ok federation drafts list
  assert_contains "$out" "evil.example" "the table lists the draft"
  ok federation drafts accept "$id"
  expect 3 federation drafts accept "$id"
  # The inbox's policy (federation::DomainPolicy) now refuses the domain, as look-ups do.
  expect 8 federation lookup "someone@evil.example"
  ok --json federation list
  assert_eq "$(jqo '.[] | select(.domain == "evil.example") | .held_by')" "a, b" "the lists holding it"
  assert_eq "$(jqo '.[] | select(.domain == "hand.example") | "\(.held_by)|\(.severity)|\(.public_comment)"')" "|silence|ours" \
    "the hand block is untouched"
  ok --json audit list --action federation.block --target domain:evil.example
  assert_contains "$(jqo '.[0].details.by')" "subscriptions: a, b" "the audit names the lists"

  # A severity lowered: a change draft; rejected, it is not proposed again.
  list b.csv "other.example,suspend,false,false,,false" "evil.example,silence,false,false,,false"
  ok --json federation subscriptions refresh
  assert_eq "$(jqo '.changes[0] | "\(.change) \(.severity)"')" "change silence" "severity lowered"
  ok federation drafts reject --all
  ok --json federation subscriptions refresh
  assert_eq "$(jqo '.changes | length')" "0" "a rejected draft is remembered"
  ok --json federation drafts list --all
  assert_eq "$(jqo '.[0].state')" "rejected" "listed with --all"
  local rejected
  rejected=$(jqo '.[0].id')
  # A rejected draft is not accepted later: exit 4, naming it and what to do instead.
  expect 4 federation drafts accept "$rejected"
  assert_contains "$err" "draft $rejected (change evil.example) was rejected" "the draft named as rejected"
  assert_contains "$err" "instctl federation block evil.example --severity silence" "what to do instead"
  assert_eq "$(sql "SELECT severity FROM domain_blocks WHERE domain = 'evil.example'")" "suspend" "nothing applied"
  ok --json federation drafts list --all
  assert_eq "$(jqo '.[0].state')" "rejected" "still rejected"
  ok federation block evil.example --severity silence
  assert_eq "$(sql "SELECT severity FROM domain_blocks WHERE domain = 'evil.example'")" "silence" "the change made by hand"

  # Dropped from both lists: a retraction draft.
  list a.csv "hand.example,suspend,false,false,from a,false"
  list b.csv "other.example,suspend,false,false,,false"
  ok --json federation subscriptions refresh
  assert_eq "$(jqo '.changes[0] | "\(.domain) \(.change) \(.held_by)"')" "evil.example retract a, b" "retraction proposed"
  ok --json stats
  assert_eq "$(jqo .counts.pending_drafts)" "1" "stats count pending drafts"
  assert_eq "$(jqo .counts.subscriptions)" "2" "stats count subscriptions"
  ok federation drafts accept --all
  assert_eq "$(sql "SELECT count(*) FROM domain_blocks WHERE domain = 'evil.example'")" "0" "retracted"
  assert_eq "$(sql "SELECT severity FROM domain_blocks WHERE domain = 'hand.example'")" "silence" "hand block survives"

  # Unchanged lists cost a 304.
  : >"$TMP/lists.log"
  ok --json federation subscriptions refresh
  assert_eq "$(jqo '[.lists[].result] | join(",")')" "unchanged,unchanged" "304: unchanged"
  assert_eq "$(grep -c ' 304$' "$TMP/lists.log")" "2" "conditional GETs answered 304"
  expect 2 federation drafts accept
  expect 3 federation subscriptions show nope
}

test_auto_failures_and_removal() {
  setup_instance
  list one.csv "hand.example,suspend,false,false,,false" "mine.example,suspend,false,false,,false" "shared.example,suspend,false,false,,false"
  list two.txt "shared.example"
  ok federation subscriptions add "$BASE/one.csv" --name one --trust auto
  ok federation subscriptions add "$BASE/two.txt" --name two --trust auto --severity-cap silence
  ok --json federation subscriptions refresh
  assert_eq "$(jqo '[.changes[] | "\(.domain):\(.state)"] | sort | join(",")')" "mine.example:applied,shared.example:applied" "auto applies"
  assert_eq "$(sql "SELECT severity FROM domain_blocks WHERE domain = 'hand.example'")" "silence" "hand block untouched"
  assert_eq "$(sql "SELECT count(*) FROM subscription_blocks WHERE domain = 'hand.example'")" "0" "a hand block has no owner"
  # Garbage in one list: exit 6, the other still applied, the last good copy kept.
  printf '<html>\n<body>Oops</body>\n</html>\n' >"$LISTS/two.txt"
  list one.csv "hand.example,suspend,false,false,,false" "mine.example,suspend,false,false,,false" "shared.example,suspend,false,false,,false" "new.example,silence,false,false,,false"
  expect 6 federation subscriptions refresh
  assert_contains "$err" "not a domain list" "garbage named"
  assert_eq "$(sql "SELECT severity FROM domain_blocks WHERE domain = 'new.example'")" "silence" "the other list applied"
  ok --json federation subscriptions show two
  assert_eq "$(jqo '"\(.last_result) \(.entries)"')" "garbage 1" "the last good entries kept"
  list two.txt "shared.example"
  # A 500 and a 20 MB body: the last good state is kept, and why is recorded.
  ok federation subscriptions add "$BASE/fail" --name broken --trust auto
  ok federation subscriptions add "$BASE/huge" --name huge --trust auto
  expect 7 federation subscriptions refresh broken huge
  assert_contains "$err" "HTTP 500" "the status named"
  assert_contains "$err" "larger than" "the size cap named"
  expect 5 federation subscriptions refresh
  ok --json stats
  assert_eq "$(jqo .counts.subscription_refresh.failed)" "2" "stats show the failed refreshes"
  local last
  last=$(jqo .counts.subscription_last_refresh_at)
  [ "$last" -gt 0 ] && pass || fail "stats show when a list was last refreshed: $last"
  ok stats --format prometheus
  assert_contains "$out" "instctl_subscriptions 4" "the subscriptions gauge"
  assert_contains "$out" "instctl_subscription_pending_drafts 0" "the pending drafts gauge"
  assert_contains "$out" 'instctl_subscription_lists{result="failed"} 2' "the lists by their last result"
  assert_contains "$out" "instctl_subscription_last_refresh_timestamp_seconds $last" "the last refresh time"
  ok federation subscriptions remove broken
  ok federation subscriptions remove huge
  # Removing a list retracts only what it alone held.
  ok --json federation subscriptions remove one
  assert_eq "$(jqo '[.changes[] | "\(.domain):\(.change)"] | sort | join(",")')" "mine.example:retract,new.example:retract" "its own retracted"
  assert_eq "$(sql "SELECT count(*) FROM domain_blocks WHERE domain IN ('mine.example', 'new.example')")" "0" "gone"
  assert_eq "$(sql "SELECT severity FROM domain_blocks WHERE domain = 'shared.example'")" "silence" "held by two: kept (under two's cap)"
  assert_eq "$(sql "SELECT severity FROM domain_blocks WHERE domain = 'hand.example'")" "silence" "hand block survives removal"
  ok --json audit list --action federation.unblock --target domain:mine.example
  assert_contains "$(jqo '.[0].details.by')" "one" "the retraction names the list"
}

# The refresh below has fetched the new list (served more than $1 times): it is parsing it, or
# storing and applying it (one transaction), or has.
many_served_after() {
  [ "$(grep -c '^/many.csv 200' "$TMP/lists.log")" -gt "$1" ]
}

test_concurrent_and_killed() {
  setup_instance
  seq 1 400 | sed 's/.*/d&.many.example,suspend,false,false,,false/' | { echo "$HEADER"; cat; } >"$LISTS/many.csv"
  ok federation subscriptions add "$BASE/many.csv" --name many --trust auto
  "$BIN" federation subscriptions refresh >"$TMP/r1.out" 2>&1 &
  local p1=$!
  "$BIN" federation subscriptions refresh >"$TMP/r2.out" 2>&1 &
  local p2=$!
  wait "$p1" && wait "$p2" || fail "two refreshes at once: $(cat "$TMP/r1.out" "$TMP/r2.out")"
  assert_eq "$(sql "SELECT count(*) FROM domain_blocks WHERE domain LIKE '%.many.example'")" "400" "every domain blocked"
  assert_eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'federation.block' AND target LIKE 'domain:%.many.example'")" "400" \
    "each change applied once"
  # A refresh killed halfway: each domain old or new, and the next run completes it.
  seq 1 12000 | sed 's/.*/k&.kill.example,suspend,false,false,,false/' | { echo "$HEADER"; cat; } >"$LISTS/many.csv"
  local served
  served=$(grep -c '^/many.csv 200' "$TMP/lists.log")
  "$BIN" federation subscriptions refresh >/dev/null 2>&1 &
  local victim=$!
  wait_until 30 many_served_after "$served"
  kill -9 "$victim" 2>/dev/null
  wait "$victim" 2>/dev/null
  local blocked owned
  blocked=$(sql "SELECT count(*) FROM domain_blocks WHERE domain LIKE '%.kill.example'")
  owned=$(sql "SELECT count(*) FROM subscription_blocks WHERE domain LIKE '%.kill.example'")
  assert_eq "$blocked" "$owned" "blocks and their owners agree after the kill"
  case "$blocked" in 0 | 12000) pass ;; *) fail "half a list applied: $blocked of 12000 blocked" ;; esac
  [ "$blocked" = 0 ] && echo "(the refresh was killed before it applied the list)"
  ok federation subscriptions refresh
  assert_eq "$(sql "SELECT count(*) FROM domain_blocks WHERE domain LIKE '%.kill.example'")" "12000" "the next run completes it"
  assert_eq "$(sql "SELECT count(*) FROM domain_blocks WHERE domain LIKE '%.many.example'")" "0" "the dropped ones retracted"
}

# The draft accepted, serve's inbox refuses a signed POST from an actor on that domain (403,
# instctl-serve(1)); before, the same POST is accepted. The fake peer's actors live on
# 127.0.0.1 (its port is not part of the domain).
test_inbox_refuses_accepted_domain() {
  reset_db
  instance_with_peer "Subscriptions"
  list p1.csv "127.0.0.1,suspend,false,false,peer,false"
  list p2.csv "127.0.0.1,suspend,false,false,,false"
  ok federation subscriptions add "$BASE/p1.csv" --name p1
  ok federation subscriptions add "$BASE/p2.csv" --name p2
  ok federation subscriptions policy --threshold 2
  ok --json federation subscriptions refresh
  assert_eq "$(jqo '.changes[0] | "\(.domain) \(.change) \(.state)"')" "127.0.0.1 block draft" "the draft for the peer's domain"
  local id
  id=$(jqo '.changes[0].draft')
  start_serve "$PORT" --no-deliver
  local follow
  follow=$(jq -nc --arg a "$PAT" --arg o "$URL/users/alice" \
    '{"@context":"https://www.w3.org/ns/activitystreams",id:($a + "/follows/1"),type:"Follow",actor:$a,object:$o}')
  inbox_post() {
    local res
    res=$(printf '%s' "$1" | /usr/bin/python3 "$SRC/tests/servers/sign_post.py" --key "$ROOT/keys/pat.pem" \
      --key-id "$PAT#main-key" --url "$URL/inbox")
    status=$(jq -r .status <<<"$res")
  }
  inbox_post "$follow"
  expect_status 202 "a signed Follow while the block is only a draft"
  ok federation drafts accept "$id"
  inbox_post "${follow/follows\/1/follows\/2}"
  expect_status 403 "a signed Follow from the accepted domain is refused"
  assert_eq "$(sql "SELECT count(*) FROM follows f JOIN accounts r ON r.id = f.follower_id WHERE r.actor_uri = '$PAT'")" "1" \
    "only the Follow sent before the block is recorded"
  stop_serve
}

test_consensus_and_drafts
test_auto_failures_and_removal
test_concurrent_and_killed
test_inbox_refuses_accepted_domain
finish
