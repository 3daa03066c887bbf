#include "instctl/overview/stats.hpp"

#include "instctl/db/daily_series.hpp"
#include "instctl/email_blocks/email_block_store.hpp"
#include "instctl/federation/delivery_store.hpp"
#include "instctl/federation/domain_store.hpp"
#include "instctl/federation/peer_store.hpp"
#include "instctl/invites/invite_store.hpp"
#include "instctl/mail/mail_store.hpp"
#include "instctl/reports/report_store.hpp"
#include "instctl/subscriptions/subscription_store.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/util/time.hpp"
#include "instctl/waitlist/waitlist_store.hpp"

namespace instctl::overview {

namespace {
constexpr int k_days = db::k_series_days;

// The time a section counts at: `now` for states that depend on the time (an invite is
// expired when its expires_at <= now, the rule `invites list --status expired` applies too),
// `day0` (the Unix time of the oldest day's midnight) for the daily series.
struct StatsWindow {
  UnixTime day0 = 0;
  UnixTime now = 0;
  bool daily = true;  // false: sections add no daily series
};

// A feature's contribution: adds keys to `counts` and series to `daily` (30 entries, oldest
// first).
using StatsSection = void (*)(db::Connection& db, const StatsWindow& w, Json& counts, Json& daily);

// A daily series under `name`, asked of the store only when the window has daily series.
template <typename Series>
void add_daily(Json& daily, const char* name, const StatsWindow& w, Series series) {
  if (w.daily) daily[name] = series(w.day0);
}

void user_section(db::Connection& db, const StatsWindow& w, Json& counts, Json& daily) {
  users::AccountStore store(db);
  Json by_status = Json::object();
  std::int64_t total = 0;
  for (const auto& [s, n] : store.count_local_by_status()) {
    by_status[users::to_string(s)] = n;
    total += n;
  }
  counts["users"] = by_status;
  counts["users_total"] = total;
  counts["remote_accounts"] = store.count_remote();
  add_daily(daily, "signups", w, [&](UnixTime day0) { return store.signups_per_day(day0); });
}

void report_section(db::Connection& db, const StatsWindow& w, Json& counts, Json& daily) {
  reports::ReportStore store(db);
  counts["reports"] = Json{{"open", store.count(reports::Status::open)},
                           {"resolved", store.count(reports::Status::resolved)}};
  add_daily(daily, "reports", w, [&](UnixTime day0) { return store.created_per_day(day0); });
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
  waitlist::WaitlistStore store(db);
  Json by_status = Json::object();
  for (const auto& [k, v] : store.count_by_status()) by_status[k] = v;
  counts["waitlist"] = by_status;
  counts["blocked_email_domains"] = email_blocks::EmailBlockStore(db).count();
  add_daily(daily, "waitlist_joins", w, [&](UnixTime day0) { return store.joins_per_day(day0); });
}

void federation_section(db::Connection& db, const StatsWindow& w, Json& counts, Json&) {
  counts["blocked_domains"] = federation::DomainStore(db).count_blocks();
  counts["known_peers"] = federation::PeerStore(db).count();
  federation::DeliveryStore deliveries(db);
  const auto by_state = deliveries.count_by_state();
  counts["queued_deliveries"] = by_state.at("pending") + by_state.at("delivering");
  counts["dead_deliveries"] = by_state.at("dead");
  counts["deliveries"] = by_state;
  const auto oldest = deliveries.oldest_queued();
  counts["oldest_delivery_age"] = oldest ? std::max<UnixTime>(0, w.now - *oldest) : 0;
  counts["failing_peers"] = deliveries.count_failing_peers();
}

// Blocklist subscriptions: how many, the drafts waiting for review, each list's last
// refresh result ("never" before the first) and when a list was last refreshed (null before).
void subscriptions_section(db::Connection& db, const StatsWindow&, Json& counts, Json&) {
  subscriptions::SubscriptionStore store(db);
  Json results = Json::object();
  std::int64_t lists = 0;
  std::optional<UnixTime> last;
  for (const auto& s : store.all()) {
    ++lists;
    const std::string r = s.last_result.value_or("never");
    results[r] = results.value(r, 0) + 1;
    if (s.last_refresh_at && (!last || *s.last_refresh_at > *last)) last = s.last_refresh_at;
  }
  counts["subscriptions"] = lists;
  counts["pending_drafts"] = store.count_pending();
  counts["subscription_refresh"] = results;
  counts["subscription_last_refresh_at"] = last ? Json(*last) : Json(nullptr);
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
const StatsSection k_sections[] = {user_section,   invite_section,     waitlist_section,
                                   report_section, federation_section, subscriptions_section,
                                   mail_section};

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

Json collect_stats(db::Connection& db, UnixTime now) { return collect(db, now, true); }

Json collect_counts(db::Connection& db, UnixTime now) { return collect(db, now, false); }

}  // namespace instctl::overview
