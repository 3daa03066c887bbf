#include "instctl/audit/audit_log.hpp"

#include <gtest/gtest.h>

#include "backends.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::audit {

class AuditLogTest : public ::testing::TestWithParam<test::Backend> {
 protected:
  // The actions of the entries `f` selects, newest first.
  std::vector<std::string> actions(const Filter& f) {
    std::vector<std::string> out;
    for (const auto& e : list(t.env.db, f)) out.push_back(e.action);
    return out;
  }
  // Records one entry as `actor`, a second after the previous one.
  void record_as(const std::string& actor, std::string_view action, std::string_view target) {
    t.clock.advance(1);
    Env env{t.env.db, t.clock, actor};
    record(env, action, target);
  }
  void SetUp() override { m_before = list(t.env.db, {}).size(); }
  // The entries the test recorded (initialize records its own).
  std::size_t recorded() { return list(t.env.db, {}).size() - m_before; }

  test::BackendInstance t{GetParam()};
  std::size_t m_before = 0;
};

TEST_P(AuditLogTest, AnEntryKeepsWhoDidWhatToWhatWhenAndItsDetails) {
  t.clock.advance(10);
  record(t.env, "users.suspend", "user:alice", Json{{"reason", "spam"}});
  Filter f;
  f.target = "user:alice";
  const auto entries = list(t.env.db, f);
  ASSERT_EQ(entries.size(), 1u);
  const auto& e = entries[0];
  EXPECT_EQ(e.actor, "cli:test");
  EXPECT_EQ(e.action, "users.suspend");
  EXPECT_EQ(e.target, "user:alice");
  EXPECT_EQ(e.details, (Json{{"reason", "spam"}}));
  EXPECT_EQ(e.created_at, test::k_test_now + 10);
  const auto j = to_json(e);
  EXPECT_EQ(j["details"]["reason"], "spam");
  EXPECT_EQ(j["created_at"], "2026-11-28T06:21:48Z");
}

TEST_P(AuditLogTest, DetailsWrittenAsTextReadLikeAnyOthers) {
  record_text(t.env, "federation.block", "domain:bad.example",
              R"({"severity":"suspend","updated":false,"by":"subscriptions: a"})");
  Filter f;
  f.target = "domain:bad.example";
  const auto entries = list(t.env.db, f);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].action, "federation.block");
  EXPECT_EQ(entries[0].details,
            (Json{{"severity", "suspend"}, {"updated", false}, {"by", "subscriptions: a"}}));
}

TEST_P(AuditLogTest, AnEntryIsWrittenOnlyWithItsTransaction) {
  {
    db::Transaction tx(t.env.db);
    record(t.env, "invites.create", "invite:ROLLEDBACK");
  }  // not committed
  {
    db::Transaction tx(t.env.db);
    record(t.env, "invites.create", "invite:KEPT");
    tx.commit();
  }
  Filter f;
  f.action = "invites.create";
  const auto entries = list(t.env.db, f);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].target, "invite:KEPT");
}

TEST_P(AuditLogTest, FiltersCombineAndTheNewestComesFirst) {
  record_as("cli:root", "users.suspend", "user:alice");
  record_as("web:mod", "users.unsuspend", "user:alice");
  record_as("cli:root", "invites.create", "invite:A");
  record_as("cli:root", "users_extra.x", "user:bob");
  EXPECT_EQ(recorded(), 4u);

  Filter by_actor;
  by_actor.actor = "cli:root";
  EXPECT_EQ(actions(by_actor),
            (std::vector<std::string>{"users_extra.x", "invites.create", "users.suspend"}));

  // An action ending in '.' is a prefix; "users." does not take "users_extra.x".
  Filter prefix;
  prefix.action = "users.";
  EXPECT_EQ(actions(prefix), (std::vector<std::string>{"users.unsuspend", "users.suspend"}));
  Filter exact;
  exact.action = "users";
  EXPECT_TRUE(actions(exact).empty());

  Filter both;
  both.actor = "cli:root";
  both.target = "user:alice";
  EXPECT_EQ(actions(both), std::vector<std::string>{"users.suspend"});

  Filter since;
  since.since = test::k_test_now + 3;
  EXPECT_EQ(actions(since), (std::vector<std::string>{"users_extra.x", "invites.create"}));

  Filter limited;
  limited.actor = "cli:root";
  limited.limit = 2;
  EXPECT_EQ(actions(limited), (std::vector<std::string>{"users_extra.x", "invites.create"}));
}

TEST_P(AuditLogTest, UnreadableDetailsReadAsAnEmptyObject) {
  t.env.db
      .prepare(
          "INSERT INTO audit_log (actor, action, target, details, created_at) "
          "VALUES ('cli:x', 'x.broken', 'x:1', 'not json', 0)")
      ->run();
  Filter f;
  f.action = "x.broken";
  const auto entries = list(t.env.db, f);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].details, Json::object());
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditLogTest, ::testing::ValuesIn(test::backends()),
                         test::backend_name);

}  // namespace instctl::audit
