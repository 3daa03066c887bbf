#include "instctl/members/data_export.hpp"

#include <gtest/gtest.h>

#include "instctl/moderation/moderation_service.hpp"
#include "instctl/users/user_service.hpp"
#include "instctl/waitlist/waitlist_service.hpp"
#include "test_support.hpp"

namespace instctl::members {

namespace {

// Every key of a JSON document, nested ones included.
void keys_of(const Json& j, std::vector<std::string>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      out.push_back(k);
      keys_of(v, out);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) keys_of(v, out);
  }
}

}  // namespace

TEST(DataExport, HoldsTheAccountAndNoSecret) {
  test::TestInstance t;
  users::UserService users(t.env);
  users::CreateRequest req;
  req.username = "bea";
  req.email = "bea@example.com";
  req.password = "correct-horse";
  const auto bea = users.create(req).user;
  users.ensure_keys(bea.id);
  const auto j = export_data(t.env, users.resolve("bea"));
  EXPECT_EQ(j["version"], k_export_version);
  EXPECT_EQ(j["account"]["username"], "bea");
  EXPECT_EQ(j["account"]["email"], "bea@example.com");
  EXPECT_EQ(j["account"]["has_password"], true);
  for (const char* list : {"identities", "followers", "following", "follow_requests", "invites",
                           "reports_filed", "strikes"}) {
    EXPECT_TRUE(j[list].is_array()) << list;
  }
  EXPECT_TRUE(j["waitlist_entry"].is_null());
  EXPECT_TRUE(j["account"]["notify"].is_string());
  std::vector<std::string> keys;
  keys_of(j, keys);
  for (const auto& k : keys) {
    EXPECT_EQ(k.find("password_hash"), std::string::npos) << k;
    EXPECT_EQ(k.find("private"), std::string::npos) << k;
    EXPECT_EQ(k.find("token"), std::string::npos) << k;
  }
  const auto text = j.dump();
  EXPECT_EQ(text.find("PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(text.find("scrypt"), std::string::npos);
}

TEST(DataExport, HoldsTheStrikesAndTheWaitlistEntryButNotTheModerator) {
  test::TestInstance t;
  waitlist::AddRequest join;
  join.email = "Bea@Example.com";
  join.username = "bea";
  join.reason = "I write about trains";
  waitlist::WaitlistService(t.env).add(join);
  users::UserService users(t.env);
  users::CreateRequest req;
  req.username = "bea";
  req.email = "bea@example.com";
  users.create(req);
  users::CreateRequest grace;
  grace.username = "grace";
  grace.email = "grace@example.com";
  grace.role = users::Role::moderator;
  users.create(grace);
  moderation::ModerationService mod(t.env);
  moderation::ActionRequest warn;
  warn.action = moderation::Action::warn;
  warn.text = "Please mark spoilers";
  mod.act("bea", mod.identify("grace"), warn);

  const auto j = export_data(t.env, users.resolve("bea"));
  ASSERT_EQ(j["strikes"].size(), 1U);
  EXPECT_EQ(j["strikes"][0]["action"], "warn");
  EXPECT_EQ(j["strikes"][0]["text"], "Please mark spoilers");
  EXPECT_EQ(j.dump().find("grace"), std::string::npos);
  ASSERT_TRUE(j["waitlist_entry"].is_object());
  EXPECT_EQ(j["waitlist_entry"]["reason"], "I write about trains");
  EXPECT_EQ(j["waitlist_entry"]["username"], "bea");
}

}  // namespace instctl::members
