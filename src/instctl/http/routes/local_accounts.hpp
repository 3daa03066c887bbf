#pragma once

#include <optional>
#include <string_view>

#include "instctl/http/router.hpp"
#include "instctl/users/user.hpp"

namespace instctl::http {

// The local account a URL or a WebFinger resource names, or the answer to give instead:
// 404 for unknown and not yet approved accounts, 410 Gone for suspended ones, and 410 with a
// Tombstone for deleted ones.
struct MemberLookup {
  std::optional<users::User> user;
  Response answer;
  users::Status status = users::Status::active;  // the account's, when there is one
};
MemberLookup lookup_member(RouteContext& ctx, std::string_view username);

}  // namespace instctl::http
