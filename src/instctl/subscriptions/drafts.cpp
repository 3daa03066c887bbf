// SubscriptionService: the drafts an admin reviews.

#include <fmt/format.h>

#include <set>

#include "instctl/audit/audit_log.hpp"
#include "instctl/subscriptions/consequences.hpp"
#include "instctl/subscriptions/subscription_service.hpp"
#include "instctl/util/time.hpp"

namespace instctl::subscriptions {

namespace {

// A rejected draft is not accepted later: the rejection stands until the lists change for the
// domain (a new draft is proposed then). What the admin can do instead is the change by hand.
Error rejected_draft(const Draft& d) {
  std::string instead;
  if (d.kind == DraftKind::retract) {
    instead = fmt::format("instctl federation unblock {}", d.domain);
  } else {
    instead = fmt::format(
        "instctl federation block {} --severity {}", d.domain,
        federation::to_string(d.rule ? d.rule->severity : federation::Severity::suspend));
  }
  return Error(ErrorKind::conflict,
               fmt::format("draft {} ({} {}) was rejected{}; a rejected draft is not accepted: "
                           "it is proposed again when the lists change for {}, or make the "
                           "change by hand ('{}')",
                           d.id, to_string(d.kind), d.domain,
                           d.decided_at ? " on " + util::format_time(*d.decided_at) : "", d.domain,
                           instead));
}

}  // namespace

std::vector<Draft> SubscriptionService::drafts(bool all) {
  auto out = m_store.drafts(!all);
  const ConsequenceCounts counts(m_env.db);
  for (auto& d : out) d.consequences = counts.of(d.domain);
  return out;
}

std::vector<Draft> SubscriptionService::chosen_drafts(const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return m_store.drafts(true);
  std::vector<Draft> out;
  for (const auto id : ids) {
    auto d = m_store.draft(id);
    if (!d) {
      throw Error(ErrorKind::not_found,
                  fmt::format("there is no draft {} ('instctl federation drafts list' shows "
                              "them; a draft is gone once accepted or replaced by a newer one)",
                              id));
    }
    out.push_back(std::move(*d));
  }
  return out;
}

std::vector<Draft> SubscriptionService::accept(const std::vector<std::int64_t>& ids) {
  db::Transaction tx(m_env.db);
  auto chosen = chosen_drafts(ids);
  Run run{m_domains.start_run(), {}};
  std::set<std::string> domains;
  for (const auto& d : chosen) {
    if (d.rejected) throw rejected_draft(d);
    domains.insert(d.domain);
  }
  const auto naming = m_store.naming(domains);
  for (const auto& d : chosen) {
    const bool blocked = run.blocks.known.contains(d.domain);
    const auto owners = run.owners.find(d.domain);  // changed by a draft above
    const bool owned =
        owners != run.owners.end() ? owners->second.has_value() : m_store.is_owned(d.domain);
    if (blocked && !owned) {
      throw Error(ErrorKind::conflict,
                  fmt::format("{} has a block made by hand since draft {} was proposed; "
                              "subscriptions never change it: reject the draft",
                              d.domain, d.id));
    }
    Change c{d.domain, d.kind, d.rule, d.held_by, true, d.id, {}};
    const std::string by = fmt::format("draft {} (subscriptions: {})", d.id, d.held_by);
    if (d.kind != DraftKind::retract || blocked)
      apply(c, naming.at(d.domain), by, run);
    else
      run.owners[d.domain] = std::nullopt;  // unblocked meanwhile: nothing left to retract
    m_store.delete_draft(d.domain);
  }
  finish(run);
  tx.commit();
  return chosen;
}

std::vector<Draft> SubscriptionService::reject(const std::vector<std::int64_t>& ids) {
  db::Transaction tx(m_env.db);
  auto chosen = chosen_drafts(ids);
  for (auto& d : chosen) {
    m_store.reject_draft(d.id, m_env.clock.now());
    audit::record(m_env, "federation.draft_reject", "domain:" + d.domain,
                  Json{{"draft", d.id}, {"change", to_string(d.kind)}, {"held_by", d.held_by}});
    d.rejected = true;
  }
  tx.commit();
  return chosen;
}

}  // namespace instctl::subscriptions
