#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace instctl::db {

// A column to read through a parser (Statement::read_all): parsed(r.status, parse_status).
template <typename T, typename Parse>
struct Parsed {
  T& out;
  Parse parse;
};
template <typename T, typename Parse>
Parsed<T, Parse> parsed(T& out, Parse parse) {
  return {out, parse};
}

// The small interface every store is written against. SQL uses `?` placeholders; a backend
// translates them if its engine wants another form. Dialect differences stay in the backends.
class Statement {
 public:
  virtual ~Statement() = default;

  // Parameters are 1-based, as in SQL.
  virtual void bind(int index, std::int64_t value) = 0;
  virtual void bind(int index, std::string_view value) = 0;
  virtual void bind_null(int index) = 0;

  // Runs until the next row; false when there are no more rows.
  virtual bool step() = 0;
  // Makes the statement runnable again, keeping nothing bound.
  virtual void reset() = 0;

  virtual bool is_null(int column) const = 0;  // 0-based, as in result rows
  virtual std::int64_t get_int(int column) const = 0;
  virtual std::string get_text(int column) const = 0;

  // Binds every argument in order: integers, strings, std::nullopt / optionals.
  template <typename... Args>
  Statement& bind_all(const Args&... args) {
    return bind_from(1, args...);
  }
  // The same from parameter `first` on: one row of a multi-row VALUES list.
  template <typename... Args>
  Statement& bind_from(int first, const Args&... args) {
    int i = first - 1;
    (bind_one(++i, args), ...);
    return *this;
  }

  // Reads the current row's columns, from column `first` on, into the arguments in order:
  // integers, bool (any non-zero is true), strings, and optionals of those (nullopt for NULL).
  // The mirror of bind_all, so a store lists its columns once, in its SELECT, and here.
  // A text column that names an enum's value goes through its parser: parsed(u.role, parse_role).
  template <typename... Args>
  void read_all(Args&&... out) const {
    read_from(0, std::forward<Args>(out)...);
  }
  template <typename... Args>
  void read_from(int first, Args&&... out) const {
    int i = first;
    (read_one(i++, out), ...);
  }

  // Runs a statement that returns no rows.
  void run() {
    while (step()) {
    }
  }

  std::optional<std::int64_t> get_opt_int(int column) const {
    if (is_null(column)) return std::nullopt;
    return get_int(column);
  }
  std::optional<std::string> get_opt_text(int column) const {
    if (is_null(column)) return std::nullopt;
    return get_text(column);
  }

 private:
  void bind_one(int i, std::int64_t v) { bind(i, v); }
  void bind_one(int i, int v) { bind(i, static_cast<std::int64_t>(v)); }
  void bind_one(int i, bool v) { bind(i, static_cast<std::int64_t>(v ? 1 : 0)); }
  void bind_one(int i, std::string_view v) { bind(i, v); }
  void bind_one(int i, const std::string& v) { bind(i, std::string_view(v)); }
  void bind_one(int i, const char* v) { bind(i, std::string_view(v)); }
  void bind_one(int i, std::nullopt_t) { bind_null(i); }
  template <typename T>
  void bind_one(int i, const std::optional<T>& v) {
    if (v)
      bind_one(i, *v);
    else
      bind_null(i);
  }
  void read_one(int c, std::int64_t& v) const { v = get_int(c); }
  void read_one(int c, bool& v) const { v = get_int(c) != 0; }
  void read_one(int c, std::string& v) const { v = get_text(c); }
  void read_one(int c, std::optional<std::int64_t>& v) const { v = get_opt_int(c); }
  void read_one(int c, std::optional<std::string>& v) const { v = get_opt_text(c); }
  template <typename T, typename Parse>
  void read_one(int c, Parsed<T, Parse>& v) const {
    v.out = v.parse(get_text(c));
  }
};

enum class Dialect { sqlite, postgresql };

class ReadMemo;

class Connection {
 public:
  virtual ~Connection() = default;
  virtual std::unique_ptr<Statement> prepare(std::string_view sql) = 0;
  // Runs one or more statements without parameters (migrations, pragmas).
  virtual void exec(std::string_view sql) = 0;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  virtual std::int64_t changes() const = 0;
  // The id (rowid) of the row the last successful INSERT added.
  virtual std::int64_t last_insert_id() const = 0;
  virtual Dialect dialect() const = 0;
  // Where the data lives, for messages (a path or a URI without password).
  virtual std::string location() const = 0;
  // A number that differs whenever the data may have changed since it was last asked: a commit
  // by this connection or any other. nullopt when the backend cannot tell, and then nothing
  // read from it may be kept across requests.
  virtual std::optional<std::uint64_t> data_version() { return std::nullopt; }
  // Caps the memory this connection keeps for cached database pages. A server holds one
  // connection per thread for its lifetime; capping them keeps its memory small and flat.
  virtual void limit_cache(std::int64_t /*kib*/) {}

  // Transactions that will write take the write lock up front, so two processes never
  // deadlock upgrading a read lock (which SQLite answers with "database is locked").
  virtual void begin_write() = 0;
  virtual void begin_read() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  // The SELECTs that follow may share one read transaction, until end_shared_reads(), the
  // next transaction or the next statement that is not a SELECT (which ends the sharing
  // first, so writes run as they would without it). SQLite takes and drops its WAL read
  // locks for each statement run alone, which costs more than many small SELECTs; sharing
  // them is a no-op on PostgreSQL, where BEGIN and COMMIT would be two more round trips.
  // Use SharedReads below.
  virtual void share_reads() {}
  virtual void end_shared_reads() {}

  // From now on, reads wrapped in db::remembered may be kept (read_memo.hpp). A server's
  // worker connections ask for it; a command's never do.
  virtual void keep_reads() {}
  // The version reads may be kept under now, or none when nothing may be kept: not asked for,
  // a backend that cannot tell, or a change of this connection's own not yet committed.
  virtual std::optional<std::uint64_t> memo_version() { return std::nullopt; }
  // What this connection keeps; nullptr when it keeps nothing.
  virtual ReadMemo* memo() { return nullptr; }
};

// A run of reads (the checks of one request) in one read transaction where that is cheaper
// (Connection::share_reads): they see the data as it was at the first of them, which was
// read after the scope began. Not nested.
class SharedReads {
 public:
  explicit SharedReads(Connection& c) : m_conn(c) { c.share_reads(); }
  SharedReads(const SharedReads&) = delete;
  SharedReads& operator=(const SharedReads&) = delete;
  ~SharedReads() {
    try {
      m_conn.end_shared_reads();
    } catch (...) {
    }
  }

 private:
  Connection& m_conn;
};

// A transaction that rolls back unless committed.
class Transaction {
 public:
  enum class Mode { write, read };
  explicit Transaction(Connection& c, Mode mode = Mode::write) : m_conn(c) {
    if (mode == Mode::write)
      c.begin_write();
    else
      c.begin_read();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (!m_done) {
      try {
        m_conn.rollback();
      } catch (...) {
      }
    }
  }
  void commit() {
    m_conn.commit();
    m_done = true;
  }

 private:
  Connection& m_conn;
  bool m_done = false;
};

}  // namespace instctl::db
