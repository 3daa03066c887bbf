#pragma once

#include "instctl/users/account_events.hpp"

namespace instctl::auth {

// Personal data goes with a deleted account (users::AccountEvents): its partner identities
// too, so signing in with one again starts a new sign-up instead of finding the tombstone.
class IdentityCleanup final : public users::AccountEvents {
 public:
  void deleted(Env& env, const users::User& u, Json& details) override;
};

}  // namespace instctl::auth
