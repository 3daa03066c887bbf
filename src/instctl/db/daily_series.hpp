#pragma once

#include <string_view>

#include "instctl/core/clock.hpp"
#include "instctl/core/json.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::db {

// The days a daily series covers (`instctl stats`, `waitlist stats`).
inline constexpr int k_series_days = 30;

// Number of rows per day for k_series_days days from day0 (a midnight), oldest first, for a
// store's query returning one time column filtered by `>= ?` (bound to day0).
Json daily_series(Connection& db, std::string_view sql, UnixTime day0);

}  // namespace instctl::db
