#pragma once

#include "instctl/core/json.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::db {

// What the engine says about itself, for `instctl db status`: backend, journal_mode,
// size_bytes, server_version and sqlite_version (null where the backend has none).
void add_engine_status(Connection& conn, Json& status);

}  // namespace instctl::db
