#include "instctl/overview/usage.hpp"

#include "instctl/users/account_store.hpp"

namespace instctl::overview {

namespace {
constexpr std::int64_t k_day = 86400;
}  // namespace

Usage usage(db::Connection& db, UnixTime now) {
  users::AccountStore accounts(db);
  const auto members = accounts.member_activity(now - 30 * k_day, now - 180 * k_day);
  Usage u;
  u.users_total = members.total;
  u.active_month = members.active_month;
  u.active_halfyear = members.active_halfyear;
  u.known_domains = accounts.count_known_domains();
  return u;
}

}  // namespace instctl::overview
