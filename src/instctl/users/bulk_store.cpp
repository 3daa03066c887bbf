#include "instctl/users/bulk_store.hpp"

#include "instctl/users/validation.hpp"

namespace instctl::users {

namespace {
// Created before the statements that use it are prepared. The unqualified name finds the
// temporary table first on both SQLite and PostgreSQL.
db::Connection& with_key_table(db::Connection& db) {
  db.exec(std::string("CREATE TEMP TABLE IF NOT EXISTS import_keys (key TEXT PRIMARY KEY, line "
                      "BIGINT NOT NULL)") +
          (db.dialect() == db::Dialect::sqlite ? " WITHOUT ROWID" : "") +
          "; DELETE FROM import_keys");
  return db;
}
}  // namespace

BulkUserStore::BulkUserStore(db::Connection& db)
    : m_db(with_key_table(db)),
      // No RETURNING on the statements run for every row: SQLite buffers RETURNING rows in a
      // temporary table, which costs more than the insert itself.
      m_claim(db.prepare("INSERT INTO import_keys (key, line) VALUES (?, ?) "
                         "ON CONFLICT DO NOTHING")),
      m_claimed_by(db.prepare("SELECT line FROM import_keys WHERE key = ?")),
      m_insert(db.prepare(insert_local_sql(OnTaken::skip, Returning::nothing))),
      m_by_username(db.prepare("SELECT id, username, deleted_at IS NOT NULL FROM accounts "
                               "WHERE username_key = ? AND domain = ''")),
      m_by_email(db.prepare("SELECT id, username, deleted_at IS NOT NULL FROM accounts "
                            "WHERE email_key = ? AND domain = ''")),
      m_update(db.prepare(k_update_profile_sql)) {}

BulkUserStore::~BulkUserStore() {
  m_claim.reset();
  try {
    m_db.exec("DROP TABLE IF EXISTS import_keys");
  } catch (...) {
  }
}

void BulkUserStore::claim_key(const std::string& key, std::size_t line) {
  m_claim->reset();
  m_claim->bind_all(key, static_cast<std::int64_t>(line));
  m_claim->run();
  m_claim->reset();
  m_claims += static_cast<std::size_t>(m_db.changes());
}

std::size_t BulkUserStore::claimed_by(const std::string& key) {
  if (m_claims == 0) return 0;
  m_claimed_by->reset();
  m_claimed_by->bind_all(key);
  const std::size_t line = m_claimed_by->step() ? static_cast<std::size_t>(m_claimed_by->get_int(0)) : 0;
  m_claimed_by->reset();
  return line;
}

std::optional<std::int64_t> BulkUserStore::insert_unless_taken(const NewLocalUser& u, UnixTime now) {
  m_insert->reset();
  bind_insert_local(*m_insert, u, now);
  m_insert->run();
  m_insert->reset();
  if (m_db.changes() != 1) return std::nullopt;
  return m_db.last_insert_id();
}

std::optional<TakenBy> BulkUserStore::taken(db::Statement& st, const std::string& key) {
  st.reset();
  st.bind_all(key);
  if (!st.step()) return std::nullopt;
  TakenBy t{st.get_int(0), st.get_text(1), st.get_int(2) != 0};
  st.reset();
  return t;
}

std::optional<TakenBy> BulkUserStore::by_username(std::string_view username) {
  return taken(*m_by_username, username_key(username));
}

std::optional<TakenBy> BulkUserStore::by_email(std::string_view email) {
  return taken(*m_by_email, email_key(email));
}

void BulkUserStore::update_profile(std::int64_t id, const std::string& email,
                                   const std::optional<std::string>& display_name,
                                   const std::optional<Role>& role,
                                   const std::optional<std::string>& note, UnixTime now) {
  m_update->reset();
  bind_update_profile(*m_update, id, email, display_name, role, note, now);
  m_update->run();
  m_update->reset();
}

}  // namespace instctl::users
