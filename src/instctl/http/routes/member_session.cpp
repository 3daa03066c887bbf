#include "instctl/http/routes/member_session.hpp"

#include "instctl/auth/session_service.hpp"
#include "instctl/http/cookies.hpp"
#include "instctl/http/routes/onboarding_views.hpp"

namespace instctl::http {

Response see_other(std::string location) {
  Response r = html_response(303, "");
  r.header("Location", std::move(location));
  return r;
}

std::string session_token(RouteContext& ctx) {
  return request_cookie(ctx.req, k_session_cookie).value_or("");
}

std::optional<users::User> signed_in(RouteContext& ctx) {
  return auth::SessionService(ctx.env).current(session_token(ctx));
}

void set_session_cookie(RouteContext& ctx, Response& r, const std::string& token) {
  r.header("Set-Cookie", set_cookie_value({.name = k_session_cookie,
                                           .value = token,
                                           .secure = secure_cookies(ctx.site().public_url),
                                           .life = CookieLife::max_age,
                                           .max_age = auth::k_session_lifetime}));
}

void clear_session_cookie(RouteContext& ctx, Response& r) {
  r.header("Set-Cookie", set_cookie_value({.name = k_session_cookie,
                                           .secure = secure_cookies(ctx.site().public_url),
                                           .life = CookieLife::remove}));
}

Response start_session(RouteContext& ctx, std::int64_t account_id, std::string location) {
  const auto s = auth::SessionService(ctx.env).start(account_id);
  Response r = see_other(std::move(location));
  set_session_cookie(ctx, r, s.token);
  return r;
}

}  // namespace instctl::http
