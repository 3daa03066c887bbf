#!/usr/bin/env bash
# A member runs their own account in a real browser (Debian's chromium, headless, driven by
# playwright-core: tests/browser/members.mjs, one step at a time) while Fedify (an independent
# ActivityPub implementation, tests/interop/fedify_peer.mjs) follows them: activation from the
# link `users create` printed, sign-in, the bio in the actor document, the directory opt-in in
# /api/v1/directory, "followers need my approval", a follow request approved on /settings and
# the Accept Fedify receives, the follower removed and the Reject Fedify receives, a request
# rejected; and the forms' refusals: no CSRF token, another site's Origin, an id that is not
# one, another member's follower, a post from another site. Screenshots go to $INSTCTL_SCREENSHOTS when set, else to the
# suite's temporary directory.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/fedify_lib.sh"
source "$(dirname "$0")/browser_lib.sh"

browser_suite
HOST=localhost:$PORT
"$BIN" init --domain "$HOST" --public-url "http://$HOST" --admin ada --admin-email ada@example.com \
  >/dev/null 2>&1 || { echo "init failed" >&2; exit 1; }
ok config set federation.allow_http true
ok config set federation.allow_private_addresses true
ok --json users create grace --email grace@example.com
activation=$(jqo .activation_url | sed "s|^http://$HOST||")
start_serve "$PORT"
start_fedify "$HOST"
FED_ACCT=fed@$FED_HOST

# The browser, as a second peer of the suite: a step on its stdin, its JSON answer in $out.
mkfifo "$TMP/browser.in" "$TMP/browser.out"
node "$SRC/tests/browser/members.mjs" "http://$HOST" "$shots" \
  <"$TMP/browser.in" >"$TMP/browser.out" 2>"$TMP/browser.err" &
BROWSER_PID=$!
on_exit "kill $BROWSER_PID 2>/dev/null"
exec 7>"$TMP/browser.in" 8<"$TMP/browser.out"
browser() {
  echo "$*" >&7
  out=""
  read -r -t 60 -u 8 out || out='{"ok":false,"error":"no answer from the browser"}'
  # The next steps build on this one: stop at the first that fails.
  [ "$(jqo .ok)" = true ] || { fail "the browser's step '$*' failed: $(jqo .error) $(cat "$TMP/browser.err")"; finish; }
}
read -r -t 60 -u 8 out || { fail "the browser did not start: $(cat "$TMP/browser.err")"; finish; }

follow_state() {  # the state of fed's follow of USER, "" when there is none
  sql "SELECT f.state FROM follows f JOIN accounts r ON r.id = f.follower_id
       JOIN accounts l ON l.id = f.followed_id
       WHERE r.actor_uri = '$FED' AND l.username = '$1' AND l.domain = ''"
}

# Activation, sign-out and sign-in with the new password.
browser activate "$activation" "harbour-lights"
assert_eq "$(jqo .status)" "200" "the activation link users create printed opens its form"
assert_eq "$(jqo '.url | sub("#.*"; "")')" "http://$HOST/settings" "setting the password signs in and leads to /settings"
assert_eq "$(jqo .signed_in_as)" "@grace@$HOST" "the settings say who"
browser sign-out
assert_contains "$(jqo .text)" "You have signed out" "sign-out"
browser sign-in grace "harbour-lights"
assert_eq "$(jqo .signed_in_as)" "@grace@$HOST" "signed in again with the new password"

# The bio reaches the actor document, the opt-in the directory.
req /api/v1/directory
assert_eq "$(jqb '[.[].username] | index("grace")')" "null" "not in the directory before opting in"
browser profile Charts the harbour.
assert_eq "$(jqo .notice)" "Your profile is saved." "the profile saved"
req -H 'Accept: application/activity+json' /users/grace
assert_eq "$(jqb .summary)" "<p>Charts the harbour.</p>" "the new bio in the actor document"
req /api/v1/directory
assert_eq "$(jqb '[.[].username] | index("grace") != null')" "true" "/api/v1/directory lists grace"

# Approval on: Fedify's Follow waits, is approved on the page, and Fedify gets the Accept.
browser approval on
assert_eq "$(jqo .notice) $(jqo .checked)" "New followers now need your approval. true" \
  "followers need approval"
ok --json users show grace
assert_eq "$(jqo .manually_approves_followers)" "true" "users show says so too"
browser followers
assert_eq "$(jqo '.requests | length') $(jqo '.followers | length')" "0 0" "no request and no follower yet"
fedify "follow grace"
assert_eq "$(jqo .ok)" "true" "Fedify sends a signed Follow ($out)"
first_follow=$(jqo .follow)
assert_eq "$(follow_state grace)" "pending" "the follow waits for grace's decision"
browser followers
assert_eq "$(jqo -c '[.requests[].account]')" "[\"$FED_ACCT\"]" "the request is on /settings"
fed_id=$(jqo '.requests[0].id')
browser shot follow-requests
# Bad forms first, while the request waits: nothing may change.
browser post /settings/follow_requests/approve none "follower=$fed_id"
assert_eq "$(jqo .status)" "403" "approve without the CSRF token: 403"
browser post /settings/followers/approval none manually_approves_followers=
assert_eq "$(jqo .status)" "403" "the approval form without the CSRF token: 403"
browser post /settings/follow_requests/reject none "follower=$fed_id"
assert_eq "$(jqo .status)" "403" "reject without the CSRF token: 403"
browser post /settings/follow_requests/reject cross-site "follower=$fed_id"
assert_eq "$(jqo .status)" "403" "reject from another site: 403"
browser post /settings/follow_requests/approve page "follower=$fed_id'"
assert_eq "$(jqo .status) $(jqo .heading)" "400 This form names no follower" "an id that is not one: 400"
browser post /settings/follow_requests/reject page "follower=999999"
assert_eq "$(jqo .status) $(jqo .heading)" "404 This is not one of your followers" "an unknown id: 404"
assert_eq "$(follow_state grace)" "pending" "the request still waits"
fedify "wait-accept 1"
assert_eq "$(jqo .ok)" "false" "no Accept before the decision"
browser click Approve "$FED_ACCT"
assert_eq "$(jqo .status) $(jqo .notice)" "200 $FED_ACCT follows you now." "approved on the page"
assert_eq "$(follow_state grace)" "accepted" "the follow is accepted"
fedify "wait-accept 30"
assert_eq "$(jqo .ok)" "true" "Fedify received the Accept and verified its signature ($out)"
assert_eq "$(jqo .accept.actor) $(jqo .accept.object)" "http://$HOST/users/grace $first_follow" \
  "from grace, of Fedify's Follow"
browser post /settings/follow_requests/reject page "follower=$fed_id"
assert_eq "$(jqo .status) $(jqo .heading)" "409 This request was approved already" \
  "rejecting a request approved meanwhile: 409"
browser followers
assert_eq "$(jqo -c '[.followers[].account]') $(jqo '.requests | length')" "[\"$FED_ACCT\"] 0" \
  "Fedify is among the followers"
browser shot followers

# Another member's follower: ada's, which grace's forms cannot touch.
fedify "follow ada"
assert_eq "$(follow_state ada)" "accepted" "Fedify follows ada too"
browser post /settings/followers/remove none "follower=$fed_id"
assert_eq "$(jqo .status)" "403" "remove without the CSRF token: 403"
assert_eq "$(follow_state grace)" "accepted" "and nothing removed"

# Remove: the follow goes, Fedify gets a Reject of its Follow.
browser click Remove "$FED_ACCT"
assert_eq "$(jqo .status) $(jqo .notice)" "200 $FED_ACCT no longer follows you." "removed on the page"
assert_eq "$(follow_state grace)" "" "the follow is gone"
fedify "wait-reject 30"
assert_eq "$(jqo .ok)" "true" "Fedify received the Reject and verified its signature ($out)"
assert_eq "$(jqo .reject.actor) $(jqo .reject.object)" "http://$HOST/users/grace $first_follow" \
  "from grace, of the Follow it removes"
browser post /settings/followers/remove page "follower=$fed_id"
assert_eq "$(jqo .status) $(jqo .heading)" "404 This is not one of your followers" \
  "ada's follower (no longer grace's) by its id: 404"
assert_eq "$(follow_state ada)" "accepted" "ada's follower is untouched"

# A request rejected on the page.
fedify "follow grace"
second_follow=$(jqo .follow)
assert_eq "$(follow_state grace)" "pending" "Fedify asks again"
browser click Reject "$FED_ACCT"
assert_eq "$(jqo .status) $(jqo .notice)" "200 You rejected the follow request of $FED_ACCT." \
  "rejected on the page"
assert_eq "$(follow_state grace)" "" "the request is gone"
fedify "wait-reject 30 2"
assert_eq "$(jqo .ok)" "true" "Fedify received a second Reject ($out)"
assert_eq "$(jqo .reject.object)" "$second_follow" "of its second Follow"
audit=$("$BIN" --json audit list --target user:grace 2>/dev/null | jq -r '[.[].action] | join(" ")')
for a in users.follow_approve users.follower_remove users.follow_reject; do
  assert_contains "$audit" "$a" "audited: $a"
done

# Approval off again; the same form from another site is refused.
browser approval off
assert_eq "$(jqo .notice) $(jqo .checked)" "Anyone can follow you now, without your approval. false" \
  "followers no longer need approval"
browser approval off
assert_eq "$(jqo .notice) $(jqo .checked)" "Nothing changed. false" "saving it unchanged says so"
browser post /settings/followers/approval cross-site manually_approves_followers=yes
assert_eq "$(jqo .status)" "403" "the form sent from another site's page, with a good token: 403"
ok --json users show grace
assert_eq "$(jqo .manually_approves_followers)" "false" "and the setting unchanged"

browser console
assert_eq "$(jqo '.errors | length')" "0" "no console errors (CSP): $(jqo '.errors | join("; ")')"
for s in follow-requests followers; do
  if [ -s "$shots/$s.png" ]; then pass; else fail "no screenshot $s.png"; fi
done
echo quit >&7
wait "$BROWSER_PID" 2>/dev/null
stop_fedify
stop_serve
finish
