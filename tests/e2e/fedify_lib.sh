# The Fedify peers (tests/interop/peer_core.mjs, an independent ActivityPub implementation) for
# the suites that federate with them. Source after lib.sh:
#   start_fedify INSTCTL_HOST [ACCOUNT_HOST]   Fedify 1.5.9 (draft-cavage signatures only)
#   start_fedify2 FIRST_KNOCK INSTCTL_HOST     Fedify 2 on Node 22, signing first with
#                                             FIRST_KNOCK (rfc9421 or
#                                             draft-cavage-http-signatures-12)
#       Both install their packages once (need_node), start the peer and set FED (its actor's
#       URI) and FED_HOST (its host:port).
#   fedify COMMAND                            one command (see peer_core.mjs); its JSON answer
#                                             goes to $out
#   stop_fedify                               asks the peer to quit and waits for it, so the
#                                             next one can start
# One peer runs at a time.

start_fedify() {
  need_node 20 "$SRC/tests/interop"
  fedify_start "$SRC/tests/interop/fedify_peer.mjs" "$@"
}

start_fedify2() {
  need_node 22 "$SRC/tests/interop/fedify2"
  fedify_start "$SRC/tests/interop/fedify2/peer.mjs" "$@"
}

fedify_start() {
  coproc FEDIFY { node "$@" 2>"$TMP/fedify.err"; }
  FEDIFY_RUNNING=$FEDIFY_PID
  on_exit "kill $FEDIFY_PID 2>/dev/null"
  read -r -t 60 -u "${FEDIFY[0]}" out || { fail "the Fedify peer did not start: $(cat "$TMP/fedify.err")"; finish; exit 1; }
  FED=$(jqo .actor)
  FED_HOST=$(jqo .base | sed 's|http://||')
}

fedify() {
  echo "$1" >&"${FEDIFY[1]}"
  out=""
  read -r -t 60 -u "${FEDIFY[0]}" out || out='{"ok":false,"error":"no answer from the Fedify peer"}'
}

stop_fedify() {
  echo quit >&"${FEDIFY[1]}"
  wait "$FEDIFY_RUNNING" 2>/dev/null || true
}
