#include "instctl/instance/stats.hpp"

#include "instctl/federation/delivery_store.hpp"
#include "instctl/mail/mail_store.hpp"
#include "instctl/reports/report_store.hpp"
#include "instctl/email_blocks/email_block_store.hpp"
#include "instctl/invites/invite_store.hpp"
#include "instctl/mail/mail_store.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/waitlist/waitlist_store.hpp"
#include "instctl/util/time.hpp"

namespace instctl::instance {

namespace {
constexpr int k_days = 30;

void user_section(db::Connection& db, const StatsWindow& w, Json& counts, Json& daily) {
  users::AccountStore store(db);
  Json by_status = Json::object();
  std::int64_t total = 0;
  for (auto s : {users::Status::active, users::Status::pending, users::Status::suspended,
                 users::Status::silenced, users::Status::disabled, users::Status::deleted}) {
    const auto n = store.count_local_by_status(s);
    by_status[users::to_string(s)] = n;
    total += n;
  }
  counts["users"] = by_status;
  counts["users_total"] = total;
  counts["remote_accounts"] = store.count_remote();
  if (w.daily) daily["signups"] = daily_series(store.local_created_since(w.day0), w.day0);
}

void report_section(db::Connection& db, const StatsWindow& w, Json& counts, Json& daily) {
  reports::ReportStore store(db);
  counts["reports"] = Json{{"open", store.count(reports::Status::open)},
                           {"resolved", store.count(reports::Status::resolved)}};
  add_daily(daily, "reports", db, "SELECT created_at FROM reports WHERE created_at >= ?", w);
}

void invite_section(db::Connection& db, const StatsWindow& w, Json& counts, Json&) {
  invites::InviteStore store(db);
  Json by_status = Json::object();
  for (auto s : {invites::InviteStatus::active, invites::InviteStatus::expired,
                 invites::InviteStatus::exhausted, invites::InviteStatus::revoked}) {
    by_status[invites::to_string(s)] = store.count(s, w.now);
  }
  counts["invites"] = by_status;
}

void waitlist_section(db::Connection& db, const StatsWindow& w, Json& counts, Json& daily) {
  Json by_status = Json::object();
  for (const auto& [k, v] : waitlist::WaitlistStore(db).count_by_status()) by_status[k] = v;
  counts["waitlist"] = by_status;
  counts["blocked_email_domains"] = email_blocks::EmailBlockStore(db).count();
  add_daily(daily, "waitlist_joins", db, "SELECT created_at FROM waitlist WHERE created_at >= ?", w);
}

void federation_section(db::Connection& db, const StatsWindow& w, Json& counts, Json&) {
  auto count = [&db](const char* sql) {
    auto st = db.prepare(sql);
    st->step();
    return st->get_int(0);
  };
  counts["blocked_domains"] = count("SELECT count(*) FROM domain_blocks");
  counts["known_peers"] = count("SELECT count(*) FROM peers");
  federation::DeliveryStore deliveries(db);
  const auto by_state = deliveries.count_by_state();
  counts["queued_deliveries"] = by_state.at("pending") + by_state.at("delivering");
  counts["dead_deliveries"] = by_state.at("dead");
  counts["deliveries"] = by_state;
  const auto oldest = deliveries.oldest_queued();
  counts["oldest_delivery_age"] = oldest ? std::max<UnixTime>(0, w.now - *oldest) : 0;
  counts["failing_peers"] = deliveries.count_failing_peers();
}

// Mails by kind and state (what waits to be sent, what went), the whole queue by state with
// "failing" (unsent after a failed attempt), and the attempts that failed.
void mail_section(db::Connection& db, const StatsWindow&, Json& counts, Json&) {
  mail::MailStore store(db);
  Json by_kind = Json::object();
  for (const auto& [kind, states] : store.count_by_kind()) by_kind[kind] = states;
  counts["mails"] = by_kind;
  Json by_state = store.count_by_state();
  by_state["failing"] = store.count_failing();
  counts["mail_queue"] = by_state;
  counts["mail_failed_attempts"] = store.failed_attempts();
}

// Every feature's section, in the order `instctl stats` shows them.
const StatsSection k_sections[] = {user_section, invite_section, waitlist_section,
                                   report_section, federation_section, mail_section};

Json collect(db::Connection& db, UnixTime now, bool with_daily) {
  const UnixTime today = now - (now % 86400);
  const UnixTime day0 = today - (k_days - 1) * 86400;
  Json counts = Json::object();
  Json daily = Json::object();
  const StatsWindow window{day0, now, with_daily};
  for (auto section : k_sections) section(db, window, counts, daily);
  if (!with_daily) return counts;
  Json days = Json::array();
  for (int i = 0; i < k_days; ++i) days.push_back(util::format_date(day0 + i * 86400));
  return Json{{"counts", counts}, {"daily", daily}, {"days", days}};
}
}  // namespace

Json daily_series(const std::vector<UnixTime>& times, UnixTime day0) {
  std::vector<std::int64_t> buckets(k_days, 0);
  for (const auto t : times) {
    const auto day = (t - day0) / 86400;
    if (day >= 0 && day < k_days) ++buckets[static_cast<std::size_t>(day)];
  }
  return Json(buckets);
}

Json daily_series(db::Connection& db, const std::string& sql, UnixTime day0) {
  std::vector<UnixTime> times;
  auto st = db.prepare(sql);
  st->bind_all(day0);
  while (st->step()) times.push_back(st->get_int(0));
  return daily_series(times, day0);
}

void add_daily(Json& daily, const char* name, db::Connection& db, const std::string& sql,
               const StatsWindow& w) {
  if (w.daily) daily[name] = daily_series(db, sql, w.day0);
}

Json collect_stats(db::Connection& db, UnixTime now) { return collect(db, now, true); }

Json collect_counts(db::Connection& db, UnixTime now) { return collect(db, now, false); }

}  // namespace instctl::instance
