#pragma once

// Activities and documents this instance sends about its own actors. No I/O.

#include <string>

#include "instctl/core/clock.hpp"
#include "instctl/core/json.hpp"

namespace instctl::activitypub {

inline constexpr const char* k_as_context = "https://www.w3.org/ns/activitystreams";
inline constexpr const char* k_security_context = "https://w3id.org/security/v1";
inline constexpr const char* k_public = "https://www.w3.org/ns/activitystreams#Public";

// A local actor as its Person document shows it.
struct LocalActor {
  std::string actor_url;  // https://DOMAIN/users/NAME
  std::string username;
  std::string display_name;
  std::string summary;
  std::string public_key_pem;
  bool manually_approves_followers = false;
  UnixTime published = 0;
};

// The Person document (id, type, preferredUsername, name, summary, url, inbox, outbox,
// followers, following, endpoints.sharedInbox, publicKey, manuallyApprovesFollowers, published).
// `shared_inbox` is the instance's /inbox.
Json person_document(const LocalActor& a, const std::string& shared_inbox);

// Delete of an actor (account deletion), addressed to the public.
Json delete_actor(const std::string& actor_url, UnixTime now);
// Update of an actor (profile or key change), carrying the new document.
Json update_actor(const Json& actor_document, UnixTime now);

// Accept or Reject of a remote Follow of a local actor. The Follow is embedded as received
// (id, type, actor, object), so the follower need not fetch it; `id` is unique per Follow.
enum class FollowAnswer { accept, reject };
Json answer_follow(FollowAnswer answer, const std::string& id, const std::string& local_actor_url,
                   const std::string& follow_id, const std::string& follower_uri);

}  // namespace instctl::activitypub
