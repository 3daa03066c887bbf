#!/usr/bin/env bash
# instctl serve against nginx (Debian's, 2 workers, access log off) serving static files with
# the same bytes as instctl's WebFinger and actor answers: requests/s with 50 keep-alive
# connections (wrk), p50 and p99 latency, medians of RUNS runs, interleaved so drift on a
# shared machine hits both alike. Targets: WebFinger >= 0.8x nginx's requests/s, the actor
# >= 0.4x, p99 < 10 ms; each printed PASS or MISS.
# Then the memory of instctl serve: RSS idle (started, no request yet), after the first
# requests (alice's keys made, so OpenSSL loaded), and its peak under that load.
# Then the RSS of a serve that has delivered something (a fake peer's signed Follow: its key
# fetched, the Accept delivered, so libcurl and TLS loaded), once idle again; target 12 MB.
# Then that instance restarted and sent one signed Like whose key it kept (nothing fetched,
# libcurl not loaded): RSS before and after, and libcrypto's share, which is OpenSSL's part.
# Then WebFinger with metrics on (server.metrics local, /metrics scraped every second as
# Prometheus would) against metrics off: two instances alike but for that setting, runs
# interleaved; target: on >= 0.95x off's requests/s.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
BIN=${1:?usage: bench_serve.sh path/to/instctl}
RUNS=${RUNS:-3}
DURATION=${DURATION:-8s}
CONNS=${CONNS:-50}
require_tools wrk nginx curl jq python3 sqlite3 openssl
bench_tmp

PORT=$(free_port)
NGINX_PORT=$(free_port)
export INSTCTL_DB=$TMP/instance.db INSTCTL_ACTOR=cli:bench
"$BIN" -q init --domain "localhost:$PORT" --public-url "http://localhost:$PORT" >/dev/null
"$BIN" -q users create alice --email alice@bench.example --display-name "Alice" >/dev/null
"$BIN" serve --listen "127.0.0.1:$PORT" 2>"$TMP/serve.log" &
SERVE=$!
pids+=("$SERVE")
wait_serving "$TMP/serve.log"
rss() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }  # KB to MB, one decimal
sleep 1
idle_rss=$(rss "$SERVE" VmRSS)  # started, no request yet

WF="/.well-known/webfinger?resource=acct:alice@localhost:$PORT"
ACTOR=/users/alice
mkdir -p "$TMP/www"
chmod 755 "$TMP" "$TMP/www"  # nginx workers run as another user when started by root
curl -sf "http://127.0.0.1:$PORT$WF" >"$TMP/www/webfinger.json"
curl -sf -H 'Accept: application/activity+json' "http://127.0.0.1:$PORT$ACTOR" >"$TMP/www/actor.json"
chmod 644 "$TMP/www/"*
# After the first actor fetch, which made alice's keys and so brought in OpenSSL.
first_rss=$(rss "$SERVE" VmRSS)

start_nginx static 2 "  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $TMP/www;
    location = /webfinger.json { default_type application/jrd+json; }
    location = /actor.json { default_type application/activity+json; }
  }"
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$NGINX_PORT/actor.json" >/dev/null && break; sleep 0.05; done
cmp -s <(curl -s "http://127.0.0.1:$NGINX_PORT/actor.json") "$TMP/www/actor.json" ||
  { echo "bench_serve: nginx does not serve the same bytes" >&2; exit 1; }

for name in instctl_wf instctl_actor nginx_wf nginx_actor; do : >"$TMP/$name"; done
for _ in $(seq 1 "$RUNS"); do
  wrk_run "http://127.0.0.1:$PORT$WF" >>"$TMP/instctl_wf"
  wrk_run "http://127.0.0.1:$NGINX_PORT/webfinger.json" >>"$TMP/nginx_wf"
  wrk_run "http://127.0.0.1:$PORT$ACTOR" >>"$TMP/instctl_actor"
  wrk_run "http://127.0.0.1:$NGINX_PORT/actor.json" >>"$TMP/nginx_actor"
done
peak_rss=$(rss "$SERVE" VmHWM)

printf '%-26s %12s %9s %9s\n' "median of $RUNS x $DURATION" "requests/s" "p50 ms" "p99 ms"
for name in instctl_wf nginx_wf instctl_actor nginx_actor; do
  print_row "$name" "$TMP/$name"
done
wf_ratio=$(ratio "$TMP/instctl_wf" "$TMP/nginx_wf")
actor_ratio=$(ratio "$TMP/instctl_actor" "$TMP/nginx_actor")
printf '%-26s %12s  %s\n' "ratio webfinger" "${wf_ratio}x" "$(verdict "$wf_ratio" '>=' 0.8)"
printf '%-26s %12s  %s\n' "ratio actor" "${actor_ratio}x" "$(verdict "$actor_ratio" '>=' 0.4)"
printf '%-26s %12s  %s\n' "p99 webfinger" "$(median "$TMP/instctl_wf" 3) ms" "$(verdict "$(median "$TMP/instctl_wf" 3)" '<' 10)"
printf '%-26s %12s  %s\n' "p99 actor" "$(median "$TMP/instctl_actor" 3) ms" "$(verdict "$(median "$TMP/instctl_actor" 3)" '<' 10)"
# Metrics on vs off: two more instances, alike but for server.metrics.
for mode in off local; do
  mport=$(free_port)
  INSTCTL_DB=$TMP/metrics-$mode.db "$BIN" -q init --domain "localhost:$mport" \
    --public-url "http://localhost:$mport" >/dev/null
  INSTCTL_DB=$TMP/metrics-$mode.db "$BIN" -q users create alice --email alice@bench.example >/dev/null
  INSTCTL_DB=$TMP/metrics-$mode.db "$BIN" -q config set server.metrics "$mode" >/dev/null
  INSTCTL_DB=$TMP/metrics-$mode.db "$BIN" serve --listen "127.0.0.1:$mport" 2>"$TMP/serve-$mode.log" &
  pids+=("$!")
  wait_serving "$TMP/serve-$mode.log"
  declare "port_$mode=$mport"
done
# shellcheck disable=SC2154  # set by declare above
wf_of() { echo "http://127.0.0.1:$1/.well-known/webfinger?resource=acct:alice@localhost:$1"; }
curl -sf "http://127.0.0.1:$port_local/metrics" >/dev/null ||
  { echo "bench_serve: /metrics does not answer with metrics on" >&2; exit 1; }
( while sleep 1; do curl -s "http://127.0.0.1:$port_local/metrics" >/dev/null; done ) &
pids+=("$!")
: >"$TMP/metrics_off"
: >"$TMP/metrics_on"
for _ in $(seq 1 "$RUNS"); do
  wrk_run "$(wf_of "$port_off")" >>"$TMP/metrics_off"
  wrk_run "$(wf_of "$port_local")" >>"$TMP/metrics_on"
done
print_row "webfinger metrics off" "$TMP/metrics_off"
print_row "webfinger metrics on" "$TMP/metrics_on"
metrics_ratio=$(ratio "$TMP/metrics_on" "$TMP/metrics_off")
printf '%-26s %12s  %s\n' "ratio metrics on/off" "${metrics_ratio}x" "$(verdict "$metrics_ratio" '>=' 0.95)"
result_row "serve: WebFinger GETs with metrics on (scraped every second) vs off" \
  "$(printf '%.0f/s' "$(median "$TMP/metrics_on" 1)")" "$(printf '%.0f/s' "$(median "$TMP/metrics_off" 1)")" \
  "$metrics_ratio" '>=' 0.95

# After a delivery: a third instance, a fake peer's actor following alice.
dport=$(free_port)
export INSTCTL_DB=$TMP/delivery.db
"$BIN" -q init --domain "localhost:$dport" --public-url "http://localhost:$dport" >/dev/null
"$BIN" -q config set federation.allow_http true >/dev/null
"$BIN" -q config set federation.allow_private_addresses true >/dev/null
"$BIN" -q users create alice --email alice@bench.example >/dev/null
wait_for() { for _ in $(seq 1 400); do eval "$1" && return 0; sleep 0.05; done; echo "bench_serve: $2" >&2; exit 1; }
start_fake_peer "$(dirname "$0")/.." "$TMP/peer" 1
"$BIN" serve --listen "127.0.0.1:$dport" 2>"$TMP/serve-delivery.log" &
DSERVE=$!
pids+=("$DSERVE")
wait_serving "$TMP/serve-delivery.log"
jq -nc --arg a "$PEER/users/a1" --arg o "http://localhost:$dport/users/alice" \
  '{"@context":"https://www.w3.org/ns/activitystreams",id:($a+"/follows/1"),type:"Follow",actor:$a,object:$o}' |
  python3 "$(dirname "$0")/../tests/servers/sign_post.py" --key "$TMP/peer/keys/a1.pem" \
    --key-id "$PEER/users/a1#main-key" --url "http://localhost:$dport/inbox" >/dev/null
wait_for '[ "$(sqlite3 "$INSTCTL_DB" "SELECT count(*) FROM deliveries WHERE state = '"'delivered'"'")" -ge 1 ]' \
  "the Accept was not delivered"
sleep 2  # idle again: the delivery worker's next round found nothing
delivered_rss=$(rss "$DSERVE" VmRSS)

# What OpenSSL alone costs: the same instance restarted, then one signed Like from the same
# peer, whose key the instance kept, so nothing is fetched and libcurl never loads. The
# difference is the signature check: OpenSSL 3's first use maps much of libcrypto.
lib_kb() { awk -v lib="$2" '/^[0-9a-f]+-/ {name = $6} /^Rss:/ && index(name, lib) {kb += $2}
  END {print kb + 0}' "/proc/$1/smaps"; }
kill "$DSERVE"
wait "$DSERVE" 2>/dev/null || true
"$BIN" serve --listen "127.0.0.1:$dport" 2>"$TMP/serve-verified.log" &
VSERVE=$!
pids+=("$VSERVE")
wait_serving "$TMP/serve-verified.log"
sleep 1
unsigned_rss=$(rss "$VSERVE" VmRSS)
unsigned_crypto=$(lib_kb "$VSERVE" libcrypto)
jq -nc --arg a "$PEER/users/a1" --arg o "http://localhost:$dport/users/alice" \
  '{"@context":"https://www.w3.org/ns/activitystreams",id:($a+"/likes/1"),type:"Like",actor:$a,object:$o}' |
  python3 "$(dirname "$0")/../tests/servers/sign_post.py" --key "$TMP/peer/keys/a1.pem" \
    --key-id "$PEER/users/a1#main-key" --url "http://localhost:$dport/inbox" |
  jq -e '.status == 202' >/dev/null || { echo "bench_serve: the signed Like was not accepted" >&2; exit 1; }
sleep 2
if grep -q libcurl "/proc/$VSERVE/maps"; then
  echo "bench_serve: the signed Like loaded libcurl: its key was fetched, not kept" >&2
  exit 1
fi
verified_rss=$(rss "$VSERVE" VmRSS)
verified_crypto=$(lib_kb "$VSERVE" libcrypto)

printf '%-26s %9.1f MB  (snac2: about 10 MB)\n' "instctl RSS idle" "$(mb "$idle_rss")"
printf '%-26s %9.1f MB\n' "instctl RSS, first requests" "$(mb "$first_rss")"
printf '%-26s %9.1f MB  (snac2: about 17 MB)\n' "instctl RSS peak, loaded" "$(mb "$peak_rss")"
delivered_mb=$(mb "$delivered_rss")
printf '%-26s %9.1f MB  %s\n' "instctl RSS, delivered" "$delivered_mb" "$(verdict "$delivered_mb" '<=' 12)"
printf '%-26s %9.1f MB  (restarted; libcrypto %.1f MB)\n' "instctl RSS, no signature" \
  "$(mb "$unsigned_rss")" "$(mb "$unsigned_crypto")"
printf '%-26s %9.1f MB  (one signature checked, nothing fetched; libcrypto %.1f MB)\n' \
  "instctl RSS, one signature" "$(mb "$verified_rss")" "$(mb "$verified_crypto")"
result_row "serve: WebFinger GETs vs nginx serving the same document" "$(printf '%.0f/s' "$(median "$TMP/instctl_wf" 1)")" \
  "$(printf '%.0f/s' "$(median "$TMP/nginx_wf" 1)")" "$wf_ratio" '>=' 0.8
result_row "serve: actor GETs vs nginx serving the same document" "$(printf '%.0f/s' "$(median "$TMP/instctl_actor" 1)")" \
  "$(printf '%.0f/s' "$(median "$TMP/nginx_actor" 1)")" "$actor_ratio" '>=' 0.4
result_row "serve: RSS when idle" "$(mb "$idle_rss") MB" "-" "$(mb "$idle_rss")" '<=' 12
result_row "serve: RSS after delivering" "$delivered_mb MB" "-" "$delivered_mb" '<=' 12
result_row "serve: RSS after one signature check, nothing fetched (OpenSSL's share)" \
  "$(mb "$verified_rss") MB ($(mb "$unsigned_rss") MB before it)" "-" "$(mb "$verified_rss")" '<=' 12
