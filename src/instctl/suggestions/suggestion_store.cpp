#include "instctl/suggestions/suggestion_store.hpp"

#include "instctl/users/status_sql.hpp"

namespace instctl::suggestions {

bool SuggestionStore::exists(std::int64_t account_id) {
  auto st = m_db.prepare("SELECT 1 FROM account_suggestions WHERE account_id = ?");
  st->bind_all(account_id);
  return st->step();
}

void SuggestionStore::insert(std::int64_t account_id, const std::string& created_by, UnixTime now) {
  m_db.prepare(
          "INSERT INTO account_suggestions (account_id, created_by, created_at) VALUES (?, ?, ?)")
      ->bind_all(account_id, created_by, now)
      .run();
}

bool SuggestionStore::remove(std::int64_t account_id) {
  m_db.prepare("DELETE FROM account_suggestions WHERE account_id = ?")->bind_all(account_id).run();
  return m_db.changes() == 1;
}

std::vector<SuggestionRow> SuggestionStore::list() {
  auto st = m_db.prepare(
      "SELECT account_id, created_by, created_at FROM account_suggestions "
      "ORDER BY created_at, account_id");
  std::vector<SuggestionRow> out;
  while (st->step()) out.push_back({st->get_int(0), st->get_text(1), st->get_int(2)});
  return out;
}

std::vector<std::int64_t> SuggestionStore::active_for(std::int64_t viewer, std::int64_t limit) {
  auto st = m_db.prepare(
      std::string("SELECT s.account_id FROM account_suggestions s "
                  "JOIN accounts a ON a.id = s.account_id "
                  "WHERE a.domain = '' AND a.id <> ? AND ") +
      users::k_status_sql +
      " = 'active' AND a.id NOT IN (SELECT followed_id FROM follows WHERE follower_id = ?) "
      "ORDER BY s.created_at, s.account_id LIMIT ?");
  st->bind_all(viewer, viewer, limit);
  std::vector<std::int64_t> out;
  while (st->step()) out.push_back(st->get_int(0));
  return out;
}

}  // namespace instctl::suggestions
