#include "instctl/instance/stats.hpp"

#include "instctl/reports/report_store.hpp"
#include "instctl/email_blocks/email_block_store.hpp"
#include "instctl/invites/invite_store.hpp"
#include "instctl/mail/mail_store.hpp"
#include "instctl/users/user_store.hpp"
#include "instctl/waitlist/waitlist_store.hpp"
#include "instctl/util/time.hpp"

namespace instctl::instance {

namespace {
constexpr int k_days = 30;

void user_section(db::Connection& db, const StatsWindow& w, Json& counts, Json& daily) {
  users::UserStore store(db);
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
  auto st = db.prepare("SELECT count(*) FROM accounts WHERE domain <> ''");
  st->step();
  counts["remote_accounts"] = st->get_int(0);
  daily["signups"] = daily_series(
      db, "SELECT created_at FROM accounts WHERE domain = '' AND created_at >= ?", w.day0);
}

void report_section(db::Connection& db, const StatsWindow& w, Json& counts, Json& daily) {
  reports::ReportStore store(db);
  counts["reports"] = Json{{"open", store.count(reports::Status::open)},
                           {"resolved", store.count(reports::Status::resolved)}};
  daily["reports"] = daily_series(db, "SELECT created_at FROM reports WHERE created_at >= ?", w.day0);
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
  daily["waitlist_joins"] = daily_series(db, "SELECT created_at FROM waitlist WHERE created_at >= ?", w.day0);
}

void federation_section(db::Connection& db, const StatsWindow&, Json& counts, Json&) {
  auto count = [&db](const char* sql) {
    auto st = db.prepare(sql);
    st->step();
    return st->get_int(0);
  };
  counts["blocked_domains"] = count("SELECT count(*) FROM domain_blocks");
  counts["known_peers"] = count("SELECT count(*) FROM peers");
  counts["queued_deliveries"] =
      count("SELECT count(*) FROM deliveries WHERE state IN ('pending', 'delivering')");
  counts["dead_deliveries"] = count("SELECT count(*) FROM deliveries WHERE state = 'dead'");
}

// Mails by kind and state: what waits to be sent, what failed to go (still unsent with an
// error) and what went.
void mail_section(db::Connection& db, const StatsWindow&, Json& counts, Json&) {
  Json by_kind = Json::object();
  for (const auto& [kind, states] : mail::MailStore(db).count_by_kind()) by_kind[kind] = states;
  counts["mails"] = by_kind;
}

// Every feature's section, in the order `instctl stats` shows them.
const StatsSection k_sections[] = {user_section, invite_section, waitlist_section, report_section,
                                   federation_section, mail_section};
}  // namespace

Json daily_series(db::Connection& db, const std::string& sql, UnixTime day0) {
  std::vector<std::int64_t> buckets(k_days, 0);
  auto st = db.prepare(sql);
  st->bind_all(day0);
  while (st->step()) {
    const auto day = (st->get_int(0) - day0) / 86400;
    if (day >= 0 && day < k_days) ++buckets[static_cast<std::size_t>(day)];
  }
  return Json(buckets);
}

Json collect_stats(db::Connection& db, UnixTime now) {
  const UnixTime today = now - (now % 86400);
  const UnixTime day0 = today - (k_days - 1) * 86400;
  Json counts = Json::object();
  Json daily = Json::object();
  const StatsWindow window{day0, now};
  for (auto section : k_sections) section(db, window, counts, daily);
  Json days = Json::array();
  for (int i = 0; i < k_days; ++i) days.push_back(util::format_date(day0 + i * 86400));
  return Json{{"counts", counts}, {"daily", daily}, {"days", days}};
}

}  // namespace instctl::instance
