#include "instctl/reports/report_store.hpp"

#include <algorithm>

#include "instctl/db/daily_series.hpp"

namespace instctl::reports {

namespace {

const char* const k_select =
    "SELECT r.id, r.status, r.category, r.target_account_id, "
    "CASE WHEN t.domain = '' THEN t.username ELSE t.username || '@' || t.domain END, "
    "r.reporter_account_id, CASE WHEN p.id IS NULL THEN r.reporter_uri WHEN p.domain = '' "
    "THEN p.username ELSE p.username || '@' || p.domain END, r.origin, r.comment, "
    "r.assigned_account_id, a.username, r.action_taken, r.activity_uri, r.forwarded_at, "
    "r.forward_activity_uri, r.resolved_at, r.resolved_by, r.created_at, r.updated_at "
    "FROM reports r JOIN accounts t ON t.id = r.target_account_id "
    "LEFT JOIN accounts p ON p.id = r.reporter_account_id "
    "LEFT JOIN accounts a ON a.id = r.assigned_account_id ";

Report read(db::Statement& st) {
  Report r;
  st.read_all(r.id, db::parsed(r.status, parse_status), db::parsed(r.category, parse_category),
              r.target_id, r.target, r.reporter_id, r.reporter, r.origin, r.comment, r.assigned_id,
              r.assigned_to, r.action_taken, r.activity_uri, r.forwarded_at, r.forward_activity_uri,
              r.resolved_at, r.resolved_by, r.created_at, r.updated_at);
  return r;
}

}  // namespace

std::int64_t ReportStore::insert(const NewReport& r, UnixTime now) {
  auto st = m_db.prepare(
      "INSERT INTO reports (category, target_account_id, reporter_account_id, reporter_uri, "
      "origin, comment, activity_uri, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "RETURNING id");
  st->bind_all(to_string(r.category), r.target_id, r.reporter_id, r.reporter_uri, r.origin,
               r.comment, r.activity_uri, now, now);
  st->step();
  const auto id = st->get_int(0);
  st->reset();
  auto rule = m_db.prepare("INSERT INTO report_rules (report_id, rule_id) VALUES (?, ?)");
  for (auto rule_id : r.rule_ids) {
    rule->bind_all(id, rule_id).run();
    rule->reset();
  }
  auto url =
      m_db.prepare("INSERT INTO report_statuses (report_id, position, url) VALUES (?, ?, ?)");
  for (std::size_t i = 0; i < r.status_urls.size(); ++i) {
    url->bind_all(id, static_cast<std::int64_t>(i), r.status_urls[i]).run();
    url->reset();
  }
  return id;
}

void ReportStore::load_lists(Report& r) {
  auto rules =
      m_db.prepare("SELECT rule_id FROM report_rules WHERE report_id = ? ORDER BY rule_id");
  rules->bind_all(r.id);
  while (rules->step()) r.rule_ids.push_back(rules->get_int(0));
  auto urls = m_db.prepare("SELECT url FROM report_statuses WHERE report_id = ? ORDER BY position");
  urls->bind_all(r.id);
  while (urls->step()) r.status_urls.push_back(urls->get_text(0));
}

std::optional<Report> ReportStore::by_id(std::int64_t id) {
  auto st = m_db.prepare(std::string(k_select) + "WHERE r.id = ?");
  st->bind_all(id);
  if (!st->step()) return std::nullopt;
  Report r = read(*st);
  st->reset();
  load_lists(r);
  return r;
}

std::optional<std::int64_t> ReportStore::by_activity(std::string_view activity_uri,
                                                     std::int64_t target_id) {
  auto st = m_db.prepare("SELECT id FROM reports WHERE activity_uri = ? AND target_account_id = ?");
  st->bind_all(activity_uri, target_id);
  if (!st->step()) return std::nullopt;
  return st->get_int(0);
}

std::vector<Report> ReportStore::list(const ListFilter& f) {
  std::string sql = std::string(k_select) + "WHERE 1=1";
  if (f.status) sql += " AND r.status = ?";
  if (f.target_id) sql += " AND r.target_account_id = ?";
  if (f.reporter_id) sql += " AND r.reporter_account_id = ?";
  if (f.assigned_id) sql += " AND r.assigned_account_id = ?";
  if (f.unassigned) sql += " AND r.assigned_account_id IS NULL";
  if (f.category) sql += " AND r.category = ?";
  if (f.origin) sql += f.origin == Origin::local ? " AND r.origin = ''" : " AND r.origin <> ''";
  if (f.created_after) sql += " AND r.created_at > ?";
  sql += " ORDER BY CASE WHEN r.status = 'open' THEN 0 ELSE 1 END, r.created_at, r.id";
  if (f.limit > 0) sql += " LIMIT ?";
  auto st = m_db.prepare(sql);
  int i = 0;
  if (f.status) st->bind(++i, std::string_view(to_string(*f.status)));
  if (f.target_id) st->bind(++i, *f.target_id);
  if (f.reporter_id) st->bind(++i, *f.reporter_id);
  if (f.assigned_id) st->bind(++i, *f.assigned_id);
  if (f.category) st->bind(++i, std::string_view(to_string(*f.category)));
  if (f.created_after) st->bind(++i, *f.created_after);
  if (f.limit > 0) st->bind(++i, f.limit);
  std::vector<Report> out;
  while (st->step()) out.push_back(read(*st));
  st->reset();
  for (auto& r : out) load_lists(r);
  return out;
}

std::int64_t ReportStore::count(Status s) {
  auto st = m_db.prepare("SELECT count(*) FROM reports WHERE status = ?");
  st->bind_all(to_string(s));
  st->step();
  return st->get_int(0);
}

Json ReportStore::created_per_day(UnixTime day0) {
  return db::daily_series(m_db, "SELECT created_at FROM reports WHERE created_at >= ?", day0);
}

std::optional<std::int64_t> ReportStore::claim_resolve(std::int64_t id,
                                                       std::string_view action_taken,
                                                       std::optional<std::int64_t> by_id,
                                                       std::string_view by_name, UnixTime now) {
  auto st = m_db.prepare(
      "UPDATE reports SET status = 'resolved', action_taken = ?, resolved_at = ?, "
      "resolved_by_account_id = ?, resolved_by = ?, updated_at = ? "
      "WHERE id = ? AND status = 'open' RETURNING target_account_id");
  st->bind_all(action_taken, now, by_id, by_name, now, id);
  if (!st->step()) return std::nullopt;
  const auto target = st->get_int(0);
  st->run();
  return target;
}

std::vector<std::int64_t> ReportStore::resolve_open_for(std::int64_t account_id,
                                                        std::string_view action_taken,
                                                        std::optional<std::int64_t> by_id,
                                                        std::string_view by_name, UnixTime now) {
  auto st = m_db.prepare(
      "UPDATE reports SET status = 'resolved', action_taken = ?, resolved_at = ?, "
      "resolved_by_account_id = ?, resolved_by = ?, updated_at = ? "
      "WHERE target_account_id = ? AND status = 'open' RETURNING id");
  st->bind_all(action_taken, now, by_id, by_name, now, account_id);
  std::vector<std::int64_t> ids;
  while (st->step()) ids.push_back(st->get_int(0));
  std::sort(ids.begin(), ids.end());
  return ids;
}

bool ReportStore::reopen(std::int64_t id, UnixTime now) {
  m_db.prepare(
          "UPDATE reports SET status = 'open', action_taken = NULL, resolved_at = NULL, "
          "resolved_by_account_id = NULL, resolved_by = NULL, updated_at = ? "
          "WHERE id = ? AND status = 'resolved'")
      ->bind_all(now, id)
      .run();
  return m_db.changes() == 1;
}

bool ReportStore::assign(std::int64_t id, std::optional<std::int64_t> account_id, UnixTime now) {
  m_db.prepare(
          "UPDATE reports SET assigned_account_id = ?, updated_at = ? "
          "WHERE id = ? AND assigned_account_id IS DISTINCT FROM ?")
      ->bind_all(account_id, now, id, account_id)
      .run();
  return m_db.changes() == 1;
}

bool ReportStore::mark_forwarded(std::int64_t id, const Json& activity, UnixTime now) {
  m_db.prepare(
          "UPDATE reports SET forwarded_at = ?, forward_activity_uri = ?, "
          "forward_activity = ?, updated_at = ? WHERE id = ? AND forwarded_at IS NULL")
      ->bind_all(now, activity.value("id", ""), activity.dump(), now, id)
      .run();
  return m_db.changes() == 1;
}

std::int64_t ReportStore::add_note(std::int64_t report_id, std::optional<std::int64_t> by_id,
                                   std::string_view by_name, std::string_view text, UnixTime now) {
  auto st = m_db.prepare(
      "INSERT INTO report_notes (report_id, author_account_id, author, text, created_at) "
      "VALUES (?, ?, ?, ?, ?) RETURNING id");
  st->bind_all(report_id, by_id, by_name, text, now);
  st->step();
  const auto id = st->get_int(0);
  st->reset();
  m_db.prepare("UPDATE reports SET updated_at = ? WHERE id = ?")->bind_all(now, report_id).run();
  return id;
}

std::vector<Note> ReportStore::notes(std::int64_t report_id) {
  auto st = m_db.prepare(
      "SELECT id, report_id, author, text, created_at FROM report_notes WHERE report_id = ? "
      "ORDER BY id");
  st->bind_all(report_id);
  std::vector<Note> out;
  while (st->step()) {
    out.push_back(
        Note{st->get_int(0), st->get_int(1), st->get_text(2), st->get_text(3), st->get_int(4)});
  }
  return out;
}

Json ReportStore::rules(std::int64_t report_id) {
  auto st = m_db.prepare(
      "SELECT r.id, r.text, r.removed_at IS NOT NULL FROM report_rules rr "
      "JOIN rules r ON r.id = rr.rule_id WHERE rr.report_id = ? ORDER BY r.id");
  st->bind_all(report_id);
  Json out = Json::array();
  while (st->step()) {
    out.push_back(
        Json{{"id", st->get_int(0)}, {"text", st->get_text(1)}, {"removed", st->get_int(2) != 0}});
  }
  return out;
}

}  // namespace instctl::reports
