#pragma once

// The query parameters of the profile directory (GET /api/v1/directory), as Mastodon takes
// them. Pure parsing: no database.

#include <cstdint>
#include <optional>
#include <string>

#include "instctl/activitypub/parsed.hpp"

namespace instctl::users {

inline constexpr std::int64_t k_directory_default_limit = 40;
inline constexpr std::int64_t k_directory_max_limit = 80;

// active: the most recently active first (there are no posts here: the latest change to the
// account); new: the newest accounts first.
enum class DirectoryOrder { active, newest };

struct DirectoryQuery {
  std::int64_t offset = 0;
  std::int64_t limit = k_directory_default_limit;
  DirectoryOrder order = DirectoryOrder::active;
  bool local = false;  // every account listed is local: accepted for Mastodon's clients
};

// Mastodon's query parameters, each as given (nullopt: absent). A limit above 80 becomes 80,
// as Mastodon clamps it; anything else that is not a number in range, an order other than
// active or new, or a local other than true/false/1/0 is refused with the reason.
activitypub::Parsed<DirectoryQuery> parse_directory_query(const std::optional<std::string>& offset,
                                                          const std::optional<std::string>& limit,
                                                          const std::optional<std::string>& order,
                                                          const std::optional<std::string>& local);

}  // namespace instctl::users
