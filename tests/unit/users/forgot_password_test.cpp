#include "instctl/users/forgot_password.hpp"

#include <gtest/gtest.h>

#include <algorithm>
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

// A name that is an account (a token, the mail rendered and queued, an audit line, a commit)
// answers no later than one that is none, nor than one past its limit: every request waits out
// the same floor. Without it the unknown name would answer in well under a millisecond. (The
// slowest of three tries each, against the fastest, keep this steady on a loaded machine.)
TEST_F(ForgotPasswordTest, UnknownNamesTakeAsLongAsAccounts) {
  using clock = std::chrono::steady_clock;
  const auto timed = [&](const char* login, bool may_mail) {
    auto fastest = clock::duration::max();
    auto slowest = clock::duration::zero();
    for (int i = 0; i < 3; ++i) {
      const auto began = clock::now();
      svc.request(login, may_mail, began);
      const auto took = clock::now() - began;
      fastest = std::min(fastest, took);
      slowest = std::max(slowest, took);
    }
    return std::make_pair(fastest, slowest);
  };
  const auto before = queued_mails(*t.conn);
  const auto known = timed("bea@example.com", true);
  EXPECT_EQ(queued_mails(*t.conn), before + 3) << "the account's mails were queued";
  const auto unknown = timed("nobody@example.com", true);
  const auto limited = timed("bea", false);
  EXPECT_EQ(queued_mails(*t.conn), before + 3) << "none for an unknown name or past the limit";
  EXPECT_GE(unknown.first, k_forgot_answer_floor);
  EXPECT_GE(limited.first, k_forgot_answer_floor);
  EXPECT_GT(unknown.first * 2, known.second) << "an unknown name must not answer faster";
  EXPECT_GT(limited.first * 2, known.second) << "nor a name past its limit";
}

}  // namespace instctl::users
