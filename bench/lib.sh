# Shared by the bench/bench_*.sh scripts (sourced).

# median FILE [COLUMN]: the median of the numbers in COLUMN (default 1, whitespace-separated)
# of FILE's lines; the mean of the two middle ones for an even count. Never in exponent form
# (awk's default for a fraction), so bc can read it.
median() {
  awk -v c="${2:-1}" '{ print $c }' "$1" | sort -g |
    awk '{ v[NR] = $1 } END { printf "%.15g\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# authors_csv ROWS FILE: a users import file of ROWS generated authors
# (username,email,display_name,role,note), the same in every import benchmark.
authors_csv() {
  awk -v n="$1" 'BEGIN {
    print "username,email,display_name,role,note"
    for (i = 1; i <= n; i++) printf "author%d,author%d@example.com,Author Number %d,user,Writes books and essays\n", i, i, i
  }' >"$2"
}

# timed FILE COMMAND...: runs COMMAND with its output dropped and appends "seconds
# max_rss_kib" to FILE; on failure shows its errors and exits.
timed() {
  local file=$1 err
  shift
  err=$(mktemp)
  /usr/bin/time -f '%e %M' -a -o "$file" "$@" >/dev/null 2>"$err" || { cat "$err" >&2; rm -f "$err"; exit 1; }
  rm -f "$err"
}

# start_fake_peer SRC DIR COUNT: writes COUNT Mastodon-shaped actors a1..aCOUNT, their keys in
# DIR/keys/aN.pem, and serves them with tests/servers/fake_peer.py. Needs the caller's pids
# array and wait_for; sets PEER to the peer's base URL.
start_fake_peer() {
  local src=$1 dir=$2 count=$3 i
  mkdir -p "$dir/actors" "$dir/keys"
  /usr/bin/python3 "$src/tests/servers/fake_peer.py" --root "$dir" --port-file "$dir/port" --log /dev/null &
  pids+=("$!")
  wait_for '[ -s "$dir/port" ]' "the fake peer did not start"
  PEER=http://127.0.0.1:$(cat "$dir/port")
  for i in $(seq 1 "$count"); do
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/keys/a$i.pem" 2>/dev/null
    jq -n --arg id "{base}/users/a$i" --arg u "a$i" --arg pem "$(openssl pkey -in "$dir/keys/a$i.pem" -pubout)" \
      '{"@context":["https://www.w3.org/ns/activitystreams","https://w3id.org/security/v1"],id:$id,
        type:"Person",preferredUsername:$u,inbox:($id+"/inbox"),endpoints:{sharedInbox:"{base}/inbox"},
        publicKey:{id:($id+"#main-key"),owner:$id,publicKeyPem:$pem}}' >"$dir/actors/a$i.json"
  done
}

# import_args [INSTCTL_BIN] [ROWS] [RUNS]: the import benchmarks' arguments; sets src (the
# source tree), bin, rows (default 100,000) and runs (default 5).
import_args() {
  src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  bin=$(realpath "${1:-$src/build/instctl}")
  rows=${2:-100000}
  runs=${3:-5}
}

# bench_tmp: a temporary directory TMP, removed at exit after killing the processes in the
# pids array and running the commands in at_exit (a server to stop).
bench_tmp() {
  TMP=$(mktemp -d)
  pids=()
  at_exit=()
  trap bench_cleanup EXIT
}
bench_cleanup() {
  local c p
  for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
  for c in "${at_exit[@]+"${at_exit[@]}"}"; do eval "$c" || true; done
  rm -rf "$TMP"
}

# require_tools TOOL...: exits saying which is missing.
require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$(basename "$0"): $tool is missing (scripts/install-deps.sh bench)" >&2; exit 1; }
  done
}

now_ns() { date +%s%N; }

# verdict VALUE OP TARGET: "PASS" or "MISS" with the target (OP: >=, >, <= or <), so that every
# benchmark says in its own output when it misses a target (benchmarks never fail the build).
verdict() {
  awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
    v += 0; t += 0
    ok = op == ">=" ? v >= t : op == ">" ? v > t : op == "<=" ? v <= t : v < t
    printf "%s (target %s %s)", ok ? "PASS" : "MISS", op, t
  }'
}

# result_row BENCHMARK FIGURE BASELINE RATIO OP TARGET: one row of the Markdown table that
# `make bench` writes (bench/run.sh sets BENCH_RESULTS to its file): what was measured, the
# baseline of the same run, their ratio (or the figure itself when there is no baseline: "-")
# against its target, and "met" or "MISS". Without BENCH_RESULTS it does nothing.
result_row() {
  [ -n "${BENCH_RESULTS:-}" ] || return 0
  local met
  met=$(verdict "$4" "$5" "$6" | cut -d' ' -f1)
  [ "$met" = PASS ] && met=met
  printf '| %s | %s | %s | %s | %s %s | %s |\n' "$1" "$2" "$3" "$4" "$5" "$6" "$met" >>"$BENCH_RESULTS"
}

free_port() { python3 "$(dirname "${BASH_SOURCE[0]}")/../scripts/free_port.py"; }

# wait_serving LOG: waits until the instctl serve writing its log to LOG listens.
wait_serving() { for _ in $(seq 1 100); do grep -q serving "$1" && return 0; sleep 0.05; done; return 1; }

# start_nginx NAME WORKERS HTTP_BLOCK: Debian's nginx, unprivileged, its files under
# $TMP/NAME, with HTTP_BLOCK (server and upstream blocks) inside its http block.
start_nginx() {
  local dir=$TMP/$1
  mkdir -p -m 1777 "$dir"
  chmod 755 "$TMP"  # nginx workers run as another user when started by root
  cat >"$dir/nginx.conf" <<CONF
worker_processes $2;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/body; proxy_temp_path $dir/proxy; fastcgi_temp_path $dir/fcgi;
  uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
  keepalive_requests 1000000;
$3
}
CONF
  nginx -e "$dir/error.log" -c "$dir/nginx.conf" -g "daemon off;" &
  pids+=("$!")
}

# wrk_run URL -> "requests/s p50_ms p99_ms": wrk for DURATION with CONNS connections.
to_ms() { awk '{v = $1; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}; printf "%.3f", v}'; }
wrk_run() {
  local out rps p50 p99
  out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency -H 'Accept: application/activity+json' "$1")
  rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ {print $2}')
  p50=$(printf '%s\n' "$out" | awk '$1 == "50%" {print $2}' | to_ms)
  p99=$(printf '%s\n' "$out" | awk '$1 == "99%" {print $2}' | to_ms)
  echo "$rps $p50 $p99"
}

# ratio FILE_A FILE_B: the median requests/s of A over B's; print_row NAME FILE: the medians
# of a wrk_run file as a table row.
ratio() { awk -v a="$(median "$1" 1)" -v b="$(median "$2" 1)" 'BEGIN {printf "%.2f", a / b}'; }
print_row() { printf '%-26s %12.0f %9.3f %9.3f\n' "$1" "$(median "$2" 1)" "$(median "$2" 2)" "$(median "$2" 3)"; }
