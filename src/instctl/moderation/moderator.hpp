#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "instctl/core/json.hpp"
#include "instctl/db/env.hpp"
#include "instctl/users/user_service.hpp"

namespace instctl::moderation {

// Who takes a moderation step.
struct Moderator {
  std::optional<std::int64_t> account_id;  // the staff member, when one is named
  std::string name;  // their username, or the operator's actor name (cli:root, $INSTCTL_ACTOR)
};

// The moderator of a command: the local user named by `as` (--as USER), else the local user
// named by env.actor when $INSTCTL_ACTOR is a plain username (alice, @alice), else the operator
// at the terminal, who holds the database and acts with an admin's rights under env.actor.
// A named user must be an active moderator or admin: not_found for an unknown --as, conflict
// for anyone else.
Moderator identify(users::UserService& users, const Env& env, const std::optional<std::string>& as);

// Writes an audit entry with the moderator as its actor (what $INSTCTL_ACTOR=USER would give).
void record_audit(Env& env, const Moderator& by, std::string_view action, std::string_view target,
                  const Json& details);

// Checks that `ref` names an active moderator or admin (for assignment); not_found, conflict.
users::User require_staff(users::UserService& users, std::string_view ref);

}  // namespace instctl::moderation
