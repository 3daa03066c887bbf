#pragma once

// A migrated instance on either backend, for the tests of a concept's services and store:
// an SQLite file always, and a new database on a PostgreSQL server when INSTCTL_TEST_PG_DIR
// names one (tests/servers/postgres.sh; ctest's unit-pg.stores gives the e2e-pg suites'
// server). Such a suite is a TEST_P over test::backends(), named .../sqlite and
// .../postgresql.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "instctl/db/open.hpp"
#include "instctl/util/strings.hpp"
#include "test_support.hpp"

namespace instctl::test {

enum class Backend { sqlite, postgresql };

// The URI of the "postgres" database of the server in $INSTCTL_TEST_PG_DIR; empty without one.
inline std::string pg_admin_uri() {
  const char* dir = std::getenv("INSTCTL_TEST_PG_DIR");
  if (!dir || !*dir) return "";
  std::ifstream in(std::string(dir) + "/uri");
  std::string uri;
  std::getline(in, uri);
  if (util::trim(uri).empty()) {
    // Asked for PostgreSQL and given none: failing beats passing without running.
    std::fprintf(stderr, "INSTCTL_TEST_PG_DIR=%s holds no server's uri\n", dir);
    std::abort();
  }
  return std::string(util::trim(uri));
}

inline std::vector<Backend> backends() {
  if (pg_admin_uri().empty()) return {Backend::sqlite};
  return {Backend::sqlite, Backend::postgresql};
}

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::sqlite ? "sqlite" : "postgresql";
}

// A new database on the test server, dropped with this object.
class PgDatabase {
 public:
  PgDatabase() {
    static std::atomic<int> counter{0};
    const std::string admin = pg_admin_uri();
    m_name = "unit_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    m_admin = db::open(admin, db::OpenMode::existing);
    m_admin->exec("DROP DATABASE IF EXISTS " + m_name);
    m_admin->exec("CREATE DATABASE " + m_name);
    m_uri = admin.substr(0, admin.rfind('/') + 1) + m_name;
  }
  ~PgDatabase() {
    try {
      m_admin->exec("DROP DATABASE IF EXISTS " + m_name + " WITH (FORCE)");
    } catch (...) {
    }
  }
  PgDatabase(const PgDatabase&) = delete;
  PgDatabase& operator=(const PgDatabase&) = delete;
  const std::string& uri() const { return m_uri; }

 private:
  std::string m_name;
  std::string m_uri;
  std::unique_ptr<db::Connection> m_admin;
};

struct BackendInstance {
  explicit BackendInstance(Backend backend)
      : pg(backend == Backend::postgresql ? std::make_unique<PgDatabase>() : nullptr),
        conn(pg ? db::open(pg->uri(), db::OpenMode::create)
                : db::open(dir.file("instance.db"), db::OpenMode::create)),
        env{*conn, clock, "cli:test"} {
    db::migrate(*conn);
    instance::InitOptions o;
    o.domain = "localhost:8080";
    o.public_url = "https://localhost:8080";
    o.title = "Test";
    instance::initialize(env, o);
  }

  TempDir dir;
  std::unique_ptr<PgDatabase> pg;  // declared before conn: dropped after it is closed
  FixedClock clock{k_test_now};
  std::unique_ptr<db::Connection> conn;
  Env env;
};

}  // namespace instctl::test
