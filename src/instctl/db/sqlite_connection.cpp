#include "instctl/db/sqlite_connection.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <unordered_map>
#include <vector>

#include "instctl/core/error.hpp"
#include "instctl/db/change_counter.hpp"
#include "instctl/db/read_memo.hpp"
#include "instctl/db/sql_stats.hpp"

namespace instctl::db {

namespace {

constexpr int k_busy_timeout_ms = 30000;

// Waits for another connection's lock, as sqlite3_busy_timeout does, but remembers how long
// it waited, so that a failure can say whether the lock was held too long or SQLite refused
// to wait at all (which it does when waiting could deadlock).
class BusyWait {
 public:
  static int handler(void* self, int attempt) {
    auto& w = *static_cast<BusyWait*>(self);
    const auto now = std::chrono::steady_clock::now();
    if (attempt == 0) w.m_since = now;
    w.m_waited_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - w.m_since).count();
    if (w.m_waited_ms >= k_busy_timeout_ms) return 0;
    // 1 ms at first, growing to 20 ms: short waits keep a writer from losing the race for the
    // lock again and again to a busy server's stream of short transactions.
    const int delay_ms = std::min(20, 1 + attempt);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    return 1;
  }
  void attach(sqlite3* db) { sqlite3_busy_handler(db, &BusyWait::handler, this); }
  std::int64_t waited_ms() const { return m_waited_ms; }
  void clear() { m_waited_ms = 0; }

 private:
  std::chrono::steady_clock::time_point m_since{};
  std::int64_t m_waited_ms = 0;
};

[[noreturn]] void translate(const SQLite::Exception& e, BusyWait* busy = nullptr) {
  const int code = e.getErrorCode();
  const int ext = e.getExtendedErrorCode();
  if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
    throw Error(ErrorKind::conflict, fmt::format("already exists ({})", e.what()));
  }
  if (code == SQLITE_CONSTRAINT) {
    throw Error(ErrorKind::conflict, fmt::format("constraint failed ({})", e.what()));
  }
  if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) {
    throw Error(ErrorKind::internal,
                fmt::format("the database file is not a valid instctl database ({}); check --db "
                            "or INSTCTL_DB, or restore it from a backup",
                            e.what()));
  }
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
    const std::int64_t waited = busy ? busy->waited_ms() : 0;
    if (busy) busy->clear();
    if (waited >= k_busy_timeout_ms) {
      throw Error(ErrorKind::internal,
                  fmt::format("the database stayed locked for {} s ({}); another process holds "
                              "a long write transaction: run the command again when it is done",
                              k_busy_timeout_ms / 1000, e.what()))
          .temporary();
    }
    throw Error(ErrorKind::internal,
                fmt::format("the database was locked by another connection and SQLite would not "
                            "wait (extended code {}, after {} ms; {}); nothing was written: run "
                            "the command again",
                            ext, waited, e.what()))
        .temporary();
  }
  throw Error(ErrorKind::internal, fmt::format("database error: {}", e.what()));
}

// Connection::share_reads: while sharing is asked for, the first SELECT run outside a
// transaction begins one, and the SELECTs after it run in it; any other statement, and any
// exec (BEGIN, COMMIT, a pragma), ends it first.
class ReadSharing {
 public:
  ReadSharing() = default;
  ReadSharing(const ReadSharing&) = delete;
  ReadSharing& operator=(const ReadSharing&) = delete;
  ~ReadSharing() {
    sqlite3_finalize(m_begin);
    sqlite3_finalize(m_commit);
  }

  void ask() { m_asked = true; }
  void before_step(sqlite3* db, bool select) {
    if (!m_asked) return;
    if (!select) return end(db);
    if (!m_open && sqlite3_get_autocommit(db)) {
      run(db, m_begin, "BEGIN");
      m_open = true;
    }
  }
  // Only a statement that begins with SELECT is a read (a WITH may lead to a write).
  static bool is_select(std::string_view sql) {
    const auto start = sql.find_first_not_of(" \t\r\n");
    return start != std::string_view::npos && sql.size() - start >= 6 &&
           sqlite3_strnicmp(sql.data() + start, "SELECT", 6) == 0;
  }
  void end(sqlite3* db) {
    m_asked = false;
    if (!m_open) return;
    m_open = false;
    if (!sqlite3_get_autocommit(db)) run(db, m_commit, "COMMIT");
  }

 private:
  // Prepared once per connection: a request's BEGIN and COMMIT cost a step each, no parse.
  static void run(sqlite3* db, sqlite3_stmt*& st, const char* sql) {
    int rc =
        st ? SQLITE_OK : sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (st) sqlite3_reset(st);
    if (rc != SQLITE_OK && rc != SQLITE_DONE) {
      throw Error(ErrorKind::internal,
                  fmt::format("database error: {} ({})", sqlite3_errmsg(db), sql));
    }
  }

  sqlite3_stmt* m_begin = nullptr;
  sqlite3_stmt* m_commit = nullptr;
  bool m_asked = false;
  bool m_open = false;  // this sharing began the transaction
};

// Moves the database's change counter (change_counter.hpp) once a commit that changed rows is
// over: checked after each statement ends (stepped to its end, reset, given back) and after
// each exec (COMMIT among them). Rows changed since the last time count as committed once no
// transaction is open and no writing statement is still under way (a RETURNING stepped once
// commits when it is reset). So the counter moves after the commit, before the write returns
// to its caller. A rolled-back change moves it too, which only costs a kept answer.
class CommitCounter {
 public:
  CommitCounter(std::string db_path, sqlite3* db)
      : m_db_path(std::move(db_path)), m_counted(sqlite3_total_changes64(db)) {}

  void after_statement(sqlite3* db) {
    const std::int64_t total = sqlite3_total_changes64(db);
    if (total == m_counted || !sqlite3_get_autocommit(db)) return;
    for (sqlite3_stmt* st = sqlite3_next_stmt(db, nullptr); st; st = sqlite3_next_stmt(db, st)) {
      if (sqlite3_stmt_busy(st) && !sqlite3_stmt_readonly(st)) return;
    }
    m_counted = total;
    if (ChangeCounter* c = counter()) c->add_one();
  }
  // Whether every change this connection made is committed and counted.
  bool all_counted(sqlite3* db) const { return sqlite3_total_changes64(db) == m_counted; }
  // Opened at the first change, or when reads are kept (ReadMemo): a command that only reads
  // never touches the file. nullptr when it cannot be opened.
  ChangeCounter* counter() {
    if (!m_opened) {
      m_opened = true;
      m_counter = ChangeCounter::open(m_db_path);
    }
    return m_counter.get();
  }

 private:
  std::string m_db_path;
  std::int64_t m_counted;
  bool m_opened = false;
  std::unique_ptr<ChangeCounter> m_counter;
};

// The version a connection's kept reads are valid under (Connection::memo_version): the change
// counter as read before the transaction now open began (any commit it counts is in that
// transaction's snapshot), or as read now outside one; none while a change of this
// connection's own is not committed and counted, inside a write transaction, or while a
// statement begun outside a transaction is still under way.
class MemoVersion {
 public:
  void start(const ChangeCounter* counter) { m_counter = counter; }
  bool on() const { return m_counter != nullptr; }
  // Before each statement and exec: one that starts a transaction reads the counter first.
  void before_statement(sqlite3* db) {
    if (m_counter && sqlite3_get_autocommit(db)) m_at_begin = m_counter->read();
  }
  std::optional<std::uint64_t> version(sqlite3* db, const CommitCounter& commits) const {
    // A write transaction reads afresh: it may write on what it read, and a commit made
    // elsewhere just before it began may not have moved the counter yet.
    if (!m_counter || !commits.all_counted(db) ||
        sqlite3_txn_state(db, nullptr) == SQLITE_TXN_WRITE) {
      return std::nullopt;
    }
    if (!sqlite3_get_autocommit(db)) return m_at_begin;
    // Outside a transaction, a statement still under way holds the snapshot it began with,
    // which a read made now shares: its version is not known, so nothing is kept.
    for (sqlite3_stmt* st = sqlite3_next_stmt(db, nullptr); st; st = sqlite3_next_stmt(db, st)) {
      if (sqlite3_stmt_busy(st)) return std::nullopt;
    }
    return m_counter->read();
  }

 private:
  const ChangeCounter* m_counter = nullptr;
  std::uint64_t m_at_begin = 0;
};

// Prepared statements are kept per connection and reused (a server answers the same few
// queries all day; preparing them again each time costs more than running them).
class StatementCache {
 public:
  static constexpr std::size_t k_max_entries = 256;

  std::unique_ptr<SQLite::Statement> take(SQLite::Database& db, const std::string& sql) {
    if (auto it = m_free.find(sql); it != m_free.end() && it->second) return std::move(it->second);
    return std::make_unique<SQLite::Statement>(db, sql);
  }
  void give_back(const std::string& sql, std::unique_ptr<SQLite::Statement> st) {
    if (st->tryReset() != SQLITE_OK) return;  // a failed statement is not reused
    st->clearBindings();
    auto it = m_free.find(sql);
    if (it != m_free.end()) {
      if (!it->second) it->second = std::move(st);
    } else if (m_free.size() < k_max_entries) {
      m_free.emplace(sql, std::move(st));
    }
  }

 private:
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> m_free;
};

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(SQLite::Database& db, StatementCache& cache, BusyWait& busy, ReadSharing& sharing,
                  CommitCounter& commits, MemoVersion& memo, std::string_view sql) try
      : m_db(db),
        m_memo(memo),
        m_sharing(sharing),
        m_commits(commits),
        m_busy(busy),
        m_cache(cache),
        m_sql(sql),
        m_stmt(cache.take(db, m_sql)),
        m_select(ReadSharing::is_select(m_sql)),
        // Sized once: the buffers must never move while SQLite points into them.
        m_params(static_cast<std::size_t>(m_stmt->getBindParameterCount())) {
  } catch (const SQLite::Exception& e) {
    translate(e, &busy);
  }
  ~SqliteStatement() override {
    m_cache.give_back(m_sql, std::move(m_stmt));
    m_commits.after_statement(m_db.getHandle());
  }

  void bind(int i, std::int64_t v) override { m_stmt->bind(i, static_cast<int64_t>(v)); }
  void bind(int i, std::string_view v) override {
    // The caller's string may not outlive the step, so the value is copied into a buffer the
    // statement owns and reuses: a statement run for every row of a bulk import allocates
    // nothing once its buffers have grown. (give_back clears the bindings before the buffers
    // go.)
    if (i < 1 || static_cast<std::size_t>(i) > m_params.size()) {
      m_stmt->bind(i, std::string(v));  // SQLite reports the bad index
      return;
    }
    auto& buf = m_params[static_cast<std::size_t>(i) - 1];
    buf.assign(v);
    m_stmt->bindNoCopy(i, buf);
  }
  void bind_null(int i) override { m_stmt->bind(i); }

  bool step() override {
    m_memo.before_statement(m_db.getHandle());
    m_sharing.before_step(m_db.getHandle(), m_select);
    if (!m_running) {
      m_running = true;
      sql_stats::count_statement();
    }
    try {
      const bool row = m_stmt->executeStep();
      if (!row) m_commits.after_statement(m_db.getHandle());
      return row;
    } catch (const SQLite::Exception& e) {
      // Leave the statement reusable after a failed step (e.g. a unique violation in a loop).
      try {
        m_stmt->reset();
      } catch (...) {
      }
      translate(e, &m_busy);
    }
  }
  void reset() override {
    m_running = false;
    m_stmt->reset();
    m_stmt->clearBindings();
    m_commits.after_statement(m_db.getHandle());
  }
  bool is_null(int c) const override { return m_stmt->isColumnNull(c); }
  std::int64_t get_int(int c) const override { return m_stmt->getColumn(c).getInt64(); }
  std::string get_text(int c) const override { return m_stmt->getColumn(c).getString(); }

 private:
  SQLite::Database& m_db;
  MemoVersion& m_memo;
  ReadSharing& m_sharing;
  CommitCounter& m_commits;
  BusyWait& m_busy;
  StatementCache& m_cache;
  std::string m_sql;
  std::unique_ptr<SQLite::Statement> m_stmt;
  bool m_select;                      // a read that may share a transaction (ReadSharing)
  std::vector<std::string> m_params;  // text values bound without a copy by SQLite
  bool m_running = false;             // stepped since it was prepared or reset
};

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::string& path, int flags)
      : m_path(path), m_db(path, flags), m_commits(path, m_db.getHandle()) {}

  std::unique_ptr<Statement> prepare(std::string_view sql) override {
    return std::make_unique<SqliteStatement>(m_db, m_cache, m_busy, m_sharing, m_commits, m_memo,
                                             sql);
  }
  void exec(std::string_view sql) override {
    m_sharing.end(m_db.getHandle());
    m_memo.before_statement(m_db.getHandle());
    sql_stats::count_statement();
    try {
      m_db.exec(std::string(sql));
    } catch (const SQLite::Exception& e) {
      m_commits.after_statement(m_db.getHandle());  // a failed COMMIT may still have ended it
      translate(e, &m_busy);
    }
    m_commits.after_statement(m_db.getHandle());
  }
  std::int64_t changes() const override { return sqlite3_changes64(m_db.getHandle()); }
  std::int64_t last_insert_id() const override {
    return sqlite3_last_insert_rowid(m_db.getHandle());
  }
  Dialect dialect() const override { return Dialect::sqlite; }
  std::string location() const override { return m_path; }
  std::optional<std::uint64_t> data_version() override {
    // PRAGMA data_version moves with other connections' commits, total_changes with ours.
    auto st = prepare("PRAGMA data_version");
    st->step();
    const auto others = static_cast<std::uint64_t>(st->get_int(0));
    const auto ours = static_cast<std::uint64_t>(sqlite3_total_changes64(m_db.getHandle()));
    return (others << 40) ^ ours;
  }
  void limit_cache(std::int64_t kib) override {
    exec(fmt::format("PRAGMA cache_size = -{}", std::max<std::int64_t>(kib, 64)));
  }
  void begin_write() override { exec("BEGIN IMMEDIATE"); }
  void begin_read() override { exec("BEGIN"); }
  void commit() override { exec("COMMIT"); }
  void rollback() override { exec("ROLLBACK"); }
  void share_reads() override { m_sharing.ask(); }
  void end_shared_reads() override { m_sharing.end(m_db.getHandle()); }
  void keep_reads() override { m_memo.start(m_commits.counter()); }
  std::optional<std::uint64_t> memo_version() override {
    return m_memo.version(m_db.getHandle(), m_commits);
  }
  ReadMemo* memo() override { return m_memo.on() ? &m_kept : nullptr; }

  SQLite::Database& handle() { return m_db; }
  void wait_when_busy() { m_busy.attach(m_db.getHandle()); }

 private:
  std::string m_path;
  SQLite::Database m_db;
  BusyWait m_busy;
  ReadSharing m_sharing;
  CommitCounter m_commits;
  MemoVersion m_memo;
  ReadMemo m_kept;
  StatementCache m_cache;  // destroyed before the database it prepared statements on
};

void create_private_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return;
    throw Error(ErrorKind::internal,
                fmt::format("cannot create the database file {}: {}", path, std::strerror(errno)));
  }
  ::close(fd);
}

}  // namespace

std::unique_ptr<Connection> open_sqlite(const std::string& path, OpenMode mode) {
  struct stat st {};
  const bool exists = ::stat(path.c_str(), &st) == 0;
  if (!exists && mode == OpenMode::existing) {
    throw Error(ErrorKind::internal,
                fmt::format("no instance database at {}: create one with 'instctl init --domain "
                            "DOMAIN', or point --db or INSTCTL_DB at an existing one",
                            path));
  }
  if (exists && S_ISDIR(st.st_mode)) {
    throw Error(ErrorKind::internal,
                fmt::format("{} is a directory, not a database file: give the file's path", path));
  }
  if (!exists) create_private_file(path);
  std::unique_ptr<SqliteConnection> conn;
  try {
    // A connection belongs to one thread (each server thread and the delivery worker open
    // their own), so SQLite's per-connection mutex is not needed.
    conn = std::make_unique<SqliteConnection>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX);
    conn->wait_when_busy();
    if (sql_stats::enabled()) {
      // Called at each of SQLite's loop steps (jumps of its virtual machine): rows visited,
      // sorted and written.
      sqlite3_progress_handler(
          conn->handle().getHandle(), 1,
          [](void*) {
            sql_stats::count_vm_steps(1);
            return 0;
          },
          nullptr);
      // Called when a transaction that wrote commits (explicitly, or a write on its own).
      sqlite3_commit_hook(
          conn->handle().getHandle(),
          [](void*) {
            sql_stats::count_commit();
            return 0;
          },
          nullptr);
    }
    // Reading the schema proves the file is SQLite before anything else touches it.
    conn->handle().exec("SELECT count(*) FROM sqlite_master");
    conn->handle().exec("PRAGMA journal_mode=WAL");
    conn->handle().exec("PRAGMA synchronous=NORMAL");
    conn->handle().exec("PRAGMA foreign_keys=ON");
  } catch (const SQLite::Exception& e) {
    const int code = e.getErrorCode();
    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) {
      throw Error(ErrorKind::internal,
                  fmt::format("{} is not an SQLite database (or it is corrupted): check --db or "
                              "INSTCTL_DB, or restore the file from a backup",
                              path));
    }
    if (code == SQLITE_CANTOPEN || code == SQLITE_READONLY || code == SQLITE_PERM) {
      throw Error(ErrorKind::internal,
                  fmt::format("cannot open the database {} for writing ({}): check the file's "
                              "and its directory's permissions",
                              path, e.what()));
    }
    translate(e);
  }
  return conn;
}

}  // namespace instctl::db
