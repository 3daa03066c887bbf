#pragma once

#include <string>
#include <vector>

#include "instctl/db/connection.hpp"

namespace instctl::db {

// A consistent copy of a live SQLite database (the online backup API: other processes keep
// writing). Written to FILE.tmp, then renamed, so a partial copy never has the final name.
// The copy is created with mode 0600.
void backup_sqlite(const std::string& source_path, const std::string& target_path);
// Throws Error(usage) naming the directory when the one `target_path` would go into does not
// exist or is not a directory.
void require_target_directory(const std::string& target_path);

// Integrity and foreign-key checks, plus each feature's invariants (e.g. an invite used more
// often than its limit; listed in maintenance.cpp). Empty when healthy.
std::vector<std::string> check_database(Connection& conn);

}  // namespace instctl::db
