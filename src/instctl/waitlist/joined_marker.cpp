#include "instctl/waitlist/joined_marker.hpp"

#include "instctl/waitlist/waitlist_store.hpp"

namespace instctl::waitlist {

void JoinedMarker::joined_with_invite(Env& env, const users::User&, std::int64_t invite_id) {
  WaitlistStore(env.db).mark_joined(invite_id, env.clock.now());
}

}  // namespace instctl::waitlist
