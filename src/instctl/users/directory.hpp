#pragma once

// The profile directory (GET /api/v1/directory): local accounts that chose to be listed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "instctl/db/env.hpp"
#include "instctl/users/directory_query.hpp"
#include "instctl/users/user.hpp"

namespace instctl::users {

struct DirectoryEntry {
  User user;
  std::int64_t followers_count = 0;
  std::int64_t following_count = 0;
};

// Active, approved, discoverable local accounts, in the query's order and page.
std::vector<DirectoryEntry> list_directory(Env& env, const DirectoryQuery& q);

}  // namespace instctl::users
