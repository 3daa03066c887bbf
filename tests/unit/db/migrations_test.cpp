#include "instctl/db/migrations.hpp"

#include <gtest/gtest.h>

#include "backends.hpp"
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

// A database brought to `version` by applying exactly the first migrations of its dialect.
static void apply_up_to(Connection& conn, int version) {
  for (const auto& m : embedded_migrations(conn.dialect())) {
    if (m.version > version) break;
    conn.exec(m.sql);
  }
  if (conn.dialect() == Dialect::sqlite) {
    conn.exec("PRAGMA user_version = " + std::to_string(version));
  } else {
    conn.exec("CREATE TABLE instctl_schema (version BIGINT NOT NULL)");
    conn.exec("INSERT INTO instctl_schema (version) VALUES (" + std::to_string(version) + ")");
  }
}

class MigrationData : public ::testing::TestWithParam<test::Backend> {};

// 0019: a list's entries move from a row per domain to one text per list, every field kept
// (read back as the store reads them), on both backends (each has its own SQL for it).
TEST_P(MigrationData, SubscriptionEntriesBecomeOneTextPerList) {
  test::TempDir dir;
  std::unique_ptr<test::PgDatabase> pg;
  if (GetParam() == test::Backend::postgresql) pg = std::make_unique<test::PgDatabase>();
  auto conn =
      pg ? open(pg->uri(), OpenMode::create) : open_sqlite(dir.file("db"), OpenMode::create);
  apply_up_to(*conn, 18);
  conn->exec(
      "INSERT INTO subscriptions (id, name, url, created_at) VALUES (1, 'a', 'https://a', 1), "
      "(2, 'b', 'https://b', 1), (3, 'c', 'https://c', 1)");
  auto insert = conn->prepare(
      "INSERT INTO subscription_entries (subscription_id, domain, severity, reject_media, "
      "reject_reports, obfuscate, public_comment) VALUES (?, ?, ?, ?, ?, ?, ?)");
  const auto add = [&](std::int64_t id, const char* domain, const char* severity, int media,
                       int reports, int obfuscate, const char* comment) {
    insert->bind(1, id);
    insert->bind(2, std::string_view(domain));
    insert->bind(3, std::string_view(severity));
    insert->bind(4, std::int64_t{media});
    insert->bind(5, std::int64_t{reports});
    insert->bind(6, std::int64_t{obfuscate});
    if (comment) {
      insert->bind(7, std::string_view(comment));
    } else {
      insert->bind_null(7);
    }
    insert->step();
    insert->reset();
  };
  add(1, "z.example", "suspend", 0, 0, 0, nullptr);
  add(1, "a.example", "silence", 1, 0, 1, "tab\tand \\ line\n\r");
  add(2, "m.example", "noop", 0, 1, 0, "");
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
  EXPECT_EQ(entries[0].rule.public_comment, "tab\tand \\ line\n\r");
  EXPECT_EQ(entries[1].rule.domain, "z.example");
  EXPECT_FALSE(entries[1].rule.public_comment);
  EXPECT_EQ(entries[2].subscription_id, 2);
  EXPECT_TRUE(entries[2].rule.reject_reports);
  EXPECT_EQ(entries[2].rule.public_comment, "");
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationData, ::testing::ValuesIn(test::backends()),
                         test::backend_name);

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
