#!/usr/bin/env bash
# make demo: a demo instance in ./demo/instance.db (domain localhost:8080) with an admin and a
# few users, then a list of things to try.
set -euo pipefail
BIN=$(realpath "${1:-build/instctl}")
mkdir -p demo
export INSTCTL_DB=$PWD/demo/instance.db
export INSTCTL_ACTOR=cli:demo

if [ ! -f "$INSTCTL_DB" ] || ! "$BIN" -q db status >/dev/null 2>&1 || ! "$BIN" -q users list >/dev/null 2>&1; then
  rm -f "$INSTCTL_DB" "$INSTCTL_DB-wal" "$INSTCTL_DB-shm"
  "$BIN" -q init --domain localhost:8080 --public-url http://localhost:8080 \
    --title "Demo Press Social" --admin ada --admin-email ada@demo.example >/dev/null
  "$BIN" -q config set instance.description "Where the writers of Demo Press meet their readers." >/dev/null
  "$BIN" -q rules add "Be kind to each other" --hint "No harassment, no hate." >/dev/null
  "$BIN" -q rules add "No spam or advertising" >/dev/null
  echo "demo password 1" | "$BIN" -q users create grace --email grace@demo.example \
    --display-name "Grace H." --role moderator --password-stdin >/dev/null
  "$BIN" -q users create alan --email alan@demo.example --display-name "Alan T." >/dev/null
  "$BIN" -q users create barbara --email barbara@demo.example --display-name "Barbara L." >/dev/null
  "$BIN" -q users create linus --email linus@demo.example --pending >/dev/null
  echo "Created a demo instance in demo/instance.db." >&2
else
  echo "Using the demo instance in demo/instance.db." >&2
fi

"$BIN" users list
cat <<MSG

Try (the demo database is in INSTCTL_DB for these):
  export INSTCTL_DB=$INSTCTL_DB
  $BIN users show grace
  $BIN users approve linus
  $BIN users suspend alan --reason "testing"
  $BIN --json users list | jq '.[].username'
  $BIN stats
  $BIN audit list
MSG

# Later parts of the tool extend this script (invites, the waitlist) above this line.

# Last, the instance goes live: 'instctl serve' in the foreground until Ctrl-C.
# DEMO_LISTEN=127.0.0.1:9090 make demo serves elsewhere; DEMO_SERVE=no skips it.
[ "${DEMO_SERVE:-yes}" = no ] && exit 0
listen=${DEMO_LISTEN:-127.0.0.1:8080}
cat <<MSG

Now serving the demo instance on http://$listen (Ctrl-C stops it). In another terminal:
  curl -s 'http://$listen/.well-known/webfinger?resource=acct:grace@localhost:8080' | jq .
  curl -s -H 'Accept: application/activity+json' http://$listen/users/grace | jq .
  curl -s http://$listen/nodeinfo/2.1 | jq .
  curl -s http://$listen/api/v2/instance | jq .
  $BIN users suspend alan --reason "demo spam"    # then: curl -i http://$listen/users/alan  -> 410 Gone

MSG
exec "$BIN" serve --listen "$listen" --access-log -
