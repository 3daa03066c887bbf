#pragma once

// Remote actor documents and their keys, in the JSON-LD shapes Mastodon, GoToSocial, Pleroma
// and Fedify send (@context as string or array, publicKey as object or array, url as string or
// Link, extra fields ignored). No I/O.

#include <string>
#include <string_view>

#include "instctl/activitypub/parsed.hpp"

namespace instctl::activitypub {

struct RemoteActor {
  std::string id;
  std::string type;  // Person, Service, Application, Group, Organization
  std::string preferred_username;
  std::string name;
  std::string summary;
  std::string url;  // profile page, may be empty
  std::string inbox;
  std::string outbox;
  std::string followers;
  std::string shared_inbox;  // endpoints.sharedInbox, may be empty
  std::string key_id;        // publicKey.id
  std::string public_key_pem;
  bool manually_approves_followers = false;
};

// Refuses documents without an id, an actor type, an inbox, a preferredUsername, or a public
// key owned by the actor itself.
Parsed<RemoteActor> parse_actor(std::string_view body);

// A public key named by a keyId, from either the actor document that holds it or a standalone
// key document ({"id", "owner", "publicKeyPem"}), as the inbox fetches it.
struct PublicKey {
  std::string id;
  std::string owner;
  std::string pem;
};
Parsed<PublicKey> parse_public_key(std::string_view body, std::string_view key_id);

}  // namespace instctl::activitypub
