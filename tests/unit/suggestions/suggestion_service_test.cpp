#include "instctl/suggestions/suggestion_service.hpp"

#include <gtest/gtest.h>

#include "acting.hpp"
#include "instctl/core/error.hpp"
#include "instctl/users/user_service.hpp"
#include "test_support.hpp"

namespace instctl::suggestions {

class SuggestionServiceTest : public ::testing::Test {
 protected:
  std::int64_t make(const std::string& name, bool pending = false) {
    users::CreateRequest r;
    r.username = name;
    r.email = name + "@example.com";
    r.pending = pending;
    return users.create(r).user.id;
  }
  std::vector<std::string> shown_to(std::int64_t id) {
    std::vector<std::string> out;
    for (const auto& u : svc.for_newcomer(id)) out.push_back(u.username);
    return out;
  }
  test::TestInstance t;
  SuggestionService svc{t.env};
  users::UserService users{t.env};
};

TEST_F(SuggestionServiceTest, AddListRemoveAreAuditedAndAllOrNothing) {
  make("grace");
  make("hopper");
  EXPECT_EQ(svc.add({"grace", "hopper"}).size(), 2u);
  EXPECT_EQ(test::kind_of([&] { svc.add({"grace"}); }), ErrorKind::conflict);
  EXPECT_EQ(test::kind_of([&] { svc.remove({"hopper", "ghost"}); }), ErrorKind::not_found);
  EXPECT_EQ(svc.list().size(), 2u) << "a failed remove changes nothing";
  svc.remove({"hopper"});
  EXPECT_EQ(test::kind_of([&] { svc.remove({"hopper"}); }), ErrorKind::not_found);
  const auto list = svc.list();
  ASSERT_EQ(list.size(), 1u);
  const auto j = svc.to_json(list.front());
  EXPECT_EQ(j["handle"], "@grace@localhost:8080");
  EXPECT_EQ(j["suggested_by"], "cli:test");
  auto st = t.env.db.prepare("SELECT count(*) FROM audit_log WHERE action LIKE 'suggestions.%'");
  st->step();
  EXPECT_EQ(st->get_int(0), 3);
}

TEST_F(SuggestionServiceTest, OnlyActiveLocalUsersCanBeSuggested) {
  make("pat", true);
  make("sus");
  test::act(t.env, "sus", moderation::Action::suspend, std::string("test"));
  make("quiet");
  test::act(t.env, "quiet", moderation::Action::silence, std::string("test"));
  for (const char* who : {"pat", "sus", "quiet"}) {
    EXPECT_EQ(test::kind_of([&] { svc.add({who}); }), ErrorKind::conflict) << who;
  }
  EXPECT_EQ(test::kind_of([&] { svc.add({"ghost"}); }), ErrorKind::not_found);
  EXPECT_EQ(test::kind_of([&] { svc.add({""}); }), ErrorKind::usage);
  EXPECT_TRUE(svc.list().empty());
}

TEST_F(SuggestionServiceTest, NewcomersSeeActiveAccountsTheyDoNotFollowYet) {
  make("grace");
  make("hopper");
  make("lovelace");
  svc.add({"grace", "hopper", "lovelace"});
  test::act(t.env, "lovelace", moderation::Action::suspend, std::string("test"));
  const auto newbie = make("newbie");
  EXPECT_EQ(shown_to(newbie), (std::vector<std::string>{"grace", "hopper"}));
  t.env.db.prepare("INSERT INTO follows (follower_id, followed_id, created_at) VALUES (?, ?, 0)")
      ->bind_all(newbie, users.resolve("hopper").id)
      .run();
  EXPECT_EQ(shown_to(newbie), (std::vector<std::string>{"grace"}));
  EXPECT_EQ(shown_to(users.resolve("grace").id), (std::vector<std::string>{"hopper"}))
      << "never oneself";
}

}  // namespace instctl::suggestions
