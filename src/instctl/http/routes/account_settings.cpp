// The member's account pages: change password (/settings/password), export my data
// (/settings/export) and delete my account (/settings/delete). Thin: the password is checked by
// auth::SessionService (under the sign-in lock-out), set by users::UserService (the CLI's
// rules), the account deleted by UserService::remove (`users delete`), the data gathered by
// members::export_data; account_views holds the markup. Linking the partner identity is in
// oidc.cpp, with the rest of the partner's flow.

#include "instctl/http/routes/account_settings.hpp"

#include <fmt/format.h>

#include "instctl/auth/oidc_service.hpp"
#include "instctl/auth/session_service.hpp"
#include "instctl/http/form.hpp"
#include "instctl/http/routes/member_session.hpp"
#include "instctl/http/routes/member_views.hpp"
#include "instctl/http/routes/onboarding_views.hpp"
#include "instctl/http/routes/routes.hpp"
#include "instctl/http/web_guard.hpp"
#include "instctl/members/data_export.hpp"
#include "instctl/users/user_service.hpp"
#include "instctl/util/time.hpp"

namespace instctl::http {

namespace {

using onboarding::FieldError;
using Errors = std::vector<FieldError>;

// The page for the signed-in member, with a fresh CSRF token.
template <class Render>
Response member_page(RouteContext& ctx, int status, Render render) {
  const auto pair = csrf_pair(ctx);
  return html_with_csrf(ctx, status, render(views::load_site(ctx), pair.token), pair);
}

// The current password, asked again: the field's problem, or none when it is right.
std::optional<Response> wrong_password(RouteContext& ctx, const users::User& user,
                                       const std::string& password,
                                       const std::function<Response(int, const Errors&)>& again) {
  const auto check = auth::SessionService(ctx.env).confirm_password(user, password);
  if (check.outcome == auth::PasswordCheck::right) return std::nullopt;
  if (check.outcome == auth::PasswordCheck::wrong) {
    if (!users::UserService(ctx.env).has_password(user.id)) {
      return again(401, {{"current_password",
                          "your account has no password yet: get one with "
                          "\"Forgot your password?\" on the sign-in page"}});
    }
    return again(401, {{"current_password", "your password is not right: type it again"}});
  }
  Response r = again(429, {{"current_password", "too many wrong passwords: " +
                                                    views::try_again_in(check.retry_after)}});
  r.header("Retry-After", std::to_string(check.retry_after));
  return r;
}

// --- change password ---

Response password_form(RouteContext& ctx, int status, const users::User& user, const Errors& e) {
  const bool has = users::UserService(ctx.env).has_password(user.id);
  return member_page(ctx, status, [&](const views::Site& site, const std::string& token) {
    return views::change_password_page(site, user, has, token, e);
  });
}

Response show_password(RouteContext& ctx) {
  const auto user = signed_in(ctx);
  if (!user) return see_other("/auth/sign_in");
  return password_form(ctx, 200, *user, {});
}

Response change_password(RouteContext& ctx) {
  if (auto refusal = check_post(ctx, "sign_in", Expect::form)) return views::refused(ctx, *refusal);
  const auto user = signed_in(ctx);
  if (!user) return see_other("/auth/sign_in");
  const auto form = Form::of(ctx.req);
  const auto again = [&](int status, const Errors& e) {
    return password_form(ctx, status, *user, e);
  };
  const auto password = form.get("password");
  if (password != form.get("password_confirmation")) {
    return again(422, {{"password_confirmation",
                        "the two new passwords are not the same: type them again"}});
  }
  if (auto r = wrong_password(ctx, *user, form.get("current_password"), again)) return *r;
  try {
    users::UserService(ctx.env).reset_password("id:" + std::to_string(user->id), password);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::usage) throw;
    return again(422, e.public_problems());
  }
  // Every session ends (someone else may hold one); this browser gets a new one.
  auth::SessionService(ctx.env).end_all(user->id);
  return start_session(ctx, user->id, "/settings?changed=password");
}

// --- export ---

Response show_export(RouteContext& ctx) {
  const auto user = signed_in(ctx);
  if (!user) return see_other("/auth/sign_in");
  return member_page(ctx, 200, [&](const views::Site& site, const std::string& token) {
    return views::export_page(site, *user, token);
  });
}

Response download_export(RouteContext& ctx) {
  if (auto refusal = check_form(ctx, Expect::form)) return views::refused(ctx, *refusal);
  const auto user = signed_in(ctx);
  if (!user) return see_other("/auth/sign_in");
  Response r;
  r.status = 200;
  r.content_type = "application/json";
  r.body = members::export_data(ctx.env, *user).dump(2) + "\n";
  r.header("Content-Disposition",
           fmt::format("attachment; filename=\"{}-{}.json\"", user->username,
                       util::format_time(ctx.env.clock.now()).substr(0, 10)));
  r.header("Cache-Control", "no-store");
  return r;
}

// --- delete ---

Response delete_form(RouteContext& ctx, int status, const users::User& user, const Errors& e) {
  const bool has = users::UserService(ctx.env).has_password(user.id);
  return member_page(ctx, status, [&](const views::Site& site, const std::string& token) {
    return views::delete_page(site, user, has, token, e);
  });
}

Response show_delete(RouteContext& ctx) {
  const auto user = signed_in(ctx);
  if (!user) return see_other("/auth/sign_in");
  return delete_form(ctx, 200, *user, {});
}

Response delete_account(RouteContext& ctx) {
  if (auto refusal = check_post(ctx, "sign_in", Expect::form)) return views::refused(ctx, *refusal);
  const auto user = signed_in(ctx);
  if (!user) return see_other("/auth/sign_in");
  const auto form = Form::of(ctx.req);
  const auto again = [&](int status, const Errors& e) {
    return delete_form(ctx, status, *user, e);
  };
  if (auto r = wrong_password(ctx, *user, form.get("current_password"), again)) return *r;
  // `users delete`'s path: the tombstone, the partner identity unlinked, followers told.
  users::UserService(ctx.env).remove("id:" + std::to_string(user->id));
  auth::SessionService(ctx.env).end_all(user->id);
  const auto site = views::load_site(ctx);
  Response r =
      html_response(200, views::deleted_page(site, instance::handle(site.info, user->username)));
  clear_session_cookie(ctx, r);
  return r;
}

}  // namespace

views::AccountSection account_section_of(RouteContext& ctx, const users::User& user) {
  views::AccountSection a;
  a.partner_offered = auth::load_oidc_settings(ctx.env.db).enabled();
  const auto ids = auth::OidcService(ctx.env).identities(user.id);
  a.partner_linked = !ids.empty();
  if (a.partner_linked) a.partner_email = ids.front().email;
  a.has_password = users::UserService(ctx.env).has_password(user.id);
  return a;
}

void add_account_routes(Router& r) {
  r.add("GET", "/settings/password", show_password);
  r.add("POST", "/settings/password", change_password);
  r.add("GET", "/settings/export", show_export);
  r.add("POST", "/settings/export", download_export);
  r.add("GET", "/settings/delete", show_delete);
  r.add("POST", "/settings/delete", delete_account);
}

}  // namespace instctl::http
