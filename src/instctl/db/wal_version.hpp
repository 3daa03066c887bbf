#pragma once

// The version of an SQLite database in WAL mode, read from the header of its WAL index (the
// "-shm" file next to it, which every connection of every process maps; its format is
// documented in https://www.sqlite.org/walformat.html). Each commit, by any connection of any
// process, rewrites that header (its commit counter, last frame, checksums) before the commit
// returns, and SQLite's readers take their snapshot from it. So two equal readings mean no
// commit came in between, and a reading taken after a commit returned differs from one taken
// before it. Reading it costs two 48-byte copies: no query, no lock, any thread.
//
// SQLite writes the header's second copy, then the first; a reading takes the first, then the
// second, and trusts them only when they are equal (what SQLite's own readers do). While a
// commit is writing them, a reading gives a number that was never given before (a change, for
// anyone comparing).

#include <cstdint>
#include <memory>
#include <string>

namespace instctl::db {

class Connection;

// Whether conn.data_version() is the database's rather than the connection's: every
// connection to the database reads the same number, and any thread may read it at any time,
// even while another uses the connection. True for SQLite in WAL mode, where it is a WalVersion.
bool shares_data_version(const Connection& conn);

class WalVersion {
 public:
  // The WAL index of the database at `db_path`, mapped read-only; nullptr when there is none
  // that a connection has set up (the database is not in WAL mode, or not opened yet). SQLite
  // shrinks the file only when no process has the database open: keep a connection to it open
  // for as long as this lives.
  static std::unique_ptr<WalVersion> map(const std::string& db_path);
  // The same for a WAL index file itself (tests).
  static std::unique_ptr<WalVersion> map_index(const std::string& index_path);
  ~WalVersion();
  WalVersion(const WalVersion&) = delete;
  WalVersion& operator=(const WalVersion&) = delete;

  // The version now. Thread-safe.
  std::uint64_t read() const;

 private:
  explicit WalVersion(const void* header) : m_header(header) {}
  const void* m_header;  // the mapping: the header's two copies
};

}  // namespace instctl::db
