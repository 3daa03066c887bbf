// FollowerService's decisions as a signed-in member makes them on /settings (by the follower's
// account id) and the removal of a follower: only the member's own follows are found, each
// answer is queued once, and a refused call changes nothing.

#include "instctl/federation/follower_service.hpp"

#include <gtest/gtest.h>

#include "instctl/federation/follow_store.hpp"
#include "instctl/users/user_service.hpp"
#include "test_support.hpp"

namespace instctl::federation {
namespace {

using Decision = FollowerService::Decision;

class FollowerServiceTest : public ::testing::Test {
 protected:
  FollowerServiceTest() {
    mona = local("mona");
    alice = local("alice");
    inst.conn
        ->prepare(
            "INSERT INTO accounts (username, username_key, domain, inbox_url, actor_uri, "
            "created_at, updated_at) VALUES ('pat', 'pat', 'p.example', ?, ?, 0, 0)")
        ->bind_all(std::string("https://p.example/users/pat/inbox"),
                   std::string("https://p.example/users/pat"))
        .run();
    pat = inst.conn->last_insert_id();
  }

  users::User local(const std::string& name) {
    users::CreateRequest req;
    req.username = name;
    req.email = name + "@example.com";
    return users::UserService(inst.env).create(req).user;
  }
  void follow(const users::User& whom, FollowState state, const std::string& n) {
    FollowStore(*inst.conn).upsert(pat, whom.id, state, "https://p.example/follows/" + n, 0);
  }
  std::optional<Follow> follow_of(const users::User& whom) {
    return FollowStore(*inst.conn).find(pat, whom.id);
  }
  std::string answers() {
    std::string out;
    auto st = inst.conn->prepare("SELECT activity_type FROM deliveries ORDER BY id");
    while (st->step()) out += st->get_text(0) + " ";
    return out;
  }

  test::TestInstance inst;
  users::User mona, alice;
  std::int64_t pat = 0;
  FollowerService svc{inst.env};
};

TEST_F(FollowerServiceTest, ApprovesByAccountIdWithAnAccept) {
  follow(mona, FollowState::pending, "1");
  const auto f = svc.decide(mona, pat, Decision::approve);
  EXPECT_EQ(f.account.id, pat);
  EXPECT_EQ(follow_of(mona)->state, FollowState::accepted);
  EXPECT_EQ(answers(), "Accept ");
  EXPECT_EQ(test::kind_of([&] { svc.decide(mona, pat, Decision::reject); }), ErrorKind::conflict)
      << "a request approved already";
  EXPECT_EQ(answers(), "Accept ");
}

TEST_F(FollowerServiceTest, RemovesAFollowerWithARejectOfItsFollow) {
  follow(mona, FollowState::accepted, "1");
  svc.remove(mona, pat);
  EXPECT_FALSE(follow_of(mona));
  EXPECT_EQ(answers(), "Reject ");
  EXPECT_EQ(test::kind_of([&] { svc.remove(mona, pat); }), ErrorKind::not_found) << "gone";
  follow(mona, FollowState::accepted, "2");
  svc.remove("mona", "pat@p.example");
  EXPECT_FALSE(follow_of(mona)) << "the command line's way, by handle";
  EXPECT_EQ(answers(), "Reject Reject ");
}

TEST_F(FollowerServiceTest, FindsOnlyTheMembersOwnFollows) {
  follow(alice, FollowState::pending, "1");
  EXPECT_EQ(test::kind_of([&] { svc.decide(mona, pat, Decision::approve); }), ErrorKind::not_found)
      << "alice's request, not mona's";
  EXPECT_EQ(test::kind_of([&] { svc.remove(mona, pat); }), ErrorKind::not_found);
  EXPECT_EQ(test::kind_of([&] { svc.decide(mona, alice.id, Decision::approve); }),
            ErrorKind::not_found)
      << "a local account is no follower";
  EXPECT_EQ(test::kind_of([&] { svc.remove(mona, 999999); }), ErrorKind::not_found);
  EXPECT_EQ(follow_of(alice)->state, FollowState::pending) << "untouched";
  EXPECT_EQ(answers(), "");
}

}  // namespace
}  // namespace instctl::federation
