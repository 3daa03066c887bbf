// Claiming queued mail: one claimant per row, and a claim abandoned by a dead run expires.

#include "instctl/mail/mail_store.hpp"

#include <gtest/gtest.h>

#include "instctl/invites/invite_service.hpp"
#include "test_support.hpp"

namespace instctl::mail {

class MailStoreTest : public ::testing::Test {
 protected:
  MailStoreTest() {
    invites::CreateInviteRequest req;
    req.email = "reader@example.com";
    req.queue_mail = true;
    invites::InviteService(t.env).create(req);
  }
  std::optional<MailRow> claim_next(std::int64_t after, UnixTime now, UnixTime due_by,
                                    const std::string& message_id = "<new@localhost>") {
    return store.claim_next(after, now, due_by, message_id);
  }
  std::optional<MailRow> claim(std::int64_t id, UnixTime now) {
    return store.claim(id, now, "<new@localhost>");
  }
  test::TestInstance t;
  MailStore store{*t.conn};
};

TEST_F(MailStoreTest, AClaimedMailIsNotClaimedTwice) {
  const auto first = claim_next(0, t.clock.now(), t.clock.now());
  ASSERT_TRUE(first);
  EXPECT_EQ(first->recipient, "reader@example.com");
  EXPECT_EQ(first->state, "sending");
  EXPECT_FALSE(claim_next(0, t.clock.now(), t.clock.now()));
  EXPECT_FALSE(claim(first->id, t.clock.now()));
}

TEST_F(MailStoreTest, AClaimLeftBehindByADeadRunIsTakenAgainAfterItsLease) {
  const auto first = claim_next(0, t.clock.now(), t.clock.now());
  ASSERT_TRUE(first);
  // The run dies here: the row stays "sending".
  t.clock.advance(k_mail_claim_lease - 1);
  EXPECT_FALSE(claim_next(0, t.clock.now(), t.clock.now())) << "still within the lease";
  t.clock.advance(1);
  const auto again = claim_next(0, t.clock.now(), t.clock.now());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(again->attempts, 2);
  // A sent mail is never claimed again, however old.
  store.mark_sent(again->id, "<id@localhost>", t.clock.now());
  t.clock.advance(10 * k_mail_claim_lease);
  EXPECT_FALSE(claim(again->id, t.clock.now()));
}

TEST_F(MailStoreTest, AMessageIdFixedByTheClaimSurvivesADeadRun) {
  const auto first = claim_next(0, t.clock.now(), t.clock.now(), "<one@localhost>");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->message_id, "<one@localhost>");
  // The run dies after the server may have taken the message; the next run after the lease
  // sends it with the same Message-ID.
  t.clock.advance(k_mail_claim_lease);
  const auto again = claim_next(0, t.clock.now(), t.clock.now(), "<two@localhost>");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->message_id, "<one@localhost>") << "set once, never replaced";
  t.clock.advance(k_mail_claim_lease);
  EXPECT_EQ(claim(again->id, t.clock.now())->message_id, "<one@localhost>");
}

// Every kind shares the queue and its claims; a revoked invite holds back only its own mail.
TEST_F(MailStoreTest, MailsOfEveryKindShareOneQueue) {
  const auto invite_mail = claim_next(0, t.clock.now(), t.clock.now());
  ASSERT_TRUE(invite_mail);
  store.release(invite_mail->id, "try again", t.clock.now());
  t.conn->prepare("UPDATE invites SET revoked_at = 1")->run();
  const auto id =
      store.enqueue_composed("approved", "quinn@example.org", "Approved", "Hello\n", t.clock.now());
  const auto claimed = claim_next(0, t.clock.now(), t.clock.now());
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->id, id) << "the revoked invite's mail is passed over";
  EXPECT_EQ(claimed->kind, "approved");
  EXPECT_FALSE(claimed->invite_id);
  EXPECT_EQ(claimed->subject, "Approved");
  EXPECT_EQ(claimed->body, "Hello\n");
  EXPECT_FALSE(claim_next(0, t.clock.now(), t.clock.now())) << "claimed once";
  store.mark_sent(id, "<x@localhost>", t.clock.now());
  const auto by_kind = store.count_by_kind();
  EXPECT_EQ(by_kind.at("approved").at("sent"), 1);
  EXPECT_EQ(by_kind.at("invite").at("unsent"), 1);
  EXPECT_EQ(store.count_by_state("invite").at("unsent"), 1);
  EXPECT_EQ(store.count_by_state().at("sent"), 1);
  // The table itself refuses a mail of another kind without its words, or tied to an invite.
  EXPECT_ANY_THROW(
      t.conn
          ->prepare(
              "INSERT INTO mails (kind, recipient, created_at) VALUES ('welcome', 'a@b.c', 1)")
          ->run());
}

TEST_F(MailStoreTest, AFailedMailWaitsForItsRetryTimeUnlessAnAdminAsks) {
  const auto now = t.clock.now();
  const auto first = claim_next(0, now, now);
  ASSERT_TRUE(first);
  store.release(first->id, "421 try later", now + 60);
  EXPECT_EQ(store.count_due(now), 0);
  EXPECT_FALSE(claim_next(0, now, now)) << "not due before its retry time";
  EXPECT_EQ(store.count_due(now + 60), 1);
  const auto again = claim_next(0, now, k_any_time);
  ASSERT_TRUE(again) << "an admin's run takes it at once";
  EXPECT_EQ(again->attempts, 2);
  store.give_up(again->id, "550 no such user (gave up after 2 attempts)");
  EXPECT_EQ(store.count_by_state().at("failed"), 1);
  EXPECT_FALSE(claim(again->id, now + 86400)) << "a mail given up is never claimed again";
}

}  // namespace instctl::mail
