#include "instctl/overview/staff_digest.hpp"

#include <fmt/format.h>

#include "instctl/audit/audit_log.hpp"
#include "instctl/db/connection.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/mail/mail_queue.hpp"
#include "instctl/reports/report_store.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/users/notify.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/time.hpp"

namespace instctl::overview {

using mail::greeting_name;
using mail::render_mail;
using mail::site_data;

namespace {

std::string summary(const DigestReport& d) {
  std::vector<std::string> parts;
  if (!d.reports.empty()) parts.push_back(util::counted(d.reports.size(), "new report"));
  if (!d.pending.empty())
    parts.push_back(util::counted(d.pending.size(), "sign-up waiting", "sign-ups waiting"));
  return parts.size() == 2 ? parts[0] + " and " + parts[1]
         : parts.empty()   ? "nothing new"
                           : parts[0];
}

// What came since `since` and is still worth telling: reports filed, sign-ups still waiting.
DigestReport gather(db::Connection& db, UnixTime since, UnixTime until) {
  DigestReport d;
  d.since = since;
  d.until = until;
  reports::ListFilter rf;
  rf.created_after = since;
  for (const auto& r : reports::ReportStore(db).list(rf)) {
    if (r.created_at > until) continue;
    d.reports.push_back(
        {r.id, r.target, r.reporter.value_or(""), reports::to_string(r.category), r.created_at});
  }
  users::ListFilter uf;
  uf.status = users::Status::pending;
  uf.include_deleted = false;
  for (auto& u : users::AccountStore(db).list_local(uf)) {
    if (u.created_at > since && u.created_at <= until) d.pending.push_back(std::move(u));
  }
  return d;
}

}  // namespace

Composed digest_message(const Site& site, const users::User& to, const DigestReport& d) {
  auto data = site_data(site);
  data["name"] = greeting_name(to.display_name, to.username);
  data["username"] = to.username;
  data["summary"] = summary(d);
  data["since"] = util::format_time_for_people(d.since);
  data["until"] = util::format_time_for_people(d.until);
  mstch::array reports;
  for (const auto& r : d.reports) {
    reports.emplace_back(
        mstch::map{{"id", std::to_string(r.id)},
                   {"target", r.target},
                   {"reporter", r.reporter.empty() ? std::string("The operator") : r.reporter},
                   {"category", r.category},
                   {"date", util::format_time_for_people(r.at)}});
  }
  data["has_reports"] = !d.reports.empty();
  data["reports"] = reports;
  mstch::array pending;
  for (const auto& u : d.pending) {
    pending.emplace_back(mstch::map{{"handle", instance::handle(site.info, u.username)},
                                    {"email", u.email.value_or("no address")},
                                    {"date", util::format_time_for_people(u.created_at)}});
  }
  data["has_pending"] = !d.pending.empty();
  data["pending"] = pending;
  return render_mail("digest", data);
}

DigestRun StaffDigest::queue_due() {
  DigestRun run;
  mail::MailQueue queue(m_env);
  if (!queue.enabled()) return run;
  const auto site = mail::load_site(m_env.db);
  users::AccountStore store(m_env.db);
  for (const auto& to : users::staff_for(m_env, mail::StaffTopic::digest)) {
    const auto now = m_env.clock.now();
    // Read first without a transaction: the worker asks at every round, and most rounds
    // find nothing due.
    if (const auto at = store.digest_at(to.id); at && *at > now - k_digest_period) continue;
    db::Transaction tx(m_env.db);
    const auto last = store.digest_at(to.id);
    if (!store.claim_digest(to.id, now, now - k_digest_period)) continue;  // not due, or taken
    ++run.claimed;
    const auto d = gather(m_env.db, last.value_or(now - k_digest_period), now);
    if (!d.reports.empty() || !d.pending.empty()) {
      if (const auto id =
              queue.enqueue(mail::MailKind::digest, *to.email, digest_message(site, to, d))) {
        run.mail_ids.push_back(*id);
        audit::record(m_env, "mail.digest", to.audit_target(),
                      Json{{"reports", d.reports.size()}, {"pending", d.pending.size()}});
      }
    }
    tx.commit();
  }
  return run;
}

void DueDigests::queue_due(Env& env) { StaffDigest(env).queue_due(); }

}  // namespace instctl::overview
