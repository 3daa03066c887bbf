#include "instctl/federation/account_announcements.hpp"

#include "instctl/activitypub/activities.hpp"
#include "instctl/activitypub/actor.hpp"
#include "instctl/crypto/random.hpp"
#include "instctl/federation/delivery_queue.hpp"
#include "instctl/federation/follower_service.hpp"
#include "instctl/users/public_profile.hpp"
#include "instctl/users/user_service.hpp"

namespace instctl::federation {

std::size_t announce_delete(Env& env, const users::User& u) {
  const auto actor = users::UserService(env).actor_url(u);
  return DeliveryQueue(env)
      .to_followers(activitypub::delete_actor(actor, env.clock.now()), u.id)
      .queued;
}

std::size_t announce_update(Env& env, const users::User& u,
                            std::optional<std::int64_t> retired_key_id) {
  users::UserService users(env);
  // The very document GET /users/U serves, so peers store what they would fetch.
  const Json doc = activitypub::local_actor(users.instance(), users::public_profile(u),
                                            users.ensure_public_key(u.id));
  const auto sender =
      retired_key_id ? Sender::user_with_retired_key(u.id, *retired_key_id) : Sender::user(u.id);
  const auto update = activitypub::update_actor(doc, env.clock.now(), crypto::random_token(6));
  return DeliveryQueue(env).to_followers(update, sender).queued;
}

// Remote followers learn of the deletion (signed with the kept keys), with the tombstone.
void AccountAnnouncer::deleted(Env& env, const users::User& u, Json& details) {
  details["deliveries"] = announce_delete(env, u);
}

std::size_t AccountAnnouncer::changed(Env& env, const users::User& u,
                                      std::optional<std::int64_t> retired_key_id) {
  return announce_update(env, u, retired_key_id);
}

std::int64_t AccountAnnouncer::follows_unlocked(Env& env, const users::User& before) {
  users::UserService users(env);
  return static_cast<std::int64_t>(
      FollowerService(env).approve_all(before, users.instance().public_url));
}

}  // namespace instctl::federation
