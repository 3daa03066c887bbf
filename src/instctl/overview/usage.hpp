#pragma once

#include <cstdint>

#include "instctl/core/clock.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::overview {

// The numbers NodeInfo and the instance API publish.
//  - total: local accounts that are members: approved, neither suspended nor deleted.
//  - active_month / active_halfyear: those of them created or changed (profile, status,
//    activation, password) in the last 30 / 180 days. instctl has no sign-in sessions to count,
//    so this is the activity it knows of.
struct Usage {
  std::int64_t users_total = 0;
  std::int64_t active_month = 0;
  std::int64_t active_halfyear = 0;
  std::int64_t known_domains = 0;
};

Usage usage(db::Connection& db, UnixTime now);

}  // namespace instctl::overview
