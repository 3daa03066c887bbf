#include "instctl/db/sqlite_connection.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "instctl/core/error.hpp"
#include "test_support.hpp"

namespace instctl::db {

namespace {

std::unique_ptr<Connection> open_with_table(const std::string& path) {
  auto c = open_sqlite(path, OpenMode::create);
  c->exec("CREATE TABLE IF NOT EXISTS t (v INTEGER)");
  return c;
}

}  // namespace

// A write in a transaction that began by reading, after another connection committed: SQLite
// refuses at once (its snapshot is stale), and the message says so instead of claiming a
// 30-second wait.
TEST(SqliteBusy, AStaleSnapshotIsReportedAsARefusalNotATimeout) {
  test::TempDir dir;
  auto a = open_with_table(dir.file("db"));
  auto b = open_sqlite(dir.file("db"), OpenMode::existing);
  a->begin_read();
  auto st = a->prepare("SELECT count(*) FROM t");
  st->step();
  st.reset();
  b->exec("INSERT INTO t VALUES (1)");
  const auto t0 = std::chrono::steady_clock::now();
  const std::string msg = test::message_of([&] { a->exec("INSERT INTO t VALUES (2)"); });
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  EXPECT_NE(msg.find("would not wait"), std::string::npos) << msg;
  EXPECT_NE(msg.find("run the command again"), std::string::npos) << msg;
  a->rollback();
}

namespace {

std::int64_t count_rows(Connection& c) {
  auto st = c.prepare("SELECT count(*) FROM t");
  st->step();
  return st->get_int(0);
}

}  // namespace

// The SELECTs in a SharedReads scope share one read transaction: what another connection
// commits after the first of them shows once the scope ends.
TEST(SharedReads, SelectsInTheScopeSeeOneSnapshot) {
  test::TempDir dir;
  auto a = open_with_table(dir.file("db"));
  auto b = open_sqlite(dir.file("db"), OpenMode::existing);
  {
    SharedReads reads(*a);
    EXPECT_EQ(count_rows(*a), 0);
    b->exec("INSERT INTO t VALUES (1)");
    EXPECT_EQ(count_rows(*a), 0);
  }
  EXPECT_EQ(count_rows(*a), 1);
}

// A statement that is not a SELECT ends the sharing first: it runs as it would without it
// (no stale snapshot to refuse it, committed at once), and the reads after it see the latest.
TEST(SharedReads, AWriteEndsTheSharingFirst) {
  test::TempDir dir;
  auto a = open_with_table(dir.file("db"));
  auto b = open_sqlite(dir.file("db"), OpenMode::existing);
  SharedReads reads(*a);
  EXPECT_EQ(count_rows(*a), 0);
  b->exec("INSERT INTO t VALUES (1)");
  EXPECT_NO_THROW(a->prepare("INSERT INTO t VALUES (2)")->run());
  EXPECT_EQ(count_rows(*b), 2);  // committed, not held in the shared transaction
  b->exec("INSERT INTO t VALUES (3)");
  EXPECT_EQ(count_rows(*a), 3);
}

// A transaction begun in the scope ends the sharing first, and writes as usual.
TEST(SharedReads, ATransactionInTheScopeWrites) {
  test::TempDir dir;
  auto a = open_with_table(dir.file("db"));
  auto b = open_sqlite(dir.file("db"), OpenMode::existing);
  SharedReads reads(*a);
  EXPECT_EQ(count_rows(*a), 0);
  b->exec("INSERT INTO t VALUES (1)");
  {
    Transaction tx(*a);
    EXPECT_EQ(count_rows(*a), 1);
    a->prepare("INSERT INTO t VALUES (2)")->run();
    tx.commit();
  }
  EXPECT_EQ(count_rows(*b), 2);
}

// A writer waits for another connection's write transaction and then goes on.
TEST(SqliteBusy, AWriterWaitsForTheLockAndThenWrites) {
  test::TempDir dir;
  auto a = open_with_table(dir.file("db"));
  auto b = open_sqlite(dir.file("db"), OpenMode::existing);
  a->begin_write();
  a->exec("INSERT INTO t VALUES (1)");
  std::thread holder([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    a->commit();
  });
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_NO_THROW({
    Transaction tx(*b);
    b->exec("INSERT INTO t VALUES (2)");
    tx.commit();
  });
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(250));
  holder.join();
  auto st = b->prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(st->step());
  EXPECT_EQ(st->get_int(0), 2);
}

TEST(SqliteConnection, LimitCacheSetsThePageCacheBudget) {
  test::TempDir dir;
  auto c = open_with_table(dir.file("db"));
  c->limit_cache(512);
  auto st = c->prepare("PRAGMA cache_size");
  ASSERT_TRUE(st->step());
  EXPECT_EQ(st->get_int(0), -512);
}

namespace {
enum class Colour { red, blue };
Colour parse_colour(const std::string& s) { return s == "red" ? Colour::red : Colour::blue; }
}  // namespace

TEST(Statement, ReadAllMirrorsBindAll) {
  test::TempDir dir;
  auto c = open_sqlite(dir.file("db"), OpenMode::create);
  auto st = c->prepare("SELECT 7, 'seven', NULL, 'x', NULL, 5, 2, 'red', 'skipped', 'last'");
  ASSERT_TRUE(st->step());
  std::int64_t n = 0;
  std::string text;
  std::optional<std::string> none_text = "stale", some_text;
  std::optional<std::int64_t> none_int = 3, some_int;
  bool flag = false;
  Colour colour = Colour::blue;
  st->read_all(n, text, none_text, some_text, none_int, some_int, flag,
               parsed(colour, parse_colour));
  EXPECT_EQ(n, 7);
  EXPECT_EQ(text, "seven");
  EXPECT_EQ(none_text, std::nullopt);
  EXPECT_EQ(some_text, "x");
  EXPECT_EQ(none_int, std::nullopt);
  EXPECT_EQ(some_int, 5);
  EXPECT_TRUE(flag) << "any non-zero is true";
  EXPECT_EQ(colour, Colour::red);
  std::string last;
  st->read_from(9, last);
  EXPECT_EQ(last, "last");
}

}  // namespace instctl::db
