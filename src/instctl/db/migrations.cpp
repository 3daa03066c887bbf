#include "instctl/db/migrations.hpp"

#include <fmt/format.h>

#include "instctl/core/error.hpp"
#include "instctl/db/dialect.hpp"

namespace instctl::db {

int latest_schema_version() {
  const auto& all = embedded_migrations();
  return all.empty() ? 0 : all.back().version;
}

int schema_version(Connection& conn) {
  if (conn.dialect() == Dialect::postgresql) {
    if (!table_exists(conn, "instctl_schema")) return 0;
    auto st = conn.prepare("SELECT coalesce(max(version), 0) FROM instctl_schema");
    st->step();
    return static_cast<int>(st->get_int(0));
  }
  auto st = conn.prepare("PRAGMA user_version");
  st->step();
  return static_cast<int>(st->get_int(0));
}

namespace {
void set_schema_version(Connection& conn, int version) {
  if (conn.dialect() == Dialect::postgresql) {
    conn.exec("CREATE TABLE IF NOT EXISTS instctl_schema (version BIGINT NOT NULL)");
    conn.exec("DELETE FROM instctl_schema");
    conn.exec(fmt::format("INSERT INTO instctl_schema (version) VALUES ({})", version));
    return;
  }
  conn.exec(fmt::format("PRAGMA user_version = {}", version));
}
}  // namespace

std::vector<const Migration*> pending_migrations(Connection& conn) {
  const int current = schema_version(conn);
  std::vector<const Migration*> out;
  for (const auto& m : embedded_migrations(conn.dialect())) {
    if (m.version > current) out.push_back(&m);
  }
  return out;
}

namespace {
void refuse_newer(Connection& conn, int current) {
  if (current > latest_schema_version()) {
    throw Error(ErrorKind::internal,
                fmt::format("the database {} has schema version {}, newer than this instctl "
                            "understands ({}): upgrade instctl before using this database",
                            conn.location(), current, latest_schema_version(),
                            conn.dialect() == Dialect::postgresql ? "pg_dump"
                                                                  : "'instctl db backup FILE'"));
  }
}
}  // namespace

std::vector<const Migration*> migrate(Connection& conn) {
  std::vector<const Migration*> applied;
  while (true) {
    // Take the write lock before reading the version, so two processes migrating at once
    // apply each migration exactly once.
    Transaction tx(conn);
    const int current = schema_version(conn);
    refuse_newer(conn, current);
    const Migration* next = nullptr;
    for (const auto& m : embedded_migrations(conn.dialect())) {
      if (m.version > current) {
        next = &m;
        break;
      }
    }
    if (next == nullptr) {
      tx.commit();
      return applied;
    }
    conn.exec(next->sql);
    set_schema_version(conn, next->version);
    tx.commit();
    applied.push_back(next);
  }
}

void require_current_schema(Connection& conn) {
  const int current = schema_version(conn);
  refuse_newer(conn, current);
  if (current < latest_schema_version()) {
    throw Error(ErrorKind::internal,
                fmt::format("the database {} has schema version {}, this instctl needs {}: run "
                            "'instctl db migrate' (a backup first: {})",
                            conn.location(), current, latest_schema_version(),
                            conn.dialect() == Dialect::postgresql ? "pg_dump"
                                                                  : "'instctl db backup FILE'"));
  }
}

}  // namespace instctl::db
