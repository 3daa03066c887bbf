#include "instctl/mail/message.hpp"

#include <gtest/gtest.h>

#include "instctl/core/csv.hpp"
#include "instctl/core/error.hpp"
#include "instctl/invites/invite_mail.hpp"

namespace instctl::mail {

TEST(Message, QuotedPrintable) {
  EXPECT_EQ(quoted_printable("plain text\n"), "plain text\r\n");
  EXPECT_EQ(quoted_printable("Tëst = 1"), "T=C3=ABst =3D 1");
  EXPECT_EQ(quoted_printable("trailing \nx"), "trailing=20\r\nx");
  EXPECT_EQ(quoted_printable(".\n"), "=2E\r\n") << "a lone dot never ends the data";
  const auto long_line = quoted_printable(std::string(200, 'a'));
  for (std::size_t start = 0, end; start < long_line.size(); start = end + 2) {
    end = long_line.find("\r\n", start);
    if (end == std::string::npos) end = long_line.size();
    EXPECT_LE(end - start, 76u);
  }
}

TEST(Message, HeadersAreEncodedAndSingleLine) {
  EXPECT_EQ(header_text("Hello"), "Hello");
  EXPECT_EQ(header_text("Tëst"), "=?UTF-8?B?VMOrc3Q=?=");
  Message m;
  m.from_name = "Example Social";
  m.from = "invites@example.com";
  m.to = "a@example.com\r\nBcc: evil@example.com";
  m.subject = "Your invite";
  m.body = "Hi\n";
  m.date = 1795846898;
  m.message_id = new_message_id("social.example:8080");
  const auto text = render(m);
  EXPECT_NE(text.find("Date: Sat, 28 Nov 2026 06:21:38 +0000\r\n"), std::string::npos);
  EXPECT_NE(text.find("From: \"Example Social\" <invites@example.com>\r\n"), std::string::npos);
  EXPECT_EQ(text.find("\r\nBcc:"), std::string::npos) << "no header injection";
  EXPECT_NE(text.find("@social.example>\r\n"), std::string::npos);
  EXPECT_NE(text.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(text.find("MIME-Version: 1.0\r\n"), std::string::npos);
}

TEST(Csv, QuotesAndLines) {
  const auto rows = parse_csv("a,b\r\n\"x, \"\"y\"\"\",\"multi\nline\"\n\nlast,\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].fields[0], "x, \"y\"");
  EXPECT_EQ(rows[1].fields[1], "multi\nline");
  EXPECT_EQ(rows[2].line, 5u);
  EXPECT_EQ(rows[2].fields.size(), 2u);
  EXPECT_THROW(parse_csv("a,\"open\n"), Error);
}

TEST(Message, InviteMailWritesHandlesOnTheAccountDomain) {
  instance::InstanceInfo site;
  site.title = "Example Social";
  site.public_url = "https://social.example.com";
  site.separate_account_domain = "short.example";
  instance::settle_domains(site);
  invites::Invite inv;
  inv.code = "K7PQ2XR9TMHD";
  inv.autofollows = {"ada", "grace"};
  const auto m = invites::invite_message(Site{site, {}, {}}, inv, {},
                                         "https://social.example.com/invite/K7PQ2XR9TMHD");
  EXPECT_NE(m.body.find("join Example Social (short.example)"), std::string::npos) << m.body;
  EXPECT_NE(
      m.body.find("Your handle will be @username@short.example, with the username you choose."),
      std::string::npos)
      << m.body;
  EXPECT_NE(
      m.body.find("You will follow @ada@short.example and @grace@short.example when you join."),
      std::string::npos)
      << m.body;
}

// The mail says what the invite page says about the username (invites::handle_sentence).
TEST(Message, InviteMailSaysWhatThePageSaysAboutTheUsername) {
  instance::InstanceInfo site;
  site.title = "Example Social";
  site.public_url = "https://social.example.com";
  instance::settle_domains(site);
  invites::Invite inv;
  inv.code = "K7PQ2XR9TMHD";
  const invites::HandleOffer fixed{invites::HandleChoice::fixed, "amy"};
  auto m = invites::invite_message(Site{site, {}, {}}, inv, fixed,
                                   "https://social.example.com/invite/K7PQ2XR9TMHD");
  EXPECT_NE(m.body.find(invites::handle_sentence(site, fixed)), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("Your account @amy@social.example.com is ready for you"), std::string::npos)
      << m.body;
  EXPECT_EQ(m.body.find("the username you choose"), std::string::npos) << m.body;
  const invites::HandleOffer suggested{invites::HandleChoice::suggested, "quinn"};
  inv.message = "Welcome aboard!";
  m = invites::invite_message(Site{site, {}, {}}, inv, suggested,
                              "https://social.example.com/invite/K7PQ2XR9TMHD");
  EXPECT_NE(
      m.body.find("Your handle will be @quinn@social.example.com, the username you asked for"),
      std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("Welcome aboard!"), std::string::npos) << m.body;
}

}  // namespace instctl::mail
