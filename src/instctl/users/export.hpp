#pragma once

// `users export`: local users in the format `users import` reads, streamed page by page so an
// instance of any size exports in bounded memory. Only profile fields: no secrets, no state.

#include <cstddef>
#include <functional>
#include <string_view>

#include "instctl/core/json.hpp"
#include "instctl/db/connection.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/users/import_rows.hpp"
#include "instctl/users/user.hpp"

namespace instctl::users {

// The user as an import row: exactly the fields of k_import_fields.
Json to_import_json(const User& u);

using ExportWriter = std::function<void(std::string_view chunk)>;

// Writes the local users matching `filter` (deleted accounts never: they have nothing to
// import), oldest first. Returns how many were written.
std::size_t export_users(db::Connection& db, const ListFilter& filter, ImportFormat format,
                         const ExportWriter& write);

}  // namespace instctl::users
