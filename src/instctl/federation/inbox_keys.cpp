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

std::optional<std::string> InboxKeys::get(const std::string& url, const FetchSigner& signer,
                                          UnixTime now, std::string& error, bool& gone) {
  const auto parts = net::parse_url(url);
  if (!parts) {
    error = fmt::format("'{}' is not an http(s) URL", url);
    return std::nullopt;
  }
  net::HttpRequest req;
  req.url = url;
  req.headers = {{"Accept", net::k_accept_activity}, {"Host", parts->host_header()}};
  try {
    const auto res = send_signed(m_db, m_client, req, {signer.key_id, signer.private_pem}, now);
    gone = res.status == 410;
    if (res.status == 200) return res.body;
    error = fmt::format("{} answered {}", url, res.status);
  } catch (const Error& e) {
    error = e.what();
  }
  return std::nullopt;
}

KeyResult InboxKeys::fetch(const std::string& key_id, const FetchSigner& signer, UnixTime now,
                           bool& gone) {
  gone = false;
  const std::string doc_url = key_id.substr(0, key_id.find('#'));
  std::string error;
  const auto body = get(doc_url, signer, now, error, gone);
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
    const auto owner_body = get(key->owner, signer, now, error, gone);
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

}  // namespace instctl::federation
