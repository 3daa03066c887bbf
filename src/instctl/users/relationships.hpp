#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "instctl/db/connection.hpp"

namespace instctl::users {

// The accepted follows of an account as actor URIs, oldest first, for the followers and
// following collections. Local accounts' URIs are derived from `public_url`.
std::vector<std::string> follower_uris(db::Connection& db, std::int64_t account_id,
                                       const std::string& public_url, std::int64_t limit,
                                       std::int64_t offset);
std::vector<std::string> following_uris(db::Connection& db, std::int64_t account_id,
                                        const std::string& public_url, std::int64_t limit,
                                        std::int64_t offset);

// Follows of the account that wait for its approval (pending), oldest first.
std::vector<std::string> follow_request_uris(db::Connection& db, std::int64_t account_id,
                                             const std::string& public_url, std::int64_t limit,
                                             std::int64_t offset);

}  // namespace instctl::users
