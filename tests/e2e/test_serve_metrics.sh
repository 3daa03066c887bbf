#!/usr/bin/env bash
# GET /metrics and `stats --format prometheus`: off by default (404); under server.metrics
# local a client behind the proxy (X-Forwarded-For) gets 403; with server.metrics_token_file
# set a missing or wrong bearer token 401, and the token never reaches the log. promtool (Debian's prometheus
# package) checks both outputs, the example alert rules and their tests
# (tests/prometheus/alerts_test.yml). The counters move with their events: a signed Follow
# from the fake peer (inbox, then the Accept's delivery), an unsigned POST (401), a Like
# (ignored), a blocked domain (403), an activity without an actor (400), a key host that does
# not answer (failed, then refused), a repeated GET (a cache hit), the onboarding rate limit,
# an Accept the peer refuses (retrying), requests by route template; serve's mail worker moves
# the mail gauges (sent, then failing with an SMTP server that dies); the gauges read at each
# scrape are there with sane values; 1,000 failing peers give at most 10 per-peer series.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/peer.sh"
source "$(dirname "$0")/smtp_lib.sh"

PROMTOOL=/usr/bin/promtool
if [ ! -x "$PROMTOOL" ]; then
  echo "$PROMTOOL is missing: install Debian's prometheus package (scripts/install-deps.sh test)" >&2
  exit 1
fi

instance_with_peer "Metrics Test"

# metric SERIES: the value of one series (name{labels} exactly as served) in $body, 0 when
# absent.
metric() {
  local v
  v=$(printf '%s\n' "$body" | awk -v s="$1" 'index($0, s " ") == 1 { print $2 }')
  printf '%s' "${v:-0}"
}
scrape() { req "$@" /metrics; }
# metric_reaches SERIES MIN: scrapes until SERIES is at least MIN.
metric_reaches() {
  scrape
  awk -v a="$(metric "$1")" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'
}
promtool_check() {  # WHAT (on $body)
  if printf '%s\n' "$body" | "$PROMTOOL" check metrics >"$TMP/promtool.out" 2>&1; then
    pass
  else
    fail "$1: promtool check metrics: $(cat "$TMP/promtool.out")"
  fi
}

test_off_by_default() {
  start_serve "$PORT" --no-deliver
  scrape
  expect_status 404 "/metrics is off by default"
  stop_serve
}

test_stats_format() {
  ok stats --format prometheus
  body=$out
  promtool_check "stats --format prometheus"
  assert_eq "$(metric 'instctl_users{status="active"}')" "1" "stats: active users"
  assert_contains "$out" 'instctl_delivery_queue{state="pending"} 0' "stats: the delivery queue"
  expect 2 users list --format prometheus
  assert_contains "$err" "only for 'instctl stats'" "--format prometheus elsewhere is a usage error"
}

test_alert_rules() {
  if "$PROMTOOL" check rules "$SRC/packaging/prometheus/instctl-alerts.yml" >"$TMP/rules.out" 2>&1; then
    pass
  else
    fail "promtool check rules: $(cat "$TMP/rules.out")"
  fi
  if (cd "$SRC/tests/prometheus" && "$PROMTOOL" test rules alerts_test.yml) >"$TMP/rules.out" 2>&1; then
    pass
  else
    fail "promtool test rules: $(cat "$TMP/rules.out")"
  fi
}

# post_signed ACTOR TYPE ID [KEY]: POSTs a signed activity of ACTOR to the shared inbox, its
# object alice, with KEY (default pat's) under ACTOR's key id; sets $status.
post_signed() {
  local json res
  json=$(jq -nc --arg id "$3" --arg a "$1" --arg t "$2" --arg o "$URL/users/alice" \
    '{"@context":"https://www.w3.org/ns/activitystreams",id:$id,type:$t,actor:$a,object:$o}')
  res=$(printf '%s' "$json" | /usr/bin/python3 "$SRC/tests/servers/sign_post.py" \
    --key "${4:-$ROOT/keys/pat.pem}" --key-id "$1#main-key" --url "$URL/inbox")
  status=$(jq -r .status <<<"$res")
}
post_follow() { post_signed "$PAT" Follow "$PAT/follows/$1"; }  # ID

# mark: keeps the last scrape, to compare the next with. moved SERIES N WHAT: SERIES grew by
# exactly N since the mark.
marked=""
mark() { marked=$body; }
moved() {
  local before after
  before=$(body=$marked metric "$1")
  after=$(metric "$1")
  assert_eq "$(awk -v a="$after" -v b="$before" 'BEGIN { print a - b }')" "$2" "$3 ($1: $before, then $after)"
}
# sum_of REGEX: the sum of the series whose line matches REGEX in $body.
sum_of() { printf '%s\n' "$body" | awk -v r="$1" '$0 ~ r { n += $2 } END { print n + 0 }'; }

test_local() {
  ok config set server.metrics local
  # For the counters checked on this server after test_local: a domain under a block, a rate
  # limit that the third look-up of an unknown invite meets, an SMTP server for the mail worker
  # and a moderator its mails go to.
  ok federation block blocked.example --severity suspend
  ok config set onboarding.rate_limit 2/1h
  start_smtp
  use_smtp || fail "mail settings"
  ok users create boss --email boss@example.com --role moderator
  start_serve "$PORT"
  scrape
  expect_status 200 "/metrics from loopback under local"
  assert_contains "$headers" "content-type: text/plain; version=0.0.4" "the exposition format's type"
  promtool_check "/metrics"
  assert_contains "$body" 'instctl_build_info{version="' "build info"
  assert_contains "$body" 'sqlite="' "build info names SQLite"
  assert_contains "$body" "process_open_fds " "open descriptors"
  scrape -H "X-Forwarded-For: 203.0.113.7"
  expect_status 403 "a client behind the (loopback) proxy is not local"

  local accepted='instctl_inbox_activities_total{type="Follow",outcome="accepted",standard="cavage"}'
  local refused='instctl_inbox_activities_total{type="none",outcome="401",standard="none"}'
  post_follow 1
  assert_eq "$status" "202" "a signed Follow"
  wait_until 10 metric_reaches "$accepted" 1
  assert_eq "$(metric "$accepted")" "1" "the Follow moved the inbox counter"
  assert_eq "$(metric 'instctl_key_fetches_total{outcome="ok"}')" "1" "its key was fetched"
  curl -s -o /dev/null -X POST -H 'Content-Type: application/activity+json' --data '{}' "$URL/inbox"
  wait_until 10 metric_reaches "$refused" 1
  assert_eq "$(metric "$refused")" "1" "an unsigned POST counts as 401"
  # The Accept goes out from serve's delivery worker to the fake peer.
  wait_until 20 metric_reaches 'instctl_deliveries_total{outcome="delivered"}' 1
  assert_eq "$(metric 'instctl_deliveries_total{outcome="delivered"}')" "1" "the Accept's delivery"
  assert_eq "$(metric 'instctl_http_requests_total{route="/inbox",method="POST",status="2xx"}')" "1" \
    "requests by route template"
  req "/users/nobody%20here/inbox"
  req "/no/such/$RANDOM/path"
  wait_until 10 metric_reaches 'instctl_http_requests_total{route="other",method="GET",status="4xx"}' 1
  assert_eq "$(metric 'instctl_http_requests_total{route="/users/{username}/inbox",method="GET",status="4xx"}')" \
    "1" "a raw path counts under its template"
  assert_not_contains "$body" "nobody" "no raw path in the labels"
  assert_contains "$body" 'instctl_http_request_duration_seconds_count{route="/inbox"} 2' "latency per route (the Follow and the unsigned POST)"
  promtool_check "/metrics after traffic"
}

# On test_local's server: each inbox outcome moves its own series, and only it.
test_inbox_outcomes() {
  scrape
  mark
  post_signed "$PAT" Like "$PAT/likes/1"
  assert_eq "$status" "202" "a signed Like (not acted on)"
  wait_until 10 metric_reaches 'instctl_inbox_activities_total{type="Like",outcome="ignored",standard="cavage"}' 1
  moved 'instctl_inbox_activities_total{type="Like",outcome="ignored",standard="cavage"}' 1 "a Like counts as ignored"
  moved 'instctl_cache_lookups_total{cache="inbox_key",result="hit"}' 1 "pat's key was known already"
  moved 'instctl_key_fetches_total{outcome="ok"}' 0 "and not fetched again"
  mark
  post_signed "http://blocked.example/users/spam" Follow "http://blocked.example/follows/1"
  assert_eq "$status" "403" "a Follow from a blocked domain"
  wait_until 10 metric_reaches 'instctl_inbox_activities_total{type="Follow",outcome="403",standard="cavage"}' 1
  moved 'instctl_inbox_activities_total{type="Follow",outcome="403",standard="cavage"}' 1 "a blocked domain counts as 403"
  moved 'instctl_key_fetches_total{outcome="ok"}' 0 "no key is fetched for a blocked domain"
  mark
  # Signed and dated, but no actor: the activity cannot be read.
  printf '{"type":"Like"}' | /usr/bin/python3 "$SRC/tests/servers/sign_post.py" \
    --key "$ROOT/keys/pat.pem" --key-id "$PAT#main-key" --url "$URL/inbox" >"$TMP/post.json"
  assert_eq "$(jq -r .status "$TMP/post.json")" "400" "an activity without an actor"
  wait_until 10 metric_reaches 'instctl_inbox_activities_total{type="none",outcome="400",standard="none"}' 1
  moved 'instctl_inbox_activities_total{type="none",outcome="400",standard="none"}' 1 "an unreadable activity counts as 400"
  assert_eq "$(sum_of '^instctl_inbox_activities_total[{]')" \
    "$(($(body=$marked sum_of '^instctl_inbox_activities_total[{]') + 1))" "and no other inbox series moved"
}

# On test_local's server: key fetches that fail, cache hits, the rate limit, a delivery that
# fails.
test_other_counters() {
  local dead
  dead=$(free_port)  # nothing listens there
  scrape
  mark
  post_signed "http://127.0.0.1:$dead/users/gone" Follow "http://127.0.0.1:$dead/follows/1"
  assert_eq "$status" "401" "a Follow whose key cannot be fetched"
  wait_until 10 metric_reaches 'instctl_key_fetches_total{outcome="failed"}' 1
  moved 'instctl_key_fetches_total{outcome="failed"}' 1 "a key host that does not answer: failed"
  post_signed "http://127.0.0.1:$dead/users/gone" Follow "http://127.0.0.1:$dead/follows/2"
  assert_eq "$status" "401" "the same a moment later"
  wait_until 10 metric_reaches 'instctl_key_fetches_total{outcome="refused"}' 1
  moved 'instctl_key_fetches_total{outcome="refused"}' 1 "then no request at all: refused"
  moved 'instctl_key_fetches_total{outcome="failed"}' 1 "and failed did not move again"

  # The same public document twice: the second answer is a kept one (the event loop's cache on
  # SQLite, a worker's on PostgreSQL).
  scrape
  mark
  req -H 'Accept: application/activity+json' /users/alice/followers
  req -H 'Accept: application/activity+json' /users/alice/followers
  expect_status 200 "alice's followers, twice"
  scrape
  assert_eq "$(($(sum_of '^instctl_cache_lookups_total[{].*result="hit"') - $(body=$marked sum_of '^instctl_cache_lookups_total[{].*result="hit"')))" \
    "1" "a repeated GET is one cache hit"

  scrape
  mark
  req /invite/no-such-code-1
  req /invite/no-such-code-2
  expect_status 404 "unknown invites within the rate limit"
  scrape
  moved instctl_rate_limited_total 0 "no refusal within the limit"
  req /invite/no-such-code-3
  expect_status 429 "the third look-up meets the rate limit (2/1h)"
  scrape
  moved instctl_rate_limited_total 1 "a refusal moves the rate-limit counter"

  # dee's inbox answers 500: the Accept of dee's Follow is to be retried.
  peer_account "$ROOT" dee
  sed -i 's|{base}/users/dee/inbox|{base}/dead/inbox|; s|"sharedInbox":"{base}/inbox"|"sharedInbox":"{base}/dead/inbox"|' \
    "$ROOT/actors/dee.json"
  printf '{"/dead/inbox": 500}\n' >"$ROOT/inbox.json"
  scrape
  mark
  post_signed "$PEER_BASE/users/dee" Follow "$PEER_BASE/follows/dee" "$ROOT/keys/dee.pem"
  assert_eq "$status" "202" "dee's Follow"
  wait_until 20 metric_reaches 'instctl_deliveries_total{outcome="retrying"}' 1
  moved 'instctl_deliveries_total{outcome="retrying"}' 1 "an Accept the peer refuses is retrying"
  moved 'instctl_deliveries_total{outcome="delivered"}' 0 "and not delivered"
  rm "$ROOT/inbox.json"
  # (Its next try is a minute away; test_thousand_peers counts only its own failing peers.)
  sql "DELETE FROM deliveries WHERE inbox_url LIKE '%/dead/inbox'"
}

# On test_local's server: the gauges read at each scrape, with sane values.
test_process_gauges() {
  scrape
  local now
  now=$(date +%s)
  awk -v v="$(metric instctl_http_open_connections)" 'BEGIN { exit !(v >= 1 && v < 100) }' &&
    pass || fail "open connections (the scrape's own at least): $(metric instctl_http_open_connections)"
  awk -v v="$(metric instctl_work_pool_workers)" 'BEGIN { exit !(v >= 1) }' &&
    pass || fail "worker threads: $(metric instctl_work_pool_workers)"
  assert_contains "$body" $'\ninstctl_work_pool_queue_depth 0\n' "no request waits for a worker"
  assert_contains "$body" 'openssl="OpenSSL ' "build info names OpenSSL"
  [[ "$body" =~ libcurl=\"[0-9]+\.[0-9]+ ]] && pass || fail "build info names libcurl's version: $(grep build_info <<<"$body")"
  awk -v v="$(metric process_start_time_seconds)" -v now="$now" 'BEGIN { exit !(v > now - 600 && v <= now) }' &&
    pass || fail "the start time is the last minutes: $(metric process_start_time_seconds), now $now"
  awk -v v="$(metric process_resident_memory_bytes)" 'BEGIN { exit !(v > 1048576 && v < 4294967296) }' &&
    pass || fail "resident memory between 1 MiB and 4 GiB: $(metric process_resident_memory_bytes)"
}

# On test_local's server: serve's own mail worker sends a mail (the moderator's notice of a
# sign-up waiting for approval), then fails one to an SMTP server that dies at its DATA, and
# one later scrape shows both (the instance gauges may be 5 s old: one wait for both).
mails_where() { sql "SELECT count(*) FROM mails WHERE $1"; }
test_serve_mail() {
  local sent='instctl_mail_queue{state="sent"}'
  scrape
  mark
  ok users create sue --email sue@example.com --pending
  wait_until 20 eval '[ "$(mails_where "state = '\''sent'\''")" = 1 ]'
  assert_eq "$(mail_recipients)" "boss@example.com" "serve's mail worker sent the notice to the moderator"
  stop_smtp
  start_smtp dying_mailbox.DyingMailbox 0
  ok users create sid --email sid@example.com --pending
  wait_until 20 eval '[ "$(mails_where "state = '\''unsent'\'' AND attempts = 1")" = 1 ]'
  wait_until 20 metric_reaches 'instctl_mail_queue{state="failing"}' 1
  moved "$sent" 1 "the mail serve sent"
  moved 'instctl_mail_queue{state="failing"}' 1 "a mail the SMTP server dropped is failing"
  moved instctl_mail_failed_attempts_total 1 "one failed attempt"
  stop_smtp
  ok stats --format prometheus
  body=$out
  assert_eq "$(metric 'instctl_mail_queue{state="failing"}')" "1" "stats --format prometheus agrees"
}

test_thousand_peers() {
  local now
  now=$(date +%s)
  sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
       INSERT INTO deliveries (activity_id, activity_type, activity, inbox_url, domain, state,
         attempts, next_attempt_at, give_up_at, last_error, created_at, updated_at)
       SELECT 'https://x/a/' || i, 'Create', '{}', 'https://peer' || i || '.example/inbox',
         'peer' || i || '.example', 'pending', 1, $((now + 86400)), $((now + 86400)),
         'connection refused', $((now - 7200)) + i, $now FROM n"
  start_serve "$PORT" --no-deliver
  wait_until 10 metric_reaches instctl_delivery_failing_peers 1000
  expect_status 200 "/metrics with 1,000 failing peers"
  assert_eq "$(metric instctl_delivery_failing_peers)" "1000" "every failing peer is counted"
  assert_eq "$(grep -c '^instctl_delivery_peer_failing_seconds{' <<<"$body")" "10" \
    "at most 10 per-peer series"
  assert_contains "$body" 'instctl_delivery_peer_failing_seconds{peer="peer1.example"}' \
    "the peer failing longest is among them"
  promtool_check "/metrics with 1,000 peers"
  stop_serve
}

test_token() {
  local token=s3cret-$RANDOM$RANDOM
  printf '%s\n' "$token" >"$TMP/metrics.token"
  # A token file turns metrics on whatever server.metrics says, and takes precedence.
  ok config set server.metrics off
  ok config set server.metrics_token_file "$TMP/metrics.token"
  start_serve "$PORT" --no-deliver --access-log "$TMP/access.log"
  scrape
  expect_status 401 "no token"
  assert_contains "$headers" "www-authenticate: bearer" "401 names the scheme"
  scrape -H "Authorization: Bearer wrong-$token"
  expect_status 401 "a wrong token"
  scrape -H "Authorization: Bearer $token"
  expect_status 200 "the right token"
  promtool_check "/metrics with a token"
  stop_serve
  assert_not_contains "$(cat "$SERVE_LOG" "$TMP/access.log")" "$token" "the token is never logged"
  # Serve refuses to start when the token file cannot be read.
  rm "$TMP/metrics.token"
  expect 2 serve --listen "127.0.0.1:$PORT"
  assert_contains "$err" "server.metrics_token_file" "the unreadable token file is named"
}

test_off_by_default
test_stats_format
test_alert_rules
test_local
test_inbox_outcomes
test_other_counters
test_process_gauges
test_serve_mail
stop_serve
test_thousand_peers
test_token
finish
