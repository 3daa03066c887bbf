#pragma once

#include <memory>
#include <string>

#include "instctl/db/connection.hpp"
#include "instctl/db/sqlite_connection.hpp"

namespace instctl::db {

// Connects to a PostgreSQL database given by a postgresql:// URI (libpq's syntax; the password
// may also come from PGPASSWORD or ~/.pgpass). The database must exist; OpenMode::create only
// says that an empty one is expected (init). Errors name the server and database, never the
// password.
std::unique_ptr<Connection> open_postgres(const std::string& uri, OpenMode mode);

}  // namespace instctl::db
