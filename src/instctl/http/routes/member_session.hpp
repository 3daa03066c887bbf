#pragma once

// The member's session on the instance's pages as the route handlers see it: who is signed in
// (the session cookie, through auth::SessionService), and the responses that start or end a
// session. Password sign-in, partner sign-in and the settings pages share these, so the
// cookie's rules (HttpOnly, SameSite=Lax, Secure on https, its lifetime) are set in one place.

#include <cstdint>
#include <optional>
#include <string>

#include "instctl/http/router.hpp"
#include "instctl/users/user.hpp"

namespace instctl::http {

Response see_other(std::string location);
// The session cookie's token, or "".
std::string session_token(RouteContext& ctx);
// The signed-in member, when the session lasts and the account may sign in.
std::optional<users::User> signed_in(RouteContext& ctx);
// Sets the cookie of a new session (auth::SessionService::start's token) on `r`.
void set_session_cookie(RouteContext& ctx, Response& r, const std::string& token);
// Removes the session cookie from the browser.
void clear_session_cookie(RouteContext& ctx, Response& r);
// A new session for the account on this browser, then to `location`.
Response start_session(RouteContext& ctx, std::int64_t account_id,
                       std::string location = "/settings");

}  // namespace instctl::http
