#pragma once

#include "instctl/activitypub/profile.hpp"
#include "instctl/users/user.hpp"

namespace instctl::users {

// What ActivityPub documents show of a local account.
activitypub::LocalProfile public_profile(const User& u);

}  // namespace instctl::users
