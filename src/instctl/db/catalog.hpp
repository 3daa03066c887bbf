#pragma once

// What a database holds, read from its own catalog: the application's tables with their
// columns, keys and foreign-key parents, and the id counters that outlive deleted rows. The
// copy between backends is written against this, so it needs no list of tables of its own.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/db/connection.hpp"

namespace instctl::db {

enum class ColumnType { integer, text };

struct Column {
  std::string name;
  ColumnType type = ColumnType::text;
};

struct Table {
  std::string name;
  std::vector<Column> columns;
  std::vector<std::string> key;      // the primary key's columns, in key order
  std::vector<std::string> parents;  // the tables its foreign keys refer to (itself excluded)
};

// The application's tables (the engine's own and the copy's bookkeeping left out), each after
// every table it refers to. A cycle of foreign keys is refused: no insert order satisfies it;
// so is a column of bytes (BLOB, bytea): only integers and text travel between backends.
std::vector<Table> application_tables(Connection& conn);

// Whether a table of that name exists, application table or not.
bool has_table(Connection& conn, std::string_view name);

// `name` quoted as an SQL identifier (the same in SQLite and PostgreSQL).
std::string quote_identifier(std::string_view name);

// The highest id a table's counter ever handed out, where that can exceed the largest id
// still present (SQLite AUTOINCREMENT, PostgreSQL sequences): ids of deleted rows stay unused.
struct IdCounter {
  std::string table;
  std::int64_t value = 0;
};
std::vector<IdCounter> read_id_counters(Connection& conn, const std::vector<Table>& tables);
// Moves the counters forward (never back) to at least `counters` and past the largest id of
// each table, so the next insert takes a new id.
void raise_id_counters(Connection& conn, const std::vector<Table>& tables,
                       const std::vector<IdCounter>& counters);

}  // namespace instctl::db
