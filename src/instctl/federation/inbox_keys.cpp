#include "instctl/federation/inbox_keys.hpp"

#include <fmt/format.h>

#include "instctl/core/error.hpp"
#include "instctl/federation/peer_signing.hpp"
#include "instctl/federation/remote_accounts.hpp"

namespace instctl::federation {

namespace {

using KeyResult = activitypub::Parsed<SigningKey>;

}  // namespace

std::optional<SigningKey> InboxKeys::cached(const std::string& key_id) {
  const auto k = cached_key(m_db, key_id);
  if (!k) return std::nullopt;
  return SigningKey{key_id, k->actor_uri, k->pem, std::nullopt};
}

namespace {

struct Getter {
  net::HttpClient& client;
  const FetchSigner& signer;
  UnixTime now;
  std::chrono::steady_clock::time_point deadline;
  KeyFetch& out;

  std::optional<std::string> get(const std::string& url, std::string& error);
};

std::optional<std::string> Getter::get(const std::string& url, std::string& error) {
  const auto parts = net::parse_url(url);
  if (!parts) {
    error = fmt::format("'{}' is not an http(s) URL", url);
    return std::nullopt;
  }
  net::HttpRequest req;
  req.url = url;
  req.headers = {{"Accept", net::k_accept_activity}, {"Host", parts->host_header()}};
  req.deadline = deadline;
  try {
    const auto res = send_with_plan(client, req, signer.plan,
                                    {signer.key_id, signer.private_pem}, now).response;
    out.gone = res.status == 410;
    if (res.status == 200) return res.body;
    error = fmt::format("{} answered {}", url, res.status);
  } catch (const Error& e) {
    out.unreachable = true;
    error = e.what();
  }
  return std::nullopt;
}

KeyResult fetch_key(Getter& g, const std::string& key_id) {
  const std::string doc_url = key_id.substr(0, key_id.find('#'));
  std::string error;
  const auto body = g.get(doc_url, error);
  if (!body) return KeyResult::fail(fmt::format("the key {} could not be fetched: {}", key_id, error));
  const auto key = activitypub::parse_public_key(*body, key_id);
  if (!key) return KeyResult::fail(key.error);
  if (url_domain(key->owner) != url_domain(key_id)) {
    return KeyResult::fail(fmt::format("the key {} names an owner on another host ({})", key_id, key->owner));
  }
  // Mastodon and Fedify answer the key id with the actor document itself; a standalone key
  // document needs a second fetch for the owner.
  auto actor = activitypub::parse_actor(*body);
  if (!actor || actor->id != key->owner) {
    const auto owner_body = g.get(key->owner, error);
    if (!owner_body) {
      return KeyResult::fail(fmt::format("the key owner {} could not be fetched: {}", key->owner, error));
    }
    actor = activitypub::parse_actor(*owner_body);
    if (!actor) return KeyResult::fail(actor.error);
  }
  if (actor->id != key->owner || actor->key_id != key_id || actor->public_key_pem != key->pem) {
    return KeyResult::fail(fmt::format("the actor {} does not publish the key {}", key->owner, key_id));
  }
  return KeyResult::ok(SigningKey{key_id, key->owner, key->pem, *actor});
}

}  // namespace

KeyFetch fetch_signing_key(net::HttpClient& client, const std::string& key_id,
                           const FetchSigner& signer, UnixTime now,
                           std::chrono::steady_clock::time_point deadline) {
  KeyFetch out;
  Getter g{client, signer, now, deadline, out};
  out.key = fetch_key(g, key_id);
  return out;
}

}  // namespace instctl::federation
