#include "instctl/db/copy.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <optional>
#include <set>

#include "instctl/core/error.hpp"
#include "instctl/db/catalog.hpp"
#include "instctl/db/copy_state.hpp"
#include "instctl/db/dialect.hpp"
#include "instctl/db/migrations.hpp"
#include "instctl/db/row_digest.hpp"

namespace instctl::db {

namespace {

// The instance row: copied last, so an unfinished target is not an instance anything would
// open; its digest names the source a copy in progress belongs to.
constexpr const char* k_instance_table = "instance";

std::string column_list(const Table& t) {
  std::string out;
  for (const auto& c : t.columns) out += (out.empty() ? "" : ", ") + quote_identifier(c.name);
  return out;
}

std::string select_sql(const Table& t) {
  std::string order;
  for (const auto& k : t.key) order += (order.empty() ? "" : ", ") + quote_identifier(k);
  return fmt::format("SELECT {} FROM {} ORDER BY {}", column_list(t), quote_identifier(t.name),
                     order.empty() ? column_list(t) : order);
}

std::string insert_sql(const Table& t) {
  std::string marks;
  for (std::size_t i = 0; i < t.columns.size(); ++i) marks += i == 0 ? "?" : ", ?";
  return fmt::format("INSERT INTO {} ({}) VALUES ({})", quote_identifier(t.name), column_list(t),
                     marks);
}

// Where a source row goes besides its digest: bound to the target's INSERT (none when only
// checked), with the text values the target alters counted.
struct RowSink {
  Statement* insert = nullptr;
  Dialect target = Dialect::sqlite;
  std::int64_t* text_changed = nullptr;
};

// Adds the source's current row to the digest and hands it to `sink`.
void take_row(const Statement& src, const Table& t, RowDigest& digest, const RowSink& sink) {
  Statement* insert = sink.insert;
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const int col = static_cast<int>(i);
    if (src.is_null(col)) {
      digest.add_null();
      if (insert != nullptr) insert->bind_null(col + 1);
    } else if (t.columns[i].type == ColumnType::integer) {
      const std::int64_t v = src.get_int(col);
      digest.add_int(v);
      if (insert != nullptr) insert->bind(col + 1, v);
    } else {
      const std::string v = src.get_text(col);
      digest.add_text(v);
      if (sink.text_changed != nullptr && !text_kept_as_is(sink.target, v)) ++*sink.text_changed;
      if (insert != nullptr) insert->bind(col + 1, std::string_view(v));
    }
  }
  digest.end_row();
}

std::int64_t count_rows(Connection& conn, const Table& t) {
  auto st = conn.prepare(fmt::format("SELECT count(*) FROM {}", quote_identifier(t.name)));
  st->step();
  return st->get_int(0);
}

std::string table_digest(Connection& conn, const Table& t) {
  auto st = conn.prepare(select_sql(t));
  RowDigest digest;
  while (st->step()) take_row(*st, t, digest, RowSink{});
  return digest.hex();
}

const Table* find_table(const std::vector<Table>& tables, std::string_view name) {
  auto it =
      std::find_if(tables.begin(), tables.end(), [&](const Table& t) { return t.name == name; });
  return it == tables.end() ? nullptr : &*it;
}

class Copier {
 public:
  Copier(Connection& source, Env& target, CopyObserver& observer, const CopyOptions& options)
      : m_src(source), m_env(target), m_dst(target.db), m_observer(observer), m_options(options) {}

  CopySummary run() {
    require_current_schema(m_src);
    Transaction snapshot(m_src, Transaction::Mode::read);
    read_source();
    prepare_target();
    for (const auto& t : m_tables) {
      if (t.name != k_instance_table) copy_table(t);
    }
    finish();
    snapshot.commit();
    return m_summary;
  }

 private:
  void read_source() {
    m_tables = application_tables(m_src);
    const Table* instance = find_table(m_tables, k_instance_table);
    if (instance == nullptr || count_rows(m_src, *instance) == 0) {
      throw Error(ErrorKind::not_found,
                  fmt::format("{} holds no instance: nothing to copy", m_src.location()));
    }
    m_source_id = table_digest(m_src, *instance);
    for (const auto& t : m_tables) {
      const std::int64_t n = count_rows(m_src, t);
      m_summary.tables.push_back({t.name, n, 0, 0});
      m_total += n;
    }
    m_summary.source = m_src.location();
    m_summary.target = m_dst.location();
  }

  [[noreturn]] void refuse(const std::string& why) const {
    throw Error(
        ErrorKind::conflict,
        fmt::format("the target {} {}: copy into a new, empty database", m_dst.location(), why));
  }

  // A target is empty or holds a copy of this source in progress; nothing else is touched,
  // not even migrated.
  void prepare_target() {
    auto loaded = load_copy_state(m_dst);
    if (loaded.found && loaded.state.source_id != m_source_id) {
      refuse("holds an unfinished copy of another instance");
    }
    if (!loaded.found) refuse_unless_empty();
    migrate(m_dst);
    for (const auto& t : m_tables) {
      if (!has_table(m_dst, t.name)) {
        throw Error(ErrorKind::internal,
                    fmt::format("the target {} has no table {} after its migrations",
                                m_dst.location(), t.name));
      }
    }
    if (loaded.found) {
      m_state = std::move(loaded.state);
      m_summary.resumed = true;
      return;
    }
    Transaction tx(m_dst);
    std::vector<std::string> names;
    for (const auto& t : m_tables) {
      if (t.name != k_instance_table) names.push_back(t.name);
    }
    start_copy_state(m_dst, m_source_id, names, RowDigest().hex());
    tx.commit();
    for (const auto& n : names) m_state.tables[n] = TableProgress{0, RowDigest().hex()};
  }

  void refuse_unless_empty() {
    const auto tables = application_tables(m_dst);
    if (schema_version(m_dst) == 0 && !tables.empty()) refuse("holds tables but no instctl schema");
    const Table* instance = find_table(tables, k_instance_table);
    if (instance != nullptr && count_rows(m_dst, *instance) > 0 &&
        table_digest(m_dst, *instance) == m_source_id) {
      refuse("already holds a finished copy of this instance");
    }
    for (const auto& t : tables) {
      const std::int64_t n = count_rows(m_dst, t);
      if (n > 0) refuse(fmt::format("is not empty (table {} holds {} rows)", t.name, n));
    }
  }

  void copy_table(const Table& t) {
    auto& progress = m_state.tables.at(t.name);
    auto src = m_src.prepare(select_sql(t));
    RowDigest digest;
    std::int64_t rows = 0;
    auto& changed = summary_of(t.name).text_changed;
    changed = 0;
    while (rows < progress.rows && src->step()) {
      take_row(*src, t, digest, RowSink{nullptr, m_dst.dialect(), &changed});
      ++rows;
      advance();
    }
    if (rows < progress.rows || digest.hex() != progress.digest) {
      start_again_from(t);
      copy_table(t);
      return;
    }
    auto insert = m_dst.prepare(insert_sql(t));
    auto& copied = summary_of(t.name).copied;
    std::optional<Transaction> tx;
    std::int64_t in_batch = 0;
    while (src->step()) {
      if (!tx) tx.emplace(m_dst);
      take_row(*src, t, digest, RowSink{insert.get(), m_dst.dialect(), &changed});
      insert->run();
      insert->reset();
      ++rows;
      ++in_batch;
      ++copied;
      advance();
      if (in_batch == m_options.batch_rows) {
        commit_batch(*tx, t.name, TableProgress{rows, digest.hex()});
        tx.reset();
        in_batch = 0;
      }
    }
    if (tx) commit_batch(*tx, t.name, TableProgress{rows, digest.hex()});
  }

  void commit_batch(Transaction& tx, const std::string& table, const TableProgress& p) {
    save_table_progress(m_dst, table, p);
    tx.commit();
    m_state.tables[table] = p;
  }

  // The rows an interrupted run copied are no longer the source's (it changed in between):
  // the table is copied again, and so is every table that refers to it.
  void start_again_from(const Table& changed) {
    std::set<std::string> again{changed.name};
    for (const auto& t : m_tables) {
      for (const auto& p : t.parents) {
        if (again.count(p) > 0) again.insert(t.name);
      }
    }
    try {
      Transaction tx(m_dst);
      for (auto it = m_tables.rbegin(); it != m_tables.rend(); ++it) {
        if (again.count(it->name) == 0 || it->name == k_instance_table) continue;
        m_dst.exec(fmt::format("DELETE FROM {}", quote_identifier(it->name)));
        save_table_progress(m_dst, it->name, TableProgress{0, RowDigest().hex()});
      }
      tx.commit();
    } catch (const Error& e) {
      throw Error(ErrorKind::conflict,
                  fmt::format("the source changed since the interrupted copy, and the rows "
                              "already copied from table {} cannot be removed from {} ({}): "
                              "copy into a new, empty database",
                              changed.name, m_dst.location(), e.what()));
    }
    for (const auto& name : again) {
      if (name != k_instance_table) m_state.tables[name] = TableProgress{0, RowDigest().hex()};
    }
  }

  // The last transaction: the instance row, the counts' check, the id counters, the audit
  // entry, and the bookkeeping gone.
  void finish() {
    const Table& instance = *find_table(m_tables, k_instance_table);
    Transaction tx(m_dst);
    auto src = m_src.prepare(select_sql(instance));
    auto insert = m_dst.prepare(insert_sql(instance));
    RowDigest unused;
    while (src->step()) {
      take_row(*src, instance, unused,
               RowSink{insert.get(), m_dst.dialect(), &summary_of(instance.name).text_changed});
      insert->run();
      insert->reset();
      ++summary_of(instance.name).copied;
      advance();
    }
    std::int64_t rows = 0;
    for (auto& c : m_summary.tables) {
      c.target_rows = count_rows(m_dst, *find_table(m_tables, c.table));
      if (c.target_rows != c.source_rows) {
        throw Error(ErrorKind::internal,
                    fmt::format("after the copy, table {} holds {} rows in {} but {} in the "
                                "source's snapshot; nothing was finished, run the copy again",
                                c.table, c.target_rows, m_dst.location(), c.source_rows));
      }
      rows += c.source_rows;
    }
    raise_id_counters(m_dst, m_tables, read_id_counters(m_src, m_tables));
    m_observer.finishing(m_env, Json{{"source", m_src.location()},
                                     {"tables", m_summary.tables.size()},
                                     {"rows", rows},
                                     {"text_changed", m_summary.text_changed()},
                                     {"resumed", m_summary.resumed}});
    drop_copy_state(m_dst);
    tx.commit();
  }

  TableCopy& summary_of(const std::string& table) {
    return *std::find_if(m_summary.tables.begin(), m_summary.tables.end(),
                         [&](const TableCopy& c) { return c.table == table; });
  }

  void advance() { m_observer.progress(std::min(++m_done, m_total), m_total); }

  Connection& m_src;
  Env& m_env;
  Connection& m_dst;
  CopyObserver& m_observer;
  CopyOptions m_options;
  std::vector<Table> m_tables;
  std::string m_source_id;
  CopyState m_state;
  CopySummary m_summary;
  std::int64_t m_total = 0;
  std::int64_t m_done = 0;
};

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa {};
  struct stat sb {};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

// A PostgreSQL URI as connections show it (no password, one scheme); a path as given.
std::string comparable(const std::string& spec) {
  if (!is_postgres_uri(spec)) return spec;
  std::string shown = redact_uri(spec);
  if (shown.starts_with("postgres://")) shown.insert(std::string("postgres").size(), "ql");
  return shown;
}

}  // namespace

void refuse_same_database(const std::string& source_location, const std::string& target_spec) {
  const bool uri = is_postgres_uri(source_location) || is_postgres_uri(target_spec);
  const bool same = comparable(source_location) == comparable(target_spec) ||
                    (!uri && same_file(source_location, target_spec));
  if (same) {
    throw Error(ErrorKind::conflict,
                fmt::format("--to names the instance database itself ({}): give a new, empty "
                            "database to copy into",
                            source_location));
  }
}

CopySummary copy_database(Connection& source, Env& target, CopyObserver& observer,
                          const CopyOptions& options) {
  return Copier(source, target, observer, options).run();
}

}  // namespace instctl::db
