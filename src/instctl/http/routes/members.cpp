// The member's own pages: set a password from an activation or reset link
// (/auth/activate/TOKEN, /auth/reset/TOKEN), sign in and out (/auth/sign_in, /auth/sign_out)
// and /settings with its followers section. Thin: users::UserService owns the links,
// auth::SessionService the sessions and the lock-out, federation::FollowerService the follows,
// member_views and follower_views the markup, web_guard the checks.

#include <fmt/format.h>

#include "instctl/auth/session_service.hpp"
#include "instctl/crypto/password.hpp"
#include "instctl/federation/follower_service.hpp"
#include "instctl/http/form.hpp"
#include "instctl/http/routes/account_settings.hpp"
#include "instctl/http/routes/follower_views.hpp"
#include "instctl/http/routes/member_session.hpp"
#include "instctl/http/routes/member_views.hpp"
#include "instctl/http/routes/onboarding_views.hpp"
#include "instctl/http/routes/routes.hpp"
#include "instctl/http/web_guard.hpp"
#include "instctl/util/row_id.hpp"

namespace instctl::http {

namespace {

using onboarding::FieldError;
using users::LinkState;
using users::PasswordLink;

// --- activation and reset links ---

template <PasswordLink Kind>
Response password_form(RouteContext& ctx, int status, const std::vector<FieldError>& errors) {
  const auto site = views::load_site(ctx);
  const auto& token = ctx.param("token");
  const auto check = users::UserService(ctx.env).check_password_link(Kind, token);
  if (check.state != LinkState::usable) {
    return html_response(views::link_problem_status(check.state),
                         views::link_problem_page(site, Kind, check.state));
  }
  const auto pair = csrf_pair(ctx);
  return html_with_csrf(
      ctx, status, views::password_page(site, Kind, *check.user, ctx.req.path, pair.token, errors),
      pair);
}

template <PasswordLink Kind>
Response show_password_form(RouteContext& ctx) {
  return password_form<Kind>(ctx, 200, {});
}

template <PasswordLink Kind>
Response set_password(RouteContext& ctx) {
  if (auto refusal = check_post(ctx, "set_password", Expect::form)) {
    return views::refused(ctx, *refusal);
  }
  const auto form = Form::of(ctx.req);
  const auto password = form.get("password");
  if (password != form.get("password_confirmation")) {
    return password_form<Kind>(
        ctx, 422, {{"password_confirmation", "the two passwords are not the same: type it again"}});
  }
  users::LinkCheck done;
  try {
    done = users::UserService(ctx.env).use_password_link(Kind, ctx.param("token"), password);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::usage) throw;
    return password_form<Kind>(ctx, 422, e.public_problems());
  }
  const auto site = views::load_site(ctx);
  if (done.state != LinkState::usable) {
    return html_response(views::link_problem_status(done.state),
                         views::link_problem_page(site, Kind, done.state));
  }
  // A new password ends every session the account had (someone else may hold one).
  auth::SessionService(ctx.env).end_all(done.user->id);
  if (!auth::may_sign_in(*done.user)) {
    return html_response(200, views::cannot_sign_in_page(site, *done.user));
  }
  return start_session(ctx, done.user->id);
}

// --- sign-in and sign-out ---

Response sign_in_form(RouteContext& ctx) {
  if (signed_in(ctx)) return see_other("/settings");
  const auto pair = csrf_pair(ctx);
  return html_with_csrf(ctx, 200, views::sign_in_page(views::load_site(ctx), "", pair.token, {}),
                        pair);
}

Response sign_in(RouteContext& ctx) {
  if (auto refusal = check_post(ctx, "sign_in", Expect::form)) return views::refused(ctx, *refusal);
  const auto form = Form::of(ctx.req);
  const auto login = form.get("login");
  const auto result = auth::SessionService(ctx.env).sign_in(login, form.get("password"));
  using auth::SignInOutcome;
  if (result.outcome == SignInOutcome::signed_in) return start_session(ctx, result.user->id);
  const auto site = views::load_site(ctx);
  if (result.outcome == SignInOutcome::unusable) {
    return html_response(403, views::cannot_sign_in_page(site, *result.user));
  }
  // The same words for an unknown name and a wrong password; a lock-out says when to return.
  std::string problem = "the username or password is not right";
  int status = 401;
  if (result.outcome == SignInOutcome::locked) {
    problem =
        "too many failed sign-ins for this account: " + views::try_again_in(result.retry_after);
    status = 429;
  }
  const auto pair = csrf_pair(ctx);
  Response r = html_with_csrf(ctx, status,
                              views::sign_in_page(site, login, pair.token, {{"", problem}}), pair);
  if (status == 429) r.header("Retry-After", std::to_string(result.retry_after));
  return r;
}

Response sign_out(RouteContext& ctx) {
  if (auto refusal = check_form(ctx, Expect::form)) return views::refused(ctx, *refusal);
  auth::SessionService(ctx.env).end(session_token(ctx));
  Response r = html_response(200, views::signed_out_page(views::load_site(ctx)));
  clear_session_cookie(ctx, r);
  return r;
}

// --- settings ---

Response settings_page(RouteContext& ctx, int status, const users::User& user,
                       const views::ProfileValues& profile, const std::string& notice = "") {
  const auto pair = csrf_pair(ctx);
  const auto site = views::load_site(ctx);
  const auto followers = federation::FollowerService(ctx.env).list(
      "id:" + std::to_string(user.id), federation::FollowerService::Which::all);
  auto account = views::account_section(site, account_section_of(ctx, user), pair.token);
  return html_with_csrf(ctx, status,
                        views::settings_page(site, user, profile, pair.token, notice,
                                             views::followers_section(user, followers, pair.token),
                                             std::move(account)),
                        pair);
}

Response settings(RouteContext& ctx) {
  const auto user = signed_in(ctx);
  if (!user) return see_other("/auth/sign_in");
  std::string notice;
  if (ctx.req.query_param("changed") == "password") {
    notice = "Your password is changed. Everywhere else you were signed in, you are signed out.";
  }
  return settings_page(ctx, 200, *user, views::profile_values(*user), notice);
}

// The profile form: the same change as `users modify --display-name --note --discoverable`.
Response save_settings(RouteContext& ctx) {
  // Signed in: no rate limit beyond the session (a member may save as often as they like).
  if (auto refusal = check_form(ctx, Expect::form)) return views::refused(ctx, *refusal);
  const auto user = signed_in(ctx);
  if (!user) return see_other("/auth/sign_in");
  const auto form = Form::of(ctx.req);
  views::ProfileValues v{
      form.get("display_name"), form.get("note"), form.get("discoverable") == "yes", {}};
  users::ModifyRequest req;
  req.display_name = v.display_name;
  req.note = v.note;
  req.discoverable = v.discoverable;
  try {
    const auto after = users::UserService(ctx.env).modify("id:" + std::to_string(user->id), req);
    return settings_page(ctx, 200, after, views::profile_values(after), "Your profile is saved.");
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::usage) throw;
    v.errors = e.public_problems();
    return settings_page(ctx, 422, *user, v);
  }
}

// --- followers: approval, follow requests, removal ---

using federation::FollowerService;

// Followers need approval or not: the same change as `users modify --approve-followers`
// (turning it off approves every request waiting).
Response save_follower_approval(RouteContext& ctx) {
  if (auto refusal = check_form(ctx, Expect::form)) return views::refused(ctx, *refusal);
  const auto user = signed_in(ctx);
  if (!user) return see_other("/auth/sign_in");
  users::ModifyRequest req;
  req.manually_approves_followers = Form::of(ctx.req).get("manually_approves_followers") == "yes";
  const bool manual = *req.manually_approves_followers;
  if (manual == user->manually_approves_followers) {
    return settings_page(ctx, 200, *user, views::profile_values(*user),
                         views::approval_notice(manual, false));
  }
  const auto after = users::UserService(ctx.env).modify("id:" + std::to_string(user->id), req);
  return settings_page(ctx, 200, after, views::profile_values(after),
                       views::approval_notice(manual, true));
}

using views::FollowerAction;

// Approve, Reject (a follow request) or Remove (a follower): the form names the follower by its
// account id, and only a follow of the signed-in member is found.
template <FollowerAction Action>
Response act_on_follower(RouteContext& ctx) {
  if (auto refusal = check_form(ctx, Expect::form)) return views::refused(ctx, *refusal);
  const auto user = signed_in(ctx);
  if (!user) return see_other("/auth/sign_in");
  const auto id = util::parse_id(Form::of(ctx.req).get("follower"));
  if (!id) {
    return html_response(views::k_follower_malformed_status,
                         views::follower_malformed_page(views::load_site(ctx)));
  }
  FollowerService followers(ctx.env);
  federation::Follower done;
  try {
    if constexpr (Action == FollowerAction::remove) {
      done = followers.remove(*user, *id);
    } else {
      done =
          followers.decide(*user, *id,
                           Action == FollowerAction::approve ? FollowerService::Decision::approve
                                                             : FollowerService::Decision::reject);
    }
  } catch (const Error& e) {
    if (!e.has_public_message()) throw;
    return html_response(
        status_for(e),
        views::follower_refused_page(views::load_site(ctx), status_for(e), e.public_message()));
  }
  return settings_page(ctx, 200, *user, views::profile_values(*user),
                       views::follower_done_notice(Action, done.account.acct()));
}

}  // namespace

void add_member_routes(Router& r) {
  r.add("GET", "/auth/activate/{token}", show_password_form<PasswordLink::activation>);
  r.add("POST", "/auth/activate/{token}", set_password<PasswordLink::activation>);
  r.add("GET", "/auth/reset/{token}", show_password_form<PasswordLink::reset>);
  r.add("POST", "/auth/reset/{token}", set_password<PasswordLink::reset>);
  // Reset links printed before they moved to /auth/reset/.
  r.add("GET", "/auth/password/{token}", show_password_form<PasswordLink::reset>);
  r.add("POST", "/auth/password/{token}", set_password<PasswordLink::reset>);
  r.add("GET", "/auth/sign_in", sign_in_form);
  r.add("POST", "/auth/sign_in", sign_in);
  r.add("POST", "/auth/sign_out", sign_out);
  r.add("GET", "/settings", settings);
  r.add("POST", "/settings", save_settings);
  r.add("POST", "/settings/followers/approval", save_follower_approval);
  r.add("POST", "/settings/follow_requests/approve", act_on_follower<FollowerAction::approve>);
  r.add("POST", "/settings/follow_requests/reject", act_on_follower<FollowerAction::reject>);
  r.add("POST", "/settings/followers/remove", act_on_follower<FollowerAction::remove>);
}

}  // namespace instctl::http
