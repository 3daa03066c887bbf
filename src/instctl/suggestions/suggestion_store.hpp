#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "instctl/core/clock.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::suggestions {

struct SuggestionRow {
  std::int64_t account_id = 0;
  std::string created_by;
  UnixTime created_at = 0;
};

// SQL only; no rules.
class SuggestionStore {
 public:
  explicit SuggestionStore(db::Connection& db) : m_db(db) {}

  bool exists(std::int64_t account_id);
  void insert(std::int64_t account_id, const std::string& created_by, UnixTime now);
  bool remove(std::int64_t account_id);
  // Oldest first.
  std::vector<SuggestionRow> list();
  // Suggested accounts that are active now, oldest suggestion first, leaving out `viewer` and
  // the accounts `viewer` already follows.
  std::vector<std::int64_t> active_for(std::int64_t viewer, std::int64_t limit);

 private:
  db::Connection& m_db;
};

}  // namespace instctl::suggestions
