# The browser suites' shared set-up (source after lib.sh and serve_lib.sh): Debian's chromium
# driving the scripts in tests/browser (playwright-core, launched by tests/browser/frame.mjs),
# a real OpenID Connect provider, and what a script saw.

# browser_suite: ends the suite, failed, without chromium; readies node and the scripts' npm
# packages; sets PORT (free) and shots, the screenshots' directory ($INSTCTL_SCREENSHOTS when
# set, else the suite's temporary directory).
browser_suite() {
  if [ ! -x /usr/bin/chromium ]; then
    fail "chromium is missing (apt-get install chromium; scripts/install-deps.sh test installs it)"
    finish
  fi
  need_node 20 "$SRC/tests/browser"
  PORT=$(free_port)
  shots=${INSTCTL_SCREENSHOTS:-$TMP/shots}
  mkdir -p "$shots"
}

# start_oidc_provider CLIENT_ID SECRET HOST [claims-in-id-token]: oidc-provider with its
# defaults (tests/browser/oidc_provider.mjs) for the client, which comes back to
# http://HOST/auth/oidc/callback; sets ISSUER. Called again, it replaces the running one.
OIDC_PID=""
start_oidc_provider() {
  local client=$1 secret=$2 host=$3
  shift 3
  [ -n "$OIDC_PID" ] && kill "$OIDC_PID" 2>/dev/null && wait "$OIDC_PID" 2>/dev/null
  rm -f "$TMP/oidc.port"
  node "$SRC/tests/browser/oidc_provider.mjs" "$TMP/oidc.port" "$client" "$secret" \
    "http://$host/auth/oidc/callback" "$@" >"$TMP/oidc.log" 2>&1 &
  OIDC_PID=$!
  on_exit "kill $OIDC_PID 2>/dev/null"
  wait_until 20 test -s "$TMP/oidc.port" ||
    { echo "oidc-provider did not start: $(cat "$TMP/oidc.log")" >&2; exit 1; }
  ISSUER=http://127.0.0.1:$(cat "$TMP/oidc.port")
}

# browser_run SCRIPT ARG...: runs tests/browser/SCRIPT, which prints what it saw as one JSON
# object, kept in $seen (read it with saw). A run that is not ok ends the suite, failed, with
# its error, the script's stderr and the server log's tail.
saw() { printf '%s' "$seen" | jq -r "$@"; }
browser_run() {
  local script=$1
  shift
  seen=$(node "$SRC/tests/browser/$script" "$@" 2>"$TMP/node.err")
  if [ "$(saw .ok)" != "true" ]; then
    fail "the browser run of $script failed: $(saw .error) $(saw 'del(.error) | tostring' | cut -c1-600) $(cat "$TMP/node.err") $(tail -20 "${SERVE_LOG:-/dev/null}" 2>/dev/null)"
    finish
  fi
  pass
}
