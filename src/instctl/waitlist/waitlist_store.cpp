#include "instctl/waitlist/waitlist_store.hpp"

#include <algorithm>

#include "instctl/db/daily_series.hpp"
#include "instctl/users/validation.hpp"

namespace instctl::waitlist {

namespace {

const char* const k_queue_order = "priority DESC, created_at, id";

// The columns of an entry, then its position (NULL unless waiting and confirmed) as column 15.
const char* const k_columns =
    "w.id, w.email, w.username, w.reason, w.source, w.priority, w.status, w.invite_id, i.code, "
    "w.reject_reason, w.invited_at, w.joined_at, w.rejected_at, w.created_at, w.confirmed_at";

// The entries in line: waiting, with a confirmed address.
const char* const k_in_line = "status = 'waiting' AND confirmed_at IS NOT NULL";

Entry read_entry(db::Statement& st) {
  Entry e;
  st.read_all(e.id, e.email, e.username, e.reason, e.source, e.priority,
              db::parsed(e.status, parse_status), e.invite_id, e.invite_code, e.reject_reason,
              e.invited_at, e.joined_at, e.rejected_at, e.created_at, e.confirmed_at, e.position);
  return e;
}

}  // namespace

std::int64_t WaitlistStore::insert(const NewEntry& e, UnixTime now) {
  auto st = m_db.prepare(
      "INSERT INTO waitlist (email, email_key, username, reason, source, priority, created_at, "
      "confirmed_at, confirm_token_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  st->bind_all(e.email, users::email_key(e.email), e.username, e.reason, e.source, e.priority, now,
               e.confirmed_at, e.confirm_token_hash);
  st->step();
  const auto id = st->get_int(0);
  st->reset();
  return id;
}

std::optional<Entry> WaitlistStore::one(const std::string& where, std::string_view arg,
                                        std::int64_t id) {
  // The position counts the waiting entries ahead in queue order, plus one.
  auto st = m_db.prepare(
      std::string("SELECT ") + k_columns +
      ", CASE WHEN w.status = 'waiting' AND w.confirmed_at IS NOT NULL THEN (SELECT count(*) + 1 "
      "FROM waitlist x WHERE x.status = 'waiting' AND x.confirmed_at IS NOT NULL AND "
      "(x.priority > w.priority OR (x.priority = w.priority AND "
      "(x.created_at < w.created_at OR (x.created_at = w.created_at AND x.id < w.id))))) END "
      "FROM waitlist w LEFT JOIN invites i ON i.id = w.invite_id WHERE " +
      where);
  if (arg.empty())
    st->bind_all(id);
  else
    st->bind_all(arg);
  if (!st->step()) return std::nullopt;
  return read_entry(*st);
}

std::optional<Entry> WaitlistStore::by_id(std::int64_t id) { return one("w.id = ?", "", id); }

std::optional<Entry> WaitlistStore::by_email_key(std::string_view key) {
  if (key.empty()) return std::nullopt;
  return one("w.email_key = ?", key, 0);
}

std::vector<Entry> WaitlistStore::list(std::optional<EntryStatus> status, std::int64_t limit) {
  return list_where(status, limit, false);
}

std::vector<Entry> WaitlistStore::in_line(std::int64_t limit) {
  return list_where(EntryStatus::waiting, limit, true);
}

std::vector<Entry> WaitlistStore::list_where(std::optional<EntryStatus> status, std::int64_t limit,
                                             bool in_line) {
  std::string sql = std::string("WITH q AS (SELECT id, row_number() OVER (ORDER BY ") +
                    k_queue_order + ") AS pos FROM waitlist WHERE " + k_in_line + ") SELECT " +
                    k_columns +
                    ", q.pos FROM waitlist w LEFT JOIN q ON q.id = w.id "
                    "LEFT JOIN invites i ON i.id = w.invite_id";
  if (status) sql += " WHERE w.status = ?";
  if (in_line) sql += " AND w.confirmed_at IS NOT NULL";
  sql += " ORDER BY w.priority DESC, w.created_at, w.id";
  if (limit > 0) sql += " LIMIT ?";
  auto st = m_db.prepare(sql);
  int i = 0;
  if (status) st->bind(++i, std::string_view(to_string(*status)));
  if (limit > 0) st->bind(++i, limit);
  std::vector<Entry> out;
  while (st->step()) out.push_back(read_entry(*st));
  return out;
}

std::vector<Claimed> WaitlistStore::claim_next(std::int64_t n, UnixTime now) {
  auto st = m_db.prepare(
      std::string("UPDATE waitlist SET status = 'invited', invited_at = ? WHERE ") + k_in_line +
      " AND id IN (SELECT id FROM waitlist WHERE " + k_in_line + " ORDER BY " + k_queue_order +
      " LIMIT ?) RETURNING id, email, priority, created_at");
  st->bind_all(now, n);
  struct Row {
    Claimed c;
    std::int64_t priority;
    UnixTime created_at;
  };
  std::vector<Row> rows;
  while (st->step())
    rows.push_back({{st->get_int(0), st->get_text(1)}, st->get_int(2), st->get_int(3)});
  // RETURNING gives no order: put them back in queue order.
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.priority != b.priority) return a.priority > b.priority;
    if (a.created_at != b.created_at) return a.created_at < b.created_at;
    return a.c.id < b.c.id;
  });
  std::vector<Claimed> out;
  for (auto& r : rows) out.push_back(std::move(r.c));
  return out;
}

bool WaitlistStore::claim(std::int64_t id, UnixTime now) {
  m_db.prepare(
          std::string("UPDATE waitlist SET status = 'invited', invited_at = ? WHERE id = ? AND ") +
          k_in_line)
      ->bind_all(now, id)
      .run();
  return m_db.changes() == 1;
}

void WaitlistStore::set_invite(std::int64_t id, std::int64_t invite_id) {
  m_db.prepare("UPDATE waitlist SET invite_id = ? WHERE id = ?")->bind_all(invite_id, id).run();
}

bool WaitlistStore::reject(std::int64_t id, const std::optional<std::string>& reason,
                           UnixTime now) {
  m_db.prepare(
          "UPDATE waitlist SET status = 'rejected', reject_reason = ?, rejected_at = ? "
          "WHERE id = ? AND status = 'waiting'")
      ->bind_all(reason, now, id)
      .run();
  return m_db.changes() == 1;
}

bool WaitlistStore::remove(std::int64_t id) {
  m_db.prepare("DELETE FROM waitlist WHERE id = ?")->bind_all(id).run();
  return m_db.changes() == 1;
}

void WaitlistStore::mark_joined(std::int64_t invite_id, UnixTime now) {
  m_db.prepare(
          "UPDATE waitlist SET status = 'joined', joined_at = ? WHERE invite_id = ? AND status = "
          "'invited'")
      ->bind_all(now, invite_id)
      .run();
}

std::pair<ConfirmState, std::optional<Entry>> WaitlistStore::by_confirm_token(
    std::string_view token_hash, UnixTime cutoff) {
  auto e = one("w.confirm_token_hash = ?", token_hash, 0);
  if (!e) return {ConfirmState::unknown, std::nullopt};
  if (e->confirmed_at) return {ConfirmState::confirmed, e};
  if (e->created_at <= cutoff || e->status != EntryStatus::waiting)
    return {ConfirmState::expired, e};
  return {ConfirmState::usable, e};
}

std::optional<std::int64_t> WaitlistStore::confirm(std::string_view token_hash, UnixTime now,
                                                   UnixTime cutoff) {
  auto st = m_db.prepare(
      "UPDATE waitlist SET confirmed_at = ? WHERE confirm_token_hash = ? AND confirmed_at IS NULL "
      "AND status = 'waiting' AND created_at > ? RETURNING id");
  st->bind_all(now, token_hash, cutoff);
  if (!st->step()) return std::nullopt;
  const auto id = st->get_int(0);
  st->reset();
  return id;
}

std::vector<std::string> WaitlistStore::purge_unconfirmed(UnixTime cutoff,
                                                          std::optional<std::string> email_key) {
  std::string sql =
      "DELETE FROM waitlist WHERE status = 'waiting' AND confirmed_at IS NULL AND created_at <= ?";
  if (email_key) sql += " AND email_key = ?";
  auto st = m_db.prepare(sql + " RETURNING email");
  st->bind(1, cutoff);
  if (email_key) st->bind(2, std::string_view(*email_key));
  std::vector<std::string> out;
  while (st->step()) out.push_back(st->get_text(0));
  std::sort(out.begin(), out.end());
  return out;
}

namespace {
std::vector<UnixTime> times(db::Connection& db, const char* sql, UnixTime since) {
  auto st = db.prepare(sql);
  st->bind_all(since);
  std::vector<UnixTime> out;
  while (st->step()) out.push_back(st->get_int(0));
  return out;
}
}  // namespace

std::vector<UnixTime> WaitlistStore::joined_list_since(UnixTime since) {
  return times(m_db, "SELECT created_at FROM waitlist WHERE created_at >= ?", since);
}

std::vector<UnixTime> WaitlistStore::registered_since(UnixTime since) {
  return times(
      m_db, "SELECT joined_at FROM waitlist WHERE joined_at IS NOT NULL AND joined_at >= ?", since);
}

std::int64_t WaitlistStore::count_unconfirmed() {
  auto st = m_db.prepare(
      "SELECT count(*) FROM waitlist WHERE status = 'waiting' AND confirmed_at IS NULL");
  st->step();
  return st->get_int(0);
}

std::map<std::string, std::int64_t> WaitlistStore::count_by_status() {
  std::map<std::string, std::int64_t> out{
      {"waiting", 0}, {"invited", 0}, {"joined", 0}, {"rejected", 0}};
  auto st = m_db.prepare("SELECT status, count(*) FROM waitlist GROUP BY status");
  while (st->step()) out[st->get_text(0)] = st->get_int(1);
  return out;
}

Json WaitlistStore::joins_per_day(UnixTime day0) {
  return db::daily_series(m_db, "SELECT created_at FROM waitlist WHERE created_at >= ?", day0);
}

Json WaitlistStore::registered_per_day(UnixTime day0) {
  return db::daily_series(
      m_db, "SELECT joined_at FROM waitlist WHERE joined_at IS NOT NULL AND joined_at >= ?", day0);
}

}  // namespace instctl::waitlist
