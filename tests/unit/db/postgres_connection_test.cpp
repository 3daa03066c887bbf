// The PostgreSQL connection on the test server (INSTCTL_TEST_PG_DIR; ctest's unit-pg.stores).

#include <gtest/gtest.h>

#include <vector>

#include "backends.hpp"
#include "instctl/core/error.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::db {
namespace {

std::string one_text(Connection& conn, std::string_view sql) {
  auto st = conn.prepare(sql);
  EXPECT_TRUE(st->step());
  return st->get_text(0);
}

class PostgresConnection : public ::testing::TestWithParam<test::Backend> {};

// A link the server drops (a restart, pg_terminate_backend) is healed before the next statement,
// and the new session gets the same settings as the first: without them a writer would wait
// for a lock for ever instead of 30 s, and times would be read in the server's zone.
TEST_P(PostgresConnection, AHealedLinkKeepsTheSessionSettings) {
  test::PgDatabase pg;
  auto conn = open(pg.uri(), OpenMode::create);
  auto admin = open(test::pg_admin_uri(), OpenMode::existing);
  const std::string first_pid = one_text(*conn, "SELECT pg_backend_pid()::text");
  admin->exec("SELECT pg_terminate_backend(" + first_pid + ")");
  // The statement that meets the dropped link fails: its caller's transaction is lost.
  EXPECT_THROW(one_text(*conn, "SELECT 1::text"), Error);
  EXPECT_NE(one_text(*conn, "SELECT pg_backend_pid()::text"), first_pid);
  EXPECT_EQ(one_text(*conn, "SHOW lock_timeout"), "30s");
  EXPECT_EQ(one_text(*conn, "SHOW TimeZone"), "UTC");
  EXPECT_EQ(one_text(*conn, "SHOW standard_conforming_strings"), "on");
}

// A write transaction that cannot begin (another writer holds the lock past lock_timeout) leaves
// no transaction open on the server: the connection's next transaction runs. (Left open, the
// session stayed aborted, and every later transaction on it failed with "current transaction is
// aborted": a serve worker that met one busy moment answered 500 from then on.)
TEST_P(PostgresConnection, AFailedBeginLeavesTheSessionUsable) {
  test::PgDatabase pg;
  auto holder = open(pg.uri(), OpenMode::create);
  auto conn = open(pg.uri(), OpenMode::existing);
  conn->exec("SET lock_timeout = '100ms'");
  holder->begin_write();
  try {
    conn->begin_write();
    ADD_FAILURE() << "began a write while another writer held the lock";
  } catch (const Error& e) {
    EXPECT_TRUE(e.retry_later()) << e.what();
  }
  holder->rollback();
  conn->begin_write();
  conn->exec("CREATE TABLE t (x INTEGER)");
  conn->commit();
  conn->begin_read();
  EXPECT_EQ(one_text(*conn, "SELECT count(*)::text FROM t"), "0");
  conn->commit();
}

// Only on PostgreSQL (an SQLite file has no link to lose), when a test server is given.
std::vector<test::Backend> postgresql_only() {
  auto all = test::backends();
  std::erase(all, test::Backend::sqlite);
  return all;
}
INSTANTIATE_TEST_SUITE_P(Backends, PostgresConnection, ::testing::ValuesIn(postgresql_only()),
                         test::backend_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(PostgresConnection);

}  // namespace
}  // namespace instctl::db
