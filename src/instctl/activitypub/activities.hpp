#pragma once

// Activities and documents this instance sends about its own actors. No I/O.

#include <string>

#include "instctl/core/clock.hpp"
#include "instctl/core/json.hpp"

namespace instctl::activitypub {

inline constexpr const char* k_as_context = "https://www.w3.org/ns/activitystreams";
inline constexpr const char* k_security_context = "https://w3id.org/security/v1";
inline constexpr const char* k_public = "https://www.w3.org/ns/activitystreams#Public";

// Delete of an actor (account deletion), addressed to the public.
Json delete_actor(const std::string& actor_url, UnixTime now);
// Update of an actor (profile or key change), carrying the document its URL serves
// (local_actor in actor.hpp) and that document's @context. `nonce` keeps two Updates of
// the same second apart (the queue makes a job once per activity id and inbox).
Json update_actor(const Json& actor_document, UnixTime now, const std::string& nonce);

// Accept or Reject of a remote Follow of a local actor. The Follow is embedded as received
// (id, type, actor, object), so the follower need not fetch it; `id` is unique per Follow.
enum class FollowAnswer { accept, reject };
Json answer_follow(FollowAnswer answer, const std::string& id, const std::string& local_actor_url,
                   const std::string& follow_id, const std::string& follower_uri);

}  // namespace instctl::activitypub
