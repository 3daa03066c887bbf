#include "instctl/auth/session_service.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <utility>
#include <vector>

#include "acting.hpp"
#include "instctl/crypto/digest.hpp"
#include "instctl/http/cookies.hpp"
#include "instctl/users/user_service.hpp"
#include "instctl/util/strings.hpp"
#include "test_support.hpp"

namespace instctl::auth {

namespace {

std::int64_t count(db::Connection& db, const std::string& sql, std::string_view arg) {
  auto st = db.prepare(sql);
  st->bind_all(arg);
  st->step();
  return st->get_int(0);
}

}  // namespace

class SessionServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    users::CreateRequest req;
    req.username = "bea";
    req.email = "bea@example.com";
    req.password = "correct-horse";
    bea = users::UserService(t.env).create(req).user;
  }
  test::TestInstance t;
  SessionService svc{t.env};
  users::User bea;
};

TEST_F(SessionServiceTest, SessionTokensAreRandomStoredHashedAndExpire) {
  const auto a = svc.start(bea.id);
  const auto b = svc.start(bea.id);
  EXPECT_NE(a.token, b.token);
  EXPECT_GE(a.token.size(), 43u) << "256 bits, base64url";
  EXPECT_EQ(a.expires_at, test::k_test_now + k_session_lifetime);
  EXPECT_EQ(count(*t.conn, "SELECT count(*) FROM sessions WHERE token_hash = ?", a.token), 0);
  EXPECT_EQ(count(*t.conn, "SELECT count(*) FROM sessions WHERE token_hash = ?",
                  crypto::sha256_hex(a.token)),
            1);
  ASSERT_TRUE(svc.current(a.token));
  EXPECT_EQ(svc.current(a.token)->username, "bea");
  EXPECT_FALSE(svc.current(""));
  EXPECT_FALSE(svc.current(crypto::sha256_hex(a.token))) << "the stored hash is no cookie";
  t.clock.advance(k_session_lifetime);
  EXPECT_FALSE(svc.current(a.token)) << "expired";
}

TEST_F(SessionServiceTest, SignOutEndsOneSessionAndEndAllEveryOne) {
  const auto a = svc.start(bea.id);
  const auto b = svc.start(bea.id);
  svc.end(a.token);
  EXPECT_FALSE(svc.current(a.token));
  EXPECT_TRUE(svc.current(b.token));
  const auto c = svc.start(bea.id);
  EXPECT_EQ(svc.end_all(bea.id), 2);
  EXPECT_FALSE(svc.current(c.token));
}

TEST_F(SessionServiceTest, SuspendedAccountsLoseTheirSessions) {
  const auto a = svc.start(bea.id);
  test::act(t.env, "bea", moderation::Action::suspend, std::string("test"));
  EXPECT_FALSE(svc.current(a.token));
  const auto r = svc.sign_in("bea", "correct-horse");
  EXPECT_EQ(r.outcome, SignInOutcome::unusable);
  EXPECT_FALSE(r.session);
}

// A password asked again on /settings counts towards the account's sign-in lock-out.
TEST_F(SessionServiceTest, ConfirmingThePasswordSharesTheLockOut) {
  EXPECT_EQ(svc.confirm_password(bea, "correct-horse").outcome, PasswordCheck::right);
  for (int i = 1; i < k_sign_in_failures; ++i) {
    EXPECT_EQ(svc.confirm_password(bea, "wrong").outcome, PasswordCheck::wrong);
  }
  const auto locked = svc.confirm_password(bea, "wrong");
  EXPECT_EQ(locked.outcome, PasswordCheck::locked);
  EXPECT_EQ(locked.retry_after, k_lock_out);
  EXPECT_EQ(svc.confirm_password(bea, "correct-horse").outcome, PasswordCheck::locked);
  EXPECT_EQ(svc.sign_in("bea", "correct-horse").outcome, SignInOutcome::locked);
}

TEST_F(SessionServiceTest, PartnerSignInOpensASessionForUsableAccountsOnly) {
  const auto r = svc.sign_in_linked(bea);
  ASSERT_EQ(r.outcome, SignInOutcome::signed_in);
  EXPECT_EQ(svc.current(r.session->token)->id, bea.id);
  test::act(t.env, "bea", moderation::Action::suspend, std::string("test"));
  const auto suspended = users::UserService(t.env).resolve("bea");
  EXPECT_EQ(svc.sign_in_linked(suspended).outcome, SignInOutcome::unusable);
}

TEST_F(SessionServiceTest, SignsInByUsernameEmailOrHandle) {
  for (const char* login : {"bea", "BEA", "@bea", "bea@localhost:8080", "Bea@Example.com"}) {
    const auto r = svc.sign_in(login, "correct-horse");
    EXPECT_EQ(r.outcome, SignInOutcome::signed_in) << login;
    ASSERT_TRUE(r.session) << login;
    EXPECT_TRUE(svc.current(r.session->token));
  }
  EXPECT_EQ(svc.sign_in("bea", "wrong-horse").outcome, SignInOutcome::refused);
  EXPECT_EQ(svc.sign_in("", "correct-horse").outcome, SignInOutcome::refused);
}

// Whatever forms a name is typed in, an unknown one is answered exactly as an account is: the
// same outcomes and waits, so 401 against 429 tells nothing, nor which email address is whose.
TEST_F(SessionServiceTest, LockOutTreatsUnknownNamesAsAccounts) {
  const auto answers = [&](const std::string& name, const std::string& email) {
    std::vector<std::pair<SignInOutcome, std::int64_t>> out;
    const auto attempt = [&](const std::string& login) {
      const auto r = svc.sign_in(login, "wrong");
      EXPECT_FALSE(r.user) << "a refusal or a lock-out names no account";
      out.emplace_back(r.outcome, r.retry_after);
    };
    for (int i = 1; i < k_sign_in_failures; ++i) attempt(name);
    attempt(email);
    attempt("@" + name + "@localhost:8080");  // the name's fifth failure
    t.clock.advance(60);
    attempt(" " + util::to_lower(name) + " ");
    for (int i = 1; i < k_sign_in_failures; ++i) attempt(email);
    attempt(name);
    return out;
  };
  const auto known = answers("Bea", "bea@example.com");
  const auto unknown = answers("Nobody", "nobody@example.com");
  EXPECT_EQ(known, unknown);
  ASSERT_EQ(known.size(), 12u);
  EXPECT_EQ(known[3].first, SignInOutcome::refused);
  EXPECT_EQ(known[4].first, SignInOutcome::refused) << "the email address is another name";
  EXPECT_EQ(known[5], std::make_pair(SignInOutcome::locked, k_lock_out));
  EXPECT_EQ(known[6], std::make_pair(SignInOutcome::locked, k_lock_out - 60));
  EXPECT_EQ(known[10], std::make_pair(SignInOutcome::locked, k_lock_out));
  EXPECT_EQ(known[11], std::make_pair(SignInOutcome::locked, k_lock_out - 60));

  EXPECT_EQ(svc.sign_in("BEA@example.com", "correct-horse").outcome, SignInOutcome::locked);
  EXPECT_EQ(svc.sign_in("bea", "correct-horse").outcome, SignInOutcome::locked);
  t.clock.advance(k_lock_out - 180);  // each sequence above took a minute: 60 s left
  EXPECT_EQ(svc.sign_in("bea", "correct-horse").retry_after, 60);
  t.clock.advance(60);
  EXPECT_EQ(svc.sign_in("bea", "correct-horse").outcome, SignInOutcome::signed_in);
}

TEST_F(SessionServiceTest, FailuresCountWithinTheWindowAndSuccessForgetsThem) {
  for (int i = 1; i < k_sign_in_failures; ++i) svc.sign_in("bea", "wrong");
  EXPECT_EQ(svc.sign_in("bea", "correct-horse").outcome, SignInOutcome::signed_in);
  for (int i = 1; i < k_sign_in_failures; ++i) svc.sign_in("bea", "wrong");
  t.clock.advance(k_sign_in_window);
  EXPECT_EQ(svc.sign_in("bea", "wrong").outcome, SignInOutcome::refused) << "a new window";
}

TEST_F(SessionServiceTest, AnAccountWithoutPasswordCannotSignIn) {
  users::CreateRequest req;
  req.username = "cy";
  req.email = "cy@example.com";
  users::UserService(t.env).create(req);
  EXPECT_EQ(svc.sign_in("cy", "").outcome, SignInOutcome::refused);
  EXPECT_EQ(svc.sign_in("cy", "anything-at-all").outcome, SignInOutcome::refused);
}

// An unknown name costs a password hash as a known one does: without the dummy hash it would
// answer in a millisecond instead of the ~100 ms of scrypt. (The fastest of three tries each,
// and a wide margin, keep this steady on a loaded machine.)
TEST_F(SessionServiceTest, UnknownNamesTakeAsLongAsWrongPasswords) {
  const auto fastest = [&](const char* login) {
    auto best = std::chrono::steady_clock::duration::max();
    for (int i = 0; i < 3; ++i) {
      const auto start = std::chrono::steady_clock::now();
      EXPECT_EQ(svc.sign_in(login, "wrong-horse").outcome, SignInOutcome::refused);
      best = std::min(best, std::chrono::steady_clock::now() - start);
    }
    return best;
  };
  const auto known = fastest("bea");
  const auto unknown = fastest("nobody");
  EXPECT_GT(unknown * 3, known) << "unknown names must not answer faster";
}

TEST(SessionCookie, AttributesFollowThePublicUrl) {
  using http::CookieLife;
  EXPECT_EQ(http::set_cookie_value({.name = http::k_session_cookie,
                                    .value = "abc",
                                    .secure = true,
                                    .life = CookieLife::max_age,
                                    .max_age = k_session_lifetime}),
            "instctl_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=1209600; Secure");
  EXPECT_EQ(http::set_cookie_value(
                {.name = http::k_session_cookie, .value = "abc", .life = CookieLife::remove}),
            "instctl_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
  EXPECT_EQ(http::set_cookie_value({.name = "instctl_csrf", .value = "n"}),
            "instctl_csrf=n; Path=/; HttpOnly; SameSite=Lax");
  EXPECT_TRUE(http::secure_cookies("HTTPS://example.com"));
  EXPECT_FALSE(http::secure_cookies("http://127.0.0.1:8080"));
}

TEST(SessionCookie, ReadsTheNamedCookieOnly) {
  http::Request req;
  req.headers.emplace_back("cookie", "a=1; instctl_session=tok; instctl_sessionx=no");
  EXPECT_EQ(http::request_cookie(req, "instctl_session").value_or(""), "tok");
  EXPECT_EQ(http::request_cookie(req, "a").value_or(""), "1");
  EXPECT_FALSE(http::request_cookie(req, "b"));
}

}  // namespace instctl::auth
