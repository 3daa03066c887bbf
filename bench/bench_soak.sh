#!/usr/bin/env bash
# Soak: SOAK seconds (default 600) of mixed traffic against instctl serve (WebFinger, actor
# GETs, signed inbox POSTs from a pool of known actors, and waitlist sign-ups through the JSON
# API), with wrk and 20 keep-alive connections, while CLI commands write to the same database
# in a loop (bulk imports, invites, reports). Reports requests/s and p50/p99 latency, and checks
# what must hold: zero 5xx, zero "database is locked" (from serve or the CLI), every CLI command
# succeeded, and flat memory (RSS at the end within 10% of RSS after the warm-up, a tenth of
# the run). Exit 1 when one of those fails.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
BIN=${1:?usage: bench_soak.sh path/to/instctl}
SOAK=${SOAK:-600}
CONNS=${CONNS:-20}
ACTORS=${ACTORS:-20}
SRC=$(cd "$(dirname "$0")/.." && pwd)
PY=/usr/bin/python3
for tool in wrk openssl curl jq sqlite3; do
  command -v "$tool" >/dev/null || { echo "bench_soak: $tool is missing (scripts/install-deps.sh bench)" >&2; exit 1; }
done
TMP=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT
free_port() { $PY "$SRC/scripts/free_port.py"; }
wait_for() { for _ in $(seq 1 200); do eval "$1" && return 0; sleep 0.05; done; echo "bench_soak: $2" >&2; exit 1; }

PORT=$(free_port)
URL=http://localhost:$PORT
export INSTCTL_DB=$TMP/instance.db INSTCTL_ACTOR=cli:bench
"$BIN" -q init --domain "localhost:$PORT" --public-url "$URL" --title "Soak" >/dev/null
for kv in federation.allow_http=true federation.allow_private_addresses=true waitlist.enabled=true \
  onboarding.rate_limit=1000000/1s; do
  "$BIN" -q config set "${kv%%=*}" "${kv#*=}" >/dev/null
done
"$BIN" -q users create alice --email alice@soak.example >/dev/null
"$BIN" -q users create moira --email moira@soak.example --role moderator >/dev/null

# The peer and the pool of signed Follows of alice, one per actor.
ROOT=$TMP/peer
start_fake_peer "$SRC" "$ROOT" "$ACTORS"
for i in $(seq 1 "$ACTORS"); do
  jq -nc --arg a "$PEER/users/a$i" --arg o "$URL/users/alice" --arg key "$ROOT/keys/a$i.pem" \
    --arg url "$URL/inbox" '{key: $key, key_id: ($a + "#main-key"), url: $url, body:
      ({"@context":"https://www.w3.org/ns/activitystreams",id:($a+"/follows/1"),type:"Follow",actor:$a,object:$o} | tojson)}'
done | $PY "$SRC/tests/servers/sign_post.py" --batch >"$TMP/pool.ndjson"

# One wrk script: each request is, in turn, a WebFinger GET, an actor GET, a signed inbox POST
# and a sign-up (a new address each time); 5xx answers are counted apart.
$PY - "$TMP/pool.ndjson" "$PORT" >"$TMP/mix.lua" <<'PY'
import json, sys
port = sys.argv[2]
print("local raw = {")
for line in open(sys.argv[1]):
    r = json.loads(line)
    hs = ", ".join(f"[ [==[{k}]==] ] = [==[{v}]==]" for k, v in r["headers"].items())
    print(f"  {{ path = [==[{r['path']}]==], headers = {{ {hs} }}, body = [==[{r['body']}]==] }},")
print("}")
print(f"""local port = "{port}"
""" + """local threads = {}
local id = 0
setup = function(thread)
  id = id + 1
  thread:set("tid", id)
  table.insert(threads, thread)
end
n, inbox, signups, errors4xx, errors5xx = 0, 0, 0, 0, 0  -- globals: done() reads them from each thread
local posts, wf, actor
init = function(args)
  posts = {}
  for i, r in ipairs(raw) do posts[i] = wrk.format("POST", r.path, r.headers, r.body) end
  wf = wrk.format("GET", "/.well-known/webfinger?resource=acct:alice@localhost:" .. port,
                  { ["Host"] = "localhost:" .. port })
  actor = wrk.format("GET", "/users/alice",
                     { ["Host"] = "localhost:" .. port, ["Accept"] = "application/activity+json" })
end
request = function()
  n = n + 1
  local k = n % 4
  if k == 0 then return wf end
  if k == 1 then return actor end
  if k == 2 then
    inbox = inbox + 1
    return posts[(inbox % #posts) + 1]
  end
  signups = signups + 1
  local body = string.format('{"email":"s%d-%d@soak.example"}', tid, signups)
  return wrk.format("POST", "/api/v1/waitlist",
                    { ["Host"] = "localhost:" .. port, ["Content-Type"] = "application/json" }, body)
end
response = function(status, headers, body)
  if status >= 500 then errors5xx = errors5xx + 1 elseif status >= 400 then errors4xx = errors4xx + 1 end
end
done = function(summary, latency, requests)
  local e4, e5 = 0, 0
  for _, t in ipairs(threads) do e4 = e4 + t:get("errors4xx"); e5 = e5 + t:get("errors5xx") end
  io.write(string.format("4xx %d\\n5xx %d\\n", e4, e5))
end""")
PY

"$BIN" serve --listen "127.0.0.1:$PORT" --access-log "$TMP/access.log" 2>"$TMP/serve.log" &
SERVE=$!
pids+=("$SERVE")
wait_for 'grep -q serving "$TMP/serve.log"' "instctl serve did not start"
rss() { awk '$1 == "VmRSS:" {print $2}' "/proc/$SERVE/status"; }

# CLI writers beside the traffic, until the soak ends.
cli_writers() {
  local i=0 rc
  : >"$TMP/cli.err"
  while [ ! -e "$TMP/stop" ]; do
    i=$((i + 1))
    { echo "username,email"; seq 1 200 | sed "s/.*/bulk${i}x&,bulk${i}x&@soak.example/"; } >"$TMP/bulk.csv"
    for cmd in "users import $TMP/bulk.csv" "invites create --count 5 --max-uses 3" \
      "reports create --target alice --category spam --comment soak-$i"; do
      rc=0
      local t0=$SECONDS
      # shellcheck disable=SC2086
      "$BIN" -q $cmd >/dev/null 2>"$TMP/cli.last" || rc=$?
      echo "$rc" >>"$TMP/cli.rc"
      if [ "$rc" != 0 ]; then
        echo "${cmd%% /*} (exit $rc after $((SECONDS - t0)) s): $(cat "$TMP/cli.last")" >>"$TMP/cli.err"
      fi
    done
  done
}
cli_writers &
pids+=("$!")
WRITERS=$!

warm=$((SOAK / 10))
( sleep "$warm"; rss >"$TMP/rss.warm"; while sleep 5; do rss >>"$TMP/rss.samples"; done ) &
pids+=("$!")
wrk -t2 -c"$CONNS" -d"${SOAK}s" --timeout 10s --latency -s "$TMP/mix.lua" "http://127.0.0.1:$PORT" >"$TMP/wrk.out" 2>&1
end_rss=$(rss)
touch "$TMP/stop"
wait "$WRITERS" || true

to_ms() { awk '{v = $1; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}; printf "%.2f", v}'; }
rps=$(awk '/^Requests\/sec:/ {print $2}' "$TMP/wrk.out")
p50=$(awk '$1 == "50%" {print $2}' "$TMP/wrk.out" | to_ms)
p99=$(awk '$1 == "99%" {print $2}' "$TMP/wrk.out" | to_ms)
total=$(awk '/requests in/ {print $1}' "$TMP/wrk.out")
e5xx=$(awk '$1 == "5xx" {print $2}' "$TMP/wrk.out")
e4xx=$(awk '$1 == "4xx" {print $2}' "$TMP/wrk.out")
socket_errors=$(awk '/Socket errors/ {print}' "$TMP/wrk.out")
locked=$(cat "$TMP/serve.log" "$TMP/cli.err" | grep -ci "database is locked" || true)
cli_runs=$(grep -c . "$TMP/cli.rc")
cli_failed=$(grep -vcx 0 "$TMP/cli.rc" || true)
warm_rss=$(cat "$TMP/rss.warm")
growth=$(awk -v a="$warm_rss" -v b="$end_rss" 'BEGIN {printf "%.1f", (b - a) * 100 / a}')

printf '%-44s %s\n' "soak" "${SOAK} s, $CONNS connections, 1/4 each: WebFinger, actor, signed POST, sign-up"
printf '%-44s %s\n' "requests" "$total (${rps}/s), p50 ${p50} ms, p99 ${p99} ms"
printf '%-44s %s\n' "5xx answers (4xx)" "${e5xx:-?} (${e4xx:-?})"
[ -n "$socket_errors" ] && printf '%-44s %s\n' "wrk" "$socket_errors"
printf '%-44s %s\n' "CLI commands beside it (import, invites, reports)" "$cli_runs run, $cli_failed failed"
printf '%-44s %s\n' "\"database is locked\"" "$locked"
printf '%-44s %s\n' "serve RSS after warm-up -> end" "${warm_rss} KiB -> ${end_rss} KiB (${growth}%)"
printf '%-44s %s\n' "accounts, waitlist, follows, reports" \
  "$(sqlite3 "$INSTCTL_DB" "SELECT (SELECT count(*) FROM accounts) || ', ' || (SELECT count(*) FROM waitlist) || ', ' || (SELECT count(*) FROM follows) || ', ' || (SELECT count(*) FROM reports)")"
ok=1
[ "${e5xx:-1}" = 0 ] || { echo "bench_soak: FAIL: 5xx answers" >&2; ok=0; }
[ "${e4xx:-1}" = 0 ] || { echo "bench_soak: FAIL: 4xx answers: $(grep -v ' 20[0-9] ' "$TMP/access.log" | tail -3)" >&2; ok=0; }
[ "$locked" = 0 ] || { echo "bench_soak: FAIL: database is locked" >&2; ok=0; }
[ "$cli_failed" = 0 ] || { echo "bench_soak: FAIL: CLI commands failed: $(sort -u "$TMP/cli.err" | head -3)" >&2; ok=0; }
awk -v g="$growth" 'BEGIN {exit !(g <= 10)}' || { echo "bench_soak: FAIL: memory grew ${growth}%" >&2; ok=0; }
"$BIN" -q db check >/dev/null || { echo "bench_soak: FAIL: db check" >&2; ok=0; }
[ -n "${SOAK_KEEP:-}" ] && cp -r "$TMP" "$SOAK_KEEP"
[ "$ok" = 1 ]
