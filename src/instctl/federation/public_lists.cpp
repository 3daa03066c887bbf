#include "instctl/federation/public_lists.hpp"

#include <algorithm>

#include "instctl/activitypub/instance_api.hpp"
#include "instctl/federation/domain_policy.hpp"
#include "instctl/federation/domain_store.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/users/account_store.hpp"

namespace instctl::federation {

std::vector<std::string> public_peers(db::Connection& db) {
  const DomainPolicy policy(db);
  auto domains = users::AccountStore(db).known_domains();
  std::erase_if(domains, [&](const std::string& d) {
    return policy.rule_for(d).has_value() || !policy.allowed(d);
  });
  return domains;
}

std::optional<Json> public_domain_blocks(db::Connection& db) {
  if (instance::Settings(db).get("api.show_domain_blocks") != "all") return std::nullopt;
  auto blocks = DomainStore(db).blocks();
  std::sort(blocks.begin(), blocks.end(),
            [](const DomainRule& a, const DomainRule& b) { return a.domain < b.domain; });
  Json out = Json::array();
  for (const auto& r : blocks) {
    if (r.severity == Severity::noop) continue;  // no limitation users would notice
    out.push_back(activitypub::domain_block_entity(r.domain, to_string(r.severity),
                                                   r.public_comment.value_or(""), r.obfuscate));
  }
  return out;
}

}  // namespace instctl::federation
