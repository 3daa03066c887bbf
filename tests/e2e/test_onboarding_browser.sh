#!/usr/bin/env bash
# The onboarding, member and public pages (profile, about, /) in a real browser: Debian's chromium, headless, driven by
# playwright-core (tests/browser) against `instctl serve` on loopback. Screenshots go to
# $INSTCTL_SCREENSHOTS when set (the README's pictures in docs/ come from here: invite.png is
# docs/onboarding-invite.png, settings.png is docs/member-settings.png, profile-phone.png and
# about-desktop.png keep their names), else
# to the suite's temporary directory.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/serve_lib.sh"
source "$(dirname "$0")/smtp_lib.sh"
source "$(dirname "$0")/browser_lib.sh"

browser_suite
HOST=127.0.0.1:$PORT
"$BIN" init --domain "$HOST" --public-url "http://$HOST" --title "Harbour Writers" --admin ada \
  --admin-email ada@example.com >/dev/null 2>&1 || { echo "init failed" >&2; exit 1; }
ok config set instance.description "A small, friendly place for the harbour's writers and readers."
ok config set waitlist.enabled true
ok rules add "Be kind to one another." --hint "No harassment, no hate."
ok rules add "Credit other people's work."
ok waitlist add early@example.com
ok --json users create grace --email grace@example.com --display-name "Grace H." --note "Writes about ships & harbours."
activation=$(jqo .activation_url | sed "s|^http://$HOST||")
ok suggestions add grace
new_code() { "$BIN" -q invites create "$@" | sed 's|.*/invite/||'; }
code=$(new_code --message "Come and write with us! - Ada" --autofollow ada)
second=$(new_code)
exhausted=$(new_code)
ok users create used --email used@example.com --invite "$exhausted"
printf '# What we keep\n\nYour **address**, to send your invite.\n' >"$TMP/privacy.md"
ok config set instance.privacy_policy_file "$TMP/privacy.md"
start_smtp  # the waitlist's confirmation link is followed from the mail that arrives here
use_smtp || fail "mail settings"
start_serve "$PORT"

browser_run onboarding.mjs "http://$HOST" "$code" "$second" "$exhausted" "$shots" "$activation" "$MAILDIR"
assert_eq "$(saw .invite_status)" "200" "invite page"
assert_contains "$(saw .invite_text)" "Harbour Writers" "the invite page shows the title"
assert_contains "$(saw .invite_text)" "friendly place" "and the description"
assert_contains "$(saw .invite_text)" "Credit other people's work." "and the rules"
assert_contains "$(saw .invite_text)" "Come and write with us! - Ada" "and the inviter's message"
assert_eq "$(saw .invite_form_visible)" "true" "the form is visible"
assert_eq "$(saw .invite_fits_phone)" "true" "no sideways scrolling on a phone"
assert_eq "$(saw .lang)" "en" "lang attribute"
assert_eq "$(saw '.card_heading_gaps | length > 0')" "true" "cards with headings"
assert_eq "$(saw '[.card_heading_gaps[] | select(. > 20)] | length')" "0" \
  "no empty space above a card's heading (px from the card's top: $(saw '.card_heading_gaps | join(",")'))"

assert_contains "$(saw .welcome_text)" "@newbie@$HOST" "the welcome page shows the handle"
assert_contains "$(saw .welcome_text)" "no approval needed" "and that no approval is pending"
assert_contains "$(saw .welcome_text)" "You now follow @ada@$HOST" "and the autofollow"
assert_contains "$(saw .welcome_text)" "People to follow" "and the suggested accounts"
assert_contains "$(saw .welcome_text)" "@grace@$HOST Grace H." "with their handles and names"
assert_contains "$(saw .welcome_text)" "Writes about ships & harbours." "and their bios"
assert_eq "$(saw .suggestion_href)" "http://$HOST/@grace" "a suggested account links to its profile page"
assert_eq "$(saw .suggestion_h1)" "Grace H." "which opens"
ok --json users show newbie
assert_eq "$(jqo .invite_code)" "$code" "users show lists the invite"
assert_eq "$(jqo .status)" "active" "the new user is active"
assert_eq "$(jqo .following_count)" "1" "and follows ada"

assert_eq "$(saw .taken_error)" "This username is taken. Please choose another one." "taken username"
assert_eq "$(saw .taken_error_visible)" "true" "the error is shown"
assert_contains "$(saw .taken_described_by)" "username-error" "and tied to the username field"
assert_eq "$(saw .taken_kept_email)" "other@example.com" "the email is kept"
assert_eq "$(saw .taken_kept_username)" "newbie" "the username is kept"
assert_eq "$(saw .taken_password)" "" "the password is not"
assert_eq "$(saw .taken_agree_checked)" "true" "the agreement is kept"
assert_contains "$(saw .taken_summary)" "This username is taken. Please choose another one." \
  "a summary of the problems at the top of the form"
assert_eq "$(saw .taken_summary_link)" "#username" "its item leads to the field"
assert_eq "$(saw '.taken_scrolled > 0')" "true" "on a phone the page comes back scrolled down to it"
assert_eq "$(saw '.taken_summary_top >= 0 and .taken_summary_top < 200')" "true" \
  "the summary is at the top of the screen ($(saw .taken_summary_top) px)"
assert_eq "$(saw '.empty_errors | length')" "4" "an empty form: a problem for each field"
assert_eq "$(saw '[.empty_errors[] | select(test("^[A-Z].*[.]$") | not)] | length')" "0" \
  "each a sentence: $(saw '.empty_errors | join(" | ")')"
assert_eq "$(saw '[.empty_errors[] | select(test("--|instctl"))] | length')" "0" "no command-line wording"
assert_eq "$(saw '.empty_summary_items == .empty_errors')" "true" "the summary lists the same, in the page's order"
assert_eq "$(saw '.empty_summary_top >= 0 and .empty_summary_top < 200')" "true" "and is on screen"

assert_eq "$(saw .exhausted_status)" "410" "used-up invite"
assert_contains "$(saw .exhausted_text)" "This invite has been used up" "says so"
assert_contains "$(saw .exhausted_text)" "Join the waitlist" "with the waitlist link"

assert_eq "$(saw .waitlist_form_visible)" "true" "the waitlist form is visible"
assert_eq "$(saw .waitlist_fits_phone)" "true" "on a phone too"
assert_contains "$(saw .waitlist_page_text)" "Harbour Writers" "the waitlist page shows the title"
assert_eq "$(saw .privacy_h1)" "Privacy policy" "the waitlist form's privacy link opens the policy"
assert_contains "$(saw .privacy_text)" "What we keep" "its text, from Markdown"
assert_contains "$(saw .joined_text)" "check your email" "joined, and asked to confirm the address"
assert_eq "$(saw .confirm_status)" "200" "the mailed link opens"
assert_contains "$(saw .confirm_text)" "Press the button to confirm your address" "a page with a button"
assert_contains "$(saw .confirmed_text)" "Your address is confirmed" "pressing it confirms"
assert_contains "$(saw .confirmed_text)" "Your place in the queue is 2" "and tells the place: second in the queue"
assert_contains "$(saw .duplicate_text)" "already on the list" "a duplicate join is friendly"
assert_eq "$(saw .duplicate_position)" "2" "and tells the same position"
assert_not_contains "$(saw .duplicate_text)" "early@example.com" "no other entry is shown"
ok --json waitlist show hopeful@example.com
assert_eq "$(jqo .username) $(jqo .source) $(jqo .confirmed)" "hopeful web true" "the entry as waitlist show sees it"
for w in phone desktop; do
  assert_eq "$(saw ".profile_$w.status")" "200" "the profile page ($w)"
  assert_eq "$(saw ".profile_$w.h1")" "Grace H." "shows the display name ($w)"
  assert_contains "$(saw ".profile_$w.text")" "@grace@$HOST" "and the handle ($w)"
  assert_contains "$(saw ".profile_$w.text")" "Writes about ships & harbours." "and the bio ($w)"
  assert_contains "$(saw ".profile_$w.text")" "Follow Grace H." "and how to follow ($w)"
  assert_eq "$(saw ".profile_$w.alternate")" "http://$HOST/users/grace" "its alternate link is the actor ($w)"
  assert_eq "$(saw ".about_$w.status")" "200" "/about ($w)"
  assert_contains "$(saw ".about_$w.text")" "Credit other people's work." "shows the rules ($w)"
  assert_contains "$(saw ".about_$w.text")" "Join the waitlist" "and the way in ($w)"
  assert_eq "$(saw ".front_$w.url")" "http://$HOST/waitlist" "/ leads to the waitlist, the front door here ($w)"
  for p in profile about front; do
    assert_eq "$(saw ".${p}_$w.fits")" "true" "$p: nothing wider than the screen ($w)"
    assert_eq "$(saw ".${p}_$w.footer_visible")" "true" "$p: the footer ($w)"
  done
done
assert_eq "$(saw .activate_status)" "200" "the activation link users create printed"
assert_eq "$(saw .activate_fits_phone)" "true" "its form fits a phone"
assert_contains "$(saw .settings_text)" "@grace@$HOST" "activated and signed in: the settings say who"
assert_eq "$(saw '.session_cookie | "\(.httpOnly) \(.sameSite) \(.value)"')" "true Lax 43" "the session cookie"
assert_contains "$(saw .signed_out_text)" "You have signed out" "sign-out"
assert_eq "$(saw .after_sign_out_url)" "http://$HOST/auth/sign_in" "settings need signing in again"
assert_eq "$(saw .signed_in_again)" "@grace@$HOST" "signing in with the new password"
assert_contains "$(saw .saved_text)" "Your profile is saved." "the settings saved"
assert_contains "$(saw .actor_summary)" "Charts the harbour." "the new bio in the actor document"
assert_eq "$(saw '.directory | index("grace") != null')" "true" "opted in to the directory"
assert_eq "$(saw '.favicon | "\(.status) \(.type)"')" "200 image/x-icon" "the favicon"
assert_eq "$(saw '.console_errors | length')" "0" "no console errors (CSP): $(saw '.console_errors | join("; ")')"
for s in invite welcome taken-username empty-sign-up exhausted privacy-policy waitlist waitlist-joined \
  waitlist-confirm waitlist-duplicate \
  profile-phone profile-desktop about-phone about-desktop front-phone front-desktop activate settings; do
  if [ -s "$shots/$s.png" ]; then pass; else fail "no screenshot $s.png"; fi
done
stop_serve
finish
