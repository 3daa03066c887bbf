#pragma once

// Counts over the accounts table for the overview (stats, NodeInfo's usage) and the public
// list of known domains. Kept apart from the account store's rows and writes: these only
// count. (To be folded into users::AccountStore, the owner of `accounts`.)

#include <cstdint>
#include <string>
#include <vector>

#include "instctl/core/clock.hpp"
#include "instctl/core/json.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::users {

// Local members (approved, neither suspended nor deleted), and those of them created or
// changed since each of two times.
struct MemberCounts {
  std::int64_t total = 0;
  std::int64_t changed_since_first = 0;
  std::int64_t changed_since_second = 0;
};

class AccountStatsStore {
 public:
  explicit AccountStatsStore(db::Connection& db) : m_db(db) {}

  std::int64_t count_remote();
  // Local sign-ups per day from day0 (db::daily_series).
  Json signups_per_day(UnixTime day0);
  MemberCounts members(UnixTime first, UnixTime second);
  // Domains of the remote accounts known here: how many, and the list in byte order.
  std::int64_t count_known_domains();
  std::vector<std::string> known_domains();

 private:
  db::Connection& m_db;
};

}  // namespace instctl::users
