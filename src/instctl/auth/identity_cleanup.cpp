#include "instctl/auth/identity_cleanup.hpp"

#include "instctl/auth/oidc_store.hpp"

namespace instctl::auth {

void IdentityCleanup::deleted(Env& env, const users::User& u, Json& details) {
  const auto unlinked = OidcStore(env.db).unlink_all(u.id);
  if (!unlinked.empty()) details["identities_unlinked"] = unlinked.size();
}

}  // namespace instctl::auth
