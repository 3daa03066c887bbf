#include "instctl/instance/usage.hpp"

#include "instctl/db/dialect.hpp"

namespace instctl::instance {

namespace {
constexpr const char* k_members =
    "SELECT count(*), "
    "coalesce(sum(CASE WHEN updated_at >= ? OR created_at >= ? THEN 1 ELSE 0 END), 0), "
    "coalesce(sum(CASE WHEN updated_at >= ? OR created_at >= ? THEN 1 ELSE 0 END), 0) "
    "FROM accounts WHERE domain = '' AND approved = 1 AND suspended_at IS NULL "
    "AND deleted_at IS NULL";
constexpr std::int64_t k_day = 86400;
}  // namespace

Usage usage(db::Connection& db, UnixTime now) {
  Usage u;
  const UnixTime month = now - 30 * k_day;
  const UnixTime halfyear = now - 180 * k_day;
  auto st = db.prepare(k_members);
  st->bind_all(month, month, halfyear, halfyear);
  if (st->step()) {
    u.users_total = st->get_int(0);
    u.active_month = st->get_int(1);
    u.active_halfyear = st->get_int(2);
  }
  auto domains = db.prepare("SELECT count(DISTINCT domain) FROM accounts WHERE domain <> ''");
  if (domains->step()) u.known_domains = domains->get_int(0);
  return u;
}

std::vector<std::string> known_domains(db::Connection& db) {
  std::vector<std::string> out;
  // GROUP BY, not DISTINCT: PostgreSQL sorts a DISTINCT list only by what it selects.
  auto st = db.prepare("SELECT domain FROM accounts WHERE domain <> '' GROUP BY domain ORDER BY " +
                       db::byte_order(db.dialect(), "domain"));
  while (st->step()) out.push_back(st->get_text(0));
  return out;
}

}  // namespace instctl::instance
