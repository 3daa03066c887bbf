#include "instctl/auth/oidc_service.hpp"

#include <fmt/format.h>

#include "instctl/audit/audit_log.hpp"
#include "instctl/auth/code_exchange.hpp"
#include "instctl/auth/pkce.hpp"
#include "instctl/core/error.hpp"
#include "instctl/core/untrusted_json.hpp"
#include "instctl/crypto/digest.hpp"
#include "instctl/crypto/random.hpp"
#include "instctl/instance/client_options.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/users/registration.hpp"
#include "instctl/users/user_service.hpp"
#include "instctl/users/validation.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/url.hpp"

namespace instctl::auth {

namespace {

using Outcome = CallbackResult::Outcome;

Refusal refusal(int status, std::string heading, std::string message) {
  return Refusal{status, std::move(heading), std::move(message)};
}

CallbackResult refused(Refusal r, std::string log_reason) {
  CallbackResult out;
  out.refusal = std::move(r);
  out.log_reason = std::move(log_reason);
  return out;
}

Refusal sign_in_failed(std::string why) {
  return refusal(400, "Signing in did not work",
                 fmt::format("The sign-in could not be completed: {}. Please go back and try "
                             "again.",
                             why));
}

bool claim_true(const Json& claims, const char* name) {
  const auto it = claims.find(name);
  if (it == claims.end()) return false;
  if (it->is_boolean()) return it->get<bool>();
  return it->is_string() && it->get<std::string>() == "true";  // some providers send text
}

// A username suggestion from the claims: letters, digits and underscores, at most 30.
std::string suggest_username(const std::string& preferred, const std::string& email) {
  std::string source = preferred;
  if (source.empty()) source = email.substr(0, email.find('@'));
  std::string out;
  for (char c : source) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (ok)
      out += c;
    else if ((c == '.' || c == '-') && !out.empty() && out.back() != '_')
      out += '_';
    if (out.size() == 30) break;
  }
  return out;
}

// How a row written before migration 0017 bound its purpose: joining kept the plain hash of
// the nonce, the others added what they were for.
std::string legacy_binding(std::string_view browser_nonce, const LoginIntent& intent) {
  switch (intent.purpose) {
    case LoginPurpose::sign_up:
      return crypto::sha256_hex(browser_nonce);
    case LoginPurpose::sign_in:
      return crypto::sha256_hex(std::string(browser_nonce) + "\nsign_in");
    case LoginPurpose::link:
      return crypto::sha256_hex(std::string(browser_nonce) +
                                "\nlink:" + std::to_string(intent.account_id));
  }
  return crypto::sha256_hex(browser_nonce);
}

// The intent a claimed sign-in was started with, when this browser (and, for a link, this
// signed-in account) started it.
std::optional<LoginIntent> intent_of(const PendingLogin& login, const CallbackInput& in) {
  if (!login.purpose) {
    std::vector<LoginIntent> candidates{{LoginPurpose::sign_up, 0}, {LoginPurpose::sign_in, 0}};
    if (in.session_account) candidates.push_back({LoginPurpose::link, *in.session_account});
    for (const auto& c : candidates) {
      if (crypto::constant_time_equals(login.browser_hash, legacy_binding(in.browser_nonce, c))) {
        return c;
      }
    }
    return std::nullopt;
  }
  if (!crypto::constant_time_equals(login.browser_hash, crypto::sha256_hex(in.browser_nonce))) {
    return std::nullopt;
  }
  LoginIntent intent{*login.purpose, 0};
  if (intent.purpose == LoginPurpose::link) {
    intent.account_id = login.link_account_id.value_or(0);
    if (!in.session_account || *in.session_account != intent.account_id) return std::nullopt;
  }
  return intent;
}

}  // namespace

OidcService::OidcService(Env& env, std::shared_ptr<net::HttpClient> client)
    : m_env(env), m_client(std::move(client)), m_store(env.db) {}

net::HttpClient& OidcService::client() {
  if (!m_client) m_client = net::make_http_client(instance::client_options(m_env.db));
  return *m_client;
}

OidcSettings OidcService::settings() const { return load_oidc_settings(m_env.db); }

std::string OidcService::redirect_uri() {
  return instance::load(m_env.db).public_url + std::string(k_callback_path);
}

OidcSettings OidcService::require_enabled() {
  auto s = settings();
  if (!s.enabled()) {
    throw Error(ErrorKind::policy,
                "partner sign-up is not configured: set auth.oidc.issuer and auth.oidc.client_id "
                "(see 'man instctl-auth')");
  }
  return s;
}

std::string OidcService::begin(const std::optional<std::string>& invite_code,
                               std::string_view browser_nonce, const LoginIntent& intent) {
  const auto s = require_enabled();
  return begin_with(s, fetch_discovery(client(), s.issuer), invite_code, browser_nonce, intent);
}

std::string OidcService::begin_with(const OidcSettings& s, const ProviderMetadata& meta,
                                    const std::optional<std::string>& invite_code,
                                    std::string_view browser_nonce, const LoginIntent& intent) {
  const auto now = m_env.clock.now();
  const std::string state = crypto::random_token();
  PendingLogin login;
  login.state_hash = crypto::sha256_hex(state);
  login.browser_hash = crypto::sha256_hex(browser_nonce);
  login.purpose = intent.purpose;
  if (intent.purpose == LoginPurpose::link) login.link_account_id = intent.account_id;
  login.nonce = crypto::random_token();
  login.code_verifier = new_code_verifier();
  login.invite_code = invite_code;
  login.created_at = now;
  login.expires_at = now + k_login_validity;
  {
    db::Transaction tx(m_env.db);
    m_store.prune(now);
    m_store.insert_login(login);
    tx.commit();
  }
  const auto sep = meta.authorization_endpoint.find('?') == std::string::npos ? "?" : "&";
  return meta.authorization_endpoint + sep +
         form_encode({{"response_type", "code"},
                      {"client_id", s.client_id},
                      {"redirect_uri", redirect_uri()},
                      {"scope", "openid email profile"},
                      {"state", state},
                      {"nonce", login.nonce},
                      {"code_challenge", code_challenge_s256(*login.code_verifier)},
                      {"code_challenge_method", "S256"}});
}

std::optional<Refusal> OidcService::registration_refusal(
    const OidcSettings& s, const std::optional<std::string>& invite_code,
    const std::optional<std::string>& email, bool email_verified) {
  if (!s.allowed_domains.empty() &&
      (!email || !email_verified || !s.email_domain_allowed(*email))) {
    return refusal(403, "This account cannot sign up here",
                   "Only members whose verified email address is at one of the partner's "
                   "domains can sign up this way.");
  }
  const auto mode = users::registration_mode(m_env.db);
  auto with_invite = users::WithInvite::no;
  if (invite_code) {
    const auto lookup = onboarding::OnboardingService(m_env).invite(*invite_code);
    if (lookup.state == onboarding::InviteState::closed ||
        mode == users::RegistrationMode::closed) {
      return refusal(403, "Registrations are closed",
                     "This instance is not taking new members at the moment.");
    }
    if (lookup.state != onboarding::InviteState::usable) {
      return refusal(410, "This invite cannot be used",
                     fmt::format("The invite you came with is {}. Ask the person who invited "
                                 "you for a new one.",
                                 lookup.state == onboarding::InviteState::invalid
                                     ? "not valid"
                                     : onboarding::to_string(lookup.state)));
    }
    with_invite = users::WithInvite::yes;
  }
  const auto channel = s.bypass_waitlist ? users::Channel::partner : users::Channel::sign_up;
  // The one rule (users::decide_registration's), worded for this page.
  const auto refused = users::refused_registration(mode, channel, with_invite);
  if (refused == users::RegistrationRefused::closed) {
    return refusal(403, "Registrations are closed",
                   "This instance is not taking new members at the moment.");
  }
  if (refused == users::RegistrationRefused::invite_only) {
    return refusal(403, "Joining is by invitation",
                   "You need an invite link from a member or the admins to sign up.");
  }
  return std::nullopt;
}

CallbackResult OidcService::callback(const CallbackInput& in) {
  auto first = callback_start(in);
  if (auto* done = std::get_if<CallbackResult>(&first)) return std::move(*done);
  auto& x = std::get<CodeExchange>(first);
  const auto answer = net::wait_for_result<ProviderAnswer>([&](Then<ProviderAnswer> done) {
    exchange_code_async(client(), x, std::nullopt, std::move(done));
  });
  return callback_finish(x, answer);
}

std::variant<CallbackResult, CodeExchange> OidcService::callback_start(const CallbackInput& in) {
  const auto s = require_enabled();
  const auto now = m_env.clock.now();
  if (in.state.empty()) {
    return refused(sign_in_failed("the provider's answer has no state"),
                   "the callback has no state");
  }
  const auto login = m_store.claim_login(crypto::sha256_hex(in.state), now);
  if (!login) {
    return refused(sign_in_failed("this sign-in link was used already or has expired"),
                   "the state is unknown, used already or expired");
  }
  const auto intent = intent_of(*login, in);
  if (!intent) {
    return refused(sign_in_failed("it was started in another browser or by another account"),
                   "the browser's cookie is not the one that started the sign-in (or, for a "
                   "link, another account is signed in)");
  }
  if (!in.error.empty()) {
    return refused(
        refusal(400, "Signing in was cancelled",
                "The provider did not sign you in. You can go back and try again."),
        fmt::format("the provider answered error={}", util::utf8_shorten(in.error, 100)));
  }
  if (in.code.empty()) {
    return refused(sign_in_failed("the provider's answer has no code"), "the callback has no code");
  }
  if (!login->code_verifier || login->code_verifier->empty()) {
    return refused(sign_in_failed("its PKCE verifier is missing"),
                   "the sign-in's PKCE verifier is missing");
  }
  return CodeExchange{s, *login, *intent, in.code, redirect_uri(), now};
}

CallbackResult OidcService::callback_finish(const CodeExchange& x, const ProviderAnswer& answer) {
  const auto& s = x.settings;
  const auto now = x.now;
  const auto& login = x.login;
  if (!answer.failure.empty()) {
    return refused(refusal(502, "Signing in did not work",
                           "The provider could not confirm who you are. Please try again "
                           "later."),
                   answer.failure);
  }
  if (answer.problem) {
    return refused(sign_in_failed(describe(*answer.problem)),
                   fmt::format("the ID token was refused ({})", to_string(*answer.problem)));
  }
  const VerifiedToken& token = *answer.token;
  // Keyed on the configured issuer, normalised; identities linked before were keyed on the
  // token's iss as it came, so that is looked up too.
  const auto issuer = issuer_key(s.issuer);
  auto linked = m_store.identity(issuer, token.subject);
  if (const auto iss = claim_text(token.claims, "iss"); !linked && iss != issuer) {
    linked = m_store.identity(iss, token.subject);
  }
  if (x.intent.purpose != LoginPurpose::sign_up) return finish_intent(x, issuer, linked, token);
  if (linked) {
    CallbackResult out;
    out.outcome = Outcome::existing_account;
    out.account = users::UserService(m_env).resolve("id:" + std::to_string(linked->account_id));
    out.handle = handle_of(*out.account);
    return out;
  }
  Ticket t;
  t.issuer = issuer;
  t.subject = token.subject;
  // An address the provider does not vouch for is only a suggestion for the form: it is
  // neither locked nor kept as the identity's address.
  const auto email = claim_text(token.claims, "email");
  t.email_verified = !email.empty() && claim_true(token.claims, "email_verified");
  if (t.email_verified) t.email = email;
  if (const auto p = claim_text(token.claims, "preferred_username"); !p.empty()) {
    t.preferred_username = p;
  }
  if (const auto n = claim_text(token.claims, "name"); !n.empty()) t.name = n;
  t.invite_code = login.invite_code;
  t.expires_at = now + k_ticket_validity;
  if (auto r = registration_refusal(s, t.invite_code, t.email, t.email_verified)) {
    auto why = fmt::format("registration refused: {}", r->heading);
    return refused(std::move(*r), std::move(why));
  }
  CallbackResult out;
  out.outcome = Outcome::choose_username;
  out.ticket = crypto::random_token();
  m_store.insert_ticket(crypto::sha256_hex(out.ticket), t, now);
  out.username = suggest_username(t.preferred_username.value_or(""), email);
  out.email = email;
  out.email_locked = t.email_verified;
  out.invite_code = t.invite_code;
  return out;
}

std::optional<Ticket> OidcService::ticket(std::string_view ticket) {
  return m_store.find_ticket(crypto::sha256_hex(ticket), m_env.clock.now());
}

RegisterResult OidcService::register_account(const RegisterForm& form) {
  const auto s = require_enabled();
  RegisterResult out;
  const auto ticket_hash = crypto::sha256_hex(form.ticket);
  const auto t = form.ticket.empty() ? std::nullopt : ticket(form.ticket);
  if (!t) {
    out.refusal = refusal(410, "This sign-up has expired",
                          "It was completed already or took too long. Please start again with "
                          "the button on the invite or sign-up page.");
    return out;
  }
  if (const auto linked = m_store.identity(t->issuer, t->subject)) {
    out.existing = users::UserService(m_env).resolve("id:" + std::to_string(linked->account_id));
    out.existing_handle = handle_of(*out.existing);
    return out;
  }
  out.email_locked = t->email_verified;
  out.email = t->email_verified ? *t->email : form.email;
  if (auto r = registration_refusal(s, t->invite_code, t->email_verified ? t->email : std::nullopt,
                                    t->email_verified)) {
    out.refusal = std::move(r);
    return out;
  }
  users::CreateRequest req;
  req.username = form.username;
  req.email = out.email;
  req.channel = s.bypass_waitlist ? users::Channel::partner : users::Channel::sign_up;
  req.invite_code = t->invite_code;
  req.partner_identity = true;
  auto& errors = out.sign_up.errors;
  errors = users::UserService::validate(req);
  if (!form.agreed) errors.push_back({"agree", "Please read the rules and agree to them to join."});
  if (!errors.empty()) return out;
  const auto now = m_env.clock.now();
  // The ticket is used and the identity linked in the account's own transaction: a second
  // submission of the form, or a race with it, creates nothing.
  req.within_transaction = [&](const users::User& u) {
    if (!m_store.use_ticket(ticket_hash, now)) {
      throw Error(ErrorKind::conflict, "this sign-up was completed already")
          .with_public("This sign-up was completed already.");
    }
    m_store.link(Identity{u.id, t->issuer, t->subject, t->email, now});
    audit::record(m_env, "auth.link", u.audit_target(),
                  Json{{"issuer", t->issuer}, {"subject", t->subject}});
  };
  std::optional<invites::Invite> invite;
  if (t->invite_code) invite = onboarding::OnboardingService(m_env).invite(*t->invite_code).invite;
  try {
    const auto created = users::UserService(m_env).create(req);
    out.sign_up.user = created.user;
    out.sign_up.signs_in_with_partner = true;
  } catch (const Error& e) {
    if (!e.has_public_message()) throw;  // a failure (a busy database ...), not a refusal
    if (!e.problems().empty()) {
      errors = e.problems();
      return out;
    }
    // The sign-up was completed already, or the invite or registration rules changed meanwhile.
    out.refusal = refusal(409, "Your account could not be created", e.public_message());
    return out;
  }
  onboarding::OnboardingService(m_env).welcome(out.sign_up, invite);
  return out;
}

CallbackResult OidcService::finish_intent(const CodeExchange& x, const std::string& issuer,
                                          const std::optional<Identity>& linked,
                                          const VerifiedToken& token) {
  const auto partner =
      x.settings.display_name.empty() ? std::string("partner") : x.settings.display_name;
  CallbackResult out;
  if (x.intent.purpose == LoginPurpose::sign_in) {
    if (!linked) {
      return refused(
          refusal(404, "No account here is linked to it",
                  fmt::format("Your {} account is not linked to an account on this instance. "
                              "Sign in with your password and link it on your settings page, "
                              "or join with an invite first.",
                              partner)),
          "sign-in with an identity that is not linked to an account");
    }
    out.outcome = Outcome::signed_in;
    out.account = users::UserService(m_env).find_by_id(linked->account_id);
    if (!out.account) return refused(sign_in_failed("the account is gone"), "linked account gone");
    out.handle = handle_of(*out.account);
    return out;
  }
  // link
  const auto account_id = x.intent.account_id;
  if (linked && linked->account_id != account_id) {
    return refused(refusal(409, "Already linked to another account",
                           fmt::format("This {} account is linked to another account here. "
                                       "Unlink it there first.",
                                       partner)),
                   "link refused: the identity is linked to another account");
  }
  db::Transaction tx(m_env.db);
  auto account = users::UserService(m_env).find_by_id(account_id);
  if (!account || !account->is_local() || account->status == users::Status::deleted) {
    return refused(sign_in_failed("the account is gone"), "link refused: the account is gone");
  }
  if (!linked) {
    const auto email = claim_text(token.claims, "email");
    const bool verified = !email.empty() && claim_true(token.claims, "email_verified");
    try {
      m_store.link(Identity{account_id, issuer, token.subject,
                            verified ? std::optional<std::string>(email) : std::nullopt, x.now});
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::conflict) throw;
      return refused(refusal(409, "Another identity is linked already",
                             fmt::format("Your account here is linked to another {} account. "
                                         "Unlink it on your settings page first.",
                                         partner)),
                     "link refused: the account has an identity of this provider already");
    }
    audit::record(m_env, "auth.link", account->audit_target(),
                  Json{{"issuer", issuer}, {"subject", token.subject}, {"method", "settings"}});
  }
  tx.commit();
  out.outcome = Outcome::linked;
  out.account = std::move(account);
  out.handle = handle_of(*out.account);
  return out;
}

std::vector<Identity> OidcService::unlink_own(const users::User& u) {
  if (!users::UserService(m_env).has_password(u.id)) {
    throw Error(ErrorKind::conflict,
                "your account has no password yet, and without the partner you could no longer "
                "sign in: set a password first with a reset link (\"Forgot your password?\" "
                "on the sign-in page, or from the admins)")
        .with_public(
            "Your account has no password yet, and without the partner you could no "
            "longer sign in: set a password first with a reset link (\"Forgot your "
            "password?\" on the sign-in page, or from the admins).");
  }
  return unlink("id:" + std::to_string(u.id));
}

std::string OidcService::handle_of(const users::User& u) {
  return instance::handle(instance::load(m_env.db), u.username);
}

Json OidcService::test() {
  const auto s = settings();
  if (!s.enabled()) {
    throw Error(ErrorKind::usage,
                "partner sign-up is not configured: 'instctl config set auth.oidc.issuer URL' and "
                "'instctl config set auth.oidc.client_id ID' first");
  }
  read_client_secret(s);  // throws naming the setting
  const auto meta = fetch_discovery(client(), s.issuer);
  const auto keys = fetch_jwks(client(), meta.jwks_uri);
  Json key_rows = Json::array();
  for (const auto& k : keys) {
    key_rows.push_back(
        Json{{"kid", k.kid}, {"kty", k.kty}, {"alg", k.alg.empty() ? Json(nullptr) : Json(k.alg)}});
  }
  return Json{{"issuer", meta.issuer},
              {"client_id", s.client_id},
              {"redirect_uri", redirect_uri()},
              {"discovery_url", discovery_url(s.issuer)},
              {"authorization_endpoint", meta.authorization_endpoint},
              {"token_endpoint", meta.token_endpoint},
              {"jwks_uri", meta.jwks_uri},
              {"signing_algs", meta.signing_algs},
              {"code_challenge_methods", meta.code_challenge_methods},
              {"client_secret", "readable"},
              {"keys", key_rows}};
}

std::vector<Identity> OidcService::identities(std::int64_t account_id) {
  return m_store.identities_of(account_id);
}

std::vector<Identity> OidcService::unlink(std::string_view user_ref) {
  db::Transaction tx(m_env.db);
  const auto u = users::UserService(m_env).resolve(user_ref);
  const auto removed = m_store.unlink_all(u.id);
  if (removed.empty()) {
    const auto message = fmt::format("{} has no linked identity", u.username);
    throw Error(ErrorKind::not_found, message).with_public(message);  // no command-line words
  }
  for (const auto& i : removed) {
    audit::record(m_env, "users.unlink_identity", u.audit_target(),
                  Json{{"issuer", i.issuer}, {"subject", i.subject}});
  }
  tx.commit();
  return removed;
}

}  // namespace instctl::auth
