#pragma once

// `instctl db copy`: the instance database copied into another, empty one, of either backend.
// Written against db::Connection and the catalog only, so any pair of backends works.
//
// The source is read in one read transaction (a consistent snapshot while serve and cron
// write). Rows go over table by table, parents first, in key order and with their keys, in
// batches each committed with its progress (copy_state.hpp). A killed copy resumes: the rows
// already copied are checked against the source again (row_digest.hpp); a table whose copied
// rows changed meanwhile is copied again, with every table that refers to it. The instance
// row comes last, with the counts' check, the id counters and the audit entry, in one
// transaction: until then the target is not an instance anything would open.

#include <cstdint>
#include <string>
#include <vector>

#include "instctl/core/json.hpp"
#include "instctl/db/connection.hpp"
#include "instctl/db/env.hpp"

namespace instctl::db {

struct TableCopy {
  std::string table;
  std::int64_t source_rows = 0;  // in the source's snapshot
  std::int64_t target_rows = 0;  // in the target once done (equal, or the copy fails)
  std::int64_t copied = 0;       // rows this run wrote (less when it resumed)
  // Text values the target cannot hold as they are: bytes that are not UTF-8, or NUL, which
  // SQLite keeps and PostgreSQL does not (see db::postgres_text). Copied with U+FFFD in their
  // place; counted over every row, also those an interrupted run wrote.
  std::int64_t text_changed = 0;
};

struct CopySummary {
  std::string source;  // locations, never with a password
  std::string target;
  bool resumed = false;
  std::vector<TableCopy> tables;

  // Text values changed on the way, over all tables (TableCopy::text_changed).
  std::int64_t text_changed() const {
    std::int64_t n = 0;
    for (const auto& t : tables) n += t.text_changed;
    return n;
  }
};

class CopyObserver {
 public:
  virtual ~CopyObserver() = default;
  // Rows done (checked or copied) out of the snapshot's total.
  virtual void progress(std::int64_t done, std::int64_t total) = 0;
  // In the target's last transaction, before it commits: what the copy did (source, tables,
  // rows, text_changed, resumed), for the caller's audit entry, which so lands with the copy.
  virtual void finishing(Env& target, const Json& details) = 0;
};

struct CopyOptions {
  std::int64_t batch_rows = 2000;  // rows per target transaction
};

// Refuses (conflict) a target that is the source itself. `target_spec` as the user gave it.
void refuse_same_database(const std::string& source_location, const std::string& target_spec);

// Copies `source` into the database of `target` (target.db): empty, or holding a copy of this
// source in progress; anything else is refused (conflict). The target's schema is made by the
// migrations; the source must be at the latest version. The observer's audit entry goes to the
// target.
CopySummary copy_database(Connection& source, Env& target, CopyObserver& observer,
                          const CopyOptions& options = {});

}  // namespace instctl::db
