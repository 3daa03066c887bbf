// Onboarding: the invite page (GET /invite/CODE) and sign-up (GET and POST /auth/sign_up).
// Thin: onboarding::OnboardingService holds the rules, views the markup, web_guard the checks.

#include "instctl/http/form.hpp"
#include "instctl/http/routes/onboarding_views.hpp"
#include "instctl/http/routes/routes.hpp"
#include "instctl/http/web_guard.hpp"
#include "instctl/instance/settings.hpp"

namespace instctl::http {

namespace {

using onboarding::InviteState;
using onboarding::OnboardingService;

Response problem(RouteContext& ctx, InviteState state) {
  return html_response(views::invite_problem_status(state),
                       views::invite_problem_page(views::load_site(ctx), state));
}

// The invite page, or the plain sign-up page without an invite, with the form as given.
Response sign_up_answer(RouteContext& ctx, int status, views::SignUpValues v) {
  const auto site = views::load_site(ctx);
  const auto pair = csrf_pair(ctx);
  if (v.invite_code.empty()) {
    return html_with_csrf(ctx, status, views::sign_up_page(site, v, pair.token), pair);
  }
  const auto lookup = OnboardingService(ctx.env).invite(v.invite_code);
  if (lookup.state != InviteState::usable) return problem(ctx, lookup.state);
  v.invite_code = lookup.invite->code;
  v.locked_email = lookup.invite->email;
  v.handle = lookup.handle;
  return html_with_csrf(ctx, status, views::invite_page(site, *lookup.invite, v, pair.token), pair);
}

Response invite(RouteContext& ctx) {
  const auto& code = ctx.param("code");
  const auto lookup = OnboardingService(ctx.env).invite(code);
  if (lookup.state == InviteState::invalid) {
    // Guessing codes costs a token from the client's bucket each time.
    if (auto refusal = check_rate(ctx, "invite_lookup")) return views::refused(ctx, *refusal);
  }
  if (lookup.state != InviteState::usable) return problem(ctx, lookup.state);
  views::SignUpValues v;
  v.invite_code = code;
  return sign_up_answer(ctx, 200, v);
}

Response sign_up_form(RouteContext& ctx) {
  const auto site = views::load_site(ctx);
  if (!views::signs_up_without_invite(site.texts)) {
    return html_response(site.texts.mode == users::RegistrationMode::closed ? 403 : 200,
                         views::invite_only_page(site));
  }
  return sign_up_answer(ctx, 200, {});
}

Response sign_up(RouteContext& ctx) {
  if (auto refusal = check_post(ctx, "sign_up", Expect::form)) return views::refused(ctx, *refusal);
  const auto form = Form::of(ctx.req);
  onboarding::SignUpForm in{form.get("invite"), form.get("username"), form.get("email"),
                            form.get("password"), !form.get("agree").empty()};
  const auto result = OnboardingService(ctx.env).sign_up(in);
  if (result.invite_state) return problem(ctx, *result.invite_state);
  if (!result.errors.empty()) {
    // Back to the same form: what was typed stays, except the password.
    views::SignUpValues v;
    v.invite_code = in.invite_code;
    v.username = in.username;
    v.email = in.email;
    v.agreed = in.agreed;
    v.errors = result.errors;
    return sign_up_answer(ctx, 422, v);
  }
  const auto contact = instance::Settings(ctx.env.db).get("instance.contact_email");
  return html_response(200, views::welcome_page(views::load_site(ctx), result, contact));
}

}  // namespace

void add_onboarding_routes(Router& r) {
  r.add("GET", "/invite/{code}", invite);
  r.add("GET", "/auth/sign_up", sign_up_form);
  r.add("POST", "/auth/sign_up", views::or_try_again<sign_up>);
}

}  // namespace instctl::http
