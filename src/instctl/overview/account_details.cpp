#include "instctl/overview/account_details.hpp"

#include "instctl/audit/audit_log.hpp"
#include "instctl/auth/oidc_store.hpp"
#include "instctl/moderation/record.hpp"
#include "instctl/users/user_service.hpp"

namespace instctl::overview {

Json account_details(Env& env, const users::User& u) {
  Json j = users::UserService(env).details(u);
  moderation::add_moderation_record(env.db, u.id, j);
  Json identities = Json::array();
  for (const auto& i : auth::OidcStore(env.db).identities_of(u.id))
    identities.push_back(auth::to_json(i));
  j["identities"] = identities;
  audit::Filter history;
  history.target = u.audit_target();
  Json entries = Json::array();
  for (const auto& e : audit::list(env.db, history)) entries.push_back(audit::to_json(e));
  j["history"] = entries;
  return j;
}

}  // namespace instctl::overview
