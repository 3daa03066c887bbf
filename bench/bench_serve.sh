#!/usr/bin/env bash
# instctl serve against nginx (Debian's, 2 workers, access log off) serving static files with
# the same bytes as instctl's WebFinger and actor answers: requests/s with 50 keep-alive
# connections (wrk), p50 and p99 latency, medians of RUNS runs, interleaved so drift on a
# shared machine hits both alike. Targets: instctl >= 0.4x nginx's requests/s, p99 < 10 ms.
# Then the memory of instctl serve: RSS idle (started, no request yet), after the first
# requests (alice's keys made, so OpenSSL loaded), and its peak under that load.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
BIN=${1:?usage: bench_serve.sh path/to/instctl}
RUNS=${RUNS:-3}
DURATION=${DURATION:-8s}
CONNS=${CONNS:-50}
for tool in wrk nginx curl jq python3; do
  command -v "$tool" >/dev/null || { echo "bench_serve: $tool is missing (scripts/install-deps.sh test)" >&2; exit 1; }
done
TMP=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

PORT=$(free_port)
NGINX_PORT=$(free_port)
export INSTCTL_DB=$TMP/instance.db INSTCTL_ACTOR=cli:bench
"$BIN" -q init --domain "localhost:$PORT" --public-url "http://localhost:$PORT" >/dev/null
"$BIN" -q users create alice --email alice@bench.example --display-name "Alice" >/dev/null
"$BIN" serve --listen "127.0.0.1:$PORT" 2>"$TMP/serve.log" &
SERVE=$!
pids+=("$SERVE")
for _ in $(seq 1 100); do grep -q serving "$TMP/serve.log" && break; sleep 0.05; done
rss() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
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

cat >"$TMP/nginx.conf" <<CONF
worker_processes 2;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $TMP/body; proxy_temp_path $TMP/proxy; fastcgi_temp_path $TMP/fcgi;
  uwsgi_temp_path $TMP/uwsgi; scgi_temp_path $TMP/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $TMP/www;
    location = /webfinger.json { default_type application/jrd+json; }
    location = /actor.json { default_type application/activity+json; }
  }
}
CONF
nginx -e "$TMP/nginx-error.log" -c "$TMP/nginx.conf" -g "daemon off;" &
pids+=("$!")
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$NGINX_PORT/actor.json" >/dev/null && break; sleep 0.05; done
cmp -s <(curl -s "http://127.0.0.1:$NGINX_PORT/actor.json") "$TMP/www/actor.json" ||
  { echo "bench_serve: nginx does not serve the same bytes" >&2; exit 1; }

# wrk_run URL -> "requests/s p50_ms p99_ms"
to_ms() { awk '{v = $1; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}; printf "%.3f", v}'; }
wrk_run() {
  local out
  out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency -H 'Accept: application/activity+json' "$1")
  local rps p50 p99
  rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ {print $2}')
  p50=$(printf '%s\n' "$out" | awk '$1 == "50%" {print $2}' | to_ms)
  p99=$(printf '%s\n' "$out" | awk '$1 == "99%" {print $2}' | to_ms)
  echo "$rps $p50 $p99"
}
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
  printf '%-26s %12.0f %9.3f %9.3f\n' "$name" "$(median "$TMP/$name" 1)" "$(median "$TMP/$name" 2)" "$(median "$TMP/$name" 3)"
done
ratio() { awk -v a="$(median "$TMP/$1" 1)" -v b="$(median "$TMP/$2" 1)" 'BEGIN {printf "%.2f", a / b}'; }
printf '%-26s %12s  (target >= 0.4; p99 < 10 ms)\n' "ratio webfinger" "$(ratio instctl_wf nginx_wf)x"
printf '%-26s %12s  (target >= 0.4; p99 < 10 ms)\n' "ratio actor" "$(ratio instctl_actor nginx_actor)x"
printf '%-26s %9.1f MB  (snac2: about 10 MB)\n' "instctl RSS idle" "$(awk -v k="$idle_rss" 'BEGIN {print k / 1024}')"
printf '%-26s %9.1f MB\n' "instctl RSS, first requests" "$(awk -v k="$first_rss" 'BEGIN {print k / 1024}')"
printf '%-26s %9.1f MB  (snac2: about 17 MB)\n' "instctl RSS peak, loaded" "$(awk -v k="$peak_rss" 'BEGIN {print k / 1024}')"
