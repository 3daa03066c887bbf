#include "instctl/activitypub/activities.hpp"

#include <fmt/format.h>

#include "instctl/util/time.hpp"

namespace instctl::activitypub {

Json delete_actor(const std::string& actor_url, UnixTime now) {
  return Json{{"@context", k_as_context}, {"id", fmt::format("{}#delete-{}", actor_url, now)},
              {"type", "Delete"},         {"actor", actor_url},
              {"object", actor_url},      {"to", Json::array({k_public})}};
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

Json update_actor(const Json& actor_document, UnixTime now, const std::string& nonce) {
  const auto id = actor_document.value("id", std::string());
  const Json context = actor_document.contains("@context")
                           ? actor_document["@context"]
                           : Json::array({k_as_context, k_security_context});
  return Json{{"@context", context},      {"id", fmt::format("{}#update-{}-{}", id, now, nonce)},
              {"type", "Update"},         {"actor", id},
              {"object", actor_document}, {"to", Json::array({k_public})}};
}

}  // namespace instctl::activitypub
