#pragma once

// The version of an SQLite database as one connection of its own sees it (PRAGMA
// data_version: it moves whenever another connection, in this process or another, commits),
// read without ever waiting: no busy handler, so a read that would wait says so instead. serve's
// event loops read it to tell whether a kept answer is still what the database says
// (http/loop_cache.hpp) without handing each request to a worker. Only SQLite: on PostgreSQL
// the reading is a network round trip, which stays on the workers.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace instctl::db {

class VersionProbe {
 public:
  // A probe of the database `location` names; nullptr when it is not an SQLite file or cannot
  // be opened (the callers then ask a worker, as before).
  static std::unique_ptr<VersionProbe> open(const std::string& location);
  ~VersionProbe();
  VersionProbe(const VersionProbe&) = delete;
  VersionProbe& operator=(const VersionProbe&) = delete;

  // The version now; nullopt when it cannot tell without waiting (a lock held, an error).
  // One thread at a time.
  std::optional<std::uint64_t> read();

 private:
  VersionProbe(sqlite3* db, sqlite3_stmt* st) : m_db(db), m_st(st) {}
  sqlite3* m_db;
  sqlite3_stmt* m_st;
};

}  // namespace instctl::db
