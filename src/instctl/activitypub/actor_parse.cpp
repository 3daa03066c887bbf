#include "instctl/activitypub/actor_parse.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "instctl/core/json.hpp"
#include "instctl/core/untrusted_json.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::activitypub {

namespace {

std::string text(const Json& doc, const char* name) {
  if (!doc.is_object() || !doc.contains(name)) return "";
  const auto& v = doc[name];
  if (v.is_string()) return v.get<std::string>();
  // A Link object or an array of them (url), or an object with an id.
  if (v.is_object()) {
    if (v.contains("href") && v["href"].is_string()) return v["href"].get<std::string>();
    if (v.contains("id") && v["id"].is_string()) return v["id"].get<std::string>();
  }
  if (v.is_array() && !v.empty()) {
    Json first = Json::object();
    first[name] = v.front();
    return text(first, name);
  }
  return "";
}

bool is_http_url(const std::string& s) {
  return util::starts_with_ci(s, "https://") || util::starts_with_ci(s, "http://");
}

// The key objects of a document: publicKey as an object or an array.
std::vector<Json> keys_of(const Json& doc) {
  std::vector<Json> out;
  if (!doc.contains("publicKey")) return out;
  const auto& k = doc["publicKey"];
  if (k.is_object()) out.push_back(k);
  if (k.is_array()) {
    for (const auto& e : k) {
      if (e.is_object()) out.push_back(e);
    }
  }
  return out;
}

std::string type_of(const Json& doc) {
  if (doc.contains("type") && doc["type"].is_string()) return doc["type"].get<std::string>();
  if (doc.contains("type") && doc["type"].is_array()) {
    for (const auto& t : doc["type"]) {
      if (t.is_string()) return t.get<std::string>();
    }
  }
  return "";
}

}  // namespace

Parsed<RemoteActor> parse_actor(std::string_view body) {
  const auto doc = parse_untrusted_object(body);
  if (!doc) return Parsed<RemoteActor>::fail("the actor document is not a JSON object");
  RemoteActor a;
  a.id = text(*doc, "id");
  a.type = type_of(*doc);
  static const char* const types[] = {"Person", "Service", "Application", "Group", "Organization"};
  if (!is_http_url(a.id)) return Parsed<RemoteActor>::fail("the actor document has no id URL");
  if (std::find(std::begin(types), std::end(types), a.type) == std::end(types)) {
    return Parsed<RemoteActor>::fail(fmt::format(
        "{} is a '{}', not an actor (Person, Service, Application, Group)", a.id, a.type));
  }
  a.preferred_username = text(*doc, "preferredUsername");
  a.name = text(*doc, "name");
  a.summary = text(*doc, "summary");
  a.url = text(*doc, "url");
  a.inbox = text(*doc, "inbox");
  a.outbox = text(*doc, "outbox");
  a.followers = text(*doc, "followers");
  if (doc->contains("endpoints") && (*doc)["endpoints"].is_object()) {
    a.shared_inbox = text((*doc)["endpoints"], "sharedInbox");
  }
  if (a.shared_inbox.empty()) a.shared_inbox = text(*doc, "sharedInbox");
  if (!is_http_url(a.shared_inbox)) a.shared_inbox.clear();
  if (doc->contains("manuallyApprovesFollowers") &&
      (*doc)["manuallyApprovesFollowers"].is_boolean()) {
    a.manually_approves_followers = (*doc)["manuallyApprovesFollowers"].get<bool>();
  }
  if (!is_http_url(a.inbox))
    return Parsed<RemoteActor>::fail(fmt::format("the actor {} has no inbox", a.id));
  if (a.preferred_username.empty()) {
    return Parsed<RemoteActor>::fail(fmt::format("the actor {} has no preferredUsername", a.id));
  }
  for (const auto& k : keys_of(*doc)) {
    const auto owner = text(k, "owner");
    const auto pem = text(k, "publicKeyPem");
    if ((owner.empty() || owner == a.id) && !pem.empty()) {
      a.key_id = text(k, "id");
      a.public_key_pem = pem;
      break;
    }
  }
  if (a.public_key_pem.empty()) {
    return Parsed<RemoteActor>::fail(
        fmt::format("the actor {} publishes no public key of its own", a.id));
  }
  return Parsed<RemoteActor>::ok(std::move(a));
}

Parsed<PublicKey> parse_public_key(std::string_view body, std::string_view key_id) {
  const auto doc = parse_untrusted_object(body);
  if (!doc) return Parsed<PublicKey>::fail("the key document is not a JSON object");
  // A standalone key: {"id": keyId, "owner": actor, "publicKeyPem": ...}.
  if (doc->contains("publicKeyPem")) {
    PublicKey k{text(*doc, "id"), text(*doc, "owner"), text(*doc, "publicKeyPem")};
    if (k.id == key_id && !k.owner.empty() && !k.pem.empty()) return Parsed<PublicKey>::ok(k);
    return Parsed<PublicKey>::fail(fmt::format("the key document does not describe {}", key_id));
  }
  const auto id = text(*doc, "id");
  for (const auto& k : keys_of(*doc)) {
    const auto kid = text(k, "id");
    const auto owner = text(k, "owner");
    const auto pem = text(k, "publicKeyPem");
    if (kid == key_id && !pem.empty() && (owner.empty() || owner == id)) {
      return Parsed<PublicKey>::ok(PublicKey{kid, id, pem});
    }
  }
  return Parsed<PublicKey>::fail(fmt::format("the document {} holds no key {}", id, key_id));
}

}  // namespace instctl::activitypub
