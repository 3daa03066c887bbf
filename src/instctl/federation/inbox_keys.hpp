#pragma once

// The public keys that sign inbox requests. The accounts table is the cache (key id, owner,
// PEM of every remote actor seen); a key not in it is fetched by its keyId through the
// outbound client, with a GET signed by the instance actor (servers in secure mode ask for
// that), and the owner's actor document comes with it.

#include <optional>
#include <string>

#include "instctl/activitypub/actor_parse.hpp"
#include "instctl/activitypub/parsed.hpp"
#include "instctl/db/connection.hpp"
#include "instctl/federation/url_domain.hpp"
#include "instctl/net/http_client.hpp"

namespace instctl::federation {

struct SigningKey {
  std::string key_id;
  std::string owner;  // the actor URI the key belongs to
  std::string pem;
  // The owner's document, when the key was fetched (not when it came from the cache).
  std::optional<activitypub::RemoteActor> actor;
};

// Who the key fetches are signed as.
struct FetchSigner {
  std::string key_id;
  std::string private_pem;
};

class InboxKeys {
 public:
  InboxKeys(db::Connection& db, net::HttpClient& client) : m_db(db), m_client(client) {}

  std::optional<SigningKey> cached(const std::string& key_id);
  // Fetches the key and its owner's actor document. `gone` is set when the server answered
  // 410 Gone (a deleted actor).
  activitypub::Parsed<SigningKey> fetch(const std::string& key_id, const FetchSigner& signer,
                                        UnixTime now, bool& gone);

 private:
  std::optional<std::string> get(const std::string& url, const FetchSigner& signer, UnixTime now,
                                 std::string& error, bool& gone);
  db::Connection& m_db;
  net::HttpClient& m_client;
};

}  // namespace instctl::federation
