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
  for (const char* bad : {"", "Harbour", "Harbour <invites>", "Harbour <invites@example.com",
                          "Har\"bour <invites@example.com>", "a <b> <invites@example.com>",
                          "Harbour <in vites@example.com>", "Harbour\r\nBcc: x@y <a@b.c>",
                          "x@y.z, other@y.z"}) {
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

}  // namespace
}  // namespace instctl
