#pragma once

// The member's account pages under /settings (account_settings.cpp).

#include "instctl/http/router.hpp"
#include "instctl/http/routes/account_views.hpp"
#include "instctl/users/user.hpp"

namespace instctl::http {

// What the account section of /settings shows for `user` (the partner identity, a password).
views::AccountSection account_section_of(RouteContext& ctx, const users::User& user);

}  // namespace instctl::http
