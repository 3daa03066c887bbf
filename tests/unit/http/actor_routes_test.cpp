// The actor route makes a user's keys when first asked for the actor, and keeps them.

#include <gtest/gtest.h>

#include "instctl/http/routes/routes.hpp"
#include "instctl/users/user_service.hpp"
#include "test_support.hpp"

namespace instctl::http {

namespace {

class ActorRoutesTest : public ::testing::Test {
 protected:
  ActorRoutesTest() {
    add_actor_routes(router);
    users::CreateRequest r;
    r.username = "alice";
    r.email = "alice@example.com";
    id = users::UserService(t.env).create(r).user.id;
  }
  Response get_actor() {
    Request r;
    r.method = "GET";
    r.set_target("/users/alice");
    r.headers.emplace_back("accept", "application/activity+json");
    return router.dispatch(r, t.env, overrides);
  }
  test::TestInstance t;
  Router router;
  SiteOverrides overrides;
  std::int64_t id = 0;
};

}  // namespace

TEST_F(ActorRoutesTest, KeysAreMadeAtTheFirstFetchAndKept) {
  users::UserService svc(t.env);
  ASSERT_FALSE(svc.existing_public_key(id));

  const auto made = get_actor();
  EXPECT_EQ(made.status, 200);
  EXPECT_FALSE(made.pending);
  const auto key = svc.existing_public_key(id);
  ASSERT_TRUE(key);
  EXPECT_NE(made.body.find("BEGIN PUBLIC KEY"), std::string::npos);

  // Once made, the same key is published again.
  const auto later = get_actor();
  EXPECT_EQ(later.status, 200);
  EXPECT_EQ(later.body, made.body);
  EXPECT_EQ(svc.existing_public_key(id), key);
}

}  // namespace instctl::http
