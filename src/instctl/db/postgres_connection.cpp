#include "instctl/db/postgres_connection.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <functional>
#include <unordered_map>
#include <vector>

#include "instctl/core/error.hpp"
#include "instctl/db/dialect.hpp"
#include "instctl/db/pq_api.hpp"
#include "instctl/db/sql_stats.hpp"

namespace instctl::db {

namespace {

// The key of the advisory lock every write transaction takes (pg_advisory_xact_lock): writers
// of one database queue on it, from any host, as SQLite's BEGIN IMMEDIATE makes them do. The
// lock is per database, so instances sharing a server do not wait on each other.
constexpr std::int64_t k_write_lock_key = 0x696e7374'63746c31;  // "instctl1"
// How long a writer waits for that lock (or a row lock) before giving up, as SQLite's busy
// timeout.
constexpr int k_lock_timeout_s = 30;
// How many SQL texts a connection remembers, to prepare those it runs again.
constexpr std::size_t k_max_statements = 256;

// A 64-bit stand-in for a snapshot's text (see PgConnection::data_version).
std::uint64_t snapshot_version(std::string_view snapshot) {
  return std::hash<std::string_view>{}(snapshot);
}

std::string trim_message(std::string m) {
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

struct ResultDeleter {
  void operator()(PGresult* r) const { pq::api().PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

class PgConnection;

// Throws the ErrorKind that matches a failed command's SQLSTATE, as the SQLite backend does.
[[noreturn]] void throw_result_error(const PgConnection& conn, PGresult* r);

class PgConnection final : public Connection {
 public:
  PgConnection(PGconn* c, std::string location) : m_conn(c), m_location(std::move(location)) {}
  ~PgConnection() override { pq::api().PQfinish(m_conn); }

  std::unique_ptr<Statement> prepare(std::string_view sql) override;
  void exec(std::string_view sql) override {
    sql_stats::count_statement();
    reconnect_if_lost();
    Result r(pq::api().PQexec(m_conn, std::string(sql).c_str()));
    check(r.get());
    note_changes(r.get());
  }
  std::int64_t changes() const override { return m_changes; }
  std::int64_t last_insert_id() const override {
    // The last value a sequence (an identity column) handed out in this session.
    Result r(pq::api().PQexec(m_conn, "SELECT lastval()"));
    if (pq::api().PQresultStatus(r.get()) != PGRES_TUPLES_OK) throw_result_error(*this, r.get());
    return std::strtoll(pq::api().PQgetvalue(r.get(), 0, 0), nullptr, 10);
  }
  Dialect dialect() const override { return Dialect::postgresql; }
  std::string location() const override { return m_location; }
  // Plain SQL strings (backslashes are characters), UTC, and a bounded wait for locks: on a new
  // session, and again on the one a lost link is healed with (a SET dies with its session).
  void set_up_session() {
    sql_stats::count_statement();
    Result r(pq::api().PQexec(
        m_conn, fmt::format("SET standard_conforming_strings = on; SET TIME ZONE 'UTC'; "
                            "SET lock_timeout = '{}s'",
                            k_lock_timeout_s)
                    .c_str()));
    check(r.get());
  }
  // The server's snapshot, "xmin:xmax:in-progress ids". Every transaction that writes takes a
  // transaction id, which moves xmax, and its commit takes the id out of the in-progress list,
  // whichever replica or worker made it: while the text stays the same, no write has become
  // visible. (Writes to other databases of the server move it too: a needless miss, never a
  // stale answer.) The 64-bit hash stands for the text.
  std::optional<std::uint64_t> data_version() override {
    reconnect_if_lost();
    Result r(pq::api().PQexec(m_conn, "SELECT pg_current_snapshot()::text"));
    if (pq::api().PQresultStatus(r.get()) != PGRES_TUPLES_OK) throw_result_error(*this, r.get());
    return snapshot_version(pq::api().PQgetvalue(r.get(), 0, 0));
  }

  void begin_write() override {
    begin(fmt::format("BEGIN; SELECT pg_advisory_xact_lock({})", k_write_lock_key));
    m_writing = true;
  }
  // One snapshot for the whole read, like SQLite's read transactions.
  void begin_read() override {
    begin("BEGIN ISOLATION LEVEL REPEATABLE READ");
    m_writing = false;
  }
  void commit() override {
    m_in_transaction = false;
    exec("COMMIT");
    if (m_writing) sql_stats::count_commit();
    m_writing = false;
  }
  void rollback() override {
    m_in_transaction = false;
    m_writing = false;
    if (pq::api().PQstatus(m_conn) != CONNECTION_OK) return;  // nothing to roll back on a lost link
    exec("ROLLBACK");
  }

  // Runs SQL with these text parameters. SQL this connection runs a second time is prepared
  // on the server first (named instctl_N), so it is parsed and planned once: an import's
  // multi-row INSERT, a handler's lookups. Prepared statements outlive transactions, rolled
  // back or not, but not the session.
  PGresult* run(const std::string& sql, const std::vector<const char*>& values) {
    const auto& pq = pq::api();
    const int n = static_cast<int>(values.size());
    const auto it = m_prepared.find(sql);
    if (it == m_prepared.end()) {
      if (m_prepared.size() < k_max_statements) m_prepared.emplace(sql, std::string());
      // Every parameter goes as text of unknown type: the server infers it from where it
      // stands (a column, a comparison, LIMIT), as SQLite's dynamic typing would take it.
      return pq.PQexecParams(m_conn, sql.c_str(), n, nullptr, values.data(), nullptr, nullptr, 0);
    }
    if (it->second.empty()) {
      const std::string name = fmt::format("instctl_{}", ++m_statements_named);
      Result prepared(pq.PQprepare(m_conn, name.c_str(), sql.c_str(), n, nullptr));
      // Not prepared (in a failed transaction, say): run it unprepared, which reports why.
      if (pq.PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
        return pq.PQexecParams(m_conn, sql.c_str(), n, nullptr, values.data(), nullptr, nullptr, 0);
      }
      it->second = name;
    }
    return pq.PQexecPrepared(m_conn, it->second.c_str(), n, values.data(), nullptr, nullptr, 0);
  }

  // BEGIN runs in the same command as what follows it (the write lock): when that fails (a
  // writer held the lock past lock_timeout), the server keeps an aborted transaction open, which
  // is rolled back here, or every later statement on this connection would fail.
  void begin(const std::string& sql) {
    try {
      exec(sql);
    } catch (...) {
      Result(pq::api().PQexec(m_conn, "ROLLBACK"));
      throw;
    }
    m_in_transaction = true;
  }

  // A server restart or a dropped link is healed between transactions (a long-running serve
  // keeps answering); inside one the error goes to the caller, whose transaction is lost.
  void reconnect_if_lost() {
    if (pq::api().PQstatus(m_conn) == CONNECTION_OK || m_in_transaction) return;
    m_prepared.clear();  // the new session has none of them
    pq::api().PQreset(m_conn);
    if (pq::api().PQstatus(m_conn) != CONNECTION_OK) {
      throw Error(ErrorKind::internal,
                  fmt::format("lost the connection to the PostgreSQL database {} and could not "
                              "reconnect: {}",
                              m_location, trim_message(pq::api().PQerrorMessage(m_conn))));
    }
    set_up_session();
  }
  void check(PGresult* r) const {
    const auto status = pq::api().PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw_result_error(*this, r);
  }
  // Like sqlite3_changes: only INSERT, UPDATE and DELETE set the count.
  void note_changes(PGresult* r) {
    const std::string_view tag = pq::api().PQcmdStatus(r);
    if (tag.starts_with("INSERT") || tag.starts_with("UPDATE") || tag.starts_with("DELETE")) {
      m_changes = std::strtoll(pq::api().PQcmdTuples(r), nullptr, 10);
    }
  }

 private:
  PGconn* m_conn;
  std::string m_location;
  std::int64_t m_changes = 0;
  bool m_in_transaction = false;
  bool m_writing = false;  // the transaction under way was begun by begin_write
  // SQL run on this connection → the name it is prepared under ("" until its second run).
  std::unordered_map<std::string, std::string> m_prepared;
  std::uint64_t m_statements_named = 0;
};

void throw_result_error(const PgConnection& conn, PGresult* r) {
  const char* state_field = r ? pq::api().PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  const std::string state = state_field ? state_field : "";
  std::string message = trim_message(r ? pq::api().PQresultErrorMessage(r) : "");
  if (message.empty()) message = "no answer from the server";
  if (const auto* primary =
          r ? pq::api().PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr) {
    message = primary;
    if (const auto* detail = pq::api().PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL)) {
      message += fmt::format(" ({})", detail);
    }
  }
  if (state == "23505")
    throw Error(ErrorKind::conflict, fmt::format("already exists ({})", message));
  if (state.starts_with("23")) {
    throw Error(ErrorKind::conflict, fmt::format("constraint failed ({})", message));
  }
  if (state.empty() || state.starts_with("08") || state.starts_with("57P")) {
    throw Error(ErrorKind::internal,
                fmt::format("lost the connection to the PostgreSQL database {} ({}): check that "
                            "the server runs",
                            conn.location(), message));
  }
  if (state == "55P03") {
    throw Error(ErrorKind::internal,
                fmt::format("the database {} stayed busy for {} s ({}); another process holds a "
                            "long write transaction",
                            conn.location(), k_lock_timeout_s, message))
        .temporary();
  }
  if (state == "40P01" || state == "40001") {
    throw Error(ErrorKind::internal,
                fmt::format("the database {} gave up a transaction that ran into another one "
                            "({}): run the command again",
                            conn.location(), message))
        .temporary();
  }
  throw Error(ErrorKind::internal, fmt::format("database error: {} [{}]", message, state));
}

class PgStatement final : public Statement {
 public:
  PgStatement(PgConnection& conn, std::string_view sql) : m_conn(conn) {
    int count = 0;
    m_sql = number_placeholders(sql, count);
    m_params.resize(static_cast<std::size_t>(count));
  }

  void bind(int i, std::int64_t v) override { slot(i) = std::to_string(v); }
  void bind(int i, std::string_view v) override { slot(i) = postgres_text(v); }
  void bind_null(int i) override { slot(i) = std::nullopt; }

  bool step() override {
    if (!m_result) execute();
    ++m_row;
    return m_row < pq::api().PQntuples(m_result.get());
  }
  void reset() override {
    m_result.reset();
    m_row = -1;
    for (auto& p : m_params) p.reset();
  }
  bool is_null(int c) const override {
    return pq::api().PQgetisnull(m_result.get(), current(), c) != 0;
  }
  std::int64_t get_int(int c) const override {
    const char* v = pq::api().PQgetvalue(m_result.get(), current(), c);
    // Comparisons are booleans on PostgreSQL, integers on SQLite.
    if (v[0] == 't' && v[1] == '\0') return 1;
    if (v[0] == 'f' && v[1] == '\0') return 0;
    return std::strtoll(v, nullptr, 10);
  }
  std::string get_text(int c) const override {
    return std::string(
        pq::api().PQgetvalue(m_result.get(), current(), c),
        static_cast<std::size_t>(pq::api().PQgetlength(m_result.get(), current(), c)));
  }

 private:
  std::optional<std::string>& slot(int i) {
    if (i < 1 || static_cast<std::size_t>(i) > m_params.size()) {
      throw Error(
          ErrorKind::internal,
          fmt::format("parameter {} out of range (the statement has {})", i, m_params.size()));
    }
    m_result.reset();  // binding again means running again
    m_row = -1;
    return m_params[static_cast<std::size_t>(i) - 1];
  }
  int current() const {
    if (!m_result || m_row < 0 || m_row >= pq::api().PQntuples(m_result.get())) {
      throw Error(ErrorKind::internal, "read a column without a current row");
    }
    return m_row;
  }
  void execute() {
    m_conn.reconnect_if_lost();
    sql_stats::count_statement();
    std::vector<const char*> values;
    values.reserve(m_params.size());
    for (const auto& p : m_params) values.push_back(p ? p->c_str() : nullptr);
    m_result.reset(m_conn.run(m_sql, values));
    PGresult* r = m_result.get();
    if (pq::api().PQresultStatus(r) != PGRES_COMMAND_OK &&
        pq::api().PQresultStatus(r) != PGRES_TUPLES_OK) {
      Result failed(m_result.release());
      throw_result_error(m_conn, failed.get());
    }
    m_conn.note_changes(r);
    m_row = -1;
  }

  PgConnection& m_conn;
  std::string m_sql;
  std::vector<std::optional<std::string>> m_params;
  Result m_result;
  int m_row = -1;
};

std::unique_ptr<Statement> PgConnection::prepare(std::string_view sql) {
  return std::make_unique<PgStatement>(*this, sql);
}

// Notices (e.g. "relation already exists, skipping") are not for the command's user.
void ignore_notice(void*, const char*) {}

}  // namespace

std::unique_ptr<Connection> open_postgres(const std::string& uri, OpenMode mode) {
  const std::string shown = redact_uri(uri);
  // The URI's own settings win over these defaults (expand_dbname: later keys override).
  const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
  const char* values[] = {"10", "instctl", uri.c_str(), nullptr};
  PGconn* c = pq::api().PQconnectdbParams(keys, values, 1);
  if (c == nullptr) throw Error(ErrorKind::internal, "out of memory connecting to PostgreSQL");
  if (pq::api().PQstatus(c) != CONNECTION_OK) {
    const std::string why = trim_message(pq::api().PQerrorMessage(c));
    pq::api().PQfinish(c);
    std::string hint =
        "check that the server runs and accepts connections, and the host, port, user, password "
        "and database name in --db or INSTCTL_DB";
    if (why.find("does not exist") != std::string::npos &&
        why.find("database") != std::string::npos) {
      // A command that makes the instance (init, or db copy into it) only needs it to exist;
      // any other wants an instance in it.
      hint = mode == OpenMode::create
                 ? "create the database first (createdb, or CREATE DATABASE as its owner), then "
                   "run this command again"
                 : "create the database first (createdb, or CREATE DATABASE as its owner), then "
                   "make the instance in it with 'instctl init --db URI --domain DOMAIN', or "
                   "move one into it with 'instctl db copy --to URI'";
    } else if (why.find("password") != std::string::npos) {
      hint = "check the user and password (in the URI, PGPASSWORD or ~/.pgpass)";
    }
    throw Error(
        ErrorKind::internal,
        fmt::format("cannot connect to the PostgreSQL database {}: {}; {}", shown, why, hint));
  }
  pq::api().PQsetNoticeProcessor(c, ignore_notice, nullptr);
  auto conn = std::make_unique<PgConnection>(c, shown);
  conn->set_up_session();
  return conn;
}

}  // namespace instctl::db
