#!/usr/bin/env bash
# `instctl serve` behind Debian's nginx and Caddy with TLS, configured by the shipped
# packaging/proxy/nginx.conf and Caddyfile
# (names, ports and certificate paths substituted): WebFinger and actors over HTTPS, the
# redirect from plain HTTP, a signed Follow whose signature survives the proxy, the body limit,
# and per-client rate limits and access log lines from X-Forwarded-For.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/peer.sh"

for tool in nginx caddy; do
  command -v $tool >/dev/null || { echo "$tool is missing: scripts/install-deps.sh test" >&2; exit 1; }
done

make_test_certs "DNS:localhost"

# start_nginx: Debian's nginx with the shipped site configuration (names, ports, files
# substituted), in front of serve.
start_nginx() {
  sed -e "s|listen 80;|listen 127.0.0.1:$HTTP_PORT;|" -e "s|listen 443 ssl http2;|listen 127.0.0.1:$TLS_PORT ssl http2;|" \
    -e '/listen \[::\]/d' -e "s|social\.example;|localhost;|" \
    -e "s|/etc/letsencrypt/live/social.example/fullchain.pem|$TMP/server.pem|" \
    -e "s|/etc/letsencrypt/live/social.example/privkey.pem|$TMP/server.key|" \
    -e "s|http://127.0.0.1:8080|http://127.0.0.1:$PORT|" "$SRC/packaging/proxy/nginx.conf" >"$TMP/site.conf"
  assert_eq "$(grep -v '^ *#' "$TMP/site.conf" | grep -c "social.example\|8080\|letsencrypt")" "0" \
    "every site-specific value substituted (nginx)"
  run_nginx "$TMP/site.conf"
  PROXY=$NGINX_PID
}

# start_caddy: Debian's Caddy with the shipped Caddyfile; the test's certificate replaces the
# one Caddy would obtain itself.
start_caddy() {
  { printf '{\n\tadmin off\n\thttp_port %s\n\thttps_port %s\n\tstorage file_system %s\n}\n' \
      "$HTTP_PORT" "$TLS_PORT" "$TMP/caddy"
    sed -e "s|^social\.example {|localhost:$TLS_PORT {\n\ttls $TMP/server.pem $TMP/server.key|" \
      -e "s|127.0.0.1:8080|127.0.0.1:$PORT|" "$SRC/packaging/proxy/Caddyfile"
  } >"$TMP/Caddyfile"
  assert_eq "$(grep -v '^ *#' "$TMP/Caddyfile" | grep -c "social.example\|8080")" "0" \
    "every site-specific value substituted (Caddy)"
  HOME=$TMP XDG_DATA_HOME=$TMP/caddy XDG_CONFIG_HOME=$TMP/caddy \
    caddy run --adapter caddyfile --config "$TMP/Caddyfile" >"$TMP/caddy.log" 2>&1 &
  PROXY=$!
}

# behind PROXY: a fresh instance served behind that proxy on fresh ports.
behind() {
  PORT=$(free_port) TLS_PORT=$(free_port) HTTP_PORT=$(free_port)
  DOMAIN=localhost:$TLS_PORT
  URL=https://$DOMAIN
  reset_db
  rm -f "$TMP/access.log"
  "$BIN" init --domain "$DOMAIN" --public-url "$URL" --title "Proxy Test" >/dev/null 2>&1 || exit 1
  ok users create alice --email alice@example.com
  ok config set federation.allow_http true
  ok config set federation.allow_private_addresses true
  ok config set waitlist.enabled true
  ok config set onboarding.rate_limit 2/1h
  start_serve "$PORT" --access-log "$TMP/access.log"
  "start_$1"
  on_exit "kill $PROXY 2>/dev/null"
  local i
  for i in $(seq 1 200); do
    curl -s -o /dev/null --cacert "$TMP/ca.pem" "$URL/health" && return 0
    sleep 0.05
  done
  echo "$1 did not start: $(cat "$TMP/nginx-error.log" "$TMP/caddy.log" 2>/dev/null | tail -5)" >&2
  exit 1
}
stop_proxy() {
  kill "$PROXY" 2>/dev/null
  wait "$PROXY" 2>/dev/null
  stop_serve
}

# https GET through the proxy: sets $status and $body.
get() {
  local res
  res=$(curl -s --cacert "$TMP/ca.pem" -w '\n%{http_code}' "$@")
  status=${res##*$'\n'}
  body=${res%$'\n'*}
}

test_reads_over_https() {
  get "$URL/.well-known/webfinger?resource=acct:alice@$DOMAIN"
  expect_status 200 "WebFinger through the proxy"
  assert_eq "$(jqb .subject)" "acct:alice@$DOMAIN" "the subject"
  get -H 'Accept: application/activity+json' "$URL/users/alice"
  expect_status 200 "the actor through the proxy"
  assert_eq "$(jqb .id)" "$URL/users/alice" "ids use the public https URL"
  get -o /dev/null -D - "http://127.0.0.1:$HTTP_PORT/users/alice" -H "Host: localhost"
  case $status in 301 | 308) pass ;; *) fail "plain HTTP is not redirected: HTTP $status" ;; esac
}

test_signed_follow_survives_the_proxy() {
  [ -n "${PEER_BASE:-}" ] || { start_peer "$TMP/peer"; peer_account "$TMP/peer" pat; }
  local json res
  json=$(jq -nc --arg a "$PEER_BASE/users/pat" --arg o "$URL/users/alice" \
    '{"@context":"https://www.w3.org/ns/activitystreams",id:($a+"/follows/1"),type:"Follow",actor:$a,object:$o}')
  res=$(printf '%s' "$json" | SSL_CERT_FILE=$TMP/ca.pem /usr/bin/python3 "$SRC/tests/servers/sign_post.py" \
    --key "$TMP/peer/keys/pat.pem" --key-id "$PEER_BASE/users/pat#main-key" --url "$URL/users/alice/inbox")
  assert_eq "$(jq -r .status <<<"$res")" "202" "the signature covers Host and target as the peer sent them"
  assert_eq "$(sql "SELECT count(*) FROM follows")" "1" "the Follow is recorded"
  head -c 307200 /dev/zero | tr '\0' 'x' >"$TMP/big"
  get -o /dev/null -H 'Content-Type: application/activity+json' --data-binary "@$TMP/big" "$URL/inbox"
  expect_status 413 "instctl's own body limit applies behind the proxy"
}

test_rate_limit_per_client() {
  local i
  for i in 1 2 3; do
    get --interface 127.0.0.2 -H 'Content-Type: application/json' -d "{\"email\":\"a$i@example.com\"}" \
      "$URL/api/v1/waitlist"
  done
  expect_status 429 "the third join from one client in an hour"
  get --interface 127.0.0.3 -H 'Content-Type: application/json' -d '{"email":"b1@example.com"}' \
    "$URL/api/v1/waitlist"
  expect_status 201 "another client behind the same proxy has its own limit"
  wait_for_log "$TMP/access.log" 1 -F " 127.0.0.3 POST /api/v1/waitlist 201"
  assert_contains "$(cat "$TMP/access.log")" " 127.0.0.3 POST /api/v1/waitlist 201" \
    "the access log names the client, not the proxy"
}

for proxy in nginx caddy; do
  behind $proxy
  test_reads_over_https
  test_signed_follow_survives_the_proxy
  test_rate_limit_per_client
  stop_proxy
done
finish
