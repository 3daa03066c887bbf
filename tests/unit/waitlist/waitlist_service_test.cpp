#include "instctl/waitlist/waitlist_service.hpp"

#include <gtest/gtest.h>

#include "instctl/core/error.hpp"
#include "instctl/email_blocks/email_block_service.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/users/user_service.hpp"
#include "test_support.hpp"

namespace instctl::waitlist {

namespace {
AddRequest req(std::string email, std::int64_t priority = 0) {
  AddRequest r;
  r.email = std::move(email);
  r.priority = priority;
  return r;
}
}  // namespace

class WaitlistServiceTest : public ::testing::Test {
 protected:
  test::TestInstance t;
  WaitlistService svc{t.env};
};

TEST_F(WaitlistServiceTest, QueueOrderAndPositions) {
  svc.add(req("a@example.com"));
  t.clock.advance(10);
  svc.add(req("b@example.com"));
  t.clock.advance(10);
  EXPECT_EQ(svc.add(req("c@example.com", 5)).position, 1);
  const auto list = svc.list(EntryStatus::waiting, 0);
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].email, "c@example.com");
  EXPECT_EQ(list[2].email, "b@example.com");
  EXPECT_EQ(list[2].position, 3);
  EXPECT_EQ(svc.find("B@EXAMPLE.COM").position, 3);
}

TEST_F(WaitlistServiceTest, DuplicatesBlocksAndBadAddresses) {
  svc.add(req("a@example.com"));
  EXPECT_EQ(test::kind_of([&] { svc.add(req("  A@Example.COM ")); }), ErrorKind::conflict);
  email_blocks::EmailBlockService(t.env).add({"spam.example"});
  EXPECT_EQ(test::kind_of([&] { svc.add(req("x@deep.sub.spam.example")); }), ErrorKind::policy);
  EXPECT_EQ(svc.add(req("x@notspam.example")).status, EntryStatus::waiting);
  EXPECT_EQ(test::kind_of([&] { svc.add(req("not-an-address")); }), ErrorKind::usage);
  users::CreateRequest u;
  u.username = "bob";
  u.email = "bob@example.com";
  users::UserService(t.env).create(u);
  EXPECT_EQ(test::kind_of([&] { svc.add(req("bob@example.com")); }), ErrorKind::conflict);
}

TEST_F(WaitlistServiceTest, ProcessAdmitsInQueueOrderOnce) {
  for (int i = 0; i < 250; ++i)
    svc.add(req("p" + std::to_string(i) + "@example.com", i == 200 ? 1 : 0));
  AdmitOptions opts;
  opts.expires_at = test::k_test_now + 86400;
  const auto first = svc.process(120, opts);
  ASSERT_EQ(first.size(), 120u);
  EXPECT_EQ(first[0].entry.email, "p200@example.com") << "priority first";
  EXPECT_EQ(first[1].entry.email, "p0@example.com");
  EXPECT_EQ(first[0].invite.email, "p200@example.com");
  EXPECT_EQ(first[0].invite.max_uses, 1);
  EXPECT_EQ(svc.process(1000, opts).size(), 130u);
  EXPECT_TRUE(svc.process(10, opts).empty());
  EXPECT_EQ(svc.stats()["invited"], 250);
}

TEST_F(WaitlistServiceTest, RedeemingTheInviteJoins) {
  svc.add(req("a@example.com"));
  const auto a = svc.admit({"a@example.com"}, {});
  users::CreateRequest r;
  r.username = "alice";
  r.email = "a@example.com";
  r.invite_code = a.front().invite.code;
  users::UserService(t.env).create(r);
  EXPECT_EQ(svc.find("a@example.com").status, EntryStatus::joined);
  EXPECT_DOUBLE_EQ(svc.stats()["conversion_rate"].get<double>(), 1.0);
  EXPECT_EQ(test::kind_of([&] { svc.admit({"a@example.com"}, {}); }), ErrorKind::conflict);
  EXPECT_EQ(test::kind_of([&] { svc.reject({"a@example.com"}, std::nullopt); }),
            ErrorKind::conflict);
}

// Double opt-in: an entry from the web waits for its mailed link while mail is enabled.
TEST_F(WaitlistServiceTest, WebEntriesWaitForTheirConfirmation) {
  instance::Settings settings(t.env.db);
  settings.set(t.env, "mail.smtp_url", "smtp://127.0.0.1:25");
  settings.set(t.env, "mail.from", "invites@example.com");
  settings.set(t.env, "waitlist.enabled", "true");
  svc.add(req("admin@example.com"));
  auto web = req("web@example.com");
  web.channel = users::Channel::sign_up;
  const auto e = svc.add(web);
  EXPECT_FALSE(e.confirmed_at);
  EXPECT_FALSE(e.position);
  // The token is only in the mail; the table holds its hash.
  auto st = t.env.db.prepare("SELECT body FROM mails WHERE kind = 'waitlist_confirmation'");
  ASSERT_TRUE(st->step());
  const auto body = st->get_text(0);
  const auto at = body.find("/waitlist/confirm/") + 18;
  const auto token = body.substr(at, body.find('\n', at) - at);
  EXPECT_TRUE(svc.process(10, {}).size() == 1);  // the admin's entry only
  EXPECT_EQ(svc.check_confirmation(token).state, ConfirmState::usable);
  EXPECT_EQ(svc.check_confirmation("nope").state, ConfirmState::unknown);
  const auto c = svc.confirm(token);
  EXPECT_EQ(c.state, ConfirmState::usable);
  EXPECT_EQ(c.entry->position, 1);
  EXPECT_EQ(svc.confirm(token).state, ConfirmState::confirmed);  // once
  // Another web entry, never confirmed, expires and is removed.
  auto late = req("late@example.com");
  late.channel = users::Channel::sign_up;
  svc.add(late);
  t.clock.advance(48 * 3600 + 1);
  EXPECT_EQ(svc.purge_unconfirmed(), std::vector<std::string>{"late@example.com"});
  EXPECT_THROW(svc.find("late@example.com"), Error);
}

// waitlist.confirm_within set to 2h: an unconfirmed web entry stays until then, the mail gives
// that deadline, and the next purge after it removes the entry; a confirmed one is kept.
TEST_F(WaitlistServiceTest, UnconfirmedEntriesExpireAfterTheConfiguredTime) {
  instance::Settings settings(t.env.db);
  settings.set(t.env, "mail.smtp_url", "smtp://127.0.0.1:25");
  settings.set(t.env, "mail.from", "invites@example.com");
  settings.set(t.env, "waitlist.enabled", "true");
  settings.set(t.env, "waitlist.confirm_within", "2h");
  EXPECT_EQ(svc.confirm_within(), 2 * 3600);
  auto web = req("soon@example.com");
  web.channel = users::Channel::sign_up;
  svc.add(web);
  auto kept = req("kept@example.com");
  kept.channel = users::Channel::sign_up;
  svc.add(kept);
  auto st = t.env.db.prepare(
      "SELECT body FROM mails WHERE kind = 'waitlist_confirmation' AND recipient = ?");
  st->bind(1, "kept@example.com");
  ASSERT_TRUE(st->step());
  const auto body = st->get_text(0);
  const auto at = body.find("/waitlist/confirm/") + 18;
  EXPECT_EQ(svc.confirm(body.substr(at, body.find('\n', at) - at)).state, ConfirmState::usable);
  t.clock.advance(2 * 3600 - 1);
  EXPECT_TRUE(svc.purge_unconfirmed().empty());
  t.clock.advance(2);
  EXPECT_EQ(svc.purge_unconfirmed(), std::vector<std::string>{"soon@example.com"});
  EXPECT_NO_THROW(svc.find("kept@example.com"));
}

}  // namespace instctl::waitlist
