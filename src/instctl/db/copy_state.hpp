#pragma once

// The bookkeeping of a copy in progress, kept in the target itself: for each table, how many
// rows (in key order) are copied and a digest of them, committed with each batch. A killed
// copy resumes from it; the last transaction of a finished copy drops it.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "instctl/db/connection.hpp"

namespace instctl::db {

inline constexpr const char* k_copy_state_table = "copy_progress";

struct TableProgress {
  std::int64_t rows = 0;  // the first `rows` rows of the source, in key order
  std::string digest;     // of those rows (row_digest.hpp)
};

struct CopyState {
  std::string source_id;  // which database is being copied (a digest of its instance row)
  std::map<std::string, TableProgress> tables;
};

// nullopt-like: `found` is false when the target holds no copy in progress.
struct LoadedCopyState {
  bool found = false;
  CopyState state;
};
LoadedCopyState load_copy_state(Connection& target);

// Creates the bookkeeping for a new copy: every table at zero rows. In the caller's
// transaction.
void start_copy_state(Connection& target, const std::string& source_id,
                      const std::vector<std::string>& tables, const std::string& empty_digest);
// Records a table's progress, in the transaction that copied the rows.
void save_table_progress(Connection& target, const std::string& table, const TableProgress& p);
// Removes the bookkeeping, in the copy's last transaction.
void drop_copy_state(Connection& target);

}  // namespace instctl::db
