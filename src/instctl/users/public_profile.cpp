#include "instctl/users/public_profile.hpp"

namespace instctl::users {

activitypub::LocalProfile public_profile(const User& u) {
  return activitypub::LocalProfile{
      u.id,           u.username,  u.display_name, u.note, u.manually_approves_followers,
      u.discoverable, u.created_at};
}

}  // namespace instctl::users
