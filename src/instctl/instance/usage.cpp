#include "instctl/instance/usage.hpp"

#include "instctl/users/account_store.hpp"

namespace instctl::instance {

namespace {
constexpr std::int64_t k_day = 86400;
}  // namespace

Usage usage(db::Connection& db, UnixTime now) {
  Usage u;
  users::AccountStore store(db);
  const auto members = store.member_activity(now - 30 * k_day, now - 180 * k_day);
  u.users_total = members.total;
  u.active_month = members.active_month;
  u.active_halfyear = members.active_halfyear;
  u.known_domains = store.count_known_domains();
  return u;
}

std::vector<std::string> known_domains(db::Connection& db) {
  return users::AccountStore(db).known_domains();
}

}  // namespace instctl::instance
