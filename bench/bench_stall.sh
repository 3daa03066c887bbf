#!/usr/bin/env bash
# Requests that must not wait for stalled key hosts: while 50 signed inbox POSTs name keys on a
# host that accepts connections and never answers and on one that answers after 9 s, ROUNDS
# rounds of a known actor's signed POST, POST /api/v1/waitlist and GET WebFinger are timed one
# after the other (p50, p99 and worst of each); then the same while 127.0.0.1 holds IDLE idle
# connections and the timed requests come from 127.0.0.2. Target: p99 < 100 ms for each.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
BIN=${1:?usage: bench_stall.sh path/to/instctl}
ROUNDS=${ROUNDS:-250}
IDLE=${IDLE:-10000}
SRC=$(cd "$(dirname "$0")/.." && pwd)
require_tools openssl jq python3
bench_tmp
wait_for() { for _ in $(seq 1 200); do eval "$1" && return 0; sleep 0.05; done; echo "bench_stall: $2" >&2; exit 1; }
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

PORT=$(free_port)
DOMAIN=localhost:$PORT
URL=http://$DOMAIN
export INSTCTL_DB=$TMP/instance.db INSTCTL_ACTOR=cli:bench
"$BIN" -q init --domain "$DOMAIN" --public-url "$URL" >/dev/null
for kv in "federation.allow_http true" "federation.allow_private_addresses true" \
  "waitlist.enabled true" "onboarding.rate_limit 1000000/1h"; do
  # shellcheck disable=SC2086
  "$BIN" -q config set $kv >/dev/null
done
"$BIN" -q users create alice --email alice@bench.example >/dev/null
ROOT=$TMP/peer
start_fake_peer "$SRC" "$ROOT" 1

follow() {  # ID ACTOR
  jq -nc --arg id "$1" --arg a "$2" --arg o "$URL/users/alice" \
    '{"@context":"https://www.w3.org/ns/activitystreams",id:$id,type:"Follow",actor:$a,object:$o}'
}
follow "$PEER/users/a1/follows/1" "$PEER/users/a1" |
  python3 "$SRC/tests/servers/sign_post.py" --emit --key "$ROOT/keys/a1.pem" \
    --key-id "$PEER/users/a1#main-key" --url "$URL/inbox" >"$TMP/cached.json"

"$BIN" serve --listen "127.0.0.1:$PORT" --no-deliver 2>"$TMP/serve.log" &
pids+=("$!")
wait_serving "$TMP/serve.log" || { echo "bench_stall: instctl serve did not start" >&2; exit 1; }
# The known actor's key is fetched and cached once.
python3 - "$TMP/cached.json" "$PORT" <<'PY'
import json, sys, urllib.request
r = json.load(open(sys.argv[1]))
req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[2]}{r['path']}", data=r["body"].encode(),
                             headers=r["headers"], method="POST")
assert urllib.request.urlopen(req, timeout=30).status == 202
PY

round() {  # LABEL [stall.py OPTIONS]
  local label=$1 silent slow i p actor
  shift
  silent=$(free_port)
  slow=$(free_port)
  for i in $(seq 1 50); do
    p=$silent
    [ $((i % 2)) = 0 ] && p=$slow
    actor=http://127.0.0.1:$p/actor
    jq -nc --arg key "$ROOT/keys/a1.pem" --arg kid "$actor#main-key" --arg url "$URL/inbox" \
      --arg body "$(follow "$actor/follows/$i" "$actor")" '{key: $key, key_id: $kid, url: $url, body: $body}'
  done | python3 "$SRC/tests/servers/sign_post.py" --batch >"$TMP/attack.jsonl"
  local r
  r=$(/usr/bin/python3 "$SRC/tests/e2e/stall.py" "$PORT" "$DOMAIN" "$silent" "$slow" \
    "$TMP/attack.jsonl" "$TMP/cached.json" alice "$ROUNDS" "$@")
  printf '%s\n' "$label"
  for kind in cached_post waitlist webfinger; do
    printf '  %-14s p50 %8s ms  p99 %8s ms  worst %8s ms  p99 %s\n' "$kind" \
      "$(jq -r ".$kind.p50_ms" <<<"$r")" "$(jq -r ".$kind.p99_ms" <<<"$r")" "$(jq -r ".$kind.worst_ms" <<<"$r")" \
      "$(verdict "$(jq -r ".$kind.p99_ms" <<<"$r")" '<' 100)"
  done
  printf '  key host connections %s, attack answers %s\n' "$(jq -c .key_host_connections <<<"$r")" \
    "$(jq -c .attack_statuses <<<"$r")"
}
round "50 POSTs naming stalled key hosts, $ROUNDS rounds"
round "the same with $IDLE idle connections from 127.0.0.1, timed from 127.0.0.2" --idle "$IDLE" \
  --source 127.0.0.2 --attack-source 127.0.0.3
