#pragma once

#include <memory>
#include <string>

#include "instctl/db/connection.hpp"

namespace instctl::db {

enum class OpenMode { existing, create };

// Opens (or creates, with mode 0600) an SQLite database in WAL mode with a busy timeout and
// foreign keys on. Errors name the file and what to do about it.
std::unique_ptr<Connection> open_sqlite(const std::string& path, OpenMode mode);

}  // namespace instctl::db
