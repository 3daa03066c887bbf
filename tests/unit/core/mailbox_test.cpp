// mail.from: an address, or Name <address> as admins copy it from other servers' settings.

#include <gtest/gtest.h>

#include "instctl/core/config_keys.hpp"
#include "instctl/core/error.hpp"

namespace instctl {
namespace {

TEST(Mailbox, PlainAddress) {
  const auto m = parse_mailbox(" invites@example.com ");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name, "");
  EXPECT_EQ(m->address, "invites@example.com");
}

TEST(Mailbox, NameAndAddressQuotedOrNot) {
  auto m = parse_mailbox("Harbour Invites <invites@example.com>");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name, "Harbour Invites");
  EXPECT_EQ(m->address, "invites@example.com");
  m = parse_mailbox("\"Harbour Invites\" <invites@example.com>");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name, "Harbour Invites");
  m = parse_mailbox("<invites@example.com>");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name, "");
  EXPECT_EQ(m->address, "invites@example.com");
}

TEST(Mailbox, RefusesWhatAHeaderCouldNotCarry) {
  for (const char* bad :
       {"", "Harbour", "Harbour <invites>", "Harbour <invites@example.com",
        "Har\"bour <invites@example.com>", "a <b> <invites@example.com>",
        "Harbour <in vites@example.com>", "Harbour\r\nBcc: x@y <a@b.c>", "x@y.z, other@y.z"}) {
    EXPECT_FALSE(parse_mailbox(bad)) << bad;
  }
}

TEST(Mailbox, MailFromSettingStoresOneForm) {
  EXPECT_EQ(validate_config_value("mail.from", "\"Harbour\"   <invites@example.com>"),
            "Harbour <invites@example.com>");
  EXPECT_EQ(validate_config_value("mail.from", "invites@example.com"), "invites@example.com");
  EXPECT_THROW(validate_config_value("mail.from", "Harbour <nope>"), Error);
  EXPECT_THROW(validate_config_value("instance.contact_email", "Harbour <a@b.c>"), Error)
      << "other addresses stay plain";
}

// The addresses and URLs of settings go through the one email rule and the one URL parser.
TEST(ConfigValues, AddressesAndUrlsUseTheSharedRules) {
  EXPECT_EQ(validate_config_value("instance.contact_email", "mods@localhost"), "mods@localhost");
  EXPECT_EQ(validate_config_value("mail.from", "Harbour <invites@localhost>"),
            "Harbour <invites@localhost>");
  for (const char* bad : {"a@@b.example", "a@b.example,c@d.example", "@b.example", "a@", "a@-b"}) {
    EXPECT_THROW(validate_config_value("instance.contact_email", bad), Error) << bad;
    EXPECT_THROW(validate_config_value("mail.from", bad), Error) << bad;
  }
  EXPECT_EQ(validate_config_value("server.public_url", "https://Social.Example/"),
            "https://Social.Example");
  EXPECT_EQ(validate_config_value("auth.oidc.issuer", "http://127.0.0.1:8080/oidc"),
            "http://127.0.0.1:8080/oidc");
  for (const char* bad :
       {"https://user@social.example", "https://social.example:99999", "https://social%2eexample",
        "https://", "ftp://social.example", "https://[::1"}) {
    EXPECT_THROW(validate_config_value("server.public_url", bad), Error) << bad;
  }
}

}  // namespace
}  // namespace instctl
