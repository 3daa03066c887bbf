#pragma once

// The instance's state as gauges in Prometheus' text exposition format: the counts
// `instctl stats` shows (collect_counts: one place for each rule) and the peers whose
// deliveries have been failing longest. GET /metrics serves it (cached for a few seconds) and
// `instctl stats --format prometheus` prints it, for node_exporter's textfile collector.

#include <cstdint>
#include <string>

#include "instctl/core/clock.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::overview {

// Per-peer series are kept to the peers failing longest, whatever the number of peers: the
// rest show only in instctl_delivery_failing_peers.
inline constexpr std::int64_t k_peer_series = 10;

std::string prometheus_text(db::Connection& db, UnixTime now);

}  // namespace instctl::overview
