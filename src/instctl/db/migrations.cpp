#include "instctl/db/migrations.hpp"

#include <fmt/format.h>

#include "instctl/core/error.hpp"

namespace instctl::db {

int latest_schema_version() {
  const auto& all = embedded_migrations();
  return all.empty() ? 0 : all.back().version;
}

int schema_version(Connection& conn) {
  auto st = conn.prepare("PRAGMA user_version");
  st->step();
  return static_cast<int>(st->get_int(0));
}

std::vector<const Migration*> pending_migrations(Connection& conn) {
  const int current = schema_version(conn);
  std::vector<const Migration*> out;
  for (const auto& m : embedded_migrations()) {
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
                            conn.location(), current, latest_schema_version()));
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
    for (const auto& m : embedded_migrations()) {
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
    conn.exec(fmt::format("PRAGMA user_version = {}", next->version));
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
                            "'instctl db migrate' (a backup first: 'instctl db backup FILE')",
                            conn.location(), current, latest_schema_version()));
  }
}

}  // namespace instctl::db
