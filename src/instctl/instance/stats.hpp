#pragma once

#include "instctl/core/clock.hpp"
#include "instctl/core/json.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::instance {

// Counts for `instctl stats`: {"counts": {...}, "daily": {"signups": [30 numbers], ...},
// "days": [30 dates]}. Each feature contributes a section, listed in stats.cpp.
Json collect_stats(db::Connection& db, UnixTime now);

// A feature's contribution: adds keys to `counts` and series to `daily` (30 entries, oldest
// first; `day0` is the Unix time of the oldest day's midnight).
using StatsSection = void (*)(db::Connection& db, UnixTime day0, Json& counts, Json& daily);

// Number of rows per day for 30 days from day0, for a query returning one created_at column
// filtered by `created_at >= ?` (bound to day0).
Json daily_series(db::Connection& db, const std::string& sql, UnixTime day0);

}  // namespace instctl::instance
