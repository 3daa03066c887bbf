#include "instctl/users/directory.hpp"

#include <gtest/gtest.h>

#include "acting.hpp"
#include "instctl/activitypub/account_entity.hpp"
#include "instctl/users/public_profile.hpp"
#include "instctl/users/user_service.hpp"
#include "test_support.hpp"

namespace instctl::users {

namespace {
using moderation::Action;
using Opt = std::optional<std::string>;
}  // namespace

TEST(DirectoryQuery, MastodonDefaultsAndLimits) {
  const auto d = parse_directory_query({}, {}, {}, {});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->offset, 0);
  EXPECT_EQ(d->limit, 40);
  EXPECT_EQ(d->order, DirectoryOrder::active);
  EXPECT_EQ(parse_directory_query(Opt("5"), Opt("500"), Opt("new"), Opt("true"))->limit, 80)
      << "clamped, as Mastodon's limit_param";
  EXPECT_EQ(parse_directory_query({}, {}, Opt("new"), {})->order, DirectoryOrder::newest);
  EXPECT_TRUE(parse_directory_query({}, {}, {}, Opt("1"))->local);
}

TEST(DirectoryQuery, BadParametersAreRefusedWithTheirName) {
  EXPECT_NE(parse_directory_query({}, Opt("0"), {}, {}).error.find("limit"), std::string::npos);
  EXPECT_FALSE(parse_directory_query({}, Opt("-3"), {}, {}));
  EXPECT_FALSE(parse_directory_query({}, Opt("ten"), {}, {}));
  EXPECT_FALSE(parse_directory_query({}, Opt(""), {}, {}));
  EXPECT_FALSE(parse_directory_query({}, Opt("99999999999999999999"), {}, {}));
  EXPECT_NE(parse_directory_query(Opt("-1"), {}, {}, {}).error.find("offset"), std::string::npos);
  EXPECT_NE(parse_directory_query({}, {}, Opt("popular"), {}).error.find("order"),
            std::string::npos);
  EXPECT_NE(parse_directory_query({}, {}, {}, Opt("maybe")).error.find("local"), std::string::npos);
}

TEST(Directory, ListsActiveDiscoverableLocalAccountsAsMastodonAccounts) {
  test::TestInstance t;
  UserService users(t.env);
  for (const char* name : {"grace", "hidden", "sus", "waiting"}) {
    CreateRequest r;
    r.username = name;
    r.email = std::string(name) + "@example.com";
    r.note = "Hi <b>all</b>";
    r.pending = std::string(name) == "waiting";
    users.create(r);
    t.clock.advance(60);
  }
  test::act(t.env, "sus", Action::suspend, std::string("test"));
  t.env.db.prepare("UPDATE accounts SET discoverable = (username <> 'hidden')")->run();
  DirectoryQuery q;
  q.order = DirectoryOrder::newest;
  const auto listed = list_directory(t.env, q);
  ASSERT_EQ(listed.size(), 1u);
  const auto site = instance::load(t.env.db);
  const auto a = activitypub::account_entity(site, public_profile(listed[0].user), {2, 1});
  EXPECT_EQ(a["username"], "grace");
  EXPECT_EQ(a["acct"], "grace");
  EXPECT_EQ(a["id"], std::to_string(listed[0].user.id));
  EXPECT_EQ(a["note"], "<p>Hi &lt;b&gt;all&lt;/b&gt;</p>");
  EXPECT_EQ(a["url"], "https://localhost:8080/@grace");
  EXPECT_EQ(a["followers_count"], 2);
  EXPECT_EQ(a["following_count"], 1);
  EXPECT_TRUE(a["last_status_at"].is_null());
  EXPECT_TRUE(a["fields"].is_array());
  q.offset = 1;
  EXPECT_TRUE(list_directory(t.env, q).empty());
}

}  // namespace instctl::users
