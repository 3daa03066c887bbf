// "Forgot password" (/auth/forgot, linked from /auth/sign_in): a person names their account by
// its username or address and gets a reset link by mail. One answer whatever the name is (an
// account, none, one that cannot sign in, or one whose mail is held back by the rate limit),
// and no sooner than users::k_forgot_answer_floor after the form was read, whether a mail was
// queued or not, so neither the page nor its timing says whether an account exists; the answer
// waits without holding a worker (answer_at). Thin: users::ForgotPassword queues the mail and
// says when the answer may go, web_guard makes the checks, member_views the markup.

#include "instctl/users/forgot_password.hpp"

#include <chrono>

#include "instctl/http/answer_later.hpp"
#include "instctl/http/form.hpp"
#include "instctl/http/routes/member_views.hpp"
#include "instctl/http/routes/onboarding_views.hpp"
#include "instctl/http/routes/routes.hpp"
#include "instctl/http/web_guard.hpp"
#include "instctl/onboarding/rate_limiter.hpp"

namespace instctl::http {

namespace {

Response forgot_form(RouteContext& ctx) {
  const auto pair = csrf_pair(ctx);
  return html_with_csrf(
      ctx, 200, views::forgot_password_page(views::load_site(ctx), "", pair.token, {}), pair);
}

Response forgot(RouteContext& ctx) {
  // Per client address (429 says nothing about any account).
  if (auto refusal = check_post(ctx, "forgot_password", Expect::form)) {
    return views::refused(ctx, *refusal);
  }
  const auto began = std::chrono::steady_clock::now();
  const auto login = Form::of(ctx.req).get("login");
  if (login.find_first_not_of(" \t\r\n") == std::string::npos) {
    const auto pair = csrf_pair(ctx);
    return html_with_csrf(
        ctx, 422,
        views::forgot_password_page(views::load_site(ctx), login, pair.token,
                                    {{"login", "type your username or email address"}}),
        pair);
  }
  users::ForgotPassword service(ctx.env);
  // Per account: past the limit, no mail, and the same page after the same time.
  const bool over_limit = onboarding::RateLimiter(ctx.env)
                              .take("forgot_password_account", service.key(login))
                              .has_value();
  const auto when = service.request(login, !over_limit, began);
  return answer_at(html_response(200, views::reset_mail_sent_page(views::load_site(ctx))), when);
}

}  // namespace

void add_forgot_password_routes(Router& r) {
  r.add("GET", "/auth/forgot", forgot_form);
  r.add("POST", "/auth/forgot", forgot);
}

}  // namespace instctl::http
