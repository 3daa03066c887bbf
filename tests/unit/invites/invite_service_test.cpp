#include "instctl/invites/invite_service.hpp"

#include <gtest/gtest.h>

#include "instctl/core/error.hpp"
#include "instctl/core/expiry.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/users/registration.hpp"
#include "instctl/users/user_service.hpp"
#include "test_support.hpp"

namespace instctl::invites {

using users::Channel;
using users::decide_registration;
using users::RegistrationMode;
using users::WithInvite;

class InviteServiceTest : public ::testing::Test {
 protected:
  users::CreateResult sign_up(const std::string& name, const std::string& code) {
    users::CreateRequest r;
    r.username = name;
    r.email = name + "@example.com";
    r.invite_code = code;
    return users.create(r);
  }
  test::TestInstance t;
  InviteService svc{t.env};
  users::UserService users{t.env};
};

TEST_F(InviteServiceTest, CodesUseTheUnambiguousAlphabet) {
  CreateInviteRequest req;
  req.count = 50;
  for (const auto& inv : svc.create(req)) {
    EXPECT_GE(inv.code.size(), 10u);
    EXPECT_EQ(inv.code.find_first_of("0O1lI"), std::string::npos) << inv.code;
    EXPECT_EQ(inv.code.find_first_not_of(k_code_alphabet), std::string::npos) << inv.code;
  }
  EXPECT_EQ(normalize_code(" abc "), "ABC");
}

TEST_F(InviteServiceTest, StatusFollowsUsesExpiryAndRevocation) {
  CreateInviteRequest req;
  req.max_uses = 2;
  req.expires_at = test::k_test_now + 3600;
  const auto inv = svc.create(req).front();
  EXPECT_EQ(inv.status(t.clock.now()), InviteStatus::active);
  sign_up("alice", inv.code);
  EXPECT_EQ(svc.find(inv.code).uses, 1);
  t.clock.advance(3600);
  EXPECT_EQ(svc.find(inv.code).status(t.clock.now()), InviteStatus::expired);
  EXPECT_EQ(test::kind_of([&] { sign_up("bob", inv.code); }), ErrorKind::conflict);
  EXPECT_EQ(svc.list(InviteStatus::expired).size(), 1u);
  svc.revoke({inv.code});
  EXPECT_EQ(svc.find(inv.code).status(t.clock.now()), InviteStatus::revoked);
  EXPECT_EQ(test::kind_of([&] { svc.revoke({inv.code}); }), ErrorKind::conflict);
}

TEST_F(InviteServiceTest, RedemptionNeverExceedsMaxUses) {
  CreateInviteRequest req;
  req.max_uses = 2;
  const auto code = svc.create(req).front().code;
  sign_up("alice", code);
  sign_up("bob", code);
  EXPECT_EQ(test::kind_of([&] { sign_up("carol", code); }), ErrorKind::conflict);
  EXPECT_EQ(svc.find(code).uses, 2);
  EXPECT_EQ(svc.details(code)["redeemed_by"].size(), 2u);
  EXPECT_EQ(test::kind_of([&] { sign_up("dave", "NOSUCHCODE22"); }), ErrorKind::not_found);
}

TEST_F(InviteServiceTest, EmailBindingAndBadRequests) {
  CreateInviteRequest req;
  req.email = "Alice@Example.com";
  const auto code = svc.create(req).front().code;
  EXPECT_EQ(test::kind_of([&] { sign_up("bob", code); }), ErrorKind::policy);
  EXPECT_EQ(svc.find(code).uses, 0) << "a refused redemption spends nothing";
  sign_up("alice", code);
  CreateInviteRequest bad;
  bad.max_uses = 0;
  EXPECT_EQ(test::kind_of([&] { svc.create(bad); }), ErrorKind::usage);
  bad.max_uses = 1;
  bad.expires_at = test::k_test_now;
  EXPECT_EQ(test::kind_of([&] { svc.create(bad); }), ErrorKind::usage);
  EXPECT_EQ(test::kind_of([&] { parse_expiry("soon", std::nullopt, test::k_test_now); }),
            ErrorKind::usage);
  EXPECT_EQ(parse_expiry("2h", std::nullopt, test::k_test_now), test::k_test_now + 7200);
  for (const char* huge : {"9223372036854775807", "9223372036854775807s", "99999999w"}) {
    EXPECT_EQ(test::kind_of([&] { parse_expiry(huge, std::nullopt, test::k_test_now); }),
              ErrorKind::usage)
        << huge;
    EXPECT_EQ(test::kind_of([&] { parse_expiry(std::nullopt, huge, test::k_test_now); }),
              ErrorKind::usage)
        << huge;
  }
}

TEST(Registration, TheModeRule) {
  using M = RegistrationMode;
  auto pending = [](M m, Channel c, WithInvite i) { return decide_registration(m, c, i).pending; };
  EXPECT_FALSE(pending(M::approval, Channel::sign_up, WithInvite::yes)) << "invites skip the queue";
  EXPECT_TRUE(pending(M::approval, Channel::sign_up, WithInvite::no));
  EXPECT_FALSE(pending(M::invite, Channel::sign_up, WithInvite::yes));
  EXPECT_FALSE(pending(M::open, Channel::sign_up, WithInvite::no));
  EXPECT_FALSE(pending(M::closed, Channel::admin, WithInvite::no)) << "admins are not bound";
  EXPECT_FALSE(pending(M::invite, Channel::admin, WithInvite::no));
  EXPECT_EQ(test::kind_of([&] { pending(M::invite, Channel::sign_up, WithInvite::no); }),
            ErrorKind::policy);
  EXPECT_EQ(test::kind_of([&] { pending(M::closed, Channel::sign_up, WithInvite::yes); }),
            ErrorKind::policy);
  EXPECT_EQ(test::kind_of([&] { pending(M::closed, Channel::admin, WithInvite::yes); }),
            ErrorKind::policy);
}

TEST_F(InviteServiceTest, SignUpPageFollowsTheMode) {
  instance::Settings(t.env.db).set(t.env, "registrations.mode", "approval");
  users::CreateRequest r;
  r.username = "alice";
  r.email = "alice@example.com";
  r.channel = Channel::sign_up;
  EXPECT_EQ(users.create(r).user.status, users::Status::pending);
  r.username = "bob";
  r.email = "bob@example.com";
  r.invite_code = svc.create({}).front().code;
  EXPECT_EQ(users.create(r).user.status, users::Status::active);
}

TEST_F(InviteServiceTest, NewMembersFollowEveryAutofollowInOrder) {
  for (const char* name : {"grace", "hopper", "lovelace"}) {
    users::CreateRequest r;
    r.username = name;
    r.email = std::string(name) + "@example.com";
    users.create(r);
  }
  CreateInviteRequest req;
  req.max_uses = 2;
  req.autofollows = {"lovelace", "@grace", "hopper@localhost:8080"};
  const auto inv = svc.create(req).front();
  EXPECT_EQ(inv.autofollows, (std::vector<std::string>{"lovelace", "grace", "hopper"}));
  EXPECT_EQ(svc.to_json(inv)["autofollow"], "lovelace");
  const auto newbie = sign_up("newbie", inv.code).user;
  users::AccountStore store(t.env.db);
  EXPECT_EQ(store.following_count(newbie.id), 3);
  EXPECT_EQ(store.followers_count(users.resolve("grace").id), 1);

  req.autofollows = {"grace", "ghost"};
  EXPECT_EQ(test::kind_of([&] { svc.create(req); }), ErrorKind::not_found);
  req.autofollows = {"grace", "Grace"};
  EXPECT_EQ(test::kind_of([&] { svc.create(req); }), ErrorKind::usage);
  EXPECT_EQ(svc.list(std::nullopt).size(), 1u) << "nothing made by a refused request";
}

}  // namespace instctl::invites
