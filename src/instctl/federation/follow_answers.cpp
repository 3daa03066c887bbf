#include "instctl/federation/follow_answers.hpp"

#include "instctl/activitypub/urls.hpp"
#include "instctl/crypto/digest.hpp"
#include "instctl/federation/delivery_queue.hpp"

namespace instctl::federation {

void queue_follow_answer(Env& env, const std::string& public_url, const users::User& local,
                         activitypub::FollowAnswer answer, const FollowToAnswer& follow) {
  const std::string actor = activitypub::actor_url(public_url, local.username);
  const char* kind = answer == activitypub::FollowAnswer::accept ? "accepts" : "rejects";
  const std::string id =
      actor + "#" + kind + "/follows/" + crypto::sha256_hex(follow.activity_uri).substr(0, 16);
  DeliveryQueue(env).to_inbox(
      activitypub::answer_follow(answer, id, actor, follow.activity_uri, follow.follower_uri),
      Sender::user(local.id), follow.follower_inbox);
}

}  // namespace instctl::federation
