#include "instctl/instance/rule_store.hpp"

namespace instctl::instance {

namespace {
Rule read(db::Statement& st) {
  return Rule{st.get_int(0), st.get_text(1), st.get_text(2), st.get_int(3)};
}
}  // namespace

std::vector<Rule> RuleStore::list() {
  auto st = m_db.prepare(
      "SELECT id, text, hint, created_at FROM rules WHERE removed_at IS NULL ORDER BY id");
  std::vector<Rule> out;
  while (st->step()) out.push_back(read(*st));
  return out;
}

std::optional<Rule> RuleStore::find(std::int64_t id) {
  auto st = m_db.prepare(
      "SELECT id, text, hint, created_at FROM rules WHERE id = ? AND removed_at IS NULL");
  st->bind_all(id);
  if (!st->step()) return std::nullopt;
  return read(*st);
}

std::int64_t RuleStore::insert(const std::string& text, const std::string& hint, UnixTime now) {
  auto st =
      m_db.prepare("INSERT INTO rules (text, hint, created_at) VALUES (?, ?, ?) RETURNING id");
  st->bind_all(text, hint, now);
  st->step();
  const auto id = st->get_int(0);
  st->reset();
  return id;
}

void RuleStore::mark_removed(std::int64_t id, UnixTime now) {
  m_db.prepare("UPDATE rules SET removed_at = ? WHERE id = ?")->bind_all(now, id).run();
}

}  // namespace instctl::instance
