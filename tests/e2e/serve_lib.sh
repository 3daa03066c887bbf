# Helpers for suites that run `instctl serve` (source after lib.sh): a server started and
# stopped by the suite, its access log, and HTTP requests with curl.

SERVE_PID="" SERVE_LOG="" SERVE_PORT=""

# A failed check shows the lines each server's log gained since the last failure (at most ten
# per server): a failure met only in CI's output comes with the servers' account of it.
declare -A SERVE_LOG_SHOWN=()
serve_log_since_shown() {
  local log total
  for log in "$TMP"/serve.*.log; do
    [ -s "$log" ] || continue
    total=$(wc -l <"$log")
    [ "$total" -gt "${SERVE_LOG_SHOWN[$log]:-0}" ] || continue
    echo "  $(basename "$log") meanwhile:"
    tail -n +"$((${SERVE_LOG_SHOWN[$log]:-0} + 1))" "$log" | tail -n 10 | cut -c1-300 | sed 's/^/  | /'
    SERVE_LOG_SHOWN[$log]=$total
  done
}
on_failure serve_log_since_shown
# start_serve PORT [SERVE OPTIONS]: starts the server and waits until it listens (its log
# says so); fails the suite if it does not within 10 s.
start_serve() {
  SERVE_PORT=$1
  shift
  SERVE_LOG=$TMP/serve.$SERVE_PORT.log
  SERVE_LOG_SHOWN[$SERVE_LOG]=0
  : >"$SERVE_LOG"  # a restart must not see the last run's "serving"
  "$BIN" serve --listen "127.0.0.1:$SERVE_PORT" "$@" >"$TMP/serve.$SERVE_PORT.out" 2>"$SERVE_LOG" &
  SERVE_PID=$!
  on_exit "kill $SERVE_PID 2>/dev/null"
  local i
  for i in $(seq 1 200); do
    grep -q "serving" "$SERVE_LOG" 2>/dev/null && return 0
    kill -0 "$SERVE_PID" 2>/dev/null || break
    sleep 0.05
  done
  echo "instctl serve did not start: $(cat "$SERVE_LOG")" >&2
  exit 1
}

# stop_serve [SIGNAL]: signals the server and waits for it; sets $serve_rc.
stop_serve() {
  kill -"${1:-TERM}" "$SERVE_PID" 2>/dev/null
  wait "$SERVE_PID"
  serve_rc=$?
}

# wait_for_log FILE COUNT GREP-ARGS...: waits up to 10 s until FILE holds COUNT lines that grep
# with GREP-ARGS matches. The server writes a request's access log line once the answer has
# gone out, so a client can read the answer a moment before its line is there.
wait_for_log() { wait_until 10 log_holds "$@"; }
log_holds() {  # FILE COUNT GREP-ARGS...
  local file=$1 count=$2 n
  shift 2
  n=$(grep -c "$@" "$file" 2>/dev/null)
  [ "${n:-0}" -ge "$count" ]
}

# req [CURL OPTIONS] PATH: sets $status, $body and $headers (lower-case names).
status="" body="" headers=""
req() {
  local path=${*: -1}
  local opts=("${@:1:$#-1}")
  status=$(curl -s -o "$TMP/.body" -D "$TMP/.headers" -w '%{http_code}' --max-time 10 \
    "${opts[@]+"${opts[@]}"}" "http://127.0.0.1:$SERVE_PORT$path")
  body=$(cat "$TMP/.body")
  headers=$(tr 'A-Z' 'a-z' <"$TMP/.headers" | tr -d '\r')
}
# jqb FILTER: jq on the last response body.
jqb() {
  if ! printf '%s' "$body" | jq -e . >/dev/null 2>&1; then
    fail "response body is not JSON: $body"
    return 1
  fi
  printf '%s' "$body" | jq -r "$@"
}
expect_status() {  # WANT WHAT
  if [ "$status" != "$1" ]; then fail "$2: HTTP $status, expected $1; body: ${body:0:300}"; else pass; fi
}

# sign_up CODE USERNAME: signs up on the served pages like a browser (the invite page for its
# CSRF token and cookie, then the form); sets $status, $body and $headers.
sign_up() {
  local jar=$TMP/.signup-cookies token
  rm -f "$jar"
  token=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$SERVE_PORT/invite/$1" |
    sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
  req -b "$jar" --data-urlencode "csrf_token=$token" --data-urlencode "invite=$1" \
    --data-urlencode "username=$2" --data-urlencode "email=$2@example.com" \
    --data-urlencode password=correct-horse --data-urlencode agree=yes /auth/sign_up
}

# run_nginx SITE_CONF: Debian's nginx, unprivileged on the ports SITE_CONF (an http-level file
# of server and upstream blocks) listens on, with its pid, logs and temporary files in $TMP;
# sets NGINX_PID (stopped at exit).
NGINX_PID=""
run_nginx() {
  # Started by root, nginx's workers run as another user: they need their own temporary directory.
  chmod 755 "$TMP"
  mkdir -p -m 1777 "$TMP/nginx"
  cat >"$TMP/nginx.conf" <<CONF
worker_processes 1;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $TMP/nginx/body; proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fcgi; uwsgi_temp_path $TMP/nginx/uwsgi; scgi_temp_path $TMP/nginx/scgi;
  include $1;
}
CONF
  nginx -e "$TMP/nginx-error.log" -c "$TMP/nginx.conf" -g "daemon off;" &
  NGINX_PID=$!
  on_exit "kill $NGINX_PID 2>/dev/null"
}
