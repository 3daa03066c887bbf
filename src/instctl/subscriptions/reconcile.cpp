// SubscriptionService: bringing the domain blocks in line with what the lists say.

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

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
                                const std::string& by, Run& run) {
  if (c.kind == DraftKind::retract) {
    m_domains.unblock_within(c.domain, by, &run.blocks);
    run.owners[c.domain] = std::nullopt;
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
  m_domains.block_within(req, &run.blocks);
  run.owners[c.domain] = holders;
}

void SubscriptionService::finish(Run& run) {
  std::map<std::string, std::vector<std::int64_t>> held;
  for (auto& [domain, holders] : run.owners) {
    if (holders)
      held.emplace(domain, std::move(*holders));
    else
      m_store.drop_owned(domain);
  }
  m_store.set_owned(held, m_env.clock.now());
  run.owners.clear();
  m_domains.finish_run(run.blocks);
}

void SubscriptionService::reconcile(RefreshReport& report, const Removed* removed,
                                    std::vector<Fetched>* fresh) {
  std::map<std::int64_t, Subscription> subs;
  for (auto& s : m_store.all()) subs.emplace(s.id, std::move(s));
  const Policy policy = m_store.policy();
  // The entries: those just stored are taken as they are here, not read back.
  std::set<std::int64_t> fresh_ids;
  if (fresh != nullptr) {
    for (const auto& f : *fresh) fresh_ids.insert(f.subscription.id);
  }
  auto entries = m_store.entries(fresh_ids);
  if (fresh != nullptr) {
    for (auto& f : *fresh) {
      for (auto& r : f.rules) entries.push_back({f.subscription.id, std::move(r)});
      f.rules.clear();
    }
    // By domain then list, as stored; a domain a list names twice was stored once, the first.
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      if (const auto c = a.rule.domain.compare(b.rule.domain); c != 0) return c < 0;
      return a.subscription_id < b.subscription_id;
    });
    entries.erase(std::unique(entries.begin(), entries.end(),
                              [](const Entry& a, const Entry& b) {
                                return a.subscription_id == b.subscription_id &&
                                       a.rule.domain == b.rule.domain;
                              }),
                  entries.end());
  }
  std::map<std::string, Domain> domains;
  for (auto& e : entries) {
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
  Run run{m_domains.start_run(), {}};

  // The lists behind a change (involved, the removed one held it, a retraction, naming it):
  // whether it applies at once, and its wording.
  struct Lists {
    bool automatic = true;
    std::string held_by, by;
  };
  using ListsKey = std::tuple<std::vector<std::int64_t>, bool, bool, std::vector<std::int64_t>>;
  std::map<ListsKey, Lists> lists_of;
  const auto now = m_env.clock.now();
  for (const auto& [domain, d] : domains) {
    const auto agreed = agreed_rule(d.rules, policy);
    const auto block = run.blocks.known.find(domain);
    const auto own = owned.find(domain);
    const std::optional<DomainRule> current =
        block == run.blocks.known.end() ? std::nullopt : std::optional(block->second);
    const auto kind = decide(current, own != owned.end(), agreed);
    const auto draft = drafts.find(domain);
    if (!kind) {
      if (agreed && own != owned.end() && own->second != d.holders) {
        run.owners[domain] = d.holders;  // the same block, other lists
      }
      if (draft != drafts.end()) m_store.delete_draft(domain);  // nothing left to review
      continue;
    }
    // Applied at once only when every list involved (naming the domain, or holding its
    // block, or just removed while holding it) is trusted: auto.
    std::set<std::int64_t> involved(d.holders.begin(), d.holders.end());
    if (own != owned.end()) involved.insert(own->second.begin(), own->second.end());
    const bool removed_held = removed != nullptr && removed->domains.contains(domain);
    // Worked out once per combination of lists: a refresh of thousands of domains has few.
    auto [known_lists, added] = lists_of.try_emplace(
        {{involved.begin(), involved.end()}, removed_held, *kind == DraftKind::retract, d.holders});
    Lists& lists = known_lists->second;
    if (added) {
      std::vector<std::string> names;
      for (const auto id : involved) {
        if (auto it = subs.find(id); it != subs.end()) {
          lists.automatic = lists.automatic && it->second.trust == Trust::automatic;
          names.push_back(it->second.name);
        }
      }
      if (removed_held) {
        lists.automatic = lists.automatic && removed->trust == Trust::automatic;
        names.push_back(removed->name);
      }
      if (names.empty()) lists.automatic = false;
      // held_by: the lists behind the change (for a retraction, those that held the block).
      lists.held_by = *kind == DraftKind::retract ? fmt::format("{}", fmt::join(names, ", "))
                                                  : names_of(d.holders, subs);
      lists.by = fmt::format("subscriptions: {}", fmt::join(names, ", "));
    }
    const bool automatic = lists.automatic;
    Change c{domain, *kind, agreed, lists.held_by, automatic, std::nullopt, {}};
    if (automatic) {
      try {
        apply(c, d.holders, lists.by, run);
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
  finish(run);
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
  // Field by field rather than from initializer lists: a refresh can report tens of thousands.
  Json rows = Json::array();
  rows.get_ref<Json::array_t&>().reserve(changes.size());
  for (const auto& c : changes) {
    Json& row = rows.emplace_back(Json::object());
    row["domain"] = c.domain;
    row["change"] = to_string(c.kind);
    row["severity"] = c.rule ? Json(federation::to_string(c.rule->severity)) : Json(nullptr);
    row["held_by"] = c.held_by;
    row["state"] = c.applied ? "applied" : "draft";
    row["draft"] = c.draft_id ? Json(*c.draft_id) : Json(nullptr);
    add_json(row, c.consequences);
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
