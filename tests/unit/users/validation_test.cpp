#include "instctl/users/validation.hpp"

#include <gtest/gtest.h>

#include "instctl/core/error.hpp"
#include "instctl/users/user_ref.hpp"

namespace instctl::users {

TEST(Username, AcceptsMastodonUsernames) {
  for (const char* ok : {"alice", "Alice_99", "a", "_", "abcdefghijklmnopqrstuvwxyz1234"}) {
    EXPECT_FALSE(username_problem(ok).has_value()) << ok;
  }
}

TEST(Username, RefusesBadOrReservedNames) {
  for (const char* bad :
       {"", "has space", "dot.ted", "dash-ed", "émile", "abcdefghijklmnopqrstuvwxyz12345", "admin",
        "ROOT", "actor", "inbox", "api"}) {
    EXPECT_TRUE(username_problem(bad).has_value()) << bad;
  }
  EXPECT_THROW(require_valid_username("admin"), Error);
}

TEST(Email, ValidatesAndNormalises) {
  EXPECT_FALSE(email_problem("Ann.Lee+tag@Example.COM").has_value());
  EXPECT_EQ(normalize_email("  Ann@Example.COM "), "Ann@example.com");
  EXPECT_EQ(email_key("Ann@Example.COM"), "ann@example.com");
  EXPECT_EQ(email_domain("x@Mail.Example.org"), "mail.example.org");
  for (const char* bad :
       {"", "plain", "@example.com", "a@", "a@localhost", "a b@example.com", "a@exa mple.com",
        "a..b@example.com", ".a@example.com", "a@-bad.com", "a@example..com"}) {
    EXPECT_TRUE(email_problem(bad).has_value()) << bad;
  }
}

TEST(UserRef, ParsesEveryForm) {
  const auto id = parse_user_ref("id:42", "short.example", "social.example", false);
  EXPECT_EQ(id.kind, UserRef::Kind::id);
  EXPECT_EQ(id.id, 42);
  EXPECT_EQ(parse_user_ref("@alice", "short.example", "social.example", false).username, "alice");
  const auto local =
      parse_user_ref("alice@Short.Example", "short.example", "social.example", false);
  EXPECT_EQ(local.kind, UserRef::Kind::local_username);
  const auto web = parse_user_ref("alice@social.example", "short.example", "social.example", false);
  EXPECT_EQ(web.kind, UserRef::Kind::local_username);
  const auto email = parse_user_ref("alice@gmail.com", "short.example", "social.example", false);
  EXPECT_EQ(email.kind, UserRef::Kind::email);
  const auto remote =
      parse_user_ref("@bob@mastodon.social", "short.example", "social.example", false);
  EXPECT_EQ(remote.kind, UserRef::Kind::remote_acct);
  EXPECT_EQ(remote.domain, "mastodon.social");
  EXPECT_THROW(parse_user_ref("id:x", "a", "b", false), Error);
  EXPECT_THROW(parse_user_ref("id:0", "a", "b", false), Error);
  EXPECT_THROW(parse_user_ref("a@", "a", "b", false), Error);
  EXPECT_THROW(parse_user_ref("", "a", "b", false), Error);
  // A property the user_ref fuzz target checks: "@" alone was the local user with an empty name.
  EXPECT_THROW(parse_user_ref("@", "a", "b", false), Error);
  EXPECT_THROW(parse_user_ref(" @ ", "a", "b", true), Error);
}

}  // namespace instctl::users
