#include "instctl/auth/session_store.hpp"

namespace instctl::auth {

void SessionStore::insert(std::string_view token_hash, std::int64_t account_id, UnixTime now,
                          UnixTime expires_at) {
  m_db.prepare(
          "INSERT INTO sessions (token_hash, account_id, created_at, expires_at) "
          "VALUES (?, ?, ?, ?)")
      ->bind_all(token_hash, account_id, now, expires_at)
      .run();
}

std::optional<std::int64_t> SessionStore::account_of(std::string_view token_hash, UnixTime now) {
  auto st = m_db.prepare("SELECT account_id FROM sessions WHERE token_hash = ? AND expires_at > ?");
  st->bind_all(token_hash, now);
  if (!st->step()) return std::nullopt;
  std::int64_t id = 0;
  st->read_all(id);
  return id;
}

void SessionStore::remove(std::string_view token_hash) {
  m_db.prepare("DELETE FROM sessions WHERE token_hash = ?")->bind_all(token_hash).run();
}

std::int64_t SessionStore::remove_all(std::int64_t account_id) {
  auto st = m_db.prepare("DELETE FROM sessions WHERE account_id = ? RETURNING id");
  st->bind_all(account_id);
  std::int64_t n = 0;
  while (st->step()) ++n;
  return n;
}

void SessionStore::prune(UnixTime now, UnixTime failures_before) {
  m_db.prepare("DELETE FROM sessions WHERE expires_at <= ?")->bind_all(now).run();
  m_db.prepare("DELETE FROM sign_in_failures WHERE first_failed_at < ? AND locked_until <= ?")
      ->bind_all(failures_before, now)
      .run();
}

std::optional<FailureCount> SessionStore::failures(std::string_view login_key) {
  auto st = m_db.prepare(
      "SELECT failures, first_failed_at, locked_until FROM sign_in_failures WHERE login_key = ?");
  st->bind_all(login_key);
  if (!st->step()) return std::nullopt;
  FailureCount f;
  st->read_all(f.failures, f.first_failed_at, f.locked_until);
  return f;
}

void SessionStore::save_failures(std::string_view login_key, const FailureCount& f) {
  m_db.prepare(
          "INSERT INTO sign_in_failures (login_key, failures, first_failed_at, locked_until) "
          "VALUES (?, ?, ?, ?) ON CONFLICT (login_key) DO UPDATE SET "
          "failures = excluded.failures, first_failed_at = excluded.first_failed_at, "
          "locked_until = excluded.locked_until")
      ->bind_all(login_key, f.failures, f.first_failed_at, f.locked_until)
      .run();
}

void SessionStore::clear_failures(std::string_view login_key) {
  m_db.prepare("DELETE FROM sign_in_failures WHERE login_key = ?")->bind_all(login_key).run();
}

}  // namespace instctl::auth
