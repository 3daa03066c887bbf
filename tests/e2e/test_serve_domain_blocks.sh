#!/usr/bin/env bash
# /api/v1/instance/domain_blocks honours api.show_domain_blocks and obfuscation, at the next
# request, and /about shows the same list by the same rule; /api/v1/instance/peers leaves
# blocked domains out. /about's other sections, / (to /about or the waitlist), the privacy
# policy page and the favicon.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"

PORT=$(free_port)
"$BIN" init --domain "localhost:$PORT" --public-url "http://localhost:$PORT" >/dev/null 2>&1 || exit 1
for d in friends.example sub.spam.example quiet.example; do
  sql "INSERT INTO accounts (username, username_key, domain, created_at, updated_at) VALUES ('u', 'u', '$d', 0, 0)"
done
ok federation block spam.example --severity suspend --public-comment "spam"
ok federation block quiet.example --severity silence --obfuscate
start_serve "$PORT"

req /api/v1/instance/domain_blocks
expect_status 404 "hidden by default (api.show_domain_blocks users: no signed-in API users)"
req /about
expect_status 200 "/about"
assert_not_contains "$body" "Moderated servers" "/about hides the blocks by the same rule"
ok config set api.show_domain_blocks all
req /api/v1/instance/domain_blocks
expect_status 200 "shown with api.show_domain_blocks all, without a restart"
assert_eq "$(jqb '[.[] | .domain + ":" + .severity + ":" + .comment] | join(",")')" \
  "quie*.****ple:silence:,spam.example:suspend:spam" "obfuscated domain, severities, public comments"
assert_eq "$(jqb '.[1].digest')" "$(printf 'spam.example' | sha256sum | cut -d' ' -f1)" \
  "digest is the SHA-256 of the real domain"
req /about
assert_contains "$body" "<tr><td>quie*.****ple</td><td>Limited</td><td></td></tr>" "/about: an obfuscated silence"
assert_contains "$body" "<tr><td>spam.example</td><td>Blocked</td><td>spam</td></tr>" "/about: a suspension and its comment"
assert_not_contains "$body" "quiet.example" "/about never names an obfuscated domain"
ok config set api.show_domain_blocks none
req /api/v1/instance/domain_blocks
expect_status 404 "hidden again with none"
req /about
assert_not_contains "$body" "Moderated servers" "/about hides them again"

req /api/v1/instance/peers
expect_status 200 "peers"
assert_eq "$(jqb 'join(",")')" "friends.example" "blocked domains and their subdomains are not listed"
test_about() {
  ok config set instance.title 'Tea & <Cake>'
  ok config set instance.description $'A small "server".\n\nSecond paragraph'
  ok config set instance.contact_email admin@example.com
  ok rules add "Be kind" --hint "No <harassment>"
  req /about
  expect_status 200 "/about"
  assert_contains "$headers" "content-type: text/html; charset=utf-8" "HTML"
  assert_contains "$headers" "content-security-policy: default-src 'none'" "the pages' CSP"
  assert_contains "$body" "<h1>Tea &amp; &lt;Cake&gt;</h1>" "title, escaped"
  assert_contains "$body" "<p>A small &quot;server&quot;.</p><p>Second paragraph</p>" "description paragraphs, escaped"
  assert_contains "$body" '<a href="mailto:admin@example.com">admin@example.com</a>' "contact"
  assert_contains "$body" '<li>Be kind<span class="hint">No &lt;harassment&gt;</span></li>' "rules"
  assert_contains "$body" "Joining is by invitation" "invite mode"
  assert_not_contains "$body" 'href="/waitlist"' "no waitlist link while it is off"
  assert_contains "$body" '<link rel="icon" href="/favicon.ico"' "favicon link"
  assert_contains "$body" '<footer class="site">' "footer"
  assert_not_contains "$body" "/privacy-policy" "no privacy policy link while none is set"
  assert_not_contains "$body" "<script" "no script"
  req /
  expect_status 302 "/"
  assert_contains "$headers" "location: /about" "/ leads to /about"
  ok config set waitlist.enabled true
  req /about
  assert_contains "$body" 'href="/waitlist"' "the waitlist link"
  req /
  assert_contains "$headers" "location: /waitlist" "/ leads to the waitlist when it is the front door"
  req /waitlist
  assert_contains "$body" '<a href="/about">About Tea &amp; &lt;Cake&gt;</a>' "the onboarding pages' footer"
  assert_contains "$body" '<a href="mailto:admin@example.com">Contact</a>' "the footer's contact link"
  ok config set registrations.mode open
  req /
  assert_contains "$headers" "location: /about" "open sign-up: / leads to /about again"
  req /about
  assert_contains "$body" '<a class="button" href="/auth/sign_up">Sign up</a>' "the sign-up button"
  ok config set registrations.mode closed
  req /about
  assert_contains "$body" "not taking new members" "closed"
  assert_not_contains "$body" "/auth/sign_up" "no sign-up button when closed"
}

test_privacy_policy_and_favicon() {
  req /privacy-policy
  expect_status 404 "no privacy policy set"
  req /api/v1/instance/privacy_policy
  assert_eq "$status $(jq -c . <<<"$body")" '404 {"error":"Record not found"}' "nor in the API"
  req /api/v2/instance
  assert_eq "$(jq -c .configuration.urls.privacy_policy <<<"$body")" "null" "v2 names no policy page"
  expect 2 config set instance.privacy_policy_file "$TMP/privacy.txt"
  assert_contains "$err" "the file $TMP/privacy.txt cannot be read" "config set refuses a missing file"
  assert_contains "$err" "readable UTF-8 text file" "and says what it needs"
  printf '\xff\xfe' >"$TMP/binary.txt"
  expect 2 config set instance.privacy_policy_file "$TMP/binary.txt"
  assert_contains "$err" "is not UTF-8 text" "a file that is not text"
  expect 2 config set instance.privacy_policy_file "$TMP"
  assert_contains "$err" "is a directory" "a directory"
  assert_eq "$(sql "SELECT count(*) FROM settings WHERE key = 'instance.privacy_policy_file'")" "0" "nothing set"
  printf 'We keep <little>.\nOnly "this".\n' >"$TMP/privacy.txt"
  ok config set instance.privacy_policy_file "$TMP/privacy.txt"
  req /privacy-policy
  expect_status 200 "the privacy policy"
  assert_contains "$body" "<p>We keep &lt;little&gt;.<br>Only &quot;this&quot;.</p>" "plain text: its lines, escaped"
  req /about
  assert_contains "$body" '<a href="/privacy-policy">Privacy policy</a>' "the footer links it"
  cat >"$TMP/privacy.txt" <<'MD'
# What we keep

Your **address**, for *invites* and `mail`; see [our rules](/about) or [mail us](mailto:a@example.org).
No [script](javascript:alert(1)) link, no <script>alert(1)</script>.

- the address
- the reason you gave

1. asked
2. kept
MD
  touch -d 2026-11-01T10:00:00Z "$TMP/privacy.txt"
  req /privacy-policy
  assert_contains "$body" "<h2>What we keep</h2>" "a Markdown heading, below the page's title"
  assert_contains "$body" '<p>Your <strong>address</strong>, for <em>invites</em> and <code>mail</code>; see <a href="/about" rel="nofollow noopener">our rules</a> or <a href="mailto:a@example.org" rel="nofollow noopener">mail us</a>.<br>No script link, no &lt;script&gt;alert(1)&lt;/script&gt;.</p>' \
    "emphasis, code and safe links; a javascript: link is text, raw HTML is escaped"
  assert_contains "$body" "<ul><li>the address</li><li>the reason you gave</li></ul>" "a list"
  assert_contains "$body" "<ol><li>asked</li><li>kept</li></ol>" "a numbered list"
  req /api/v1/instance/privacy_policy
  expect_status 200 "the API's privacy policy"
  assert_eq "$(jq -r .updated_at <<<"$body")" "2026-11-01T10:00:00Z" "updated_at: the file's time"
  assert_contains "$(jq -r .content <<<"$body")" "<h2>What we keep</h2>" "content: the same HTML as the page"
  assert_not_contains "$(jq -r .content <<<"$body")" "<script>" "escaped there too"
  req /api/v2/instance
  assert_eq "$(jq -r .configuration.urls.privacy_policy <<<"$body")" "http://localhost:$PORT/privacy-policy" \
    "v2's configuration.urls.privacy_policy, as Mastodon 4.3 gives it"
  rm "$TMP/privacy.txt"
  req /privacy-policy
  expect_status 404 "an unreadable file: no policy page"
  assert_contains "$body" "No privacy policy" "a page that says so"
  wait_until 10 grep -q "privacy policy file $TMP/privacy.txt (instance.privacy_policy_file) cannot be read" "$SERVE_LOG" \
    && pass || fail "the error log names the file and the setting"
  req /api/v1/instance/privacy_policy
  expect_status 404 "nor in the API"
  ok config unset instance.privacy_policy_file
  curl -s -o "$TMP/favicon.ico" -D "$TMP/favicon.h" "http://127.0.0.1:$PORT/favicon.ico"
  assert_contains "$(tr 'A-Z' 'a-z' <"$TMP/favicon.h" | tr -d '\r')" "content-type: image/x-icon" "favicon type"
  assert_contains "$(tr 'A-Z' 'a-z' <"$TMP/favicon.h" | tr -d '\r')" "cache-control: public, max-age=31536000" "kept long"
  assert_eq "$(head -c 4 "$TMP/favicon.ico" | od -An -tx1 | tr -d ' ')" "00000100" "an ICO file"
  [ "$(stat -c %s "$TMP/favicon.ico")" -lt 1024 ] && pass || fail "the favicon is small"
}

test_about
test_privacy_policy_and_favicon
stop_serve TERM
finish
