#pragma once

// instctl's own count of the commits that changed an SQLite database, kept in a small file
// beside it (`<database>-changes`, eight bytes) that every process maps into memory: each
// SQLite connection of instctl adds one after a commit that changed rows (sqlite_connection.cpp),
// whichever process it runs in (serve's workers, its delivery and mail threads, any command),
// and serve's event loops read it with one load from memory, no system call and no database
// call, to tell whether a kept answer is still what the database says
// (http/loop_cache.hpp).
//
// The rule: a count read after a request arrived that equals the count read before an answer
// was made means no instctl process committed a change in between that had finished before
// the request was sent (the count moves after the commit, and before the write returns).
// Writes made by other programs (the sqlite3 shell) do not move it: serve's kept answers
// still expire after a second (ResponseCache::k_max_age), so those show within a second.
// PostgreSQL has no such file: serve asks the server's snapshot there (Connection::data_version).

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace instctl::db {

class ChangeCounter {
 public:
  // The counter of the SQLite database at `db_path`, its file created when missing (with the
  // database file's permissions, and its owner when run as root, as SQLite does for its -wal
  // and -shm files); nullptr for PostgreSQL, or when the file cannot be opened or mapped (then
  // serve's workers read the database's version instead).
  static std::unique_ptr<ChangeCounter> open(const std::string& db_path);
  static std::string path_for(const std::string& db_path) { return db_path + "-changes"; }

  ~ChangeCounter();
  ChangeCounter(const ChangeCounter&) = delete;
  ChangeCounter& operator=(const ChangeCounter&) = delete;

  // Any thread, any process.
  std::uint64_t read() const { return std::atomic_ref<std::uint64_t>(*m_value).load(); }
  void add_one() { std::atomic_ref<std::uint64_t>(*m_value).fetch_add(1); }

 private:
  explicit ChangeCounter(void* mapping) : m_value(static_cast<std::uint64_t*>(mapping)) {}
  std::uint64_t* m_value;  // the file's first eight bytes, mapped shared
};

}  // namespace instctl::db
