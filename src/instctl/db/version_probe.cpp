#include "instctl/db/version_probe.hpp"

#include <sqlite3.h>

#include "instctl/db/dialect.hpp"

namespace instctl::db {

std::unique_ptr<VersionProbe> VersionProbe::open(const std::string& location) {
  if (is_postgres_uri(location)) return nullptr;
  sqlite3* db = nullptr;
  // Read and write like the workers' connections (a WAL database's -shm may need creating);
  // it never writes. No busy handler: a read that would wait fails at once.
  if (sqlite3_open_v2(location.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    sqlite3_close_v2(db);
    return nullptr;
  }
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v3(db, "PRAGMA data_version", -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) !=
      SQLITE_OK) {
    sqlite3_finalize(st);
    sqlite3_close_v2(db);
    return nullptr;
  }
  return std::unique_ptr<VersionProbe>(new VersionProbe(db, st));
}

VersionProbe::~VersionProbe() {
  sqlite3_finalize(m_st);
  sqlite3_close_v2(m_db);
}

std::optional<std::uint64_t> VersionProbe::read() {
  std::optional<std::uint64_t> version;
  if (sqlite3_step(m_st) == SQLITE_ROW) {
    version = static_cast<std::uint64_t>(sqlite3_column_int64(m_st, 0));
  }
  sqlite3_reset(m_st);
  return version;
}

}  // namespace instctl::db
