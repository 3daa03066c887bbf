#!/usr/bin/env bash
# Several `instctl serve` replicas on one PostgreSQL database: two replicas (--no-deliver)
# behind Debian's nginx with the shipped round-robin configuration
# (packaging/proxy/nginx-replicas.conf), and two `instctl federation deliver --loop` workers.
# A CSRF token, a rate-limit bucket and a partner sign-in begun on one replica hold on the
# other; a max-uses-2 invite raced through both creates 2 users; a CLI change shows on both at
# the next request; Fedify's Follow gets exactly one Accept and a forwarded report arrives
# exactly once; one replica is killed with SIGKILL under load, the other keeps answering and
# no acknowledged request is lost.
#
# The replicas run with --no-deliver so that the deliveries are the two workers' alone: the
# SIGKILL then ends no delivery half-way, and "exactly once" is what the queue's claims give.
#
# Replicas need a shared database: run without a PostgreSQL server (by hand, or in the
# ThreadSanitizer build, which registers only the SQLite run of the server suites) this one
# starts its own (tests/servers/postgres.sh) rather than being skipped. The other builds run it
# only as e2e-pg.test_serve_replicas.
if [ "${INSTCTL_TEST_BACKEND:-sqlite}" != postgresql ]; then
  echo "$(basename "$0"): runs against PostgreSQL (a server of its own): replicas share one database"
  export INSTCTL_TEST_BACKEND=postgresql
  unset INSTCTL_TEST_PG_DIR
fi
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/peer.sh"
source "$(dirname "$0")/fedify_lib.sh"

command -v nginx >/dev/null || { echo "nginx is missing: scripts/install-deps.sh test" >&2; exit 1; }

NGINX_PORT=$(free_port)
HOST=localhost:$NGINX_PORT
URL=http://$HOST
R1=$(free_port)
R2=$(free_port)
ACTORS=4
USERS=30
if [ "${INSTCTL_SANITIZED:-0}" = 1 ]; then USERS=12; fi
SECRET=fake-client-s3cret
printf '%s\n' "$SECRET" >"$TMP/client-secret"

"$BIN" init --domain "$HOST" --public-url "$URL" --title "Replicas" --admin ada \
  --admin-email ada@example.com >/dev/null 2>&1 || { echo "init failed" >&2; exit 1; }
ok config set federation.allow_http true
ok config set federation.allow_private_addresses true
ok config set onboarding.rate_limit 1000/1h
ok config set waitlist.enabled true
ok users create alice --email alice@example.com
ok users create carol --email carol@example.com

# Two replicas, each started like a single server, remembered by port.
declare -A REPLICA
for p in "$R1" "$R2"; do
  start_serve "$p" --no-deliver --threads 2 --access-log "$TMP/access.$p.log"
  REPLICA[$p]=$SERVE_PID
done

# Two delivery workers.
WORKERS=()
for w in 1 2; do
  "$BIN" --json federation deliver --loop --interval 0.5 >"$TMP/deliver.$w.out" 2>"$TMP/deliver.$w.err" &
  WORKERS+=("$!")
  on_exit "kill ${WORKERS[-1]} 2>/dev/null"
done

# nginx with the shipped configuration: loopback ports, no TLS, the replicas' addresses.
sed -e "s|listen 80;|listen 127.0.0.1:$(free_port);|" -e "s|listen 443 ssl http2;|listen 127.0.0.1:$NGINX_PORT;|" \
  -e '/listen \[::\]/d' -e '/^ *ssl_/d' -e "s|social\.example;|localhost;|" \
  -e "s|10\.0\.0\.11:8080|127.0.0.1:$R1|" -e "s|10\.0\.0\.12:8080|127.0.0.1:$R2|" \
  "$SRC/packaging/proxy/nginx-replicas.conf" >"$TMP/site.conf"
assert_eq "$(grep -v '^ *#' "$TMP/site.conf" | grep -c "social.example\|10\.0\.0\|8080\|letsencrypt")" "0" \
  "every site-specific value substituted"
run_nginx "$TMP/site.conf"
for _ in $(seq 1 200); do curl -s -o /dev/null "$URL/health" && break; sleep 0.05; done
curl -s -o /dev/null "$URL/health" || { echo "nginx does not answer on $URL" >&2; exit 1; }

# through [CURL OPTIONS] PATH: a request through nginx, naming the instance as its Host.
through() { req -H "Host: $HOST" "$@"; }
# at PORT [CURL OPTIONS] PATH: a request to one replica directly.
at() {
  local saved=$SERVE_PORT
  SERVE_PORT=$1
  shift
  req "$@"
  SERVE_PORT=$saved
}
SERVE_PORT=$NGINX_PORT  # req and through go to nginx
# csrf_from BASE PATH JAR: the CSRF token of a page served at BASE, its cookie in JAR.
csrf_from() {
  curl -s -c "$3" -b "$3" "$1$2" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1
}
sign_up_data() {  # CODE USERNAME
  printf '%s\n' --data-urlencode "invite=$1" --data-urlencode "username=$2" \
    --data-urlencode "email=$2@example.com" --data-urlencode password=correct-horse --data-urlencode agree=yes
}
new_code() { "$BIN" -q invites create "$@" | sed 's|.*/invite/||'; }

test_round_robin() {
  local i
  for i in 1 2 3 4; do through "/.well-known/webfinger?resource=acct:alice@$HOST"; expect_status 200 "WebFinger $i"; done
  wait_for_log "$TMP/access.$R1.log" 2 webfinger
  wait_for_log "$TMP/access.$R2.log" 2 webfinger
  assert_eq "$(grep -c webfinger "$TMP/access.$R1.log") $(grep -c webfinger "$TMP/access.$R2.log")" "2 2" \
    "nginx alternates between the replicas"
}

test_csrf_token_of_one_replica_holds_on_the_other() {
  local code token jar=$TMP/jar.csrf
  code=$(new_code)
  token=$(csrf_from "http://127.0.0.1:$R1" "/invite/$code" "$jar")
  assert_contains "$token" "." "replica 1 issued a token"
  at "$R2" -b "$jar" --data-urlencode "csrf_token=$token" $(sign_up_data "$code" crossed) /auth/sign_up
  expect_status 200 "replica 2 accepts replica 1's token"
  at "$R2" -b "$jar" --data-urlencode "csrf_token=${token%.*}.forged" $(sign_up_data "$(new_code)" forged) /auth/sign_up
  expect_status 403 "a forged token is refused there too"
  assert_eq "$(sql "SELECT count(*) FROM accounts WHERE username IN ('crossed', 'forged')")" "1" "one account"
}

test_rate_limit_is_shared() {
  ok config set onboarding.rate_limit 2/1h
  local p
  for p in "$R1" "$R2" "$R1"; do
    at "$p" -H 'X-Forwarded-For: 192.0.2.7' -H 'Content-Type: application/json' \
      --data "{\"email\": \"rl$RANDOM@example.com\"}" /api/v1/waitlist
  done
  expect_status 429 "the third POST from one address is refused, whichever replica took the first two"
  at "$R2" -H 'X-Forwarded-For: 192.0.2.8' -H 'Content-Type: application/json' \
    --data '{"email": "other@example.com"}' /api/v1/waitlist
  expect_status 201 "another address has its own bucket"
  ok config set onboarding.rate_limit 1000/1h
}

test_partner_sign_in_across_replicas() {
  need_node 18
  node "$SRC/tests/servers/fake_oidc.mjs" "$TMP/oidc.port" instctl-test "$SECRET" 2>"$TMP/oidc.err" &
  on_exit "kill $! 2>/dev/null"
  local i
  for i in $(seq 1 200); do [ -s "$TMP/oidc.port" ] && break; sleep 0.05; done
  local issuer=http://127.0.0.1:$(cat "$TMP/oidc.port") jar=$TMP/jar.oidc code location callback
  ok config set auth.oidc.issuer "$issuer"
  ok config set auth.oidc.client_id instctl-test
  ok config set auth.oidc.client_secret_file "$TMP/client-secret"
  code=$(new_code)
  # Begun on replica 1, back from the provider on replica 2, registered on replica 1.
  location=$(curl -s -o /dev/null -c "$jar" -b "$jar" -w '%{redirect_url}' "http://127.0.0.1:$R1/auth/oidc/start?invite=$code")
  assert_contains "$location" "$issuer/auth?" "replica 1 sends the browser to the provider"
  callback=$(curl -s -o /dev/null -w '%{redirect_url}' "$location")
  at "$R2" -b "$jar" -c "$jar" "${callback#"$URL"}"
  expect_status 200 "replica 2 finishes the sign-in replica 1 began"
  local ticket token
  ticket=$(sed -n 's/.*name="ticket"[^>]* value="\([^"]*\)".*/\1/p' <<<"$body" | head -1)
  token=$(sed -n 's/.*name="csrf_token"[^>]* value="\([^"]*\)".*/\1/p' <<<"$body" | head -1)
  at "$R1" -b "$jar" --data-urlencode "csrf_token=$token" --data-urlencode "ticket=$ticket" \
    --data-urlencode username=partner --data-urlencode agree=yes /auth/oidc/register
  expect_status 200 "replica 1 registers the account"
  at "$R2" -b "$jar" -c "$jar" "${callback#"$URL"}"
  assert_eq "$status" "400" "the used state is refused on either replica"
  ok config unset auth.oidc.issuer
}

test_invite_race_through_both_replicas() {
  local code n=12 i
  code=$(new_code --max-uses 2)
  # Each browser takes its page and cookie through nginx (so from either replica) first.
  for i in $(seq 1 $n); do csrf_from "$URL" "/invite/$code" "$TMP/jar.race$i" >"$TMP/token.race$i"; done
  local racers=()
  for i in $(seq 1 $n); do
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 20 -b "$TMP/jar.race$i" \
      --data-urlencode "csrf_token=$(cat "$TMP/token.race$i")" $(sign_up_data "$code" "racer$i") \
      "$URL/auth/sign_up" >"$TMP/race.$i" &
    racers+=("$!")
  done
  wait "${racers[@]}"
  assert_eq "$(cat "$TMP"/race.* | sort | uniq -c | awk '{print $2 "x" $1}' | paste -sd' ')" "200x2 410x$((n - 2))" \
    "two sign-ups succeed, the rest find the invite used up"
  assert_eq "$(sql "SELECT count(*) FROM accounts WHERE username LIKE 'racer%'")" "2" "exactly 2 users"
  assert_eq "$(sql "SELECT uses FROM invites WHERE id = (SELECT max(id) FROM invites)")" "2" "the invite's uses"
  wait_for_log "$TMP/access.$R1.log" 1 "POST /auth/sign_up" && wait_for_log "$TMP/access.$R2.log" 1 "POST /auth/sign_up" &&
    pass || fail "both replicas took sign-ups"
}

test_cli_change_shows_on_every_replica() {
  local p
  for p in "$R1" "$R2"; do at "$p" "/.well-known/webfinger?resource=acct:carol@$HOST"; expect_status 200 "carol on $p"; done
  ok users suspend carol --reason "test"
  for p in "$R1" "$R2"; do at "$p" "/.well-known/webfinger?resource=acct:carol@$HOST"; expect_status 410 "suspended carol is gone on $p"; done
  ok config set instance.title "Replicas Renamed"
  for p in "$R1" "$R2"; do at "$p" /api/v1/instance; assert_eq "$(jqb .title)" "Replicas Renamed" "the new title on $p"; done
  ok users unsuspend carol
  for p in "$R1" "$R2"; do at "$p" "/.well-known/webfinger?resource=acct:carol@$HOST"; expect_status 200 "carol back on $p"; done
}

# queue_idle: waits (up to 60 s) until no delivery is pending or in a worker's hands.
queue_idle() {
  local i
  for i in $(seq 1 600); do
    [ "$(sql "SELECT count(*) FROM deliveries WHERE state IN ('pending', 'delivering')")" = 0 ] && return 0
    sleep 0.1
  done
  fail "the delivery queue did not drain: $(sql "SELECT state, count(*) FROM deliveries GROUP BY state")"
}

test_fedify_follow_and_forwarded_report_exactly_once() {
  start_fedify "$HOST"
  fedify "follow alice"
  assert_eq "$(jqo .ok)" "true" "Fedify's Follow through nginx is accepted ($out)"
  fedify "wait-accept 30"
  assert_eq "$(jqo .ok)" "true" "Fedify received the Accept and verified it ($out)"
  assert_eq "$(jqo .accept.actor)" "$URL/users/alice" "from alice"
  ok -q reports create --target "fed@$FED_HOST" --category spam --comment "Forwarded once" --forward
  fedify "wait-flag 30"
  assert_eq "$(jqo .ok)" "true" "Fedify received the forwarded report and verified it ($out)"
  assert_eq "$(jqo .flag.actor) $(jqo .flag.content)" "$URL/actor Forwarded once" "the Flag"
}

# The load: pre-signed Follows from ACTORS x USERS (fake peer) through nginx, and WebFinger GETs.
make_pool() {
  start_peer "$TMP/peer"
  local a
  for a in $(seq 1 "$ACTORS"); do peer_account "$TMP/peer" "a$a"; done
  signed_follow_pool "$TMP/peer" "$ACTORS" "$USERS" >"$TMP/pool.ndjson"
}
recorded() { sql "SELECT activity_uri FROM follows WHERE activity_uri LIKE '$PEER_BASE/follows/%'" | sort; }

test_sigkill_of_one_replica_under_load() {
  local u total=$((ACTORS * USERS))
  for u in $(seq 1 "$USERS"); do "$BIN" users create "u$u" --email "u$u@example.com" >/dev/null 2>&1 || fail "create u$u"; done
  make_pool
  : >"$TMP/answers"
  /usr/bin/python3 "$SRC/tests/servers/inbox_load.py" --port "$NGINX_PORT" --requests "$TMP/pool.ndjson" \
    --log "$TMP/answers" --threads 6 &
  local load=$!
  { while [ ! -e "$TMP/gets.stop" ]; do
      curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 "$URL/.well-known/webfinger?resource=acct:alice@$HOST"
    done; } >"$TMP/gets" &
  local gets=$!
  local i
  for i in $(seq 1 600); do [ "$(grep -c . "$TMP/answers")" -ge $((total / 4)) ] && break; sleep 0.02; done
  kill -KILL "${REPLICA[$R1]}"
  wait "${REPLICA[$R1]}" 2>/dev/null
  local at_kill
  at_kill=$(grep -c . "$TMP/gets")
  echo "replica 1 killed after $(grep -c . "$TMP/answers") of $total inbox answers, $at_kill GETs"
  grep -q "POST /inbox" "$TMP/access.$R1.log" && pass || fail "replica 1 took inbox POSTs before it died"
  wait "$load"
  # At least 20 GETs after the kill, so some meet the dead replica.
  for i in $(seq 1 200); do [ "$(grep -c . "$TMP/gets")" -ge $((at_kill + 20)) ] && break; sleep 0.05; done
  touch "$TMP/gets.stop"
  wait "$gets"
  [ "$(grep -c . "$TMP/gets")" -ge $((at_kill + 20)) ] && pass || fail "fewer than 20 GETs after the kill"
  grep -q "127.0.0.1:$R1" "$TMP/nginx-error.log" && pass ||
    fail "nginx never met the dead replica: $(tail -3 "$TMP/nginx-error.log")"
  assert_eq "$(sort "$TMP/gets" | uniq -c | awk '{print $2}' | paste -sd' ')" "200" \
    "every WebFinger GET answered 200 (nginx retried the dead replica's on the other)"
  assert_eq "$(awk '$2 != 202 && $2 != 502' "$TMP/answers" | head -3)" "" "inbox answers are 202, or 502 when cut"
  local cut
  cut=$(awk '$2 == 502' "$TMP/answers" | wc -l)
  [ "$cut" -le 6 ] && pass || fail "$cut POSTs cut, more than were in flight"
  echo "$cut inbox POSTs cut by the kill (502), $(grep -c . "$TMP/gets") GETs all answered"
  awk '$2 == 202 {print $1}' "$TMP/answers" | sort -u >"$TMP/acked"
  recorded >"$TMP/recorded"
  assert_eq "$(comm -23 "$TMP/acked" "$TMP/recorded" | head -3)" "" "every Follow answered 202 is recorded"
  through /health
  expect_status 200 "the survivor answers through nginx"
  at "$R2" /health
  expect_status 200 "and directly"
  # The remote servers send what was not acknowledged again: now everything is recorded, once.
  : >"$TMP/answers2"
  /usr/bin/python3 "$SRC/tests/servers/inbox_load.py" --port "$NGINX_PORT" --requests "$TMP/pool.ndjson" \
    --log "$TMP/answers2" --threads 6
  assert_eq "$(awk '$2 != 202' "$TMP/answers2" | head -3)" "" "the survivor alone answers every POST 202"
  assert_eq "$(recorded | uniq | wc -l) $(recorded | wc -l)" "$total $total" "every Follow recorded once"
  ok db check
  queue_idle
  assert_eq "$(sql "SELECT count(*) FROM deliveries WHERE activity_type = 'Accept' AND inbox_url LIKE '$PEER_BASE/%' AND state = 'delivered'")" \
    "$total" "every Accept delivered"
  assert_eq "$(jq -r 'select(.body | fromjson | .type == "Accept") | .body | fromjson | .object.id // .object' "$PEER_LOG" |
    sort | uniq -c | awk '{print $1}' | sort -u | paste -sd' ') $(jq -r 'select(.body | fromjson | .type == "Accept")' "$PEER_LOG" | jq -s length)" \
    "1 $total" "the peer received each Accept exactly once"
}

test_exactly_once_after_all() {
  queue_idle
  fedify received
  assert_eq "$(jqo .accepts) $(jqo .flags)" "1 1" "Fedify received one Accept and one Flag, no more"
  stop_fedify
  local w total=0 n
  for w in "${WORKERS[@]}"; do kill -TERM "$w"; wait "$w" || fail "a worker exited $?"; done
  for w in 1 2; do
    n=$(jq -r .delivered "$TMP/deliver.$w.out")
    total=$((total + n))
    [ "$n" -gt 0 ] && pass || fail "worker $w delivered nothing: $(cat "$TMP/deliver.$w.err")"
  done
  assert_eq "$total" "$(sql "SELECT count(*) FROM deliveries WHERE state = 'delivered'")" \
    "the workers' deliveries add up: none was taken by both"
}

test_round_robin
test_csrf_token_of_one_replica_holds_on_the_other
test_rate_limit_is_shared
test_partner_sign_in_across_replicas
test_invite_race_through_both_replicas
test_cli_change_shows_on_every_replica
test_fedify_follow_and_forwarded_report_exactly_once
test_sigkill_of_one_replica_under_load
test_exactly_once_after_all
finish
