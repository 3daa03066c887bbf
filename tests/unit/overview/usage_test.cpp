#include "instctl/overview/usage.hpp"

#include <gtest/gtest.h>

#include "acting.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/users/user_service.hpp"
#include "test_support.hpp"

namespace instctl::overview {

TEST(Usage, MembersAndActivityWindows) {
  test::TestInstance inst;
  users::UserService svc(inst.env);
  users::CreateRequest r;
  r.username = "old";
  r.email = "old@example.com";
  svc.create(r);
  inst.clock.advance(100 * 86400);
  r.username = "recent";
  r.email = "recent@example.com";
  svc.create(r);
  r.username = "waiting";
  r.email = "waiting@example.com";
  r.pending = true;
  svc.create(r);
  r.username = "gone";
  r.email = "gone@example.com";
  r.pending = false;
  svc.create(r);
  test::act(inst.env, "gone", moderation::Action::suspend, std::string("test"));
  inst.env.db
      .prepare(
          "INSERT INTO accounts (username, username_key, domain, created_at, updated_at) "
          "VALUES ('r', 'r', 'remote.example', 0, 0)")
      ->run();

  auto u = usage(inst.env.db, inst.clock.now());
  EXPECT_EQ(u.users_total, 2);  // old and recent; not pending, not suspended
  EXPECT_EQ(u.active_month, 1);
  EXPECT_EQ(u.active_halfyear, 2);
  EXPECT_EQ(u.known_domains, 1);
  EXPECT_EQ(users::AccountStore(inst.env.db).known_domains(),
            std::vector<std::string>{"remote.example"});

  inst.clock.advance(200 * 86400);
  u = usage(inst.env.db, inst.clock.now());
  EXPECT_EQ(u.active_halfyear, 0);
}

}  // namespace instctl::overview
