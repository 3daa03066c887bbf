#pragma once

// The answer a local user gives a remote Follow: a signed Accept or Reject queued for the
// follower's inbox. The inbox (a follow of a user who accepts everyone) and
// `users follow-requests` (a decision on a pending follow) both answer through here, so an
// answer's id is the same whoever makes it: one per Follow activity and kind of answer.

#include <string>

#include "instctl/activitypub/activities.hpp"
#include "instctl/db/env.hpp"
#include "instctl/users/user.hpp"

namespace instctl::federation {

struct FollowToAnswer {
  std::string activity_uri;  // the Follow's id
  std::string follower_uri;  // its actor
  std::string follower_inbox;
};

// Call inside the caller's transaction.
void queue_follow_answer(Env& env, const std::string& public_url, const users::User& local,
                         activitypub::FollowAnswer answer, const FollowToAnswer& follow);

}  // namespace instctl::federation
