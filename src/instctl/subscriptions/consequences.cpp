#include "instctl/subscriptions/consequences.hpp"

#include "instctl/federation/domain_rule.hpp"
#include "instctl/federation/follow_store.hpp"
#include "instctl/users/account_store.hpp"

namespace instctl::subscriptions {

std::map<std::string, Consequences> consequences_of(db::Connection& db,
                                                    const std::set<std::string>& domains) {
  std::map<std::string, Consequences> out;
  for (const auto& d : domains) out[d];
  if (domains.empty()) return out;
  // Each known domain counts for itself and every parent being asked about.
  const auto each_asked = [&](const std::string& known, auto&& add) {
    for (const auto& name : federation::domain_and_parents(known)) {
      if (auto it = out.find(name); it != out.end()) add(it->second);
    }
  };
  // Named variables, not structured bindings: clang before 16 cannot capture a binding.
  for (const auto& entry : users::AccountStore(db).remote_accounts_by_domain()) {
    const auto accounts = entry.second;
    each_asked(entry.first, [&](Consequences& c) { c.accounts += accounts; });
  }
  for (const auto& entry : federation::FollowStore(db).by_remote_domain()) {
    const auto& counts = entry.second;
    each_asked(entry.first, [&](Consequences& c) {
      c.followers += counts.followers;
      c.follows += counts.follows;
    });
  }
  return out;
}

}  // namespace instctl::subscriptions
