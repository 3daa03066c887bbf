#include "instctl/users/user_service.hpp"

#include <gtest/gtest.h>

#include "acting.hpp"
#include "instctl/core/error.hpp"
#include "instctl/crypto/password.hpp"
#include "test_support.hpp"

namespace instctl::users {

namespace {
using moderation::Action;

CreateRequest request(std::string name, std::string email) {
  CreateRequest r;
  r.username = std::move(name);
  r.email = std::move(email);
  return r;
}
}  // namespace

class UserServiceTest : public ::testing::Test {
 protected:
  test::TestInstance t;
  UserService svc{t.env};
};

TEST_F(UserServiceTest, CreatesWithAnActivationLinkStoredOnlyAsAHash) {
  const auto r = svc.create(request("alice", "Alice@Example.com"));
  ASSERT_TRUE(r.activation_url.has_value());
  EXPECT_EQ(r.activation_url->rfind("https://localhost:8080/auth/activate/", 0), 0u);
  EXPECT_EQ(r.user.email, "Alice@example.com");
  EXPECT_EQ(r.user.status, Status::active);
  const auto token = r.activation_url->substr(r.activation_url->rfind('/') + 1);
  auto st = t.conn->prepare("SELECT count(*) FROM accounts WHERE activation_token_hash = ?");
  st->bind_all(token);
  st->step();
  EXPECT_EQ(st->get_int(0), 0) << "the token itself is never stored";
}

TEST_F(UserServiceTest, UsernamesAndEmailsAreUniqueIgnoringCase) {
  svc.create(request("alice", "alice@example.com"));
  EXPECT_EQ(test::kind_of([&] { svc.create(request("ALICE", "other@example.com")); }),
            ErrorKind::conflict);
  EXPECT_EQ(test::kind_of([&] { svc.create(request("bob", "ALICE@example.com")); }),
            ErrorKind::conflict);
  EXPECT_EQ(test::kind_of([&] { svc.create(request("bob", "not-an-email")); }), ErrorKind::usage);
  EXPECT_EQ(test::kind_of([&] { svc.create(request("admin", "a@example.com")); }),
            ErrorKind::usage);
}

TEST_F(UserServiceTest, PasswordsAreHashedWithScrypt) {
  auto req = request("alice", "alice@example.com");
  req.password = "a long password";
  const auto r = svc.create(req);
  EXPECT_FALSE(r.activation_url.has_value());
  auto st = t.conn->prepare("SELECT password_hash FROM accounts WHERE id = ?");
  st->bind_all(r.user.id);
  st->step();
  EXPECT_TRUE(crypto::verify_password("a long password", st->get_text(0)));
}

TEST_F(UserServiceTest, SuspendAndSilenceNeedAReasonWarnDoesNot) {
  svc.create(request("alice", "alice@example.com"));
  EXPECT_EQ(test::kind_of([&] { test::act(t.env, "alice", Action::suspend, std::nullopt); }),
            ErrorKind::usage);
  EXPECT_EQ(test::kind_of([&] { test::act(t.env, "alice", Action::silence, std::string("  ")); }),
            ErrorKind::usage);
  EXPECT_EQ(svc.resolve("alice").status, Status::active) << "a refused action changes nothing";
  EXPECT_EQ(test::act(t.env, "alice", Action::warn, std::nullopt).status, Status::active);
}

TEST_F(UserServiceTest, StateTransitions) {
  svc.create(request("alice", "alice@example.com"));
  EXPECT_EQ(test::act(t.env, "alice", Action::suspend, "spam").status, Status::suspended);
  EXPECT_EQ(test::kind_of([&] { test::act(t.env, "alice", Action::suspend, std::string("test")); }),
            ErrorKind::conflict);
  EXPECT_EQ(test::act(t.env, "alice", Action::silence, std::string("test")).status,
            Status::suspended)
      << "suspension outranks silence";
  EXPECT_EQ(test::act(t.env, "alice", Action::unsuspend, std::nullopt).status, Status::silenced);
  EXPECT_EQ(test::act(t.env, "alice", Action::unsilence, std::nullopt).status, Status::active);
  EXPECT_EQ(test::kind_of([&] { test::act(t.env, "alice", Action::enable, std::nullopt); }),
            ErrorKind::conflict);
  EXPECT_EQ(test::act(t.env, "alice", Action::disable, std::nullopt).status, Status::disabled);
  EXPECT_EQ(test::kind_of([&] { test::act(t.env, "nobody", Action::disable, std::nullopt); }),
            ErrorKind::not_found);
}

TEST_F(UserServiceTest, PendingQueue) {
  auto req = request("carol", "carol@example.com");
  req.pending = true;
  svc.create(req);
  t.clock.advance(10);
  req = request("dave", "dave@example.com");
  req.pending = true;
  svc.create(req);
  EXPECT_EQ(svc.list({.role = {}, .status = Status::pending, .search = {}}).size(), 2u);
  const auto approved = svc.approve_oldest(1);
  ASSERT_EQ(approved.size(), 1u);
  EXPECT_EQ(approved[0].username, "carol");
  EXPECT_EQ(test::kind_of([&] { svc.approve({"carol"}); }), ErrorKind::conflict);
  svc.reject({"dave"});
  EXPECT_EQ(test::kind_of([&] { svc.resolve("dave"); }), ErrorKind::not_found);
}

TEST_F(UserServiceTest, DeletedUsernamesAreNeverReused) {
  svc.create(request("erin", "erin@example.com"));
  const auto u = svc.remove("erin");
  EXPECT_EQ(u.status, Status::deleted);
  EXPECT_FALSE(u.email.has_value());
  EXPECT_EQ(test::kind_of([&] { svc.remove("erin"); }), ErrorKind::conflict);
  EXPECT_EQ(test::kind_of([&] { svc.create(request("Erin", "new@example.com")); }),
            ErrorKind::conflict);
  EXPECT_NO_THROW(svc.create(request("erin2", "erin@example.com"))) << "the address is free again";
}

TEST_F(UserServiceTest, KeysAppearWhenFirstNeededAndRotate) {
  const auto r = svc.create(request("frank", "frank@example.com"));
  EXPECT_FALSE(r.user.has_keys);
  const auto first = svc.ensure_keys(r.user.id);
  EXPECT_EQ(svc.ensure_keys(r.user.id).public_pem, first.public_pem) << "stable once made";
  svc.rotate_keys({"frank"}, nullptr);
  EXPECT_NE(svc.ensure_keys(r.user.id).public_pem, first.public_pem);
}

TEST_F(UserServiceTest, ResetLinkOrPassword) {
  svc.create(request("gina", "gina@example.com"));
  const auto url = svc.reset_password("gina", std::nullopt);
  ASSERT_TRUE(url.has_value());
  EXPECT_EQ(url->rfind("https://localhost:8080/auth/reset/", 0), 0u);
  EXPECT_FALSE(svc.reset_password("gina", std::string("new password 1")).has_value());
  EXPECT_EQ(test::kind_of([&] { svc.reset_password("gina", std::string("short")); }),
            ErrorKind::usage);
}

TEST_F(UserServiceTest, ListFiltersAndPages) {
  for (int i = 0; i < 5; ++i) {
    svc.create(request("user" + std::to_string(i), "u" + std::to_string(i) + "@example.com"));
  }
  const auto page1 = svc.list({.role = {}, .status = {}, .search = {}, .limit = 2});
  ASSERT_EQ(page1.size(), 2u);
  const auto page2 =
      svc.list({.role = {}, .status = {}, .search = {}, .limit = 2, .after_id = page1.back().id});
  ASSERT_EQ(page2.size(), 2u);
  EXPECT_GT(page2.front().id, page1.back().id);
  EXPECT_EQ(svc.list({.role = {}, .status = {}, .search = std::string("USER3")}).size(), 1u);
  EXPECT_EQ(svc.list({.role = {}, .status = {}, .search = std::string("%")}).size(), 0u)
      << "LIKE wildcards are literal";
}

}  // namespace instctl::users
