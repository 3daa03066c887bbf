#pragma once

// "Export my data" on /settings: what the instance holds about a member, as one JSON document.
// Included: the account's fields and settings, the partner identities linked to it, its
// followers, the accounts it follows, the follow requests waiting for it, the invites it made,
// the reports it filed, the moderation actions taken against it (what the member was told) and
// its waitlist entry. Never included: the password hash, the key pair (the public key is in
// the actor document), session and link tokens, reports filed against the account and the
// moderators' names (they belong to the moderators and name whoever reported).

#include "instctl/core/json.hpp"
#include "instctl/db/env.hpp"
#include "instctl/users/user.hpp"

namespace instctl::members {

// The export's format; a reader checks it before reading the rest.
inline constexpr int k_export_version = 1;

Json export_data(Env& env, const users::User& u);

}  // namespace instctl::members
