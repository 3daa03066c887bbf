#include "instctl/db/wal_version.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <fstream>

#include "instctl/db/sqlite_connection.hpp"
#include "test_support.hpp"

namespace instctl::db {

namespace {

std::unique_ptr<Connection> open_with_table(const std::string& path) {
  auto c = open_sqlite(path, OpenMode::create);
  c->exec("CREATE TABLE IF NOT EXISTS t (v INTEGER)");
  return c;
}

// A WAL index file of 32 KiB whose header's two copies hold `first` and `second` (12 words
// each; word 3's low byte is isInit).
void write_index(const std::string& path, std::array<std::uint32_t, 12> first,
                 std::array<std::uint32_t, 12> second) {
  std::string bytes(32 * 1024, '\0');
  std::memcpy(bytes.data(), first.data(), sizeof first);
  std::memcpy(bytes.data() + sizeof first, second.data(), sizeof second);
  std::ofstream(path, std::ios::binary) << bytes;
}

constexpr std::array<std::uint32_t, 12> k_header{3007000, 0, 5, 1, 10, 3, 11, 12, 13, 14, 15, 16};

}  // namespace

TEST(WalVersion, EveryConnectionReadsTheSameVersionAndEachCommitMovesIt) {
  test::TempDir dir;
  auto a = open_with_table(dir.file("db"));
  auto b = open_sqlite(dir.file("db"), OpenMode::existing);
  ASSERT_TRUE(shares_data_version(*a));
  ASSERT_TRUE(shares_data_version(*b));
  const auto v0 = a->data_version();
  EXPECT_EQ(b->data_version(), v0) << "one version for the database";
  EXPECT_EQ(a->data_version(), v0) << "reading changes nothing";
  b->exec("INSERT INTO t VALUES (1)");
  const auto v1 = a->data_version();
  EXPECT_NE(v1, v0) << "another connection's commit";
  EXPECT_EQ(b->data_version(), v1);
  a->exec("INSERT INTO t VALUES (2)");
  EXPECT_NE(b->data_version(), v1) << "the other connection's own commit";
  a->begin_write();
  a->exec("INSERT INTO t VALUES (3)");
  const auto during = b->data_version();
  a->rollback();
  EXPECT_EQ(b->data_version(), during) << "a rolled-back write is no change";
}

// What the server relies on: a commit that returned in another process shows in a reading
// taken afterwards in this one, through the mapping alone.
TEST(WalVersion, ACommitInAnotherProcessShowsAtTheNextReading) {
  test::TempDir dir;
  auto a = open_with_table(dir.file("db"));
  const auto before = a->data_version();
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    open_sqlite(dir.file("db"), OpenMode::existing)->exec("INSERT INTO t VALUES (1)");
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_NE(a->data_version(), before);
}

TEST(WalVersion, AHeaderBeingWrittenReadsAsANewVersionEveryTime) {
  test::TempDir dir;
  auto changed = k_header;
  changed[2] = 6;  // a commit has written the second copy, not yet the first
  write_index(dir.file("torn-shm"), k_header, changed);
  const auto torn = WalVersion::map_index(dir.file("torn-shm"));
  ASSERT_TRUE(torn);
  const auto r1 = torn->read();
  EXPECT_NE(torn->read(), r1);
  write_index(dir.file("settled-shm"), k_header, k_header);
  const auto settled = WalVersion::map_index(dir.file("settled-shm"));
  ASSERT_TRUE(settled);
  EXPECT_EQ(settled->read(), settled->read());
  EXPECT_NE(settled->read(), r1);
}

TEST(WalVersion, NoIndexSetUpMapsNothing) {
  test::TempDir dir;
  EXPECT_FALSE(WalVersion::map(dir.file("missing.db")));
  std::ofstream(dir.file("short-shm")) << "abc";  // SQLite truncates a fresh index to 3 bytes
  EXPECT_FALSE(WalVersion::map_index(dir.file("short-shm")));
  auto uninitialised = k_header;
  uninitialised[3] = 0;
  write_index(dir.file("new-shm"), uninitialised, uninitialised);
  EXPECT_FALSE(WalVersion::map_index(dir.file("new-shm")));
}

}  // namespace instctl::db
