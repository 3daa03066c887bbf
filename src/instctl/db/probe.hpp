#pragma once

// The readiness probe of `instctl serve` (/health/ready, systemd's watchdog): a short
// transaction that shows the database answers, reads and hands out its write lock.

#include <memory>
#include <string>

#include "instctl/db/connection.hpp"

namespace instctl::db {

// A connection for the probe. On PostgreSQL it names itself 'instctl-readiness'
// (application_name), so pg_stat_activity tells it from the request workers.
std::unique_ptr<Connection> open_probe_connection(const std::string& location);

// Begins a write transaction (SQLite: BEGIN IMMEDIATE, so it waits for another writer's
// lock), reads one row, and rolls back. Throws what the database throws.
void probe(Connection& conn);

}  // namespace instctl::db
