#pragma once

#include "instctl/core/clock.hpp"
#include "instctl/core/json.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::overview {

// Counts for `instctl stats`: {"counts": {...}, "daily": {"signups": [30 numbers], ...},
// "days": [30 dates]}. Each feature contributes a section, listed in stats.cpp, read through
// the feature's store.
Json collect_stats(db::Connection& db, UnixTime now);
// Only the counts (no daily series: no scan of the last 30 days), for the metrics
// (overview/prometheus.hpp): the same numbers `instctl stats` shows under "counts".
Json collect_counts(db::Connection& db, UnixTime now);

}  // namespace instctl::overview
