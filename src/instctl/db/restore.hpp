#pragma once

// Putting an SQLite backup (`db backup`) back in place of the instance database, and the hold
// `serve` keeps on the database so that this never happens under a running server.

#include <string>

namespace instctl::db {

// Held by `serve` for as long as it runs on an SQLite database: a shared lock (flock) on the
// database file, which `db restore` asks for exclusively. Throws Error(conflict) while a
// restore holds the file. Does nothing for a file that does not exist.
class ServeHold {
 public:
  explicit ServeHold(const std::string& path);
  ~ServeHold();
  ServeHold(const ServeHold&) = delete;
  ServeHold& operator=(const ServeHold&) = delete;

 private:
  int m_fd = -1;
};

struct RestoreResult {
  std::string database;  // the restored database's path
  std::string previous;  // where the database it replaced was kept ("" when there was none)
  int backup_version = 0;
  int schema_version = 0;  // after migrating the copy
};

// Restores the SQLite backup at `backup_path` into `db_path`:
// - refuses (conflict) while `serve` holds the database (ServeHold) or another process has it
//   open, and a backup from a newer instctl; refuses (invalid_data) a file that is not an
//   instctl database, or a damaged one;
// - copies the backup next to the database, migrates the copy when it is older, then renames
//   it into place, so that a restore killed at any point leaves the current database as it
//   was; the database it replaces is kept as DB.before-restore (one generation).
RestoreResult restore_sqlite(const std::string& backup_path, const std::string& db_path);

}  // namespace instctl::db
