#pragma once

#include <cstdint>
#include <string>

#include "instctl/core/clock.hpp"

namespace instctl::activitypub {

// What the documents of a local account (its actor, its REST Account entity) show of it:
// plain values, filled by the account's owner (users::public_profile).
struct LocalProfile {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string note;  // plain text; the documents write it as HTML
  bool manually_approves_followers = false;
  bool discoverable = true;
  UnixTime created_at = 0;
};

}  // namespace instctl::activitypub
