#include "instctl/users/account_stats_store.hpp"

#include "instctl/db/daily_series.hpp"
#include "instctl/db/dialect.hpp"

namespace instctl::users {

namespace {
std::int64_t count(db::Connection& db, const char* sql) {
  auto st = db.prepare(sql);
  st->step();
  return st->get_int(0);
}
}  // namespace

std::int64_t AccountStatsStore::count_remote() {
  return count(m_db, "SELECT count(*) FROM accounts WHERE domain <> ''");
}

Json AccountStatsStore::signups_per_day(UnixTime day0) {
  return db::daily_series(
      m_db, "SELECT created_at FROM accounts WHERE domain = '' AND created_at >= ?", day0);
}

MemberCounts AccountStatsStore::members(UnixTime first, UnixTime second) {
  auto st = m_db.prepare(
      "SELECT count(*), "
      "coalesce(sum(CASE WHEN updated_at >= ? OR created_at >= ? THEN 1 ELSE 0 END), 0), "
      "coalesce(sum(CASE WHEN updated_at >= ? OR created_at >= ? THEN 1 ELSE 0 END), 0) "
      "FROM accounts WHERE domain = '' AND approved = 1 AND suspended_at IS NULL "
      "AND deleted_at IS NULL");
  st->bind_all(first, first, second, second);
  MemberCounts c;
  if (st->step()) st->read_all(c.total, c.changed_since_first, c.changed_since_second);
  return c;
}

std::int64_t AccountStatsStore::count_known_domains() {
  return count(m_db, "SELECT count(DISTINCT domain) FROM accounts WHERE domain <> ''");
}

std::vector<std::string> AccountStatsStore::known_domains() {
  std::vector<std::string> out;
  // GROUP BY, not DISTINCT: PostgreSQL sorts a DISTINCT list only by what it selects.
  auto st = m_db.prepare("SELECT domain FROM accounts WHERE domain <> '' GROUP BY domain ORDER BY " +
                         db::byte_order(m_db.dialect(), "domain"));
  while (st->step()) out.push_back(st->get_text(0));
  return out;
}

}  // namespace instctl::users
