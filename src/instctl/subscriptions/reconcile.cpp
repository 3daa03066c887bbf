// SubscriptionService: bringing the domain blocks in line with what the lists say.

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "instctl/subscriptions/consensus.hpp"
#include "instctl/subscriptions/consequences.hpp"
#include "instctl/subscriptions/subscription_service.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::subscriptions {

using federation::DomainRule;

namespace {

struct Domain {
  std::vector<const DomainRule*> rules;  // what each list naming it says
  std::vector<std::int64_t> holders;     // those lists, in subscription order
};

std::string names_of(const std::vector<std::int64_t>& ids,
                     const std::map<std::int64_t, Subscription>& subs) {
  std::vector<std::string> names;
  for (const auto id : ids) {
    if (auto it = subs.find(id); it != subs.end()) names.push_back(it->second.name);
  }
  return fmt::format("{}", fmt::join(names, ", "));
}

// The entries in the order they are stored, by domain then list, as places in the vector (the
// places are sorted, not the entries), and each domain named with its first and last place.
struct ByDomain {
  struct Named {
    std::string_view domain;
    std::size_t first, last;
  };
  std::vector<std::size_t> order;
  std::vector<Named> named;
};

// `sorted`: the entries are already in that order (read back from the store). Otherwise a
// domain a list names twice is kept once, the first, as the store keeps it.
ByDomain by_domain(const std::vector<Entry>& entries, bool sorted) {
  ByDomain out;
  out.order.resize(entries.size());
  for (std::size_t i = 0; i < out.order.size(); ++i) out.order[i] = i;
  if (!sorted) {
    std::sort(out.order.begin(), out.order.end(), [&](std::size_t a, std::size_t b) {
      const Entry& x = entries[a];
      const Entry& y = entries[b];
      if (const auto c = x.rule.domain.compare(y.rule.domain); c != 0) return c < 0;
      if (x.subscription_id != y.subscription_id) return x.subscription_id < y.subscription_id;
      return a < b;
    });
    out.order.erase(std::unique(out.order.begin(), out.order.end(),
                                [&](std::size_t a, std::size_t b) {
                                  return entries[a].subscription_id == entries[b].subscription_id &&
                                         entries[a].rule.domain == entries[b].rule.domain;
                                }),
                    out.order.end());
  }
  for (std::size_t i = 0; i < out.order.size(); ++i) {
    const std::string_view domain = entries[out.order[i]].rule.domain;
    if (out.named.empty() || out.named.back().domain != domain) {
      out.named.push_back({domain, i, i});
    }
    out.named.back().last = i + 1;
  }
  return out;
}

// Every domain to look at, sorted, once: those named, those subscriptions blocked, those with a
// draft.
template <class Owned, class Drafts>
std::vector<std::string_view> domains_to_look_at(const ByDomain& by, const Owned& owned,
                                                 const Drafts& drafts) {
  std::vector<std::string_view> domains;
  domains.reserve(by.named.size() + owned.size() + drafts.size());
  for (const auto& n : by.named) domains.push_back(n.domain);
  for (const auto& [domain, ids] : owned) domains.push_back(domain);
  for (const auto& [domain, draft] : drafts) domains.push_back(domain);
  std::sort(domains.begin(), domains.end());
  domains.erase(std::unique(domains.begin(), domains.end()), domains.end());
  return domains;
}

// The lists behind a change: whether it applies at once (every list involved is trusted:
// auto), and its wording. Worked out once per combination of lists: a refresh of thousands of
// domains has few, and the domains in a row mostly share theirs.
class ListsOfChanges {
 public:
  struct Lists {
    bool automatic = true;
    std::string held_by, by;
  };
  // `removed`: the list just removed (its name and trust), when there is one.
  ListsOfChanges(const std::map<std::int64_t, Subscription>& subs,
                 std::optional<std::pair<std::string, Trust>> removed)
      : m_subs(subs), m_removed(std::move(removed)) {}

  // involved: the lists naming the domain or holding its block, sorted; removed_held: the
  // removed list held it; holders: the lists naming it.
  const Lists& of(const std::vector<std::int64_t>& involved, bool removed_held, bool retract,
                  const std::vector<std::int64_t>& holders) {
    if (m_last != nullptr && std::get<0>(m_last_key) == involved &&
        std::get<1>(m_last_key) == removed_held && std::get<2>(m_last_key) == retract &&
        std::get<3>(m_last_key) == holders) {
      return *m_last;
    }
    m_last_key = {involved, removed_held, retract, holders};
    auto [it, added] = m_known.try_emplace(m_last_key);
    if (added) describe(it->second, involved, removed_held, retract, holders);
    m_last = &it->second;
    return *m_last;
  }

 private:
  void describe(Lists& lists, const std::vector<std::int64_t>& involved, bool removed_held,
                bool retract, const std::vector<std::int64_t>& holders) const {
    std::vector<std::string> names;
    for (const auto id : involved) {
      if (auto it = m_subs.find(id); it != m_subs.end()) {
        lists.automatic = lists.automatic && it->second.trust == Trust::automatic;
        names.push_back(it->second.name);
      }
    }
    if (removed_held && m_removed) {
      lists.automatic = lists.automatic && m_removed->second == Trust::automatic;
      names.push_back(m_removed->first);
    }
    if (names.empty()) lists.automatic = false;
    // held_by: the lists behind the change (for a retraction, those that held the block).
    lists.held_by = retract ? fmt::format("{}", fmt::join(names, ", ")) : names_of(holders, m_subs);
    lists.by = fmt::format("subscriptions: {}", fmt::join(names, ", "));
  }

  using Key = std::tuple<std::vector<std::int64_t>, bool, bool, std::vector<std::int64_t>>;
  const std::map<std::int64_t, Subscription>& m_subs;
  std::optional<std::pair<std::string, Trust>> m_removed;
  std::map<Key, Lists> m_known;
  Key m_last_key;
  const Lists* m_last = nullptr;
};

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
  m_store.set_owned(run.owners, m_env.clock.now());
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
    std::size_t count = entries.size();
    for (const auto& f : *fresh) count += f.rules.size();
    entries.reserve(count);
    for (auto& f : *fresh) {
      for (auto& r : f.rules) entries.push_back({f.subscription.id, std::move(r)});
      f.rules.clear();
    }
  }
  const ByDomain by = by_domain(entries, fresh == nullptr);
  const auto owned = m_store.owned();
  std::map<std::string, Draft, std::less<>> drafts;
  for (auto& d : m_store.drafts(false)) drafts.emplace(d.domain, std::move(d));
  const auto domains = domains_to_look_at(by, owned, drafts);
  // Read once: each change below looks the domain and its parents up here (and keeps it current).
  Run run{m_domains.start_run(domains.size()), {}};
  ListsOfChanges lists_of(
      subs, removed ? std::optional(std::pair(removed->name, removed->trust)) : std::nullopt);
  std::vector<std::int64_t> involved;  // reused
  const auto now = m_env.clock.now();
  report.changes.reserve(report.changes.size() + domains.size());
  auto next_named = by.named.begin();
  Domain d;  // the domain's lists and rules, reused
  for (const std::string_view domain : domains) {
    d.rules.clear();
    d.holders.clear();
    if (next_named != by.named.end() && next_named->domain == domain) {
      for (auto i = next_named->first; i < next_named->last; ++i) {
        d.holders.push_back(entries[by.order[i]].subscription_id);
        d.rules.push_back(&entries[by.order[i]].rule);
      }
      ++next_named;
    }
    const auto agreed = agreed_rule_of(d.rules, policy);
    const auto block = run.blocks.known.find(domain);
    const auto own = owned.find(domain);
    const std::optional<DomainRule> current =
        block == run.blocks.known.end() ? std::nullopt : std::optional(block->second);
    const auto kind = decide(current, own != owned.end(), agreed);
    const auto draft = drafts.find(domain);
    if (!kind) {
      if (agreed && own != owned.end() && own->second != d.holders) {
        run.owners[std::string(domain)] = d.holders;  // the same block, other lists
      }
      if (draft != drafts.end()) m_store.delete_draft(domain);  // nothing left to review
      continue;
    }
    // Applied at once only when every list involved (naming the domain, or holding its
    // block, or just removed while holding it) is trusted: auto.
    involved = d.holders;
    if (own != owned.end()) {
      involved.insert(involved.end(), own->second.begin(), own->second.end());
      std::sort(involved.begin(), involved.end());
      involved.erase(std::unique(involved.begin(), involved.end()), involved.end());
    }
    const bool removed_held = removed != nullptr && removed->domains.contains(domain);
    const auto& lists = lists_of.of(involved, removed_held, *kind == DraftKind::retract, d.holders);
    const bool automatic = lists.automatic;
    Change c{std::string(domain), *kind, agreed, lists.held_by, automatic, std::nullopt, {}};
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
  if (changes.empty()) return;
  const ConsequenceCounts counts(m_env.db);
  for (auto& c : changes) c.consequences = counts.of(c.domain);
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
