#pragma once

#include <cstdint>

#include "instctl/core/json.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::moderation {

// Adds what `users show` needs to know about an account's moderation: "open_reports" (the
// open reports against it) and "strikes" (every action taken against it, oldest first).
void add_moderation_record(db::Connection& db, std::int64_t account_id, Json& record);

}  // namespace instctl::moderation
