#include "instctl/mail/mail_template.hpp"

#include <gtest/gtest.h>

#include "instctl/invites/invite_mail.hpp"
#include "instctl/users/account_mails.hpp"

namespace instctl::mail {

namespace {
using users::ModerationNotice;
using users::ReportNotice;
Site example_site() {
  Site s;
  s.info.title = "Example Social";
  s.info.public_url = "https://social.example.com";
  instance::settle_domains(s.info);
  s.description = "A small place\nfor friends.";
  s.contact_email = "mods@example.com";
  return s;
}

users::User quinn() {
  users::User u;
  u.username = "quinn";
  u.display_name = "Quinn";
  u.email = "quinn@example.org";
  u.created_at = 1795846898;
  return u;
}

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}
}  // namespace

TEST(MailTemplate, GreetsByNameWithACapitalAndSignsWithTheInstance) {
  const auto m = approved_message(example_site(), quinn());
  EXPECT_EQ(m.subject, "Your account on Example Social is approved");
  EXPECT_TRUE(m.body.starts_with("Hello Quinn,\n\nYour sign-up")) << m.body;
  EXPECT_TRUE(has(m.body, "Your handle is @quinn@social.example.com.")) << m.body;
  EXPECT_TRUE(has(
      m.body, "\n-- \nExample Social\nA small place\nfor friends.\nhttps://social.example.com\n"))
      << m.body;
  auto nameless = quinn();
  nameless.display_name.clear();
  EXPECT_TRUE(welcome_message(example_site(), nameless).body.starts_with("Hello quinn,\n"))
      << "the username";
}

TEST(MailTemplate, DatesAreWrittenForPeople) {
  ModerationNotice n{"suspend", "Spam, again.", {"No spam"}, 1795846898};
  const auto m = moderation_message(example_site(), quinn(), n);
  EXPECT_EQ(m.subject, "Your account on Example Social is suspended");
  EXPECT_TRUE(has(m.body, "Saturday 28 November 2026, 06:21 UTC")) << m.body;
  EXPECT_FALSE(has(m.body, "2026-11-28T")) << m.body;
  EXPECT_TRUE(has(m.body, "The moderators wrote:\n  Spam, again.\n")) << m.body;
  EXPECT_TRUE(has(m.body, "- No spam\n")) << m.body;
  EXPECT_TRUE(has(m.body, "write to mods@example.com")) << m.body;
}

// Outside data reaches a mail as text: no HTML escaping, and no control character that could
// start a header, move a terminal's cursor or forge a line of the mail.
TEST(MailTemplate, ControlCharactersFromOutsideAreEscapedNotHtml) {
  auto u = quinn();
  u.display_name = "Q <b>&amp;\x1b[31m\r\nBcc: x@example.com";
  ModerationNotice n{"warn", "line one\nline \x07two", {}, 1795846898};
  const auto m = moderation_message(example_site(), u, n);
  EXPECT_TRUE(has(m.body, "Hello Q <b>&amp;\\x1b[31m\\r\\nBcc: x@example.com,")) << m.body;
  EXPECT_FALSE(has(m.body, "&lt;")) << "no HTML escaping in plain text";
  EXPECT_FALSE(has(m.body, "\x1b")) << m.body;
  EXPECT_TRUE(has(m.body, "  line one\n  line \\x07two\n")) << "lines kept, controls escaped";
  ReportNotice r{4, "spam@remote.example", "", "spam", "Buy\x1b]0;pwned\x07 now", {}, 1795846898};
  const auto notice = report_message(example_site(), quinn(), r);
  EXPECT_FALSE(has(notice.body, "\x1b")) << notice.body;
  EXPECT_EQ(notice.subject, "New report on Example Social: spam@remote.example");
  u.display_name = "Evil\nSubject";
  EXPECT_EQ(pending_message(example_site(), quinn(), u).subject.find('\n'), std::string::npos);
}

TEST(MailTemplate, ResetMailCarriesTheLinkAndTheIgnoreLine) {
  const auto m = reset_message(example_site(), quinn(),
                               "https://social.example.com/auth/reset/TOKEN", 1795846898 + 86400);
  EXPECT_EQ(m.subject, "Reset your password on Example Social");
  EXPECT_TRUE(has(m.body, "\nhttps://social.example.com/auth/reset/TOKEN\n")) << m.body;
  EXPECT_TRUE(has(m.body, "until Sunday 29 November 2026, 06:21 UTC")) << m.body;
  EXPECT_TRUE(has(m.body, "If you did not ask for this, you can ignore this mail")) << m.body;
}

TEST(MailTemplate, InviteMailIsATemplateWithTheIgnoreLine) {
  invites::Invite inv;
  inv.code = "K7PQ2XR9TMHD";
  inv.max_uses = 1;
  inv.expires_at = 1795846898;
  const auto m = invites::invite_message(example_site(), inv, {},
                                         "https://social.example.com/invite/K7PQ2XR9TMHD");
  EXPECT_EQ(m.subject, "Your invite to Example Social");
  EXPECT_TRUE(m.body.starts_with("Hello,\n\nYou are invited to join Example Social")) << m.body;
  EXPECT_TRUE(
      has(m.body, "The invite works once and expires on Saturday 28 November 2026, 06:21 UTC."))
      << m.body;
  EXPECT_TRUE(has(m.body, "If you did not expect this mail, you can ignore it")) << m.body;
  EXPECT_FALSE(has(m.body, "\n\n\n")) << "no runs of blank lines: " << m.body;
}

TEST(MailTemplate, EveryTemplateHasASubjectLine) {
  for (const auto& t : embedded_mail_templates()) {
    if (t.name.starts_with('_')) continue;
    EXPECT_TRUE(t.text.starts_with("Subject: ")) << t.name;
  }
}

}  // namespace instctl::mail
