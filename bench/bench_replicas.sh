#!/usr/bin/env bash
# WebFinger requests/s through nginx (Debian's, round robin, keep-alive to the upstreams) to
# one instctl serve replica and to two, both on one PostgreSQL 15 database (a throw-away server,
# tests/servers/postgres.sh): wrk with CONNS keep-alive connections, p50 and p99 latency,
# medians of RUNS runs, the two set-ups interleaved so drift on a shared machine hits both
# alike. Answers come from each thread's response cache while PostgreSQL's snapshot stays the
# same (one short query per request); nothing writes during the runs. The ratio
# says what a second replica buys on this machine: with nginx, wrk, PostgreSQL and the
# replicas sharing the same few cores it measures contention as much as scaling; replicas on
# machines of their own are what it is for.
set -euo pipefail
BIN=${1:?usage: bench_replicas.sh path/to/instctl}
RUNS=${RUNS:-5}
DURATION=${DURATION:-8s}
CONNS=${CONNS:-50}
THREADS=${THREADS:-2}  # serve --threads of each replica
source "$(dirname "$0")/lib.sh"
require_tools wrk nginx curl python3 psql
bench_tmp
PG_SH=$(cd "$(dirname "$0")/.." && pwd)/tests/servers/postgres.sh

bash "$PG_SH" start "$TMP/pg" >/dev/null
at_exit+=("bash '$PG_SH' stop '$TMP/pg'")
export INSTCTL_DB INSTCTL_ACTOR=cli:bench
INSTCTL_DB=$(bash "$PG_SH" createdb "$TMP/pg" bench)
NGINX_ONE=$(free_port)
NGINX_TWO=$(free_port)
HOST=localhost:$NGINX_ONE  # the instance's name; the second proxy passes the same Host
"$BIN" -q init --domain "$HOST" --public-url "http://$HOST" >/dev/null
"$BIN" -q users create alice --email alice@bench.example --display-name "Alice" >/dev/null

replicas=()
for r in 1 2; do
  port=$(free_port)
  "$BIN" serve --listen "127.0.0.1:$port" --threads "$THREADS" --no-deliver 2>"$TMP/serve.$r.log" &
  pids+=("$!")
  wait_serving "$TMP/serve.$r.log" || { echo "bench_replicas: replica $r did not start: $(cat "$TMP/serve.$r.log")" >&2; exit 1; }
  replicas+=("127.0.0.1:$port")
done

# One nginx, two servers: one proxies to replica 1 alone, the other to both (round robin).
upstream() { printf '  upstream %s {\n' "$1"; shift; printf '    server %s;\n' "$@"; printf '    keepalive 64;\n  }\n'; }
proxy() {
  printf '  server {\n    listen 127.0.0.1:%s;\n    location / {\n      proxy_pass http://%s;\n' "$1" "$2"
  printf '      proxy_set_header Host %s;\n      proxy_http_version 1.1;\n      proxy_set_header Connection "";\n    }\n  }\n' "$HOST"
}
start_nginx proxy 2 "$(upstream one "${replicas[0]}"; upstream two "${replicas[@]}"; proxy "$NGINX_ONE" one; proxy "$NGINX_TWO" two)"
WF="/.well-known/webfinger?resource=acct:alice@$HOST"
for port in "$NGINX_ONE" "$NGINX_TWO"; do
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port$WF" >/dev/null && break; sleep 0.05; done
  curl -sf "http://127.0.0.1:$port$WF" >/dev/null || { echo "bench_replicas: no WebFinger answer through port $port" >&2; exit 1; }
done

: >"$TMP/one"
: >"$TMP/two"
for _ in $(seq 1 "$RUNS"); do
  wrk_run "http://127.0.0.1:$NGINX_ONE$WF" >>"$TMP/one"
  wrk_run "http://127.0.0.1:$NGINX_TWO$WF" >>"$TMP/two"
done

printf '%-26s %12s %9s %9s   (%s cores, shared with nginx, wrk and PostgreSQL)\n' \
  "median of $RUNS x $DURATION" "requests/s" "p50 ms" "p99 ms" "$(nproc)"
print_row "webfinger, 1 replica" "$TMP/one"
print_row "webfinger, 2 replicas" "$TMP/two"
printf '%-26s %12s\n' "ratio 2 / 1 replicas" "$(ratio "$TMP/two" "$TMP/one")x"
