// SubscriptionService: bringing the domain blocks in line with what the lists say.

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "instctl/subscriptions/consensus.hpp"
#include "instctl/subscriptions/consequences.hpp"
#include "instctl/subscriptions/subscription_service.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::subscriptions {

using federation::DomainRule;

namespace {

struct Domain {
  std::vector<DomainRule> rules;      // what each list naming it says
  std::vector<std::int64_t> holders;  // those lists, in subscription order
};

std::string names_of(const std::vector<std::int64_t>& ids,
                     const std::map<std::int64_t, Subscription>& subs) {
  std::vector<std::string> names;
  for (const auto id : ids) {
    if (auto it = subs.find(id); it != subs.end()) names.push_back(it->second.name);
  }
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

void SubscriptionService::apply(const Change& c, const std::vector<std::int64_t>& holders,
                                const std::string& by, bool was_owned,
                                federation::KnownBlocks* known) {
  if (c.kind == DraftKind::retract) {
    m_domains.unblock_within(c.domain, by, known);
    m_store.drop_owned(c.domain);
    return;
  }
  federation::BlockRequest req;
  req.domain = c.domain;
  req.severity = c.rule->severity;
  req.reject_media = c.rule->reject_media;
  req.reject_reports = c.rule->reject_reports;
  req.obfuscate = c.rule->obfuscate;
  req.public_comment = c.rule->public_comment.value_or("");
  req.by = by;
  m_domains.block_within(req, known);
  m_store.set_owned(c.domain, holders, m_env.clock.now(), was_owned);
}

void SubscriptionService::reconcile(RefreshReport& report, const Removed* removed) {
  std::map<std::int64_t, Subscription> subs;
  for (auto& s : m_store.all()) subs.emplace(s.id, std::move(s));
  const Policy policy = m_store.policy();
  std::map<std::string, Domain> domains;
  for (auto& e : m_store.entries()) {
    auto& d = domains[e.rule.domain];
    d.holders.push_back(e.subscription_id);
    d.rules.push_back(std::move(e.rule));
  }
  const auto owned = m_store.owned();
  std::map<std::string, Draft> drafts;
  for (auto& d : m_store.drafts(false)) drafts.emplace(d.domain, std::move(d));
  for (const auto& [domain, ids] : owned) domains[domain];
  for (const auto& [domain, draft] : drafts) domains[domain];
  // Read once: each change below looks the domain and its parents up here (and keeps it current).
  auto blocks = m_domains.known_blocks();

  const auto now = m_env.clock.now();
  for (const auto& [domain, d] : domains) {
    const auto agreed = agreed_rule(d.rules, policy);
    const auto block = blocks.find(domain);
    const auto own = owned.find(domain);
    const std::optional<DomainRule> current =
        block == blocks.end() ? std::nullopt : std::optional(block->second);
    const auto kind = decide(current, own != owned.end(), agreed);
    const auto draft = drafts.find(domain);
    if (!kind) {
      if (agreed && own != owned.end() && own->second != d.holders) {
        m_store.set_owned(domain, d.holders, now, true);  // the same block, other lists
      }
      if (draft != drafts.end()) m_store.delete_draft(domain);  // nothing left to review
      continue;
    }
    // Applied at once only when every list involved (naming the domain, or holding its
    // block, or just removed while holding it) is trusted: auto.
    std::set<std::int64_t> involved(d.holders.begin(), d.holders.end());
    if (own != owned.end()) involved.insert(own->second.begin(), own->second.end());
    std::vector<std::string> names;
    bool automatic = true;
    for (const auto id : involved) {
      if (auto it = subs.find(id); it != subs.end()) {
        automatic = automatic && it->second.trust == Trust::automatic;
        names.push_back(it->second.name);
      }
    }
    if (removed != nullptr && removed->domains.contains(domain)) {
      automatic = automatic && removed->trust == Trust::automatic;
      names.push_back(removed->name);
    }
    if (names.empty()) automatic = false;
    // held_by: the lists behind the change (for a retraction, those that held the block).
    const std::string held_by = *kind == DraftKind::retract
                                    ? fmt::format("{}", fmt::join(names, ", "))
                                    : names_of(d.holders, subs);
    Change c{domain, *kind, agreed, held_by, automatic, std::nullopt, {}};
    if (automatic) {
      try {
        apply(c, d.holders, fmt::format("subscriptions: {}", fmt::join(names, ", ")),
              own != owned.end(), &blocks);
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::conflict) throw;
        report.notes.push_back(fmt::format("{}: left alone: {}", domain, e.what()));
        continue;
      }
      if (draft != drafts.end()) m_store.delete_draft(domain);
      report.changes.push_back(std::move(c));
      continue;
    }
    Draft proposal;
    proposal.domain = domain;
    proposal.kind = *kind;
    proposal.rule = *kind == DraftKind::retract ? std::nullopt : agreed;
    proposal.held_by = c.held_by;
    proposal.fingerprint = fingerprint(*kind, proposal.rule, d.holders);
    if (draft != drafts.end() && draft->second.fingerprint == proposal.fingerprint) {
      continue;  // already proposed, or rejected for what the lists still say
    }
    m_store.put_draft(proposal, now);
    c.rule = proposal.rule;
    report.changes.push_back(std::move(c));
  }
  // Ids of the drafts just proposed, for the report.
  std::map<std::string, std::int64_t> ids;
  for (const auto& dr : m_store.drafts(true)) ids[dr.domain] = dr.id;
  for (auto& c : report.changes) {
    if (!c.applied) c.draft_id = ids[c.domain];
  }
}

void SubscriptionService::count_consequences(std::vector<Change>& changes) {
  std::set<std::string> domains;
  for (const auto& c : changes) domains.insert(c.domain);
  const auto counts = consequences_of(m_env.db, domains);
  for (auto& c : changes) c.consequences = counts.at(c.domain);
}

Json RefreshReport::changes_json() const {
  Json rows = Json::array();
  for (const auto& c : changes) {
    Json row{{"domain", c.domain},
             {"change", to_string(c.kind)},
             {"severity", c.rule ? Json(federation::to_string(c.rule->severity)) : Json(nullptr)},
             {"held_by", c.held_by},
             {"state", c.applied ? "applied" : "draft"},
             {"draft", c.draft_id ? Json(*c.draft_id) : Json(nullptr)}};
    const Json n = subscriptions::to_json(c.consequences);
    for (auto it = n.begin(); it != n.end(); ++it) row[it.key()] = *it;
    rows.push_back(row);
  }
  return rows;
}

Json RefreshReport::to_json() const {
  Json out_lists = Json::array();
  for (const auto& l : lists) {
    out_lists.push_back(Json{{"name", l.name},
                             {"result", l.result},
                             {"error", l.error ? Json(*l.error) : Json(nullptr)},
                             {"entries", l.entries}});
  }
  return Json{{"lists", out_lists}, {"changes", changes_json()}, {"notes", notes}};
}

std::optional<Error> RefreshReport::failure() const {
  std::size_t failed = 0, garbage = 0;
  for (const auto& l : lists) {
    if (l.result == "failed") ++failed;
    if (l.result == "garbage") ++garbage;
  }
  if (!lists.empty() && failed == lists.size()) {
    return Error(ErrorKind::remote,
                 fmt::format("every list failed to be fetched ({}); the last "
                             "good copies are kept",
                             util::counted(static_cast<long long>(failed), "list")));
  }
  if (garbage > 0) {
    return Error(
        ErrorKind::invalid_data,
        fmt::format("{} not a domain list; the others were applied",
                    util::counted(static_cast<long long>(garbage), "list is", "lists are")));
  }
  if (failed > 0) {
    return Error(ErrorKind::partial,
                 fmt::format("{} could not be fetched; the others were applied",
                             util::counted(static_cast<long long>(failed), "list")));
  }
  return std::nullopt;
}

}  // namespace instctl::subscriptions
