#include "instctl/db/copy.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "instctl/audit/audit_log.hpp"
#include "instctl/db/catalog.hpp"
#include "instctl/db/maintenance.hpp"
#include "test_support.hpp"

namespace instctl::db {

namespace {

class Quiet : public CopyObserver {
 public:
  void progress(std::int64_t, std::int64_t) override {}
  // As `instctl db copy` does.
  void finishing(Env& target, const Json& details) override {
    audit::record(target, "db.copy", "database:" + target.db.location(), details);
  }
};

// Stops the copy after `limit` rows, as a kill would (committed batches stay).
class KillAfter : public CopyObserver {
 public:
  explicit KillAfter(std::int64_t limit) : m_limit(limit) {}
  void progress(std::int64_t done, std::int64_t) override {
    if (done >= m_limit) throw std::runtime_error("killed");
  }
  void finishing(Env&, const Json&) override {}

 private:
  std::int64_t m_limit;
};

void add_accounts(Connection& conn, int from, int to) {
  auto st = conn.prepare(
      "INSERT INTO accounts (username, username_key, email, email_key, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, 1, 1)");
  for (int i = from; i <= to; ++i) {
    const std::string name = "u" + std::to_string(i);
    st->bind_all(name, name, name + "@example.com", name + "@example.com").run();
    st->reset();
  }
  conn.exec(
      "INSERT INTO follows (follower_id, followed_id, created_at) SELECT a.id, b.id, 1 FROM "
      "accounts a, accounts b WHERE a.id < b.id AND b.id - a.id = 1 AND NOT EXISTS (SELECT 1 FROM "
      "follows f WHERE f.follower_id = a.id AND f.followed_id = b.id)");
}

std::string rows_of(Connection& conn, const std::string& table, const std::string& where = "") {
  auto st = conn.prepare("SELECT * FROM " + quote_identifier(table) + " " + where + " ORDER BY 1");
  std::string out;
  while (st->step()) {
    for (int c = 0; c < 4; ++c) out += (st->is_null(c) ? "-" : st->get_text(c)) + "|";
    out += "\n";
  }
  return out;
}

struct Target {
  test::TempDir dir;
  FixedClock clock{test::k_test_now};
  std::unique_ptr<Connection> conn = open_sqlite(dir.file("copy.db"), OpenMode::create);
  Env env{*conn, clock, "cli:copier"};
};

std::int64_t count(Connection& conn, const std::string& table) {
  auto st = conn.prepare("SELECT count(*) FROM " + quote_identifier(table));
  st->step();
  return st->get_int(0);
}

}  // namespace

TEST(Catalog, ListsTablesAfterTheirParents) {
  test::TestInstance src;
  const auto tables = application_tables(*src.conn);
  std::set<std::string> seen;
  for (const auto& t : tables) {
    EXPECT_NE(t.name.rfind("sqlite_", 0), 0u) << t.name;
    for (const auto& p : t.parents) EXPECT_TRUE(seen.count(p)) << t.name << " before " << p;
    EXPECT_FALSE(t.key.empty()) << t.name << " has a primary key";
    seen.insert(t.name);
  }
  for (const char* name : {"instance", "accounts", "follows", "audit_log", "waitlist"}) {
    EXPECT_TRUE(seen.count(name)) << name;
  }
  const auto accounts = std::find_if(tables.begin(), tables.end(),
                                     [](const Table& t) { return t.name == "accounts"; });
  EXPECT_EQ(accounts->columns.front().type, ColumnType::integer);
  EXPECT_EQ(accounts->columns[1].type, ColumnType::text);
  EXPECT_EQ(quote_identifier("a\"b"), "\"a\"\"b\"");
}

TEST(Catalog, RefusesACycleOfForeignKeys) {
  test::TempDir dir;
  auto conn = open_sqlite(dir.file("cycle.db"), OpenMode::create);
  conn->exec(
      "CREATE TABLE a (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b (id));"
      "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id));");
  EXPECT_EQ(test::kind_of([&] { application_tables(*conn); }), ErrorKind::internal);
}

TEST(Catalog, RefusesColumnsOfBytes) {
  test::TempDir dir;
  auto conn = open_sqlite(dir.file("bytes.db"), OpenMode::create);
  conn->exec("CREATE TABLE files (id INTEGER PRIMARY KEY, body BLOB)");
  try {
    application_tables(*conn);
    ADD_FAILURE() << "a column of bytes was taken for text";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::internal);
    EXPECT_NE(std::string(e.what()).find("column body of table files"), std::string::npos)
        << e.what();
  }
}

TEST(DbCopy, CopiesEveryRowAndAuditsInTheTarget) {
  test::TestInstance src;
  add_accounts(*src.conn, 1, 50);
  src.conn->exec("INSERT INTO waitlist (email, email_key, created_at) VALUES ('a@x', 'a@x', 1)");
  src.conn->exec("DELETE FROM waitlist");  // its AUTOINCREMENT counter stays at 1
  Target dst;
  Quiet quiet;
  const auto summary = copy_database(*src.conn, dst.env, quiet, CopyOptions{7});
  EXPECT_FALSE(summary.resumed);
  for (const auto& t : summary.tables) {
    EXPECT_EQ(t.source_rows, t.target_rows) << t.table;
    EXPECT_EQ(t.copied, t.source_rows) << t.table;
  }
  EXPECT_EQ(rows_of(*dst.conn, "accounts"), rows_of(*src.conn, "accounts"));
  EXPECT_EQ(rows_of(*dst.conn, "follows"), rows_of(*src.conn, "follows"));
  EXPECT_EQ(rows_of(*dst.conn, "instance"), rows_of(*src.conn, "instance"));
  EXPECT_EQ(count(*dst.conn, "audit_log"), count(*src.conn, "audit_log") + 1);
  auto last = dst.conn->prepare("SELECT action, actor FROM audit_log ORDER BY id DESC LIMIT 1");
  ASSERT_TRUE(last->step());
  EXPECT_EQ(last->get_text(0), "db.copy");
  EXPECT_EQ(last->get_text(1), "cli:copier");
  EXPECT_FALSE(has_table(*dst.conn, "copy_progress"));
  EXPECT_TRUE(check_database(*dst.conn).empty());
  dst.conn->exec("INSERT INTO waitlist (email, email_key, created_at) VALUES ('b@x', 'b@x', 1)");
  EXPECT_EQ(dst.conn->last_insert_id(), 2) << "the waitlist never reuses an id";
}

TEST(DbCopy, ResumesAfterAnInterruption) {
  test::TestInstance src;
  add_accounts(*src.conn, 1, 60);
  Target dst;
  KillAfter kill(45);
  EXPECT_THROW(copy_database(*src.conn, dst.env, kill, CopyOptions{10}), std::runtime_error);
  EXPECT_TRUE(has_table(*dst.conn, "copy_progress"));
  EXPECT_EQ(count(*dst.conn, "instance"), 0) << "not an instance until finished";
  const auto copied_before = count(*dst.conn, "accounts");
  EXPECT_GT(copied_before, 0);
  Quiet quiet;
  const auto summary = copy_database(*src.conn, dst.env, quiet, CopyOptions{10});
  EXPECT_TRUE(summary.resumed);
  for (const auto& t : summary.tables) {
    if (t.table == "accounts") {
      EXPECT_EQ(t.copied, t.source_rows - copied_before);
    }
  }
  EXPECT_EQ(rows_of(*dst.conn, "accounts"), rows_of(*src.conn, "accounts"));
  EXPECT_EQ(rows_of(*dst.conn, "follows"), rows_of(*src.conn, "follows"));
  EXPECT_TRUE(check_database(*dst.conn).empty());
}

TEST(DbCopy, CopiesAgainWhatChangedDuringTheInterruption) {
  test::TestInstance src;
  add_accounts(*src.conn, 1, 60);
  Target dst;
  KillAfter kill(75);  // the accounts copied, the follows under way
  EXPECT_THROW(copy_database(*src.conn, dst.env, kill, CopyOptions{10}), std::runtime_error);
  src.conn->exec("UPDATE accounts SET display_name = 'changed' WHERE username = 'u3'");
  src.conn->exec("DELETE FROM accounts WHERE username = 'u5'");
  add_accounts(*src.conn, 61, 70);
  Quiet quiet;
  const auto summary = copy_database(*src.conn, dst.env, quiet, CopyOptions{10});
  for (const auto& t : summary.tables) {
    // The accounts changed under rows already copied: copied again, with the follows.
    if (t.table == "accounts" || t.table == "follows") {
      EXPECT_EQ(t.copied, t.source_rows) << t.table;
    }
  }
  EXPECT_EQ(rows_of(*dst.conn, "accounts"), rows_of(*src.conn, "accounts"));
  EXPECT_EQ(rows_of(*dst.conn, "follows"), rows_of(*src.conn, "follows"));
  EXPECT_TRUE(check_database(*dst.conn).empty());
}

TEST(DbCopy, StopsWhenCopiedAuditEntriesNoLongerMatch) {
  test::TestInstance src;
  add_accounts(*src.conn, 1, 30);
  Quiet quiet;
  Target whole;
  std::int64_t total = 0;
  for (const auto& t : copy_database(*src.conn, whole.env, quiet).tables) total += t.source_rows;
  Target dst;
  KillAfter kill(total);  // at the instance row, the last: every table copied
  EXPECT_THROW(copy_database(*src.conn, dst.env, kill, CopyOptions{5}), std::runtime_error);
  // Only a database edited behind instctl's back rewrites its audit log.
  src.conn->exec("DROP TRIGGER audit_log_no_update");
  src.conn->exec("UPDATE audit_log SET details = '{\"rewritten\":true}'");
  try {
    copy_database(*src.conn, dst.env, quiet, CopyOptions{5});
    ADD_FAILURE() << "a rewritten audit log was copied over the one already copied";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::conflict);
    EXPECT_NE(std::string(e.what()).find("audit_log"), std::string::npos) << e.what();
  }
  EXPECT_EQ(count(*dst.conn, "instance"), 0) << "still not an instance";
}

TEST(DbCopy, RefusesTargetsThatHoldData) {
  test::TestInstance src;
  test::TestInstance other;
  Quiet quiet;
  Env other_env{*other.conn, other.clock, "cli:test"};
  EXPECT_EQ(test::kind_of([&] { copy_database(*src.conn, other_env, quiet); }),
            ErrorKind::conflict);
  Target dst;
  copy_database(*src.conn, dst.env, quiet);
  EXPECT_EQ(test::kind_of([&] { copy_database(*src.conn, dst.env, quiet); }), ErrorKind::conflict);
  // An unfinished copy of another instance is not taken over.
  Target partial;
  KillAfter kill(3);
  EXPECT_THROW(copy_database(*other.conn, partial.env, kill, CopyOptions{1}), std::runtime_error);
  EXPECT_EQ(test::kind_of([&] { copy_database(*src.conn, partial.env, quiet); }),
            ErrorKind::conflict);
}

TEST(DbCopy, RefusesTheSourceItselfAndAnOldSchema) {
  test::TestInstance src;
  EXPECT_EQ(test::kind_of([&] { refuse_same_database(src.path(), src.path()); }),
            ErrorKind::conflict);
  EXPECT_NO_THROW(refuse_same_database(src.path(), src.dir.file("other.db")));
  src.conn->exec("PRAGMA user_version = 1");
  Target dst;
  Quiet quiet;
  try {
    copy_database(*src.conn, dst.env, quiet);
    ADD_FAILURE() << "an old schema was copied";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("db migrate"), std::string::npos) << e.what();
  }
}

TEST(DbCopy, RefusesTheSourceDatabaseUnderAnotherSpellingOfItsUri) {
  // The source's location is shown without its password: the target is compared the same way.
  const std::string source = "postgresql://instctl@db.internal:5432/instctl";
  for (const std::string target :
       {"postgresql://instctl:secret@db.internal:5432/instctl",
        "postgres://instctl@db.internal:5432/instctl",
        "postgresql://instctl@db.internal:5432/instctl?password=secret"}) {
    try {
      refuse_same_database(source, target);
      ADD_FAILURE() << target << " was taken for another database";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::conflict);
      EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << e.what();
    }
  }
  EXPECT_NO_THROW(refuse_same_database(source, "postgresql://instctl@db.internal:5432/moved"));
  EXPECT_NO_THROW(refuse_same_database("/var/lib/instctl/instance.db", source));
}

}  // namespace instctl::db
