#pragma once

#include <memory>
#include <string>

#include "instctl/db/connection.hpp"
#include "instctl/db/sqlite_connection.hpp"

namespace instctl::db {

// Opens the instance database named by --db / INSTCTL_DB: a postgresql:// (or postgres://)
// URI is PostgreSQL, anything else an SQLite file path.
std::unique_ptr<Connection> open(const std::string& location, OpenMode mode);

}  // namespace instctl::db
