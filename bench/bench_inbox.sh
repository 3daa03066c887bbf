#!/usr/bin/env bash
# Signed inbox POSTs: instctl serve's POST /inbox receiving Follows of a local user from a pool
# of pre-signed requests by ACTORS known actors (keys fetched and cached, follows recorded in
# the warm-up), with wrk and 50 keep-alive connections, against the RSA-2048 verify rate of
# `openssl speed -multi 2 rsa2048` measured in the same run. Each request costs what every
# inbox POST costs before its activity is applied: the Signature parsed, Date and Digest
# checked, the JSON parsed, the domain policy and the key cache read, one RSA verify, and the
# Follow found already recorded (a redelivery writes nothing). The same Follows are sent
# twice over: signed with draft-cavage (Digest), and signed with RFC 9421 (Signature-Input,
# Content-Digest, structured fields), so the two verifiers are compared in one run (the RFC
# 9421 rate should be within 10% of the cavage rate). Medians of RUNS runs, the three kinds
# of run interleaved. The delivery worker is off (--no-deliver). Targets, each printed PASS or
# MISS: cavage inbox >= 0.15x the verify rate, RFC 9421 >= 0.9x cavage, no non-2xx answer.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
BIN=${1:?usage: bench_inbox.sh path/to/instctl}
RUNS=${RUNS:-3}
DURATION=${DURATION:-8s}
CONNS=${CONNS:-50}
ACTORS=${ACTORS:-50}
PER_ACTOR=${PER_ACTOR:-1}
SRC=$(cd "$(dirname "$0")/.." && pwd)
for tool in wrk openssl curl jq python3 sqlite3; do
  command -v "$tool" >/dev/null || { echo "bench_inbox: $tool is missing (scripts/install-deps.sh bench)" >&2; exit 1; }
done
TMP=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT
free_port() { python3 "$SRC/scripts/free_port.py"; }
wait_for() { for _ in $(seq 1 200); do eval "$1" && return 0; sleep 0.05; done; echo "bench_inbox: $2" >&2; exit 1; }

PORT=$(free_port)
URL=http://localhost:$PORT
export INSTCTL_DB=$TMP/instance.db INSTCTL_ACTOR=cli:bench
"$BIN" -q init --domain "localhost:$PORT" --public-url "$URL" >/dev/null
"$BIN" -q config set federation.allow_http true >/dev/null
"$BIN" -q config set federation.allow_private_addresses true >/dev/null
"$BIN" -q users create alice --email alice@bench.example >/dev/null

# The peer: ACTORS Mastodon-shaped actors with their keys (tests/servers/fake_peer.py).
ROOT=$TMP/peer
start_fake_peer "$SRC" "$ROOT" "$ACTORS"

# The pools: PER_ACTOR Follows of alice by each actor, signed now (the window is 12 h), once
# per standard. With PER_ACTOR > 1 the Follows of an actor replace each other: every request
# writes.
make_pool() {  # STANDARD NAME
  local i j
  for i in $(seq 1 "$ACTORS"); do
    for j in $(seq 1 "$PER_ACTOR"); do
      jq -nc --arg a "$PEER/users/a$i" --arg j "$j" --arg o "$URL/users/alice" \
        '{"@context":"https://www.w3.org/ns/activitystreams",id:($a+"/follows/"+$j),type:"Follow",actor:$a,object:$o}' |
        python3 "$SRC/tests/servers/sign_post.py" --emit --standard "$1" --key "$ROOT/keys/a$i.pem" \
          --key-id "$PEER/users/a$i#main-key" --url "$URL/inbox"
    done
  done >"$TMP/$2.ndjson"
  python3 - "$TMP/$2.ndjson" >"$TMP/$2.lua" <<'PY'
import json, sys
print("local raw = {")
for line in open(sys.argv[1]):
    r = json.loads(line)
    hs = ", ".join(f"[ [==[{k}]==] ] = [==[{v}]==]" for k, v in r["headers"].items())
    print(f"  {{ path = [==[{r['path']}]==], headers = {{ {hs} }}, body = [==[{r['body']}]==] }},")
print("}")
print("""local reqs = {}
local n = 0
init = function(args)
  for i, r in ipairs(raw) do reqs[i] = wrk.format("POST", r.path, r.headers, r.body) end
  n = math.random(#reqs)
end
request = function()
  n = n % #reqs + 1
  return reqs[n]
end""")
PY
}
make_pool cavage pool
make_pool rfc9421 pool9421

"$BIN" serve --listen "127.0.0.1:$PORT" --no-deliver 2>"$TMP/serve.log" &
SERVE=$!
pids+=("$SERVE")
wait_for 'grep -q serving "$TMP/serve.log"' "instctl serve did not start"
# Warm-up: each request of both pools once, in turn: keys fetched and cached, follows recorded.
python3 - "$TMP/pool.ndjson" "$TMP/pool9421.ndjson" "$PORT" <<'PY'
import json, sys, urllib.request
for pool in sys.argv[1:3]:
    for line in open(pool):
        r = json.loads(line)
        req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[3]}{r['path']}", data=r["body"].encode(),
                                     headers=r["headers"], method="POST")
        with urllib.request.urlopen(req, timeout=30) as res:
            assert res.status == 202, (pool, res.status)
PY
known=$(sqlite3 "$INSTCTL_DB" "SELECT count(*) FROM follows")
[ "$known" = "$ACTORS" ] || { echo "bench_inbox: $known of $ACTORS actors got through: $(tail -3 "$TMP/serve.log")" >&2; exit 1; }

to_ms() { awk '{v = $1; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}; printf "%.3f", v}'; }
inbox_run() {
  local out
  out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s "$TMP/$1.lua" "http://127.0.0.1:$PORT")
  local rps p99 bad
  rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ {print $2}')
  p99=$(printf '%s\n' "$out" | awk '$1 == "99%" {print $2}' | to_ms)
  bad=$(printf '%s\n' "$out" | awk '/Non-2xx/ {print $NF}')
  echo "$rps $p99 ${bad:-0}"
}
openssl_run() {
  openssl speed -multi 2 -seconds "${DURATION%s}" rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $NF}'
}
: >"$TMP/inbox"
: >"$TMP/inbox9421"
: >"$TMP/openssl"
for _ in $(seq 1 "$RUNS"); do
  inbox_run pool >>"$TMP/inbox"
  inbox_run pool9421 >>"$TMP/inbox9421"
  openssl_run >>"$TMP/openssl"
done
inbox=$(median "$TMP/inbox" 1)
inbox9421=$(median "$TMP/inbox9421" 1)
verify=$(median "$TMP/openssl" 1)
printf '%-40s %12s\n' "median of $RUNS x $DURATION" "per second"
printf '%-40s %12.0f   (p99 %s ms, non-2xx %s)\n' "instctl POST /inbox (draft-cavage Follow)" "$inbox" \
  "$(median "$TMP/inbox" 2)" "$(awk '{s += $3} END {print s + 0}' "$TMP/inbox")"
printf '%-40s %12.0f   (p99 %s ms, non-2xx %s)\n' "instctl POST /inbox (RFC 9421 Follow)" "$inbox9421" \
  "$(median "$TMP/inbox9421" 2)" "$(awk '{s += $3} END {print s + 0}' "$TMP/inbox9421")"
printf '%-40s %12.0f\n' "openssl speed -multi 2 rsa2048 verify" "$verify"
to_verify=$(awk -v a="$inbox" -v b="$verify" 'BEGIN {printf "%.3f", a / b}')
to_cavage=$(awk -v a="$inbox9421" -v b="$inbox" 'BEGIN {printf "%.3f", a / b}')
printf '%-40s %12s   %s\n' "ratio inbox / RSA verify" "${to_verify}x" "$(verdict "$to_verify" '>=' 0.15)"
printf '%-40s %12s   %s\n' "ratio RFC 9421 / draft-cavage" "${to_cavage}x" "$(verdict "$to_cavage" '>=' 0.9)"
printf '%-40s %12s   %s\n' "non-2xx answers, both standards" "$(cat "$TMP/inbox" "$TMP/inbox9421" | awk '{s += $3} END {print s + 0}')" \
  "$(verdict "$(cat "$TMP/inbox" "$TMP/inbox9421" | awk '{s += $3} END {print s + 0}')" '<=' 0)"
result_row "serve: signed inbox POSTs (draft-cavage) vs \`openssl speed -multi 2 rsa2048\` verifies" \
  "$(printf '%.0f/s' "$inbox")" "$(printf '%.0f/s' "$verify")" "$to_verify" '>=' 0.15
result_row "serve: signed inbox POSTs, RFC 9421 vs draft-cavage" \
  "$(printf '%.0f/s' "$inbox9421")" "$(printf '%.0f/s' "$inbox")" "$to_cavage" '>=' 0.9
