#include "instctl/db/migrations.hpp"

#include <gtest/gtest.h>

#include "instctl/core/error.hpp"
#include "instctl/db/maintenance.hpp"
#include "instctl/subscriptions/entries_text.hpp"
#include "test_support.hpp"

namespace instctl::db {

TEST(Migrations, AreNumberedInOrderFromOne) {
  const auto& all = embedded_migrations();
  ASSERT_FALSE(all.empty());
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].version, static_cast<int>(i + 1));
}

TEST(Migrations, ApplyFromEmptyAndFromEachEarlierVersion) {
  for (int start = 0; start < latest_schema_version(); ++start) {
    test::TempDir dir;
    auto conn = open_sqlite(dir.file("db"), OpenMode::create);
    // Bring the database to `start` by applying exactly the first migrations.
    for (const auto& m : embedded_migrations()) {
      if (m.version > start) break;
      conn->exec(m.sql);
      conn->exec("PRAGMA user_version = " + std::to_string(m.version));
    }
    EXPECT_EQ(pending_migrations(*conn).size(),
              static_cast<std::size_t>(latest_schema_version() - start));
    migrate(*conn);
    EXPECT_EQ(schema_version(*conn), latest_schema_version());
    EXPECT_TRUE(check_database(*conn).empty());
    EXPECT_NO_THROW(require_current_schema(*conn));
  }
}

// 0014: the waitlist entries made before the double opt-in count as confirmed (no link was ever
// mailed for them), from the time they joined.
TEST(Migrations, EarlierWaitlistEntriesCountAsConfirmed) {
  test::TempDir dir;
  auto conn = open_sqlite(dir.file("db"), OpenMode::create);
  for (const auto& m : embedded_migrations()) {
    if (m.version > 13) break;
    conn->exec(m.sql);
    conn->exec("PRAGMA user_version = " + std::to_string(m.version));
  }
  conn->exec(
      "INSERT INTO waitlist (email, email_key, created_at) VALUES ('a@example.com', "
      "'a@example.com', 1000)");
  migrate(*conn);
  auto st = conn->prepare("SELECT confirmed_at, confirm_token_hash IS NULL FROM waitlist");
  ASSERT_TRUE(st->step());
  EXPECT_EQ(st->get_int(0), 1000);
  EXPECT_EQ(st->get_int(1), 1);
}

// 0019: a list's entries move from a row per domain to one text per list, every field kept
// (read back as the store reads them).
TEST(Migrations, SubscriptionEntriesBecomeOneTextPerList) {
  test::TempDir dir;
  auto conn = open_sqlite(dir.file("db"), OpenMode::create);
  for (const auto& m : embedded_migrations()) {
    if (m.version > 18) break;
    conn->exec(m.sql);
    conn->exec("PRAGMA user_version = " + std::to_string(m.version));
  }
  conn->exec(
      "INSERT INTO subscriptions (id, name, url, created_at) VALUES (1, 'a', 'https://a', 1), "
      "(2, 'b', 'https://b', 1), (3, 'c', 'https://c', 1)");
  conn->exec(
      "INSERT INTO subscription_entries (subscription_id, domain, severity, reject_media, "
      "reject_reports, obfuscate, public_comment) VALUES "
      "(1, 'z.example', 'suspend', 0, 0, 0, NULL), "
      "(1, 'a.example', 'silence', 1, 0, 1, 'tab' || char(9) || 'and \\ line' || char(10)), "
      "(2, 'm.example', 'noop', 0, 1, 0, '')");
  migrate(*conn);
  std::vector<subscriptions::Entry> entries;
  auto st = conn->prepare("SELECT id, entries, entry_count FROM subscriptions ORDER BY id");
  std::vector<std::int64_t> counts;
  while (st->step()) {
    subscriptions::read_entries_text(st->get_text(1), st->get_int(0), entries);
    counts.push_back(st->get_int(2));
  }
  EXPECT_EQ(counts, (std::vector<std::int64_t>{2, 1, 0}));
  ASSERT_EQ(entries.size(), 3U);
  EXPECT_EQ(entries[0].rule.domain, "a.example") << "sorted by domain";
  EXPECT_EQ(entries[0].rule.severity, federation::Severity::silence);
  EXPECT_TRUE(entries[0].rule.reject_media);
  EXPECT_FALSE(entries[0].rule.reject_reports);
  EXPECT_TRUE(entries[0].rule.obfuscate);
  EXPECT_EQ(entries[0].rule.public_comment, "tab\tand \\ line\n");
  EXPECT_EQ(entries[1].rule.domain, "z.example");
  EXPECT_FALSE(entries[1].rule.public_comment);
  EXPECT_EQ(entries[2].subscription_id, 2);
  EXPECT_TRUE(entries[2].rule.reject_reports);
  EXPECT_EQ(entries[2].rule.public_comment, "");
}

TEST(Migrations, RefuseANewerDatabase) {
  test::TempDir dir;
  auto conn = open_sqlite(dir.file("db"), OpenMode::create);
  conn->exec("PRAGMA user_version = 9999");
  EXPECT_THROW(require_current_schema(*conn), Error);
  EXPECT_THROW(migrate(*conn), Error);
}

TEST(Database, AuditLogIsAppendOnly) {
  test::TestInstance t;
  EXPECT_THROW(t.conn->exec("DELETE FROM audit_log"), Error);
  EXPECT_THROW(t.conn->exec("UPDATE audit_log SET actor = 'x'"), Error);
}

TEST(Database, UniqueViolationsAreConflicts) {
  test::TestInstance t;
  try {
    t.conn->exec(
        "INSERT INTO instance (id, domain, account_domain, created_at) VALUES (1, 'a', 'a', 0)");
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::conflict);
  }
}

}  // namespace instctl::db
