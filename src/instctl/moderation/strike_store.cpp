#include "instctl/moderation/strike_store.hpp"

namespace instctl::moderation {

std::int64_t StrikeStore::insert(std::int64_t account_id, Action action, std::string_view text,
                                 std::optional<std::int64_t> report_id, const Moderator& by,
                                 UnixTime now) {
  auto st = m_db.prepare(
      "INSERT INTO account_strikes (account_id, action, text, report_id, moderator_account_id, "
      "moderator, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
  st->bind_all(account_id, to_string(action), text, report_id, by.account_id, by.name, now);
  st->step();
  const auto id = st->get_int(0);
  st->reset();
  return id;
}

std::vector<Strike> StrikeStore::query(std::string_view where, std::int64_t arg) {
  auto st = m_db.prepare(
      std::string("SELECT s.id, s.account_id, CASE WHEN a.domain = '' THEN a.username "
                  "ELSE a.username || '@' || a.domain END, s.action, s.text, s.report_id, "
                  "s.moderator, s.created_at FROM account_strikes s "
                  "JOIN accounts a ON a.id = s.account_id ") +
      std::string(where) + " ORDER BY s.id");
  st->bind_all(arg);
  std::vector<Strike> out;
  while (st->step()) {
    Strike s;
    st->read_all(s.id, s.account_id, s.account, db::parsed(s.action, parse_resolve_action), s.text,
                 s.report_id, s.moderator, s.created_at);
    out.push_back(std::move(s));
  }
  return out;
}

std::optional<Strike> StrikeStore::by_id(std::int64_t id) {
  auto all = query("WHERE s.id = ?", id);
  if (all.empty()) return std::nullopt;
  return all.front();
}

std::vector<Strike> StrikeStore::for_account(std::int64_t account_id) {
  return query("WHERE s.account_id = ?", account_id);
}

}  // namespace instctl::moderation
