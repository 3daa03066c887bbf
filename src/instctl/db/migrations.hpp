#pragma once

#include <string>
#include <vector>

#include "instctl/db/connection.hpp"

namespace instctl::db {

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// Every migration compiled into this binary for a dialect, in version order (generated at
// build time from migrations/*.sql and migrations/postgresql/*.sql: the same numbers, the
// same schema).
const std::vector<Migration>& embedded_migrations(Dialect dialect = Dialect::sqlite);

int latest_schema_version();
// SQLite keeps it in PRAGMA user_version, PostgreSQL in the table instctl_schema.
int schema_version(Connection& conn);
// Migrations newer than the database's version.
std::vector<const Migration*> pending_migrations(Connection& conn);
// Applies the pending migrations in order, each in its own transaction; returns those applied.
std::vector<const Migration*> migrate(Connection& conn);
// Throws unless the database is exactly at the version this binary expects: a newer one is
// refused (an older instctl must not touch it), an older one asks for `db migrate`.
void require_current_schema(Connection& conn);

}  // namespace instctl::db
