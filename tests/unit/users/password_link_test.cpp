#include <gtest/gtest.h>

#include "instctl/core/error.hpp"
#include "instctl/users/user_service.hpp"
#include "test_support.hpp"

namespace instctl::users {

namespace {
std::string token_of(const std::string& url) { return url.substr(url.rfind('/') + 1); }
}  // namespace

class PasswordLinkTest : public ::testing::Test {
 protected:
  std::string activation_token(const std::string& name) {
    CreateRequest req;
    req.username = name;
    req.email = name + "@example.com";
    return token_of(*svc.create(req).activation_url);
  }
  test::TestInstance t;
  UserService svc{t.env};
};

TEST_F(PasswordLinkTest, AnActivationLinkSetsThePasswordOnce) {
  const auto token = activation_token("bea");
  const auto check = svc.check_password_link(PasswordLink::activation, token);
  EXPECT_EQ(check.state, LinkState::usable);
  ASSERT_TRUE(check.user);
  EXPECT_EQ(check.user->username, "bea");
  EXPECT_EQ(svc.check_password_link(PasswordLink::reset, token).state, LinkState::unknown)
      << "an activation token is no reset token";
  EXPECT_EQ(test::kind_of([&] { svc.use_password_link(PasswordLink::activation, token, "short"); }),
            ErrorKind::usage);
  EXPECT_EQ(svc.check_password_link(PasswordLink::activation, token).state, LinkState::usable)
      << "a refused password leaves the link usable";
  const auto used = svc.use_password_link(PasswordLink::activation, token, "correct-horse");
  EXPECT_EQ(used.state, LinkState::usable);
  EXPECT_FALSE(svc.resolve("bea").activation_pending);
  EXPECT_EQ(svc.use_password_link(PasswordLink::activation, token, "other-horse").state,
            LinkState::unknown)
      << "spent";
}

TEST_F(PasswordLinkTest, ExpiredLinksSaySo) {
  const auto token = activation_token("bea");
  t.clock.advance(k_activation_validity);
  EXPECT_EQ(svc.check_password_link(PasswordLink::activation, token).state, LinkState::expired);
  EXPECT_EQ(svc.use_password_link(PasswordLink::activation, token, "correct-horse").state,
            LinkState::expired);
  EXPECT_TRUE(svc.resolve("bea").activation_pending) << "nothing set";
}

TEST_F(PasswordLinkTest, AResetLinkSpendsEveryLinkOfTheAccount) {
  const auto activation = activation_token("bea");
  const auto reset = token_of(*svc.reset_password("bea", std::nullopt));
  EXPECT_EQ(svc.check_password_link(PasswordLink::reset, reset).state, LinkState::usable);
  EXPECT_EQ(svc.use_password_link(PasswordLink::reset, reset, "correct-horse").state,
            LinkState::usable);
  EXPECT_EQ(svc.check_password_link(PasswordLink::activation, activation).state,
            LinkState::unknown);
  EXPECT_EQ(svc.check_password_link(PasswordLink::reset, reset).state, LinkState::unknown);
}

}  // namespace instctl::users
