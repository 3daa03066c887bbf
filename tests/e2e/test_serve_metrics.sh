#!/usr/bin/env bash
# GET /metrics and `stats --format prometheus`: off by default (404); under server.metrics
# local a client behind the proxy (X-Forwarded-For) gets 403; with server.metrics_token_file
# set a missing or wrong bearer token 401, and the token never reaches the log. promtool (Debian's prometheus
# package) checks both outputs, the example alert rules and their tests
# (tests/prometheus/alerts_test.yml). The counters move with their events: a signed Follow
# from the fake peer (inbox, then the Accept's delivery), an unsigned POST (401), requests by
# route template; a failing SMTP server moves the mail gauges; 1,000 failing peers give at
# most 10 per-peer series.
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

post_follow() {  # ID
  local json res
  json=$(jq -nc --arg id "$PAT/follows/$1" --arg a "$PAT" --arg o "$URL/users/alice" \
    '{"@context":"https://www.w3.org/ns/activitystreams",id:$id,type:"Follow",actor:$a,object:$o}')
  res=$(printf '%s' "$json" | /usr/bin/python3 "$SRC/tests/servers/sign_post.py" \
    --key "$ROOT/keys/pat.pem" --key-id "$PAT#main-key" --url "$URL/inbox")
  status=$(jq -r .status <<<"$res")
}

test_local() {
  ok config set server.metrics local
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
  stop_serve
}

test_mail_failing() {
  start_smtp dying_mailbox.DyingMailbox 0
  use_smtp || fail "mail settings"
  expect 7 invites create --email bob@example.com --send
  stop_smtp
  ok stats --format prometheus
  body=$out
  assert_eq "$(metric 'instctl_mail_queue{state="failing"}')" "1" "a failed mail is failing"
  assert_eq "$(metric 'instctl_mail_failed_attempts_total')" "1" "one failed attempt"
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
test_mail_failing
test_thousand_peers
test_token
finish
