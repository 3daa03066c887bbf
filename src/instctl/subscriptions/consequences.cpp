#include "instctl/subscriptions/consequences.hpp"

#include "instctl/federation/domain_rule.hpp"
#include "instctl/federation/follow_store.hpp"
#include "instctl/users/account_store.hpp"

namespace instctl::subscriptions {

ConsequenceCounts::ConsequenceCounts(db::Connection& db) {
  for (const auto& [known, accounts] : users::AccountStore(db).remote_accounts_by_domain()) {
    for (auto& name : federation::domain_and_parents(known)) {
      m_by_domain[std::move(name)].accounts += accounts;
    }
  }
  for (const auto& [known, counts] : federation::FollowStore(db).by_remote_domain()) {
    for (auto& name : federation::domain_and_parents(known)) {
      auto& c = m_by_domain[std::move(name)];
      c.followers += counts.followers;
      c.follows += counts.follows;
    }
  }
}

Consequences ConsequenceCounts::of(std::string_view domain) const {
  const auto it = m_by_domain.find(domain);
  return it == m_by_domain.end() ? Consequences{} : it->second;
}

}  // namespace instctl::subscriptions
