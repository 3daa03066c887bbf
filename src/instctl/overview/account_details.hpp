#pragma once

#include "instctl/core/json.hpp"
#include "instctl/db/env.hpp"
#include "instctl/users/user.hpp"

namespace instctl::overview {

// Everything `users show` prints about one account: the account and its counts
// (users::UserService::details), its moderation record, its partner identities and its
// history in the audit log.
Json account_details(Env& env, const users::User& u);

}  // namespace instctl::overview
