#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "instctl/activitypub/actor_parse.hpp"
#include "instctl/core/clock.hpp"
#include "instctl/db/connection.hpp"
#include "instctl/users/account_store.hpp"

namespace instctl::federation {

// Records a fetched remote actor in `accounts` (domain non-empty): found by its actor URI
// first (an account may be renamed), else by username and domain; created otherwise.
// Returns the account id. Call inside a transaction.
std::int64_t upsert_remote_account(db::Connection& db, const activitypub::RemoteActor& actor,
                                   std::string_view domain, UnixTime now);

// A remote account's cached public key, found by its key id (the inbox's key cache).
using CachedKey = users::RemoteKey;
std::optional<CachedKey> cached_key(db::Connection& db, std::string_view key_id);

// The remote account with this actor URI: its id and the inbox replies go to.
using RemoteRef = users::RemoteInbox;
std::optional<RemoteRef> remote_account(db::Connection& db, std::string_view actor_uri);

// A remote actor that deleted itself: marked deleted (its follows are removed separately).
void mark_remote_deleted(db::Connection& db, std::int64_t account_id, UnixTime now);

}  // namespace instctl::federation
