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
  for (const auto& [known, n] : users::AccountStore(db).remote_accounts_by_domain()) {
    each_asked(known, [&](Consequences& c) { c.accounts += n; });
  }
  for (const auto& [known, f] : federation::FollowStore(db).by_remote_domain()) {
    each_asked(known, [&](Consequences& c) {
      c.followers += f.followers;
      c.follows += f.follows;
    });
  }
  return out;
}

}  // namespace instctl::subscriptions
