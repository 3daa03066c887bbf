#include "instctl/activitypub/actor.hpp"

#include "instctl/activitypub/urls.hpp"
#include "instctl/util/html.hpp"
#include "instctl/util/time.hpp"

namespace instctl::activitypub {

Json actor_context() {
  return Json::array({"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1",
                      Json{{"manuallyApprovesFollowers", "as:manuallyApprovesFollowers"},
                           {"toot", "http://joinmastodon.org/ns#"},
                           {"discoverable", "toot:discoverable"},
                           {"indexable", "toot:indexable"}}});
}

namespace {

Json public_key(const std::string& actor, const std::string& pem) {
  return Json{{"id", key_id(actor)}, {"owner", actor}, {"publicKeyPem", pem}};
}

// Mastodon publishes the day an account was made, at midnight.
std::string published(UnixTime created_at) { return util::format_date(created_at) + "T00:00:00Z"; }

}  // namespace

Json local_actor(const instance::InstanceInfo& site, const LocalProfile& u,
                 const std::string& pem) {
  const std::string id = actor_url(site.public_url, u.username);
  return Json{{"@context", actor_context()},
              {"id", id},
              {"type", "Person"},
              {"following", id + "/following"},
              {"followers", id + "/followers"},
              {"inbox", id + "/inbox"},
              {"outbox", id + "/outbox"},
              {"preferredUsername", u.username},
              {"name", u.display_name},
              {"summary", util::text_to_html(u.note)},
              {"url", profile_url(site.public_url, u.username)},
              {"manuallyApprovesFollowers", u.manually_approves_followers},
              {"discoverable", u.discoverable},
              {"indexable", false},
              {"published", published(u.created_at)},
              {"publicKey", public_key(id, pem)},
              {"tag", Json::array()},
              {"attachment", Json::array()},
              {"endpoints", Json{{"sharedInbox", shared_inbox_url(site.public_url)}}}};
}

Json instance_actor(const instance::InstanceInfo& site, const std::string& pem) {
  const std::string id = instance_actor_url(site.public_url);
  return Json{{"@context", actor_context()},
              {"id", id},
              {"type", "Application"},
              {"inbox", id + "/inbox"},
              {"outbox", id + "/outbox"},
              {"preferredUsername", site.account_domain},  // as Mastodon's: acct:D@D on its domain
              {"name", site.title},
              {"url", site.public_url + "/about"},
              {"manuallyApprovesFollowers", true},
              {"published", published(site.created_at)},
              {"publicKey", public_key(id, pem)},
              {"endpoints", Json{{"sharedInbox", shared_inbox_url(site.public_url)}}}};
}

Json tombstone(const std::string& id, UnixTime deleted_at) {
  return Json{{"@context", "https://www.w3.org/ns/activitystreams"},
              {"id", id},
              {"type", "Tombstone"},
              {"formerType", "Person"},
              {"deleted", util::format_time(deleted_at)}};
}

}  // namespace instctl::activitypub
