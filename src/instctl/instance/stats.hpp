#pragma once

#include "instctl/core/clock.hpp"
#include "instctl/core/json.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::instance {

// Counts for `instctl stats`: {"counts": {...}, "daily": {"signups": [30 numbers], ...},
// "days": [30 dates]}. Each feature contributes a section, listed in stats.cpp.
Json collect_stats(db::Connection& db, UnixTime now);
// Only the counts (no daily series: no scan of the last 30 days), for the metrics
// (instance/prometheus.hpp): the same numbers `instctl stats` shows under "counts".
Json collect_counts(db::Connection& db, UnixTime now);

// The time a section counts at: `now` for states that depend on the time (an invite is
// expired when its expires_at <= now, the rule `invites list --status expired` applies too),
// `day0` (the Unix time of the oldest day's midnight) for the daily series.
struct StatsWindow {
  UnixTime day0 = 0;
  UnixTime now = 0;
  bool daily = true;  // false: sections add no daily series
};

// A feature's contribution: adds keys to `counts` and series to `daily` (30 entries, oldest
// first).
using StatsSection = void (*)(db::Connection& db, const StatsWindow& w, Json& counts, Json& daily);

// Number of rows per day for 30 days from day0, for a query returning one created_at column
// filtered by `created_at >= ?` (bound to day0).
Json daily_series(db::Connection& db, const std::string& sql, UnixTime day0);
// The same from the times themselves.
Json daily_series(const std::vector<UnixTime>& times, UnixTime day0);
// The same within a section: nothing when the window has no daily series.
void add_daily(Json& daily, const char* name, db::Connection& db, const std::string& sql,
               const StatsWindow& w);

}  // namespace instctl::instance
