#include "instctl/db/maintenance.hpp"

#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>

#include "instctl/core/error.hpp"
#include "instctl/db/sqlite_connection.hpp"

namespace instctl::db {

namespace {
using InvariantCheck = std::vector<std::string> (*)(Connection&);

std::vector<std::string> account_invariants(Connection& conn) {
  std::vector<std::string> problems;
  auto st = conn.prepare(
      "SELECT username FROM accounts WHERE domain = '' AND deleted_at IS NULL AND "
      "(email IS NULL OR email_key IS NULL OR email_key <> lower(email))");
  while (st->step()) {
    problems.push_back(
        fmt::format("account {}: email missing or its key out of date", st->get_text(0)));
  }
  return problems;
}

std::vector<std::string> report_invariants(Connection& conn) {
  std::vector<std::string> problems;
  auto st = conn.prepare(
      "SELECT id FROM reports WHERE (status = 'resolved') <> (action_taken IS NOT NULL) "
      "OR (status = 'resolved') <> (resolved_by IS NOT NULL)");
  while (st->step()) {
    problems.push_back(
        fmt::format("report {}: its status and resolution fields disagree", st->get_int(0)));
  }
  auto strikes = conn.prepare(
      "SELECT s.id FROM account_strikes s LEFT JOIN reports r ON r.id = s.report_id "
      "WHERE s.report_id IS NOT NULL AND (r.id IS NULL OR r.target_account_id <> s.account_id)");
  while (strikes->step()) {
    problems.push_back(fmt::format("strike {}: its report is missing or about another account",
                                   strikes->get_int(0)));
  }
  return problems;
}

std::vector<std::string> invite_invariants(Connection& conn) {
  std::vector<std::string> problems;
  auto st = conn.prepare("SELECT code, uses, max_uses FROM invites WHERE uses > max_uses");
  while (st->step()) {
    problems.push_back(fmt::format("invite {}: used {} times, more than its limit of {}",
                                   st->get_text(0), st->get_int(1), st->get_int(2)));
  }
  auto red = conn.prepare(
      "SELECT i.code, i.uses, count(a.id) FROM invites i JOIN accounts a ON a.invite_code = i.code "
      "AND a.domain = '' GROUP BY i.id HAVING count(a.id) > i.uses");
  while (red->step()) {
    problems.push_back(fmt::format("invite {}: {} accounts redeemed it but it counts {} uses",
                                   red->get_text(0), red->get_int(2), red->get_int(1)));
  }
  return problems;
}

std::vector<std::string> waitlist_invariants(Connection& conn) {
  std::vector<std::string> problems;
  // Admitted entries hold exactly one invite of their own, bound to their address.
  auto st = conn.prepare(
      "SELECT w.email, w.status FROM waitlist w LEFT JOIN invites i ON i.id = w.invite_id "
      "WHERE (w.status IN ('invited', 'joined') AND (w.invite_id IS NULL OR i.email_key <> "
      "w.email_key)) "
      "OR (w.status = 'waiting' AND w.invite_id IS NOT NULL)");
  while (st->step()) {
    problems.push_back(fmt::format("waitlist entry {} ({}): its invite is missing or not its own",
                                   st->get_text(0), st->get_text(1)));
  }
  // No entry admitted twice: each admission made one invite naming its entry.
  auto twice = conn.prepare(
      "SELECT waitlist_id, count(*), min(email) FROM invites WHERE waitlist_id IS NOT NULL "
      "GROUP BY waitlist_id HAVING count(*) > 1");
  while (twice->step()) {
    problems.push_back(fmt::format("waitlist entry {} ({}) admitted {} times", twice->get_int(0),
                                   twice->get_text(2), twice->get_int(1)));
  }
  return problems;
}

std::vector<std::string> federation_invariants(Connection& conn) {
  std::vector<std::string> problems;
  auto blocks =
      conn.prepare("SELECT domain FROM domain_blocks WHERE domain <> lower(domain) OR domain = ''");
  while (blocks->step()) {
    problems.push_back(fmt::format("domain block '{}': not in lower case", blocks->get_text(0)));
  }
  auto jobs = conn.prepare(
      "SELECT id FROM deliveries WHERE state = 'delivering' AND (lease_owner IS NULL OR "
      "lease_expires_at IS NULL)");
  while (jobs->step()) {
    problems.push_back(fmt::format("delivery {}: in flight without a lease", jobs->get_int(0)));
  }
  return problems;
}

// Suggested accounts and invites' autofollows are local accounts.
std::vector<std::string> suggestion_invariants(Connection& conn) {
  std::vector<std::string> problems;
  auto st = conn.prepare(
      "SELECT 'suggested account', a.username || '@' || a.domain FROM account_suggestions s "
      "JOIN accounts a ON a.id = s.account_id WHERE a.domain <> '' UNION ALL "
      "SELECT 'autofollow of invite ' || i.code, a.username || '@' || a.domain "
      "FROM invite_autofollows f JOIN invites i ON i.id = f.invite_id "
      "JOIN accounts a ON a.id = f.account_id WHERE a.domain <> ''");
  while (st->step()) {
    problems.push_back(fmt::format("{} {}: not a local account", st->get_text(0), st->get_text(1)));
  }
  return problems;
}

// Every feature's invariants.
const InvariantCheck k_invariant_checks[] = {account_invariants,    report_invariants,
                                             invite_invariants,     waitlist_invariants,
                                             federation_invariants, suggestion_invariants};
}  // namespace

void require_target_directory(const std::string& target_path) {
  const auto parent = std::filesystem::path(target_path).parent_path();
  if (parent.empty()) return;  // the current directory
  std::error_code ec;
  const auto status = std::filesystem::status(parent, ec);
  if (status.type() == std::filesystem::file_type::not_found) {
    throw Error(ErrorKind::usage,
                fmt::format("the directory {} does not exist: create it first (mkdir -p {}) or "
                            "give a path in an existing directory",
                            parent.string(), parent.string()));
  }
  if (!ec && !std::filesystem::is_directory(status)) {
    throw Error(ErrorKind::usage,
                fmt::format("{} is not a directory: give a path in a directory", parent.string()));
  }
}

void backup_sqlite(const std::string& source_path, const std::string& target_path) {
  require_target_directory(target_path);
  const std::string tmp = target_path + ".tmp";
  std::remove(tmp.c_str());
  sqlite3* src = nullptr;
  sqlite3* dst = nullptr;
  auto fail = [&](const std::string& what) {
    const std::string msg = fmt::format("backup to {} failed: {}", target_path, what);
    if (src) sqlite3_close(src);
    if (dst) sqlite3_close(dst);
    std::remove(tmp.c_str());
    throw Error(ErrorKind::internal, msg);
  };
  if (sqlite3_open_v2(source_path.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    fail(sqlite3_errmsg(src));
  }
  sqlite3_busy_timeout(src, 30000);
  {
    // Create the target private before SQLite writes anything into it.
    const mode_t old = umask(077);
    const int rc =
        sqlite3_open_v2(tmp.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    umask(old);
    if (rc != SQLITE_OK) fail(sqlite3_errmsg(dst));
  }
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
  if (b == nullptr) fail(sqlite3_errmsg(dst));
  // One step copies everything under one read transaction: a consistent snapshot, while WAL
  // lets writers go on.
  int rc;
  while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) fail(sqlite3_errstr(rc));
  // A backup is one self-contained file: no WAL beside it.
  sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
  sqlite3_close(dst);
  dst = nullptr;
  sqlite3_close(src);
  src = nullptr;
  if (std::rename(tmp.c_str(), target_path.c_str()) != 0)
    fail("could not rename the copy into place");
  chmod(target_path.c_str(), 0600);
}

namespace {
void sqlite_checks(Connection& conn, std::vector<std::string>& problems) {
  {
    auto st = conn.prepare("PRAGMA integrity_check");
    while (st->step()) {
      const auto line = st->get_text(0);
      if (line != "ok") problems.push_back("integrity: " + line);
    }
  }
  {
    auto st = conn.prepare("PRAGMA foreign_key_check");
    while (st->step()) {
      problems.push_back(fmt::format("foreign key: table {} row {} refers to a missing {} row",
                                     st->get_text(0), st->get_int(1), st->get_text(2)));
    }
  }
}

// PostgreSQL checks its own pages and enforces foreign keys as it writes; what is checked here
// is that no foreign key lost its row anyway (constraints disabled or dropped by hand, triggers
// turned off during a restore): every single-column foreign key of the schema, by an anti-join.
void postgres_checks(Connection& conn, std::vector<std::string>& problems) {
  struct ForeignKey {
    std::string table, column, parent, parent_column;
  };
  std::vector<ForeignKey> keys;
  {
    auto st = conn.prepare(
        "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, pa.attname "
        "FROM pg_constraint c "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1] "
        "WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 "
        "AND c.connamespace = current_schema()::regnamespace ORDER BY 1, 2");
    while (st->step())
      keys.push_back({st->get_text(0), st->get_text(1), st->get_text(2), st->get_text(3)});
  }
  for (const auto& k : keys) {
    auto st = conn.prepare(
        fmt::format("SELECT count(*) FROM {0} c WHERE c.{1} IS NOT NULL AND NOT EXISTS "
                    "(SELECT 1 FROM {2} p WHERE p.{3} = c.{1})",
                    k.table, k.column, k.parent, k.parent_column));
    st->step();
    if (const auto n = st->get_int(0); n > 0) {
      problems.push_back(fmt::format("foreign key: {} row(s) of table {} refer to a missing {} row",
                                     n, k.table, k.parent));
    }
  }
  auto invalid = conn.prepare(
      "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
      "WHERE NOT i.indisvalid AND c.relnamespace = current_schema()::regnamespace");
  while (invalid->step()) {
    problems.push_back(
        fmt::format("integrity: index {} is invalid (REINDEX it)", invalid->get_text(0)));
  }
}
}  // namespace

std::vector<std::string> check_database(Connection& conn) {
  std::vector<std::string> problems;
  if (conn.dialect() == Dialect::postgresql)
    postgres_checks(conn, problems);
  else
    sqlite_checks(conn, problems);
  for (auto check : k_invariant_checks) {
    for (auto& p : check(conn)) problems.push_back(std::move(p));
  }
  return problems;
}

}  // namespace instctl::db
