#include "instctl/db/read_memo.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "instctl/db/sqlite_connection.hpp"
#include "test_support.hpp"

namespace instctl::db {

namespace {

const char* const k_store_title =
    "INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES ('instance.title', ?, 0)";

// The title as stored, through the memo; `reads` counts the reads that reached the database.
std::string title(Connection& db, int& reads) {
  return remembered(db, "test-title", "", [&] {
    ++reads;
    auto st = db.prepare("SELECT value FROM settings WHERE key = 'instance.title'");
    return st->step() ? st->get_text(0) : std::string();
  });
}

// A connection that keeps reads, as serve's workers' do.
std::unique_ptr<Connection> keeping_connection(const test::TestInstance& inst) {
  auto db = open_sqlite(inst.path(), OpenMode::existing);
  db->keep_reads();
  return db;
}

TEST(ReadMemo, KeepsNothingUnlessAsked) {
  test::TestInstance inst;
  int reads = 0;
  title(inst.env.db, reads);
  title(inst.env.db, reads);
  EXPECT_EQ(reads, 2) << "a command's connection reads every time";
}

TEST(ReadMemo, KeptUntilAnyConnectionCommitsAChange) {
  test::TestInstance inst;
  auto server = keeping_connection(inst);
  int reads = 0;
  inst.env.db.prepare(k_store_title)->bind_all("first").run();
  EXPECT_EQ(title(*server, reads), "first");
  EXPECT_EQ(title(*server, reads), "first");
  EXPECT_EQ(reads, 1) << "the second read is kept";

  inst.env.db.prepare(k_store_title)->bind_all("second").run();  // another connection
  EXPECT_EQ(title(*server, reads), "second") << "a commit elsewhere drops what was kept";
  EXPECT_EQ(reads, 2);

  server->begin_write();
  EXPECT_EQ(title(*server, reads), "second");
  EXPECT_EQ(reads, 3) << "a write transaction reads afresh, before it has written too";
  server->rollback();

  server->prepare(k_store_title)->bind_all("third").run();
  EXPECT_EQ(title(*server, reads), "third") << "its own change, committed";
  EXPECT_EQ(reads, 4);

  server->begin_read();
  server->prepare(k_store_title)->bind_all("fourth").run();
  EXPECT_EQ(title(*server, reads), "fourth") << "its own change, not committed yet";
  EXPECT_EQ(title(*server, reads), "fourth");
  EXPECT_EQ(reads, 6) << "nothing is kept while a change of its own is not committed";
  server->rollback();
  EXPECT_EQ(title(*server, reads), "third") << "what was read then is not kept";
  EXPECT_EQ(reads, 7);
}

TEST(ReadMemo, KeptUnderTheVersionItsTransactionBeganAt) {
  test::TestInstance inst;
  auto server = keeping_connection(inst);
  inst.env.db.prepare(k_store_title)->bind_all("old").run();
  int reads = 0;
  {
    SharedReads shared(*server);
    server->prepare("SELECT count(*) FROM settings")->step();   // the snapshot begins
    inst.env.db.prepare(k_store_title)->bind_all("new").run();  // committed after it
    EXPECT_EQ(title(*server, reads), "old") << "the snapshot's value";
  }
  EXPECT_EQ(title(*server, reads), "new") << "kept under the version before the commit";
  EXPECT_EQ(reads, 2);
}

TEST(ReadMemo, NothingKeptWhileAStatementHoldsAnOlderSnapshot) {
  test::TestInstance inst;
  auto server = keeping_connection(inst);
  inst.env.db.prepare(k_store_title)->bind_all("old").run();
  int reads = 0;
  {
    auto rows = server->prepare("SELECT key FROM settings");
    ASSERT_TRUE(rows->step());                                  // its snapshot begins
    inst.env.db.prepare(k_store_title)->bind_all("new").run();  // committed after it
    EXPECT_EQ(title(*server, reads), "old") << "read in the statement's snapshot";
  }
  EXPECT_EQ(title(*server, reads), "new") << "what the older snapshot showed was not kept";
  EXPECT_EQ(reads, 2);
}

TEST(ReadMemo, ExpiresAfterItsMaximumAge) {
  ReadMemo memo;
  const auto t0 = std::chrono::steady_clock::now();
  memo.renew(7, t0);
  memo.keep<int>("k", 1);
  memo.renew(7, t0 + ReadMemo::k_max_age / 2);
  ASSERT_NE(memo.find<int>("k"), nullptr);
  EXPECT_EQ(memo.find<std::string>("k"), nullptr) << "another type is not a hit";
  memo.renew(8, t0 + ReadMemo::k_max_age / 2);
  EXPECT_EQ(memo.find<int>("k"), nullptr) << "another version";
  memo.keep<int>("k", 1);
  memo.renew(8, t0 + ReadMemo::k_max_age * 2);
  EXPECT_EQ(memo.find<int>("k"), nullptr) << "too old: writes by other programs show";
}

}  // namespace

}  // namespace instctl::db
