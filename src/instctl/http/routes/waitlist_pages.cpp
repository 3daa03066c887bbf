// The public waitlist: GET and POST /waitlist (HTML) and POST /api/v1/waitlist (JSON), when
// waitlist.enabled is set, and the mailed confirmation link /waitlist/confirm/TOKEN (a GET shows
// a button, the POST confirms, so a mail scanner that opens links confirms nothing). The rules
// are waitlist add's (WaitlistService, through OnboardingService).

#include "instctl/http/form.hpp"
#include "instctl/http/routes/onboarding_views.hpp"
#include "instctl/http/routes/routes.hpp"
#include "instctl/http/routes/waitlist_views.hpp"
#include "instctl/http/web_guard.hpp"

namespace instctl::http {

namespace {

using onboarding::OnboardingService;
using onboarding::WaitlistOutcome;

Response waitlist_form(RouteContext& ctx, int status, const views::Site& site,
                       const views::WaitlistValues& v) {
  const auto pair = csrf_pair(ctx);
  Response r = html_response(status, views::waitlist_page(site, v, pair.token));
  set_csrf_cookie(ctx, r, pair);
  return r;
}

Response show(RouteContext& ctx) {
  const auto site = views::load_site(ctx);
  if (!site.texts.waitlist_enabled) return html_response(404, views::waitlist_closed_page(site));
  return waitlist_form(ctx, 200, site, {});
}

Response join(RouteContext& ctx) {
  const auto site = views::load_site(ctx);
  if (!site.texts.waitlist_enabled) return html_response(404, views::waitlist_closed_page(site));
  if (auto refusal = check_post(ctx, "waitlist", Expect::form))
    return views::refused(ctx, *refusal);
  const auto form = Form::of(ctx.req);
  onboarding::WaitlistForm in{form.get("email"), form.get("username"), form.get("reason"), "web"};
  const auto result = OnboardingService(ctx.env).join_waitlist(in);
  if (result.outcome == WaitlistOutcome::closed)
    return html_response(404, views::waitlist_closed_page(site));
  if (result.outcome == WaitlistOutcome::refused) {
    return waitlist_form(ctx, 422, site, {in.email, in.username, in.reason, result.errors});
  }
  return html_response(result.outcome == WaitlistOutcome::joined ? 201 : 200,
                       views::waitlist_result_page(site, result));
}

Response api_error(int status, std::string_view message) { return error_response(status, message); }

Response api_join(RouteContext& ctx) {
  if (auto refusal = check_post(ctx, "waitlist", Expect::json)) {
    Response r = api_error(refusal->status, refusal->message);
    if (refusal->status == 429) r.header("Retry-After", std::to_string(refusal->retry_after));
    return r;
  }
  const Json body = Json::parse(ctx.req.body, nullptr, false);
  if (!body.is_object()) return api_error(400, "The body must be a JSON object: {\"email\": ...}.");
  onboarding::WaitlistForm in{text_member(body, "email"), text_member(body, "username"),
                              text_member(body, "reason"), "api"};
  const auto result = OnboardingService(ctx.env).join_waitlist(in);
  switch (result.outcome) {
    case WaitlistOutcome::closed:
      return api_error(404, "The waitlist is closed.");
    case WaitlistOutcome::has_account:
      return api_error(409, "This address already has an account.");
    case WaitlistOutcome::refused: {
      Json errors = Json::object();
      for (const auto& e : result.errors) errors[e.field] = e.for_public();
      Response r = json_response(
          422, Json{{"error", result.errors.front().for_public()}, {"errors", errors}});
      return r;
    }
    default:
      break;
  }
  const bool joined = result.outcome == WaitlistOutcome::joined;
  // The position is null until the address is confirmed (`confirmed`: the mailed link).
  return json_response(
      joined ? 201 : 200,
      Json{{"already_listed", !joined},
           {"confirmed", result.confirmed},
           {"position", result.position ? Json(*result.position) : Json(nullptr)}});
}

Response confirmation_page(RouteContext& ctx, const waitlist::Confirmation& c) {
  return html_response(views::waitlist_confirmation_status(c.state),
                       views::waitlist_confirmation_page(views::load_site(ctx), c));
}

Response show_confirm(RouteContext& ctx) {
  const auto c = waitlist::WaitlistService(ctx.env).check_confirmation(ctx.param("token"));
  if (c.state != waitlist::ConfirmState::usable) return confirmation_page(ctx, c);
  const auto pair = csrf_pair(ctx);
  return html_with_csrf(
      ctx, 200, views::waitlist_confirm_page(views::load_site(ctx), ctx.req.path, pair.token),
      pair);
}

Response confirm(RouteContext& ctx) {
  if (auto refusal = check_post(ctx, "waitlist", Expect::form))
    return views::refused(ctx, *refusal);
  return confirmation_page(ctx, waitlist::WaitlistService(ctx.env).confirm(ctx.param("token")));
}

}  // namespace

void add_waitlist_routes(Router& r) {
  r.add("GET", "/waitlist", show);
  r.add("POST", "/waitlist", views::or_try_again<join>);
  r.add("POST", "/api/v1/waitlist", api_join);
  r.add("GET", "/waitlist/confirm/{token}", show_confirm);
  r.add("POST", "/waitlist/confirm/{token}", confirm);
}

}  // namespace instctl::http
