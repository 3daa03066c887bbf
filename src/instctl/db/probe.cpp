#include "instctl/db/probe.hpp"

#include "instctl/db/open.hpp"

namespace instctl::db {

std::unique_ptr<Connection> open_probe_connection(const std::string& location) {
  auto conn = open(location, OpenMode::existing);
  if (conn->dialect() == Dialect::postgresql)
    conn->exec("SET application_name = 'instctl-readiness'");
  conn->limit_cache(64);
  return conn;
}

void probe(Connection& conn) {
  Transaction tx(conn);
  auto st = conn.prepare("SELECT 1");
  st->step();
  // Not committed: the destructor rolls back.
}

}  // namespace instctl::db
