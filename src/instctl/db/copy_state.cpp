#include "instctl/db/copy_state.hpp"

#include <fmt/format.h>

#include "instctl/db/catalog.hpp"

namespace instctl::db {

namespace {
// One row per table; the source's id is repeated on each so no row is special.
constexpr const char* k_create =
    "CREATE TABLE {} (table_name TEXT PRIMARY KEY, source_id TEXT NOT NULL, "
    "rows_copied BIGINT NOT NULL, digest TEXT NOT NULL)";

std::string table() { return quote_identifier(k_copy_state_table); }
}  // namespace

LoadedCopyState load_copy_state(Connection& target) {
  LoadedCopyState out;
  if (!has_table(target, k_copy_state_table)) return out;
  out.found = true;
  auto st = target.prepare(
      fmt::format("SELECT table_name, source_id, rows_copied, digest FROM {}", table()));
  while (st->step()) {
    out.state.source_id = st->get_text(1);
    out.state.tables[st->get_text(0)] = TableProgress{st->get_int(2), st->get_text(3)};
  }
  return out;
}

void start_copy_state(Connection& target, const std::string& source_id,
                      const std::vector<std::string>& tables, const std::string& empty_digest) {
  target.exec(fmt::format(k_create, table()));
  auto st = target.prepare(fmt::format(
      "INSERT INTO {} (table_name, source_id, rows_copied, digest) VALUES (?, ?, 0, ?)", table()));
  for (const auto& t : tables) {
    st->bind_all(t, source_id, empty_digest).run();
    st->reset();
  }
}

void save_table_progress(Connection& target, const std::string& name, const TableProgress& p) {
  target
      .prepare(
          fmt::format("UPDATE {} SET rows_copied = ?, digest = ? WHERE table_name = ?", table()))
      ->bind_all(p.rows, p.digest, name)
      .run();
}

void drop_copy_state(Connection& target) { target.exec(fmt::format("DROP TABLE {}", table())); }

}  // namespace instctl::db
