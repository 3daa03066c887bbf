#include "instctl/audit/audit_store.hpp"

#include "instctl/db/row_batches.hpp"

namespace instctl::audit {

void AuditStore::insert(std::string_view actor, std::string_view action, std::string_view target,
                        const Json& details, UnixTime now) {
  insert_text(actor, action, target, details.dump(), now);
}

void AuditStore::insert_text(std::string_view actor, std::string_view action,
                             std::string_view target, std::string_view details, UnixTime now) {
  m_db.prepare(
          "INSERT INTO audit_log (actor, action, target, details, created_at) "
          "VALUES (?, ?, ?, ?, ?)")
      ->bind_all(actor, action, target, details, now)
      .run();
}

void AuditStore::insert_texts(std::string_view actor, const std::vector<TextEntry>& rows,
                              UnixTime now) {
  db::write_rows(m_db, "INSERT INTO audit_log (actor, action, target, details, created_at) VALUES",
                 "(?, ?, ?, ?, ?)", "", rows.size(),
                 [&](db::Statement& st, int first, std::size_t i) {
                   st.bind_from(first, actor, rows[i].action, rows[i].target, rows[i].details, now);
                 });
}

std::vector<Entry> AuditStore::list(const Filter& f) {
  std::string sql =
      "SELECT id, actor, action, target, details, created_at FROM audit_log WHERE 1=1";
  if (f.actor) sql += " AND actor = ?";
  const bool action_prefix = f.action && !f.action->empty() && f.action->back() == '.';
  if (f.action) sql += action_prefix ? " AND substr(action, 1, ?) = ?" : " AND action = ?";
  if (f.target) sql += " AND target = ?";
  if (f.since) sql += " AND created_at >= ?";
  sql += " ORDER BY id DESC";
  if (f.limit > 0) sql += " LIMIT ?";
  auto st = m_db.prepare(sql);
  int i = 0;
  if (f.actor) st->bind(++i, *f.actor);
  if (f.action) {
    if (action_prefix) st->bind(++i, static_cast<std::int64_t>(f.action->size()));
    st->bind(++i, *f.action);
  }
  if (f.target) st->bind(++i, *f.target);
  if (f.since) st->bind(++i, *f.since);
  if (f.limit > 0) st->bind(++i, f.limit);
  std::vector<Entry> out;
  while (st->step()) {
    Entry e;
    st->read_all(e.id, e.actor, e.action, e.target);
    e.details = Json::parse(st->get_text(4), nullptr, false);
    if (e.details.is_discarded()) e.details = Json::object();
    e.created_at = st->get_int(5);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace instctl::audit
