#pragma once

// Mastodon's REST Account entity for local accounts (GET /api/v1/directory), so apps that
// speak Mastodon's API can show this instance's members.

#include <cstdint>
#include <string>

#include "instctl/activitypub/profile.hpp"
#include "instctl/core/json.hpp"
#include "instctl/instance/instance.hpp"

namespace instctl::activitypub {

struct AccountCounts {
  std::int64_t followers = 0;
  std::int64_t following = 0;
};

// The picture every account shows: there are no uploads here, so these are Mastodon's
// "missing" image paths, which `serve` answers with a blank image.
inline constexpr const char* k_missing_avatar_path = "/avatars/original/missing.png";
inline constexpr const char* k_missing_header_path = "/headers/original/missing.png";

Json account_entity(const instance::InstanceInfo& site, const LocalProfile& u,
                    const AccountCounts& c);

}  // namespace instctl::activitypub
