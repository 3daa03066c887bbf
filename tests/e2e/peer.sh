# A fake fediverse peer for the end-to-end suites (tests/servers/fake_peer.py), on loopback.
# Source after lib.sh:  start_peer DIR  -> sets PEER_PORT, PEER_BASE, PEER_HOST, PEER_LOG.

start_peer() {
  local root=$1
  mkdir -p "$root"
  PEER_LOG=$TMP/peer-$RANDOM.log
  local port_file=$TMP/peer-$RANDOM.port
  python3 "$SRC/tests/servers/fake_peer.py" --root "$root" --port-file "$port_file" \
    --log "$PEER_LOG" 2>"$TMP/peer.err" &
  local pid=$!
  on_exit "kill $pid 2>/dev/null; wait $pid 2>/dev/null"
  local i
  for i in $(seq 1 2000); do
    [ -s "$port_file" ] && break
    sleep 0.01
  done
  [ -s "$port_file" ] || { echo "the fake peer did not start: $(cat "$TMP/peer.err")" >&2; exit 1; }
  PEER_PORT=$(cat "$port_file")
  PEER_HOST=127.0.0.1:$PEER_PORT
  PEER_BASE=http://$PEER_HOST
  touch "$PEER_LOG"
}

# peer_account ROOT NAME: a WebFinger answer and a Mastodon-shaped actor with a fresh key.
# The private key stays in ROOT/keys/NAME.pem, for signing as that actor (sign_post.py).
peer_account() {
  local root=$1 name=$2
  mkdir -p "$root/webfinger" "$root/actors" "$root/keys"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$root/keys/$name.pem" 2>/dev/null
  local pem
  pem=$(openssl pkey -in "$root/keys/$name.pem" -pubout 2>/dev/null | jq -Rs .)
  cat >"$root/webfinger/$name.json" <<JSON
{"subject":"acct:$name@{host}","aliases":["{base}/users/$name"],"links":[
 {"rel":"http://webfinger.net/rel/profile-page","type":"text/html","href":"{base}/@$name"},
 {"rel":"self","type":"application/activity+json","href":"{base}/users/$name"}]}
JSON
  cat >"$root/actors/$name.json" <<JSON
{"@context":["https://www.w3.org/ns/activitystreams","https://w3id.org/security/v1"],
 "id":"{base}/users/$name","type":"Person","preferredUsername":"$name","name":"${name^}",
 "inbox":"{base}/users/$name/inbox","outbox":"{base}/users/$name/outbox",
 "endpoints":{"sharedInbox":"{base}/inbox"},"url":"{base}/@$name",
 "publicKey":{"id":"{base}/users/$name#main-key","owner":"{base}/users/$name","publicKeyPem":$pem}}
JSON
}

# instance_with_peer TITLE: a new instance on a free port that may talk to the loopback peer
# over plain HTTP, with the local user alice, and a fake peer (ROOT=$TMP/peer) with the
# account pat; sets ROOT, PORT, DOMAIN, URL, PAT and what start_peer sets. The server is not
# started (start_serve "$PORT" ...).
instance_with_peer() {
  ROOT=$TMP/peer
  PORT=$(free_port)
  DOMAIN=localhost:$PORT
  URL=http://$DOMAIN
  "$BIN" init --domain "$DOMAIN" --public-url "$URL" --title "$1" >/dev/null 2>&1 || exit 1
  ok config set federation.allow_http true
  ok config set federation.allow_private_addresses true
  ok users create alice --email alice@example.com
  start_peer "$ROOT"
  peer_account "$ROOT" pat
  PAT=$PEER_BASE/users/pat
}

# peer_posts: the POSTs the peer received, one JSON object per line.
peer_posts() { cat "$PEER_LOG"; }

# signed_follow_pool DIR ACTORS USERS: on stdout, in random order, one signed request (as
# sign_post.py --batch prints it) per Follow of local user uU by peer account aA, for every
# A <= ACTORS and U <= USERS; the accounts' keys are in DIR/keys (peer_account).
signed_follow_pool() {
  local dir=$1 actors=$2 users=$3 a u
  for a in $(seq 1 "$actors"); do
    for u in $(seq 1 "$users"); do
      jq -nc --arg a "$PEER_BASE/users/a$a" --arg o "$URL/users/u$u" --arg id "$PEER_BASE/follows/a$a-u$u" \
        --arg key "$dir/keys/a$a.pem" --arg url "$URL/inbox" \
        '{key: $key, key_id: ($a + "#main-key"), url: $url, body:
          ({"@context":"https://www.w3.org/ns/activitystreams",id:$id,type:"Follow",actor:$a,object:$o} | tojson)}'
    done
  done | shuf | /usr/bin/python3 "$SRC/tests/servers/sign_post.py" --batch
}
