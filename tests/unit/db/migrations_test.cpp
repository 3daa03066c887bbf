#include "instctl/db/migrations.hpp"

#include <gtest/gtest.h>

#include "instctl/core/error.hpp"
#include "instctl/db/maintenance.hpp"
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
