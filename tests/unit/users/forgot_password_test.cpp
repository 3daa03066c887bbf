#include "instctl/users/forgot_password.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "instctl/instance/settings.hpp"
#include "instctl/users/user_service.hpp"
#include "test_support.hpp"

namespace instctl::users {

namespace {

std::int64_t queued_mails(db::Connection& db) {
  auto st = db.prepare("SELECT count(*) FROM mails");
  st->step();
  return st->get_int(0);
}

}  // namespace

class ForgotPasswordTest : public ::testing::Test {
 protected:
  void SetUp() override {
    instance::Settings settings(t.env.db);
    settings.set(t.env, "mail.smtp_url", "smtp://127.0.0.1:25");
    settings.set(t.env, "mail.from", "accounts@example.com");
    CreateRequest req;
    req.username = "bea";
    req.email = "bea@example.com";
    req.password = "correct-horse";
    UserService(t.env).create(req);
  }
  test::TestInstance t;
  ForgotPassword svc{t.env};
};

// Every request, an account, an unknown name or one past its limit, answers at the same time
// after it began: the floor, whatever work it did (the route holds the answer back until then).
// Only the account's mails are queued.
TEST_F(ForgotPasswordTest, EveryAnswerGoesAtTheSameTimeAfterItBegan) {
  const auto began = std::chrono::steady_clock::now();
  const auto before = queued_mails(*t.conn);
  EXPECT_EQ(svc.request("bea@example.com", true, began), began + k_forgot_answer_floor);
  EXPECT_EQ(queued_mails(*t.conn), before + 1) << "the account's mail was queued";
  EXPECT_EQ(svc.request("nobody@example.com", true, began), began + k_forgot_answer_floor);
  EXPECT_EQ(svc.request("bea", false, began), began + k_forgot_answer_floor);
  EXPECT_EQ(queued_mails(*t.conn), before + 1) << "none for an unknown name or past the limit";
}

// The account is found by any name sign-in takes: username in any case, with '@', the handle
// with this instance's domain, or the address.
TEST_F(ForgotPasswordTest, FindsTheAccountByEveryNameSignInTakes) {
  const auto domain = UserService(t.env).instance().account_domain;
  const auto before = queued_mails(*t.conn);
  for (const auto& login : {std::string("BEA"), std::string("@bea"), "@bea@" + domain,
                            std::string(" bea@example.com ")}) {
    svc.mail_reset_link(login);
  }
  EXPECT_EQ(queued_mails(*t.conn), before + 4);
  EXPECT_EQ(svc.key("@Bea@" + domain), svc.key("bea"));
  EXPECT_EQ(svc.key("Ghost"), svc.key("@ghost@" + domain)) << "one bucket per name, known or not";
}

}  // namespace instctl::users
