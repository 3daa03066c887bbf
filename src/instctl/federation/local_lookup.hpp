#pragma once

#include <optional>
#include <string_view>

#include "instctl/core/json.hpp"
#include "instctl/db/env.hpp"

namespace instctl::federation {

// `federation lookup` of this instance's own accounts: a handle on the account or the web
// domain, or a URL under the public URL. Answered from the database, in the shape of a remote
// look-up (plus "local": true and the account's status): no request goes out, and nothing is
// recorded as a remote account. nullopt when the target is not this instance's; not_found for
// an unknown (or not yet approved) local user.
std::optional<Json> lookup_local(Env& env, std::string_view target);

}  // namespace instctl::federation
