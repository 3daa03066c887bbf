#include "instctl/db/open.hpp"

#include "instctl/db/dialect.hpp"
#include "instctl/db/postgres_connection.hpp"

namespace instctl::db {

std::unique_ptr<Connection> open(const std::string& location, OpenMode mode) {
  if (is_postgres_uri(location)) return open_postgres(location, mode);
  return open_sqlite(location, mode);
}

}  // namespace instctl::db
