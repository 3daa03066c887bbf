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

// One key fetch in flight: its inputs, what it found, and who is told at the end.
struct Fetch {
  std::unique_ptr<net::HttpClient> owned;  // when the fetch holds its client
  net::HttpClient& client;
  std::string key_id;
  FetchSigner signer;
  UnixTime now;
  std::chrono::steady_clock::time_point deadline;
  KeyFetchDone done;
  KeyFetch out;
  std::optional<activitypub::PublicKey> key;  // once the key document was read

  void finish(KeyResult result) {
    out.key = std::move(result);
    done(out);
  }
};
using FetchPtr = std::shared_ptr<Fetch>;

// A signed GET of `url`: `then(body)` on a 200, `then(nullopt, why)` otherwise.
void get(const FetchPtr& f, const std::string& url,
         std::function<void(std::optional<std::string>, std::string)> then) {
  const auto parts = net::parse_url(url);
  if (!parts) return then(std::nullopt, fmt::format("'{}' is not an http(s) URL", url));
  net::HttpRequest req;
  req.url = url;
  req.headers = {{"Accept", net::k_accept_activity}, {"Host", parts->host_header()}};
  req.deadline = f->deadline;
  send_with_plan_async(
      f->client, std::move(req), f->signer.plan, {f->signer.key_id, f->signer.private_pem}, f->now,
      [f, url, then = std::move(then)](std::exception_ptr error, SignedResponse sent) {
        if (error) {
          f->out.unreachable = true;
          try {
            std::rethrow_exception(error);
          } catch (const std::exception& e) {
            return then(std::nullopt, e.what());
          }
        }
        f->out.gone = sent.response.status == 410;
        if (sent.response.status == 200) return then(std::move(sent.response.body), "");
        then(std::nullopt, fmt::format("{} answered {}", url, sent.response.status));
      });
}

// The owner's actor document publishes the key: the end of the fetch.
KeyResult check_owner(const Fetch& f, const activitypub::Parsed<activitypub::RemoteActor>& actor) {
  if (!actor) return KeyResult::fail(actor.error);
  const auto& key = *f.key;
  if (actor->id != key.owner || actor->key_id != f.key_id || actor->public_key_pem != key.pem) {
    return KeyResult::fail(
        fmt::format("the actor {} does not publish the key {}", key.owner, f.key_id));
  }
  return KeyResult::ok(SigningKey{f.key_id, key.owner, key.pem, *actor});
}

void on_key_document(const FetchPtr& f, std::optional<std::string> body, const std::string& error) {
  if (!body) {
    return f->finish(
        KeyResult::fail(fmt::format("the key {} could not be fetched: {}", f->key_id, error)));
  }
  auto key = activitypub::parse_public_key(*body, f->key_id);
  if (!key) return f->finish(KeyResult::fail(key.error));
  if (url_domain(key->owner) != url_domain(f->key_id)) {
    return f->finish(KeyResult::fail(
        fmt::format("the key {} names an owner on another host ({})", f->key_id, key->owner)));
  }
  f->key = *key;
  // Mastodon and Fedify answer the key id with the actor document itself; a standalone key
  // document needs a second fetch for the owner.
  auto actor = activitypub::parse_actor(*body);
  if (actor && actor->id == key->owner) return f->finish(check_owner(*f, actor));
  get(f, key->owner, [f](std::optional<std::string> owner_body, std::string why) {
    if (!owner_body) {
      return f->finish(KeyResult::fail(
          fmt::format("the key owner {} could not be fetched: {}", f->key->owner, why)));
    }
    f->finish(check_owner(*f, activitypub::parse_actor(*owner_body)));
  });
}

void start(FetchPtr f) {
  const std::string doc_url = f->key_id.substr(0, f->key_id.find('#'));
  get(f, doc_url, [f](std::optional<std::string> body, std::string error) {
    on_key_document(f, std::move(body), error);
  });
}

}  // namespace

void fetch_signing_key_async(std::unique_ptr<net::HttpClient> client, std::string key_id,
                             FetchSigner signer, UnixTime now,
                             std::chrono::steady_clock::time_point deadline, KeyFetchDone done) {
  net::HttpClient& c = *client;
  start(std::make_shared<Fetch>(Fetch{std::move(client),
                                      c,
                                      std::move(key_id),
                                      std::move(signer),
                                      now,
                                      deadline,
                                      std::move(done),
                                      {},
                                      std::nullopt}));
}

KeyFetch fetch_signing_key(net::HttpClient& client, const std::string& key_id,
                           const FetchSigner& signer, UnixTime now,
                           std::chrono::steady_clock::time_point deadline) {
  return net::wait_for_result<KeyFetch>([&](auto done) {
    start(std::make_shared<Fetch>(Fetch{nullptr,
                                        client,
                                        key_id,
                                        signer,
                                        now,
                                        deadline,
                                        [done](const KeyFetch& k) { done(nullptr, k); },
                                        {},
                                        std::nullopt}));
  });
}

}  // namespace instctl::federation
