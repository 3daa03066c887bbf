// Partner sign-up through an OpenID Connect provider: GET /auth/oidc/start (the "Continue
// with ..." button), GET /auth/oidc/callback (the provider sends the browser back here) and
// POST /auth/oidc/register (the username form). Thin: auth::OidcService holds the rules.

#include <atomic>
#include <chrono>

#include "instctl/auth/oidc_service.hpp"
#include "instctl/http/form.hpp"
#include "instctl/http/routes/oidc_views.hpp"
#include "instctl/http/routes/routes.hpp"
#include "instctl/http/web_guard.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/net/http_client.hpp"
#include "instctl/util/escape.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::http {

namespace {

using auth::OidcService;

// A reason as it goes into the error log: it may quote the provider (an error parameter, a
// document's issuer), so it is cut and escaped by the one rule (util::escape_control), and
// one refusal is always one line.
std::string log_text(std::string_view text) {
  constexpr std::size_t k_max = 300;
  return util::escape_control(util::utf8_shorten(text, k_max));
}

Response refusal(RouteContext& ctx, const auth::Refusal& r) {
  return html_response(r.status, views::partner_refusal_page(views::load_site(ctx), r));
}

Response not_offered(RouteContext& ctx) {
  return refusal(ctx, {404, "Partner sign-up is not offered here",
                       "This instance does not offer signing up through another provider."});
}

Response with_cookie(RouteContext& ctx, Response r, const CsrfPair& pair) {
  set_csrf_cookie(ctx, r, pair);
  return r;
}

// The partner's discovery, token and key documents are fetched on the worker that runs the
// request: at most k_partner_requests such requests run at once (a slow or down provider
// holds no more workers than that; others are answered 503 at once), and each has
// k_partner_time in all, however many documents it fetches.
constexpr int k_partner_requests = 2;
constexpr std::chrono::seconds k_partner_time{8};
std::atomic<int> g_partner_running{0};

Response with_partner(RouteContext& ctx, Response (*handler)(RouteContext&)) {
  if (!auth::load_oidc_settings(ctx.env.db).enabled()) return not_offered(ctx);
  if (g_partner_running.fetch_add(1) >= k_partner_requests) {
    g_partner_running.fetch_sub(1);
    Response r = refusal(ctx, {503, "Too many sign-ins at once",
                               "Signing in through the partner is busy. Please try again in a "
                               "moment."});
    r.header("Retry-After", "1");
    return r;
  }
  struct Release {
    ~Release() { g_partner_running.fetch_sub(1); }
  } release;
  const net::DeadlineScope deadline(std::chrono::steady_clock::now() + k_partner_time);
  return handler(ctx);
}

Response start_here(RouteContext& ctx) {
  if (auto r = check_rate(ctx, "oidc_start")) return views::refused(ctx, *r);
  std::optional<std::string> invite;
  if (auto code = ctx.req.query_param("invite"); code && !code->empty()) invite = *code;
  const auto pair = csrf_pair(ctx);
  std::string url;
  try {
    url = OidcService(ctx.env).begin(invite, pair.nonce);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::internal) throw;
    Response r = refusal(ctx, {502, "The provider cannot be reached",
                               "Signing in through the partner is not possible at the moment. "
                               "Please try again later."});
    r.log_note = "partner sign-in not started: " + log_text(e.what());
    return r;
  }
  Response r;
  r.status = 303;
  r.header("Location", url);
  r.header("Cache-Control", "no-store");
  r.header("Referrer-Policy", "no-referrer");
  return with_cookie(ctx, std::move(r), pair);
}

Response form_page(RouteContext& ctx, int status, const views::PartnerFormValues& v) {
  const auto pair = csrf_pair(ctx);
  return with_cookie(ctx,
                     html_response(status, views::partner_form_page(views::load_site(ctx), v, pair.token)),
                     pair);
}

Response account_page(RouteContext& ctx, const users::User& u, const std::string& handle) {
  return html_response(200, views::partner_account_page(views::load_site(ctx), u, handle));
}

Response callback_here(RouteContext& ctx) {
  auth::CallbackInput in;
  in.state = ctx.req.query_param("state").value_or("");
  in.code = ctx.req.query_param("code").value_or("");
  in.error = ctx.req.query_param("error").value_or("");
  const auto pair = csrf_pair(ctx);
  if (!pair.new_cookie) in.browser_nonce = pair.nonce;
  const auto result = OidcService(ctx.env).callback(in);
  using Outcome = auth::CallbackResult::Outcome;
  switch (result.outcome) {
    case Outcome::existing_account: return account_page(ctx, *result.account, result.handle);
    case Outcome::choose_username: {
      views::PartnerFormValues v;
      v.ticket = result.ticket;
      v.username = result.username;
      v.email = result.email;
      v.email_locked = result.email_locked;
      return form_page(ctx, 200, v);
    }
    case Outcome::refused: break;
  }
  // Every refusal reaches the error log with its reason, escaped: it may quote the provider.
  Response r = refusal(ctx, *result.refusal);
  r.log_note = "partner sign-in refused: " + log_text(result.log_reason);
  return r;
}

Response start(RouteContext& ctx) { return with_partner(ctx, start_here); }
Response callback(RouteContext& ctx) { return with_partner(ctx, callback_here); }

Response register_account(RouteContext& ctx) {
  if (!auth::load_oidc_settings(ctx.env.db).enabled()) return not_offered(ctx);
  if (auto refused = check_post(ctx, "sign_up", Expect::form)) return views::refused(ctx, *refused);
  const auto form = Form::of(ctx.req);
  auth::RegisterForm in{form.get("ticket"), form.get("username"), form.get("email"),
                        !form.get("agree").empty()};
  const auto result = OidcService(ctx.env).register_account(in);
  if (result.refusal) return refusal(ctx, *result.refusal);
  if (result.existing) return account_page(ctx, *result.existing, result.existing_handle);
  if (!result.sign_up.errors.empty()) {
    views::PartnerFormValues v;
    v.ticket = in.ticket;
    v.username = in.username;
    v.email = result.email;
    v.email_locked = result.email_locked;
    v.agreed = in.agreed;
    v.errors = result.sign_up.errors;
    return form_page(ctx, 422, v);
  }
  const auto contact = instance::Settings(ctx.env.db).get("instance.contact_email");
  return html_response(200, views::welcome_page(views::load_site(ctx), result.sign_up, contact));
}

}  // namespace

void add_oidc_routes(Router& r) {
  r.add("GET", "/auth/oidc/start", start);
  r.add("GET", std::string(auth::k_callback_path), callback);
  r.add("POST", "/auth/oidc/register", register_account);
}

}  // namespace instctl::http
