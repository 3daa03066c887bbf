#include <unordered_map>

#include "instctl/core/error.hpp"
#include "instctl/db/dialect.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/users/validation.hpp"

namespace instctl::users {

namespace {
// Created before the statements that use it are prepared. The unqualified name finds the
// temporary table first on both SQLite and PostgreSQL.
// Binds one row's values of a multi-row statement: parameter i of the row is parameter
// offset + i of the statement.
class RowParams final : public db::Statement {
 public:
  RowParams(db::Statement& st, int offset) : m_st(st), m_offset(offset) {}
  void bind(int i, std::int64_t v) override { m_st.bind(m_offset + i, v); }
  void bind(int i, std::string_view v) override { m_st.bind(m_offset + i, v); }
  void bind_null(int i) override { m_st.bind_null(m_offset + i); }
  bool step() override { return m_st.step(); }
  void reset() override { m_st.reset(); }
  bool is_null(int c) const override { return m_st.is_null(c); }
  std::int64_t get_int(int c) const override { return m_st.get_int(c); }
  std::string get_text(int c) const override { return m_st.get_text(c); }

 private:
  db::Statement& m_st;
  int m_offset;
};

std::string placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

db::Connection& with_key_table(db::Connection& db) {
  db.exec(std::string("CREATE TEMP TABLE IF NOT EXISTS import_keys (key TEXT PRIMARY KEY, line "
                      "BIGINT NOT NULL)") +
          (db.dialect() == db::Dialect::sqlite ? " WITHOUT ROWID" : "") +
          "; DELETE FROM import_keys");
  return db;
}
}  // namespace

AccountStore::Bulk::Bulk(db::Connection& db)
    : m_db(with_key_table(db)),
      m_returns_id(db::bulk_insert_returns_id(db.dialect())),
      m_claim(db.prepare("INSERT INTO import_keys (key, line) VALUES (?, ?) "
                         "ON CONFLICT DO NOTHING")),
      m_claimed_by(db.prepare("SELECT line FROM import_keys WHERE key = ?")),
      m_insert(db.prepare(
          insert_local_sql(OnTaken::skip, m_returns_id ? Returning::id : Returning::nothing))),
      m_by_username(db.prepare("SELECT id, username, deleted_at IS NOT NULL FROM accounts "
                               "WHERE username_key = ? AND domain = ''")),
      m_by_email(db.prepare("SELECT id, username, deleted_at IS NOT NULL FROM accounts "
                            "WHERE email_key = ? AND domain = ''")),
      m_update(db.prepare(k_update_profile_sql)) {}

AccountStore::Bulk::~Bulk() {
  m_claim.reset();
  m_insert_rows.reset();
  try {
    m_db.exec("DROP TABLE IF EXISTS import_keys");
  } catch (...) {
  }
}

void AccountStore::Bulk::claim_key(const std::string& key, std::size_t line) {
  m_claim->reset();
  m_claim->bind_all(key, static_cast<std::int64_t>(line));
  m_claim->run();
  m_claim->reset();
  m_claims += static_cast<std::size_t>(m_db.changes());
}

std::size_t AccountStore::Bulk::claimed_by(const std::string& key) {
  if (m_claims == 0) return 0;
  m_claimed_by->reset();
  m_claimed_by->bind_all(key);
  const std::size_t line =
      m_claimed_by->step() ? static_cast<std::size_t>(m_claimed_by->get_int(0)) : 0;
  m_claimed_by->reset();
  return line;
}

bool AccountStore::Bulk::any_claimed(const std::vector<std::string>& keys) {
  if (m_claims == 0 || keys.empty()) return false;
  auto st = m_db.prepare("SELECT 1 FROM import_keys WHERE key IN (" + placeholders(keys.size()) +
                         ") LIMIT 1");
  for (std::size_t i = 0; i < keys.size(); ++i) st->bind(static_cast<int>(i) + 1, keys[i]);
  return st->step();
}

std::optional<std::vector<std::int64_t>> AccountStore::Bulk::insert_all_or_none(
    const std::vector<const NewLocalUser*>& users, UnixTime now) {
  if (users.empty()) return std::vector<std::int64_t>{};
  if (m_insert_rows_count != users.size()) {
    m_insert_rows.reset();
    m_insert_rows =
        m_db.prepare(insert_local_sql(OnTaken::skip, Returning::id_and_key, users.size()));
    m_insert_rows_count = users.size();
  }
  auto& st = *m_insert_rows;
  st.reset();
  for (std::size_t i = 0; i < users.size(); ++i) {
    RowParams row(st, static_cast<int>(i) * k_insert_local_params);
    bind_insert_local(row, *users[i], now);
  }
  // A row that meets a taken key is left out by ON CONFLICT; then none may stay. Any other
  // failure also undoes the statement alone, so the caller can go row by row and meet it there.
  m_db.exec("SAVEPOINT import_rows");
  std::unordered_map<std::string, std::int64_t> ids_by_key;
  try {
    while (st.step()) ids_by_key.emplace(st.get_text(1), st.get_int(0));
  } catch (const Error&) {
    st.reset();
    m_db.exec("ROLLBACK TO SAVEPOINT import_rows; RELEASE SAVEPOINT import_rows");
    return std::nullopt;
  }
  st.reset();
  if (ids_by_key.size() != users.size()) {
    m_db.exec("ROLLBACK TO SAVEPOINT import_rows; RELEASE SAVEPOINT import_rows");
    return std::nullopt;
  }
  m_db.exec("RELEASE SAVEPOINT import_rows");
  std::vector<std::int64_t> ids;
  ids.reserve(users.size());
  for (const auto* u : users) ids.push_back(ids_by_key.at(username_key(u->username)));
  return ids;
}

std::optional<std::int64_t> AccountStore::Bulk::insert_unless_taken(const NewLocalUser& u,
                                                                    UnixTime now) {
  m_insert->reset();
  bind_insert_local(*m_insert, u, now);
  if (m_returns_id) {
    std::optional<std::int64_t> id;
    if (m_insert->step()) id = m_insert->get_int(0);
    m_insert->reset();
    return id;
  }
  m_insert->run();
  m_insert->reset();
  if (m_db.changes() != 1) return std::nullopt;
  return m_db.last_insert_id();
}

std::optional<TakenBy> AccountStore::Bulk::taken(db::Statement& st, const std::string& key) {
  st.reset();
  st.bind_all(key);
  if (!st.step()) return std::nullopt;
  TakenBy t{st.get_int(0), st.get_text(1), st.get_int(2) != 0};
  st.reset();
  return t;
}

std::optional<TakenBy> AccountStore::Bulk::by_username(std::string_view username) {
  return taken(*m_by_username, username_key(username));
}

std::optional<TakenBy> AccountStore::Bulk::by_email(std::string_view email) {
  return taken(*m_by_email, email_key(email));
}

void AccountStore::Bulk::update_profile(std::int64_t id, const std::string& email,
                                        const std::optional<std::string>& display_name,
                                        const std::optional<Role>& role,
                                        const std::optional<std::string>& note, UnixTime now) {
  m_update->reset();
  bind_update_profile(*m_update, id, email, display_name, role, note, now);
  m_update->run();
  m_update->reset();
}

}  // namespace instctl::users
