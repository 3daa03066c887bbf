#include "instctl/activitypub/activities.hpp"

#include <fmt/format.h>

#include "instctl/util/time.hpp"

namespace instctl::activitypub {

Json person_document(const LocalActor& a, const std::string& shared_inbox) {
  const auto base = a.actor_url.substr(0, a.actor_url.find("/users/"));
  return Json{{"@context", Json::array({k_as_context, k_security_context})},
              {"id", a.actor_url},
              {"type", "Person"},
              {"preferredUsername", a.username},
              {"name", a.display_name},
              {"summary", a.summary},
              {"url", base + "/@" + a.username},
              {"inbox", a.actor_url + "/inbox"},
              {"outbox", a.actor_url + "/outbox"},
              {"followers", a.actor_url + "/followers"},
              {"following", a.actor_url + "/following"},
              {"endpoints", Json{{"sharedInbox", shared_inbox}}},
              {"publicKey", Json{{"id", a.actor_url + "#main-key"},
                                 {"owner", a.actor_url},
                                 {"publicKeyPem", a.public_key_pem}}},
              {"manuallyApprovesFollowers", a.manually_approves_followers},
              {"published", util::format_time(a.published)}};
}

Json delete_actor(const std::string& actor_url, UnixTime now) {
  return Json{{"@context", k_as_context},
              {"id", fmt::format("{}#delete-{}", actor_url, now)},
              {"type", "Delete"},
              {"actor", actor_url},
              {"object", actor_url},
              {"to", Json::array({k_public})}};
}

Json answer_follow(FollowAnswer answer, const std::string& id, const std::string& local_actor_url,
                   const std::string& follow_id, const std::string& follower_uri) {
  return Json{{"@context", k_as_context},
              {"id", id},
              {"type", answer == FollowAnswer::accept ? "Accept" : "Reject"},
              {"actor", local_actor_url},
              {"object", Json{{"id", follow_id},
                              {"type", "Follow"},
                              {"actor", follower_uri},
                              {"object", local_actor_url}}}};
}

Json update_actor(const Json& actor_document, UnixTime now) {
  const auto id = actor_document.value("id", std::string());
  return Json{{"@context", Json::array({k_as_context, k_security_context})},
              {"id", fmt::format("{}#update-{}", id, now)},
              {"type", "Update"},
              {"actor", id},
              {"object", actor_document},
              {"to", Json::array({k_public})}};
}

}  // namespace instctl::activitypub
