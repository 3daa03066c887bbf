#include "instctl/db/catalog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "instctl/core/error.hpp"
#include "instctl/db/copy_state.hpp"

namespace instctl::db {

namespace {

// Each dialect's catalog queries, kept side by side. SQLite answers from sqlite_master and its
// table-valued pragmas; PostgreSQL from information_schema in the current schema.
struct CatalogSql {
  const char* tables;   // name, in creation order where the engine knows it
  const char* columns;  // name, declared type (?: table)
  const char* key;      // column names in key order (?: table)
  const char* parents;  // referenced table names (?: table)
};

const CatalogSql k_sqlite{
    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid",
    "SELECT name, type FROM pragma_table_info(?) ORDER BY cid",
    "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk",
    "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)",
};

const CatalogSql k_postgresql{
    // instctl_schema holds the schema version (SQLite's PRAGMA user_version): not data.
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
    "AND table_type = 'BASE TABLE' AND table_name <> 'instctl_schema' ORDER BY table_name",
    "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = "
    "current_schema() AND table_name = ? ORDER BY ordinal_position",
    "SELECT k.column_name FROM information_schema.table_constraints c JOIN "
    "information_schema.key_column_usage k ON k.constraint_schema = c.constraint_schema AND "
    "k.constraint_name = c.constraint_name WHERE c.constraint_type = 'PRIMARY KEY' AND "
    "c.table_schema = current_schema() AND c.table_name = ? ORDER BY k.ordinal_position",
    "SELECT DISTINCT u.table_name FROM information_schema.table_constraints c JOIN "
    "information_schema.constraint_column_usage u ON u.constraint_schema = c.constraint_schema "
    "AND u.constraint_name = c.constraint_name WHERE c.constraint_type = 'FOREIGN KEY' AND "
    "c.table_schema = current_schema() AND c.table_name = ?",
};

const CatalogSql& catalog_sql(const Connection& conn) {
  return conn.dialect() == Dialect::sqlite ? k_sqlite : k_postgresql;
}

// Tables that belong to the engine or to the bookkeeping of a copy, not to the instance.
// (A backend that records its schema version in a table adds that table's name here.)
bool is_internal(std::string_view name) {
  return name.substr(0, 7) == "sqlite_" || name == k_copy_state_table;
}

ColumnType column_type(const std::string& table, const std::string& column, std::string declared) {
  std::transform(declared.begin(), declared.end(), declared.begin(), ::toupper);
  // SQLite's affinity rule (any type naming INT is an integer) also covers PostgreSQL's
  // smallint, integer and bigint; flags stored as boolean travel as 0/1.
  if (declared.find("INT") != std::string::npos || declared == "BOOLEAN") {
    return ColumnType::integer;
  }
  // Bytes would travel as text and arrive changed (bytea's hex form, or bytes that are not
  // UTF-8): a copy refuses them rather than corrupt them.
  if (declared == "BLOB" || declared == "BYTEA") {
    throw Error(ErrorKind::internal,
                fmt::format("column {} of table {} holds bytes ({}), which a copy between "
                            "databases does not carry: only integers and text",
                            column, table, declared));
  }
  return ColumnType::text;
}

std::vector<std::string> texts(Connection& conn, const char* sql, std::string_view arg) {
  auto st = conn.prepare(sql);
  st->bind(1, arg);
  std::vector<std::string> out;
  while (st->step()) out.push_back(st->get_text(0));
  return out;
}

std::vector<std::string> table_names(Connection& conn) {
  auto st = conn.prepare(catalog_sql(conn).tables);
  std::vector<std::string> out;
  while (st->step()) out.push_back(st->get_text(0));
  return out;
}

Table describe(Connection& conn, const std::string& name) {
  const auto& sql = catalog_sql(conn);
  Table t{name, {}, texts(conn, sql.key, name), {}};
  auto cols = conn.prepare(sql.columns);
  cols->bind(1, name);
  while (cols->step()) {
    t.columns.push_back(
        {cols->get_text(0), column_type(name, cols->get_text(0), cols->get_text(1))});
  }
  for (auto& parent : texts(conn, sql.parents, name)) {
    if (parent != name) t.parents.push_back(std::move(parent));
  }
  return t;
}

// Parents first; otherwise the catalog's order (creation order in SQLite).
std::vector<Table> parents_first(std::vector<Table> tables) {
  std::set<std::string> known;
  for (const auto& t : tables) known.insert(t.name);
  std::vector<Table> ordered;
  std::set<std::string> placed;
  while (!tables.empty()) {
    auto ready = std::find_if(tables.begin(), tables.end(), [&](const Table& t) {
      return std::all_of(t.parents.begin(), t.parents.end(), [&](const std::string& p) {
        return placed.count(p) > 0 || known.count(p) == 0;
      });
    });
    if (ready == tables.end()) {
      throw Error(ErrorKind::internal,
                  fmt::format("the foreign keys of table {} and others form a cycle: no copy "
                              "order satisfies them",
                              tables.front().name));
    }
    placed.insert(ready->name);
    ordered.push_back(std::move(*ready));
    tables.erase(ready);
  }
  return ordered;
}

std::int64_t max_id(Connection& conn, const Table& t) {
  auto st = conn.prepare(fmt::format("SELECT coalesce(max({}), 0) FROM {}",
                                     quote_identifier(t.key.front()), quote_identifier(t.name)));
  st->step();
  return st->get_int(0);
}

bool has_integer_id(const Table& t) {
  if (t.key.size() != 1) return false;
  return std::any_of(t.columns.begin(), t.columns.end(), [&](const Column& c) {
    return c.name == t.key.front() && c.type == ColumnType::integer;
  });
}

bool is_autoincrement(Connection& conn, const std::string& table) {
  auto st = conn.prepare(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ? AND "
      "upper(sql) LIKE '%AUTOINCREMENT%'");
  st->bind(1, table);
  st->step();
  return st->get_int(0) > 0;
}

}  // namespace

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

bool has_table(Connection& conn, std::string_view name) {
  const auto names = table_names(conn);
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::vector<Table> application_tables(Connection& conn) {
  std::vector<Table> tables;
  for (const auto& name : table_names(conn)) {
    if (!is_internal(name)) tables.push_back(describe(conn, name));
  }
  return parents_first(std::move(tables));
}

std::vector<IdCounter> read_id_counters(Connection& conn, const std::vector<Table>& tables) {
  std::vector<IdCounter> out;
  if (conn.dialect() == Dialect::sqlite) {
    if (!has_table(conn, "sqlite_sequence")) return out;
    auto st = conn.prepare("SELECT name, seq FROM sqlite_sequence");
    while (st->step()) out.push_back({st->get_text(0), st->get_int(1)});
    return out;
  }
  for (const auto& t : tables) {
    if (!has_integer_id(t)) continue;
    auto seq = conn.prepare("SELECT pg_get_serial_sequence(?, ?)");
    seq->bind_all(quote_identifier(t.name), t.key.front());
    if (!seq->step() || seq->is_null(0)) continue;
    auto st = conn.prepare(fmt::format(
        "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {}", seq->get_text(0)));
    if (st->step()) out.push_back({t.name, st->get_int(0)});
  }
  return out;
}

void raise_id_counters(Connection& conn, const std::vector<Table>& tables,
                       const std::vector<IdCounter>& counters) {
  std::map<std::string, std::int64_t> wanted;
  for (const auto& c : counters) wanted[c.table] = c.value;
  for (const auto& t : tables) {
    if (!has_integer_id(t)) continue;
    const auto it = wanted.find(t.name);
    const std::int64_t value = std::max(it == wanted.end() ? 0 : it->second, max_id(conn, t));
    if (conn.dialect() == Dialect::postgresql) {
      if (value > 0) {
        conn.prepare("SELECT setval(pg_get_serial_sequence(?, ?), ?)")
            ->bind_all(quote_identifier(t.name), t.key.front(), value)
            .run();
      }
    } else if (is_autoincrement(conn, t.name)) {
      // Other SQLite tables take max(id) + 1, which the copied rows already give.
      conn.prepare("DELETE FROM sqlite_sequence WHERE name = ?")->bind_all(t.name).run();
      conn.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)")
          ->bind_all(t.name, value)
          .run();
    }
  }
}

}  // namespace instctl::db
