# The Fedify peer (tests/interop/fedify_peer.mjs, an independent ActivityPub implementation) for
# the suites that federate with it. Source after lib.sh:
#   start_fedify INSTCTL_HOST [ACCOUNT_HOST]   installs Fedify once (tests/interop/setup.sh),
#                                             starts the peer; sets FED (its actor's URI) and
#                                             FED_HOST (its host:port)
#   fedify COMMAND                            one command (see fedify_peer.mjs); its JSON answer
#                                             goes to $out
#   stop_fedify                               asks the peer to quit

start_fedify() {
  if ! bash "$SRC/tests/interop/setup.sh"; then
    fail "could not install Fedify for the interop check (npm registry)"
    finish
  fi
  coproc FEDIFY { node "$SRC/tests/interop/fedify_peer.mjs" "$@" 2>"$TMP/fedify.err"; }
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

stop_fedify() { echo quit >&"${FEDIFY[1]}"; }
