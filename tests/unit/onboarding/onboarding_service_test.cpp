#include "instctl/onboarding/onboarding_service.hpp"

#include <gtest/gtest.h>

#include "instctl/email_blocks/email_block_service.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/invites/invite_service.hpp"
#include "instctl/onboarding/rate_limiter.hpp"
#include "instctl/users/user_service.hpp"
#include "test_support.hpp"

namespace instctl::onboarding {

class OnboardingTest : public ::testing::Test {
 protected:
  invites::Invite make_invite(std::int64_t max_uses = 1, std::optional<std::string> email = {}) {
    invites::CreateInviteRequest r;
    r.max_uses = max_uses;
    r.email = std::move(email);
    r.note = "Welcome aboard";
    return invites::InviteService(t.env).create(r).front();
  }
  SignUpForm form(const std::string& code, const std::string& name) {
    return {code, name, name + "@example.com", "correct horse battery", true};
  }
  void set(const char* key, const char* value) {
    instance::Settings(t.env.db).set(t.env, key, value);
  }
  static std::string error_of(const std::vector<FieldError>& errors, const std::string& field) {
    for (const auto& e : errors) {
      if (e.field == field) return e.for_public();
    }
    return "";
  }
  test::TestInstance t;
  OnboardingService svc{t.env};
};

TEST_F(OnboardingTest, SignUpWithAnInviteCreatesTheUserWithTheInviteRecorded) {
  const auto inv = make_invite();
  const auto r = svc.sign_up(form(inv.code, "newbie"));
  ASSERT_TRUE(r.user) << (r.errors.empty() ? "" : r.errors.front().message);
  EXPECT_EQ(r.user->invite_code, inv.code);
  EXPECT_EQ(r.handle, "@newbie@localhost:8080");
  EXPECT_FALSE(r.pending);
  EXPECT_EQ(users::UserService(t.env).resolve("newbie").invite_code, inv.code);
}

TEST_F(OnboardingTest, EveryFormProblemIsReportedAgainstItsField) {
  const auto inv = make_invite();
  const auto r = svc.sign_up({inv.code, "bad name!", "not-an-address", "short", false});
  EXPECT_FALSE(r.user);
  EXPECT_NE(error_of(r.errors, "username"), "");
  EXPECT_NE(error_of(r.errors, "email"), "");
  EXPECT_NE(error_of(r.errors, "password"), "");
  EXPECT_NE(error_of(r.errors, "agree"), "");
  EXPECT_EQ(svc.invite(inv.code).state, InviteState::usable) << "nothing was redeemed";
}

TEST_F(OnboardingTest, TakenUsernameAndAddressAreWordedForPeople) {
  ASSERT_TRUE(svc.sign_up(form(make_invite().code, "taken")).user);
  auto r = svc.sign_up(form(make_invite().code, "Taken"));
  EXPECT_EQ(error_of(r.errors, "username"), "This username is taken. Please choose another one.");
  auto f = form(make_invite().code, "other");
  f.email = "taken@example.com";
  r = svc.sign_up(f);
  EXPECT_EQ(error_of(r.errors, "email"), "This address already has an account here.");
}

TEST_F(OnboardingTest, BlockedDomainsAndBoundInvitesRefuseTheAddress) {
  email_blocks::EmailBlockService(t.env).add({"spam.example"});
  auto f = form(make_invite().code, "spammer");
  f.email = "x@spam.example";
  auto r = svc.sign_up(f);
  EXPECT_EQ(error_of(r.errors, "email"), "Addresses at this email domain cannot sign up here.");
  EXPECT_EQ(error_of(r.errors, "email").find("instctl"), std::string::npos) << "no admin hints";

  const auto bound = make_invite(1, "bound@example.com");
  r = svc.sign_up(form(bound.code, "intruder"));
  EXPECT_EQ(error_of(r.errors, "email"), "This invite is for another email address.");
  EXPECT_EQ(svc.invite(bound.code).invite->email, "bound@example.com");
}

TEST_F(OnboardingTest, InviteStatesSayWhichAndUnknownCodesAreAllAlike) {
  const auto inv = make_invite();
  ASSERT_TRUE(svc.sign_up(form(inv.code, "first")).user);
  EXPECT_EQ(svc.invite(inv.code).state, InviteState::exhausted);
  EXPECT_FALSE(svc.invite(inv.code).invite);
  const auto r = svc.sign_up(form(inv.code, "second"));
  EXPECT_EQ(r.invite_state, InviteState::exhausted);
  EXPECT_FALSE(r.user);
  for (const char* code : {"ZZZZZZZZZZZZ", "x", "../../etc", "<script>"}) {
    EXPECT_EQ(svc.invite(code).state, InviteState::invalid) << code;
  }
  const auto revoked = make_invite();
  invites::InviteService(t.env).revoke({revoked.code});
  EXPECT_EQ(svc.invite(revoked.code).state, InviteState::revoked);
  invites::CreateInviteRequest req;
  req.expires_at = t.clock.now() + 60;
  const auto expiring = invites::InviteService(t.env).create(req).front();
  t.clock.advance(120);
  EXPECT_EQ(svc.invite(expiring.code).state, InviteState::expired);
  const auto usable = make_invite();
  set("registrations.mode", "closed");
  EXPECT_EQ(svc.invite(usable.code).state, InviteState::closed);
}

TEST_F(OnboardingTest, WithoutAnInviteTheModeDecides) {
  auto r = svc.sign_up(form("", "walkin"));
  EXPECT_EQ(error_of(r.errors, ""), "You need an invite to sign up here.");
  set("registrations.mode", "approval");
  r = svc.sign_up(form("", "walkin"));
  ASSERT_TRUE(r.user);
  EXPECT_TRUE(r.pending);
}

TEST_F(OnboardingTest, WaitlistTellsThePositionAndDuplicatesTheirOwnOnly) {
  auto r = svc.join_waitlist({"first@example.com", "", "", "web"});
  EXPECT_EQ(r.outcome, WaitlistOutcome::closed);
  set("waitlist.enabled", "true");
  r = svc.join_waitlist({"first@example.com", "firsty", "", "web"});
  EXPECT_EQ(r.outcome, WaitlistOutcome::joined);
  EXPECT_EQ(r.position, 1);
  r = svc.join_waitlist({"second@example.com", "", "", "web"});
  EXPECT_EQ(r.position, 2);
  r = svc.join_waitlist({"  Second@EXAMPLE.com ", "", "", "web"});
  EXPECT_EQ(r.outcome, WaitlistOutcome::already_listed);
  EXPECT_EQ(r.position, 2);
  EXPECT_TRUE(r.errors.empty());
}

TEST_F(OnboardingTest, WaitlistRefusesBadFieldsBlockedDomainsAndMissingReasons) {
  set("waitlist.enabled", "true");
  auto r = svc.join_waitlist({"nope", "bad name", "", "web"});
  EXPECT_EQ(r.outcome, WaitlistOutcome::refused);
  EXPECT_NE(error_of(r.errors, "email"), "");
  EXPECT_NE(error_of(r.errors, "username"), "");
  email_blocks::EmailBlockService(t.env).add({"spam.example"});
  r = svc.join_waitlist({"a@spam.example", "", "", "web"});
  EXPECT_EQ(error_of(r.errors, "email"),
            "Addresses at this email domain cannot join the waitlist.");
  set("registrations.require_reason", "true");
  r = svc.join_waitlist({"a@example.com", "", " ", "web"});
  EXPECT_NE(error_of(r.errors, "reason"), "");
  ASSERT_TRUE(svc.sign_up(form(make_invite().code, "member")).user);
  r = svc.join_waitlist({"member@example.com", "", "because", "web"});
  EXPECT_EQ(r.outcome, WaitlistOutcome::has_account);
}

TEST_F(OnboardingTest, RateLimitTripsPerClientAndRecoversWithTime) {
  set("onboarding.rate_limit", "2/10m");
  RateLimiter limiter(t.env);
  EXPECT_FALSE(limiter.take("sign_up", "192.0.2.1"));
  EXPECT_FALSE(limiter.take("sign_up", "192.0.2.1"));
  EXPECT_EQ(limiter.take("sign_up", "192.0.2.1"), 300);
  EXPECT_FALSE(limiter.take("sign_up", "192.0.2.2")) << "another address has its own bucket";
  EXPECT_FALSE(limiter.take("waitlist", "192.0.2.1")) << "another form has its own bucket";
  t.clock.advance(300);
  EXPECT_FALSE(limiter.take("sign_up", "192.0.2.1"));
  EXPECT_TRUE(limiter.take("sign_up", "192.0.2.1"));
}

}  // namespace instctl::onboarding
