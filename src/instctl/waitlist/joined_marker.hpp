#pragma once

#include "instctl/users/account_events.hpp"

namespace instctl::waitlist {

// The waitlist entry that received an invite becomes joined when an account redeems it
// (users::AccountEvents).
class JoinedMarker final : public users::AccountEvents {
 public:
  void joined_with_invite(Env& env, const users::User& u, std::int64_t invite_id) override;
};

}  // namespace instctl::waitlist
