// The baseline of bench_import.sh: the raw SQLite limit for a bulk import. Reads a simple CSV
// (username,email,display_name,role,note; no quoting) and inserts every row with one prepared
// statement in one transaction into a database created from the given schema (the same table,
// columns and indexes instctl writes), with the pragmas instctl uses.
//
//   import_baseline SCHEMA.sql DATABASE FILE.csv

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

static void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
}

static std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: import_baseline SCHEMA.sql DATABASE FILE.csv\n");
    return 2;
  }
  std::ifstream schema_file(argv[1]);
  std::stringstream schema;
  schema << schema_file.rdbuf();
  sqlite3* db = nullptr;
  check(sqlite3_open(argv[2], &db), db, "open");
  check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", nullptr, nullptr,
                     nullptr),
        db, "pragma");
  check(sqlite3_exec(db, schema.str().c_str(), nullptr, nullptr, nullptr), db, "schema");

  sqlite3_stmt* st = nullptr;
  check(
      sqlite3_prepare_v2(db,
                         "INSERT INTO accounts (username, username_key, domain, email, email_key, "
                         "display_name, note, role, approved, activation_token_hash, "
                         "activation_expires_at, created_at, updated_at) "
                         "VALUES (?, ?, '', ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
                         -1, &st, nullptr),
      db, "prepare");
  std::ifstream in(argv[3]);
  std::string line;
  std::getline(in, line);  // header
  const std::string token_hash(64, 'a');
  const sqlite3_int64 now = 1795846898;
  check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
  std::vector<std::string> f;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    f.clear();
    std::string cur;
    for (char c : line) {
      if (c == ',') {
        f.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    f.push_back(cur);
    if (f.size() != 5) continue;
    const std::string ukey = lower(f[0]);
    const std::string ekey = lower(f[1]);
    sqlite3_bind_text(st, 1, f[0].c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, ukey.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, f[1].c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, ekey.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, f[2].c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, f[4].c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, f[3].c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 8, token_hash.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 9, now + 7 * 86400);
    sqlite3_bind_int64(st, 10, now);
    sqlite3_bind_int64(st, 11, now);
    check(sqlite3_step(st), db, "insert");
    sqlite3_reset(st);
  }
  check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
  sqlite3_finalize(st);
  sqlite3_close(db);
  return 0;
}
