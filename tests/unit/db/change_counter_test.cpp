#include "instctl/db/change_counter.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "instctl/db/sqlite_connection.hpp"
#include "test_support.hpp"

namespace instctl::db {

namespace {

const char* const k_set_title =
    "INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES ('instance.title', ?, 0)";

TEST(ChangeCounter, MovesAfterACommitThatChangedRows) {
  test::TestInstance inst;
  auto counter = ChangeCounter::open(inst.path());
  ASSERT_TRUE(counter);
  const auto c0 = counter->read();
  inst.env.db.prepare("SELECT count(*) FROM settings")->step();
  EXPECT_EQ(counter->read(), c0) << "a read";
  inst.env.db.prepare("UPDATE settings SET value = 'x' WHERE key = 'no.such.key'")->run();
  EXPECT_EQ(counter->read(), c0) << "a write that changed no row";

  inst.env.db.prepare(k_set_title)->bind_all("a").run();
  const auto c1 = counter->read();
  EXPECT_GT(c1, c0) << "a statement outside a transaction, once it has run";

  auto writer = open_sqlite(inst.path(), OpenMode::existing);
  writer->begin_write();
  writer->prepare(k_set_title)->bind_all("b").run();
  EXPECT_EQ(counter->read(), c1) << "a change not committed yet";
  writer->commit();
  const auto c2 = counter->read();
  EXPECT_GT(c2, c1) << "its commit, made by another connection";

  {
    auto st = inst.env.db.prepare(
        "UPDATE settings SET value = 'c' WHERE key = 'instance.title' RETURNING value");
    ASSERT_TRUE(st->step());
    EXPECT_EQ(counter->read(), c2) << "a RETURNING stepped once has not committed yet";
  }
  EXPECT_GT(counter->read(), c2) << "it commits when the statement is given back";
}

TEST(ChangeCounter, OneCounterForEveryProcessBesideTheDatabase) {
  test::TestInstance inst;
  auto a = ChangeCounter::open(inst.path());
  auto b = ChangeCounter::open(inst.path());
  ASSERT_TRUE(a && b);
  const auto before = b->read();
  a->add_one();
  EXPECT_EQ(b->read(), before + 1) << "two mappings of one file";
  struct stat db {};
  struct stat file {};
  ASSERT_EQ(::stat(inst.path().c_str(), &db), 0);
  ASSERT_EQ(::stat(ChangeCounter::path_for(inst.path()).c_str(), &file), 0);
  EXPECT_EQ(file.st_mode & 0777, db.st_mode & 0777) << "the database file's permissions";
  EXPECT_EQ(file.st_size, 8);
}

TEST(ChangeCounter, NoneForPostgresqlOrAMissingDatabase) {
  EXPECT_FALSE(ChangeCounter::open("postgresql://127.0.0.1/instctl"));
  test::TempDir dir;
  EXPECT_FALSE(ChangeCounter::open(dir.file("missing.db")));
  EXPECT_FALSE(ChangeCounter::open("/nonexistent-dir/instance.db"));
}

}  // namespace

}  // namespace instctl::db
