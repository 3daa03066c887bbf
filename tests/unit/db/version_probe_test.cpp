#include "instctl/db/version_probe.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "instctl/db/sqlite_connection.hpp"
#include "test_support.hpp"

namespace instctl::db {

namespace {

TEST(VersionProbe, MovesWithAnotherConnectionsCommitOnly) {
  test::TestInstance inst;
  auto probe = VersionProbe::open(inst.path());
  ASSERT_TRUE(probe);
  const auto v0 = probe->read();
  ASSERT_TRUE(v0);
  EXPECT_EQ(probe->read(), v0) << "reading changes nothing";
  inst.env.db.exec("SELECT count(*) FROM settings");
  EXPECT_EQ(probe->read(), v0) << "another connection's read changes nothing";
  inst.env.db.exec(
      "INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES ('instance.title', 'x', 0)");
  const auto v1 = probe->read();
  ASSERT_TRUE(v1);
  EXPECT_NE(v1, v0) << "another connection's commit";
}

TEST(VersionProbe, NoneForPostgresqlOrAMissingFile) {
  EXPECT_FALSE(VersionProbe::open("postgresql://127.0.0.1/instctl"));
  EXPECT_FALSE(VersionProbe::open("/nonexistent-dir/instance.db"));
}

TEST(VersionProbe, ReadsAtOnceWhileAWriterHoldsTheLock) {
  test::TestInstance inst;
  auto probe = VersionProbe::open(inst.path());
  ASSERT_TRUE(probe);
  const auto v0 = probe->read();
  auto writer = open_sqlite(inst.path(), OpenMode::existing);
  writer->exec("BEGIN IMMEDIATE");
  writer->exec(
      "INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES ('instance.title', 'x', 0)");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(probe->read(), v0) << "a write not yet committed is not a change";
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500))
      << "it does not wait for the writer";
  writer->exec("COMMIT");
  EXPECT_NE(probe->read(), v0) << "the commit is";
}

}  // namespace

}  // namespace instctl::db
