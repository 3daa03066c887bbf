#pragma once

// The public keys that sign inbox requests. The accounts table is the cache (key id, owner,
// PEM of every remote actor seen); a key not in it is fetched by its keyId through the
// outbound client (fetch_signing_key; in the server, through KeyFetcher), with a GET signed by
// the instance actor (servers in secure mode ask for that), and the owner's actor document
// comes with it.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "instctl/activitypub/actor_parse.hpp"
#include "instctl/activitypub/parsed.hpp"
#include "instctl/db/connection.hpp"
#include "instctl/federation/peer_signing.hpp"
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
  // The standard for the key's host, read from the peers table before the fetch (which
  // touches no database); the fetch knocks once more with the other on a 400 or 401.
  SignaturePlan plan;
};

// What fetching a key found.
struct KeyFetch {
  activitypub::Parsed<SigningKey> key = activitypub::Parsed<SigningKey>::fail("not fetched");
  bool gone = false;         // the server answered 410 Gone (a deleted actor)
  bool unreachable = false;  // no answer at all: refused, timed out, not resolved, guarded
};

// Fetches the key and its owner's actor document (one or two GETs, with their redirects),
// all of it by `deadline`. Touches no database: it may run on any thread.
KeyFetch fetch_signing_key(net::HttpClient& client, const std::string& key_id,
                           const FetchSigner& signer, UnixTime now,
                           std::chrono::steady_clock::time_point deadline);
// The same without waiting (the server's KeyFetcher): `done` runs once, where the client's
// callbacks run (net::HttpClient::send_async). The fetch holds its client until then.
using KeyFetchDone = std::function<void(const KeyFetch&)>;
void fetch_signing_key_async(std::unique_ptr<net::HttpClient> client, std::string key_id,
                             FetchSigner signer, UnixTime now,
                             std::chrono::steady_clock::time_point deadline, KeyFetchDone done);

class InboxKeys {
 public:
  explicit InboxKeys(db::Connection& db) : m_db(db) {}

  std::optional<SigningKey> cached(const std::string& key_id);

 private:
  db::Connection& m_db;
};

}  // namespace instctl::federation
