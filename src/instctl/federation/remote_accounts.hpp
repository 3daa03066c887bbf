#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "instctl/activitypub/actor_parse.hpp"
#include "instctl/core/clock.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::federation {

// Records a fetched remote actor in `accounts` (domain non-empty): found by its actor URI
// first (an account may be renamed), else by username and domain; created otherwise.
// Returns the account id. Call inside a transaction.
std::int64_t upsert_remote_account(db::Connection& db, const activitypub::RemoteActor& actor,
                                   std::string_view domain, UnixTime now);

}  // namespace instctl::federation
