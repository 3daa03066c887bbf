#include "instctl/db/engine_status.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

namespace instctl::db {

void add_engine_status(Connection& conn, Json& status) {
  if (conn.dialect() == Dialect::postgresql) {
    auto st = conn.prepare(
        "SELECT pg_database_size(current_database()), current_setting('server_version')");
    st->step();
    status["backend"] = "postgresql";
    status["journal_mode"] = nullptr;
    status["size_bytes"] = st->get_int(0);
    status["server_version"] = st->get_text(1);
    status["sqlite_version"] = nullptr;
    return;
  }
  struct stat st {};
  ::stat(conn.location().c_str(), &st);
  auto mode = conn.prepare("PRAGMA journal_mode");
  mode->step();
  status["backend"] = "sqlite";
  status["journal_mode"] = mode->get_text(0);
  status["size_bytes"] = static_cast<std::int64_t>(st.st_size);
  status["server_version"] = nullptr;
  status["sqlite_version"] = sqlite3_libversion();
}

}  // namespace instctl::db
