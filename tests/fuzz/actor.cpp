// Documents fetched from remote servers about an actor and its instance: the actor document,
// a key document named by a keyId, and NodeInfo.
//
// Input: the document.

#include "fuzz_support.hpp"
#include "instctl/activitypub/actor_parse.hpp"
#include "instctl/activitypub/nodeinfo_parse.hpp"
#include "instctl/federation/url_domain.hpp"
#include "instctl/net/http_client.hpp"
#include "instctl/util/strings.hpp"

using namespace instctl;

namespace {

bool is_http_url(const std::string& s) {
  return util::starts_with_ci(s, "https://") || util::starts_with_ci(s, "http://");
}

constexpr std::string_view k_key_id = "https://mastodon.example/users/alice#main-key";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = fuzz::as_text(data, size);
  const auto actor = activitypub::parse_actor(body);
  std::string key_id(k_key_id);
  if (actor) {
    fuzz::require(is_http_url(actor->id) && is_http_url(actor->inbox),
                  "an actor has http(s) id and inbox URLs");
    fuzz::require(actor->shared_inbox.empty() || is_http_url(actor->shared_inbox),
                  "an actor's shared inbox is empty or an http(s) URL");
    fuzz::require(!actor->preferred_username.empty() && !actor->public_key_pem.empty(),
                  "an actor has a username and a key");
    federation::url_domain(actor->id);
    net::parse_url(actor->inbox);
    if (!actor->key_id.empty()) key_id = actor->key_id;
  }
  if (const auto key = activitypub::parse_public_key(body, key_id)) {
    fuzz::require(key->id == key_id && !key->pem.empty(), "a key document holds the key asked for");
  }
  activitypub::parse_nodeinfo_links(body);
  activitypub::parse_nodeinfo(body);
  return 0;
}
