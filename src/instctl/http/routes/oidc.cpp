// Partner sign-up through an OpenID Connect provider: GET /auth/oidc/start (the "Continue
// with ..." button), GET /auth/oidc/callback (the provider sends the browser back here) and
// POST /auth/oidc/register (the username form). Thin: auth::OidcService holds the rules.

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <variant>

#include "instctl/auth/code_exchange.hpp"
#include "instctl/auth/oidc_service.hpp"
#include "instctl/auth/session_service.hpp"
#include "instctl/http/form.hpp"
#include "instctl/http/routes/form_data.hpp"
#include "instctl/http/routes/member_session.hpp"
#include "instctl/http/routes/member_views.hpp"
#include "instctl/http/routes/oidc_views.hpp"
#include "instctl/http/routes/routes.hpp"
#include "instctl/http/web_guard.hpp"
#include "instctl/instance/client_options.hpp"
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

// The partner's documents (discovery, token, keys, UserInfo) are fetched on the outbound
// client, never on a worker: a worker reads the database and hands the provider's part over,
// and another finishes the request once it has ended (http::Pending). Each request has
// k_partner_time in all for the provider, however many documents and redirects; at most
// k_partner_requests wait on the provider at once (a flood of sign-in starts costs the partner
// and this instance no more; the rest are answered 503 at once).
constexpr int k_partner_requests = 16;
constexpr std::chrono::seconds k_partner_time{8};
std::atomic<int> g_partner_waiting{0};

// One of the k_partner_requests places, held while the provider's part runs.
class PartnerSlot {
 public:
  static std::unique_ptr<PartnerSlot> take() {
    if (g_partner_waiting.fetch_add(1) >= k_partner_requests) {
      g_partner_waiting.fetch_sub(1);
      return nullptr;
    }
    return std::unique_ptr<PartnerSlot>(new PartnerSlot);
  }
  ~PartnerSlot() { g_partner_waiting.fetch_sub(1); }
  PartnerSlot(const PartnerSlot&) = delete;
  PartnerSlot& operator=(const PartnerSlot&) = delete;

 private:
  PartnerSlot() = default;
};

Response busy(RouteContext& ctx) {
  Response r = refusal(ctx, {503, "Too many sign-ins at once",
                             "Signing in through the partner is busy. Please try again in a "
                             "moment."});
  r.header("Retry-After", "1");
  return r;
}

// What the provider's part of a request shares: the request (to answer it on another worker),
// the outbound client, the deadline and the place it holds.
class PartnerWait : public Pending {
 protected:
  PartnerWait(RouteContext& ctx, std::unique_ptr<PartnerSlot> slot)
      : m_req(ctx.req),
        m_client(net::make_http_client(instance::client_options(ctx.env.db))),
        m_deadline(std::chrono::steady_clock::now() + k_partner_time),
        m_slot(std::move(slot)) {}

  // The callback that ends the provider's part: keeps its error and its result in
  // `self->*out`, frees the place, then lets the server go on.
  template <class Self, class T>
  static auto ended(std::shared_ptr<Self> self, T Self::*out, std::function<void()> done) {
    return
        [self = std::move(self), out, done = std::move(done)](std::exception_ptr error, T value) {
          self->m_error = error;
          (*self).*out = std::move(value);
          self->m_slot.reset();
          done();
        };
  }

  Request m_req;
  std::unique_ptr<net::HttpClient> m_client;
  std::chrono::steady_clock::time_point m_deadline;
  std::exception_ptr m_error;

 protected:
  std::unique_ptr<PartnerSlot> m_slot;
};

// The provider's documents could not be had: the error's public face for the person, its
// operator's message for the log.
Response not_started(RouteContext& ctx, const Error& e) {
  Response r = refusal(ctx, {502, "The provider cannot be reached", e.public_message()});
  r.log_note = "partner sign-in not started: " + log_text(e.what());
  return r;
}

// GET /auth/oidc/start: the discovery document, then the sign-in's row and the redirect.
class StartWait final : public PartnerWait, public std::enable_shared_from_this<StartWait> {
 public:
  StartWait(RouteContext& ctx, std::unique_ptr<PartnerSlot> slot, auth::OidcSettings s,
            std::optional<std::string> invite, CsrfPair pair, auth::LoginIntent intent)
      : PartnerWait(ctx, std::move(slot)),
        m_settings(std::move(s)),
        m_invite(std::move(invite)),
        m_pair(std::move(pair)),
        m_intent(intent) {}

  void start(std::function<void()> done) override {
    auth::fetch_discovery_async(*m_client, m_settings.issuer, m_deadline,
                                ended(shared_from_this(), &StartWait::m_meta, std::move(done)));
  }

  Response finish(Env& env) override {
    RouteContext ctx(m_req, env);
    if (m_error) {
      try {
        std::rethrow_exception(m_error);
      } catch (const Error& e) {
        if (!e.has_public_message()) throw;
        return not_started(ctx, e);
      }
    }
    const auto url =
        OidcService(env).begin_with(m_settings, m_meta, m_invite, m_pair.nonce, m_intent);
    Response r;
    r.status = 303;
    r.header("Location", url);
    r.header("Cache-Control", "no-store");
    r.header("Referrer-Policy", "no-referrer");
    return with_cookie(ctx, std::move(r), m_pair);
  }

 private:
  auth::OidcSettings m_settings;
  std::optional<std::string> m_invite;
  CsrfPair m_pair;
  auth::ProviderMetadata m_meta;
  auth::LoginIntent m_intent;
};

// To the provider, for joining, signing in or linking (the caller checked what it needs, and
// that partner sign-in is enabled: `s`).
Response go_to_provider(RouteContext& ctx, auth::OidcSettings s, std::optional<std::string> invite,
                        auth::LoginIntent intent) {
  auto slot = PartnerSlot::take();
  if (!slot) return busy(ctx);
  return wait_for(std::make_shared<StartWait>(ctx, std::move(slot), std::move(s), std::move(invite),
                                              csrf_pair(ctx), intent));
}

// GET /auth/oidc/start: joining, from the invite and sign-up pages.
Response start(RouteContext& ctx) {
  auto s = auth::load_oidc_settings(ctx.env.db);
  if (!s.enabled()) return not_offered(ctx);
  if (auto r = check_rate(ctx, "oidc_start")) return views::refused(ctx, *r);
  std::optional<std::string> invite;
  if (auto code = ctx.req.query_param("invite"); code && !code->empty()) invite = *code;
  return go_to_provider(ctx, std::move(s), std::move(invite), {});
}

// GET /auth/oidc/sign_in: "Sign in with ..." on /auth/sign_in, for a linked identity.
Response start_sign_in(RouteContext& ctx) {
  auto s = auth::load_oidc_settings(ctx.env.db);
  if (!s.enabled()) return not_offered(ctx);
  if (auto r = check_rate(ctx, "oidc_start")) return views::refused(ctx, *r);
  return go_to_provider(ctx, std::move(s), std::nullopt, {auth::LoginPurpose::sign_in, 0});
}

// GET /settings/partner/link?csrf_token=T: the signed-in member links their identity at the
// provider. A link, not a form: the CSP's form-action 'self' stops a form's redirect to
// another origin, so the page's CSRF token comes in the query (bound to the cookie as ever).
Response start_link(RouteContext& ctx) {
  auto s = auth::load_oidc_settings(ctx.env.db);
  if (!s.enabled()) return not_offered(ctx);
  if (!same_origin(ctx) || !csrf_valid(ctx, ctx.req.query_param("csrf_token").value_or(""))) {
    return views::refused(ctx, {403,
                                "This link has expired or did not come from this site: go "
                                "back to your settings and use the button there."});
  }
  if (auto r = check_rate(ctx, "oidc_start")) return views::refused(ctx, *r);
  const auto user = signed_in(ctx);
  if (!user) return see_other("/auth/sign_in");
  return go_to_provider(ctx, std::move(s), std::nullopt, {auth::LoginPurpose::link, user->id});
}

// POST /settings/partner/unlink: refused while the account has no password.
Response unlink(RouteContext& ctx) {
  if (auto r = check_form(ctx, Expect::form)) return views::refused(ctx, *r);
  const auto user = signed_in(ctx);
  if (!user) return see_other("/auth/sign_in");
  const auto site = views::load_site(ctx);
  const views::PageLink back{"/settings", "Back to your settings"};
  try {
    OidcService(ctx.env).unlink_own(*user);
  } catch (const Error& e) {
    if (!e.has_public_message()) throw;
    return html_response(status_for(e),
                         views::message_page(site, "Nothing was unlinked",
                                             views::for_people(e.public_message()), back));
  }
  return html_response(200,
                       views::message_page(site, "Unlinked",
                                           fmt::format("Your {} account is no longer linked: "
                                                       "sign in with your password.",
                                                       site.texts.partner_name.value_or("partner")),
                                           back));
}

Response partner_form(RouteContext& ctx, int status, const views::PartnerFormValues& v) {
  const auto pair = csrf_pair(ctx);
  return with_cookie(
      ctx, html_response(status, views::partner_form_page(views::load_site(ctx), v, pair.token)),
      pair);
}

Response account_page(RouteContext& ctx, const users::User& u, const std::string& handle) {
  return html_response(200, views::partner_account_page(views::load_site(ctx), u, handle));
}

Response answer_callback(RouteContext& ctx, const auth::CallbackResult& result) {
  using Outcome = auth::CallbackResult::Outcome;
  switch (result.outcome) {
    case Outcome::existing_account:
      return account_page(ctx, *result.account, result.handle);
    case Outcome::signed_in: {
      const auto done = auth::SessionService(ctx.env).sign_in_linked(*result.account);
      if (!done.session) {
        return html_response(403,
                             views::cannot_sign_in_page(views::load_site(ctx), *result.account));
      }
      Response r = see_other("/settings");
      set_session_cookie(ctx, r, done.session->token);
      return r;
    }
    case Outcome::linked: {
      const auto site = views::load_site(ctx);
      return html_response(
          200, views::message_page(site, "Linked",
                                   fmt::format("You can now sign in as {} with {}.", result.handle,
                                               site.texts.partner_name.value_or("the partner")),
                                   views::PageLink{"/settings", "Back to your settings"}));
    }
    case Outcome::choose_username: {
      views::PartnerFormValues v;
      v.ticket = result.ticket;
      v.username = result.username;
      v.email = result.email;
      v.email_locked = result.email_locked;
      return partner_form(ctx, 200, v);
    }
    case Outcome::refused:
      break;
  }
  // Every refusal reaches the error log with its reason, escaped: it may quote the provider.
  Response r = refusal(ctx, *result.refusal);
  r.log_note = "partner sign-in refused: " + log_text(result.log_reason);
  return r;
}

// GET /auth/oidc/callback: the code for tokens, the keys and UserInfo at the provider, then
// the account or the sign-up form.
class CallbackWait final : public PartnerWait, public std::enable_shared_from_this<CallbackWait> {
 public:
  CallbackWait(RouteContext& ctx, std::unique_ptr<PartnerSlot> slot, auth::CodeExchange x)
      : PartnerWait(ctx, std::move(slot)), m_exchange(std::move(x)) {}

  void start(std::function<void()> done) override {
    auth::exchange_code_async(*m_client, m_exchange, m_deadline,
                              ended(shared_from_this(), &CallbackWait::m_answer, std::move(done)));
  }

  Response finish(Env& env) override {
    if (m_error) std::rethrow_exception(m_error);
    RouteContext ctx(m_req, env);
    return answer_callback(ctx, OidcService(env).callback_finish(m_exchange, m_answer));
  }

 private:
  auth::CodeExchange m_exchange;
  auth::ProviderAnswer m_answer;
};

Response callback(RouteContext& ctx) {
  if (!auth::load_oidc_settings(ctx.env.db).enabled()) return not_offered(ctx);
  auth::CallbackInput in;
  in.state = ctx.req.query_param("state").value_or("");
  in.code = ctx.req.query_param("code").value_or("");
  in.error = ctx.req.query_param("error").value_or("");
  const auto pair = csrf_pair(ctx);
  if (!pair.new_cookie) in.browser_nonce = pair.nonce;
  if (const auto user = signed_in(ctx)) in.session_account = user->id;
  // The place is taken before the state is claimed: a busy answer leaves the sign-in usable.
  auto slot = PartnerSlot::take();
  if (!slot) return busy(ctx);
  auto first = OidcService(ctx.env).callback_start(in);
  if (auto* result = std::get_if<auth::CallbackResult>(&first))
    return answer_callback(ctx, *result);
  return wait_for(std::make_shared<CallbackWait>(ctx, std::move(slot),
                                                 std::get<auth::CodeExchange>(std::move(first))));
}

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
    return partner_form(ctx, 422, v);
  }
  const auto contact = instance::Settings(ctx.env.db).get("instance.contact_email");
  return html_response(200, views::welcome_page(views::load_site(ctx), result.sign_up, contact));
}

}  // namespace

void add_oidc_routes(Router& r) {
  r.add("GET", "/auth/oidc/start", start);
  r.add("GET", "/auth/oidc/sign_in", start_sign_in);
  r.add("GET", "/settings/partner/link", start_link);
  r.add("POST", "/settings/partner/unlink", unlink);
  r.add("GET", std::string(auth::k_callback_path), callback);
  r.add("POST", "/auth/oidc/register", views::or_try_again<register_account>);
}

}  // namespace instctl::http
