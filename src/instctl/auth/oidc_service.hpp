#pragma once

// Partner sign-up through an OpenID Connect provider: the authorization code flow with PKCE
// (S256), state and nonce. The sign-in's secrets live in the database (oidc_store.hpp), so any
// `serve` replica can finish what another began. Accounts are created by users::UserService
// under the registration mode (users::decide_registration) and linked to the provider's
// issuer and subject. The HTTP handlers and `instctl auth` are thin over this.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "instctl/auth/code_exchange.hpp"
#include "instctl/auth/oidc_store.hpp"
#include "instctl/auth/provider.hpp"
#include "instctl/db/env.hpp"
#include "instctl/net/http_client.hpp"
#include "instctl/onboarding/onboarding_service.hpp"
#include "instctl/users/user.hpp"

namespace instctl::auth {

// How long a person may take at the provider, and then to pick a username.
inline constexpr std::int64_t k_login_validity = 10 * 60;
inline constexpr std::int64_t k_ticket_validity = 30 * 60;
// The path of the callback under the public URL.
inline constexpr std::string_view k_callback_path = "/auth/oidc/callback";

// A sign-in that cannot go on, worded for the person (never the admin hints or secrets).
struct Refusal {
  int status = 400;
  std::string heading;
  std::string message;
};

struct CallbackInput {
  std::string state;
  std::string code;
  std::string error;  // the provider's error parameter (access_denied...)
  std::string browser_nonce;
  // The account signed in on this browser, if any: a link started from /settings finishes
  // only for it.
  std::optional<std::int64_t> session_account;
};

struct CallbackResult {
  // signed_in: `account` is the linked account to sign in (sign_in intent);
  // linked: the identity is now linked to `account` (link intent).
  enum class Outcome { choose_username, existing_account, signed_in, linked, refused };
  Outcome outcome = Outcome::refused;
  // choose_username: the ticket for the form (shown once) and what to pre-fill.
  std::string ticket;
  std::string username;
  std::string email;
  bool email_locked = false;  // verified by the provider: used as is
  std::optional<std::string> invite_code;
  // existing_account
  std::optional<users::User> account;
  std::string handle;
  // refused
  std::optional<Refusal> refusal;
  // Why, for the server's error log: no secrets (never the code, state, tokens or claims'
  // values); it may quote the provider's words, so the log escapes it.
  std::string log_reason;
};

struct RegisterForm {
  std::string ticket;
  std::string username;
  std::string email;  // used only when the provider gave no verified address
  bool agreed = false;
};

struct RegisterResult {
  onboarding::SignUpResult sign_up;  // the welcome page's values, or the form's errors
  std::optional<Refusal> refusal;    // the ticket is gone, or registration is not possible
  bool email_locked = false;
  std::string email;                    // as the form should show it again
  std::optional<users::User> existing;  // the identity was linked meanwhile
  std::string existing_handle;
};

class OidcService {
 public:
  // `client` is the outbound HTTP client; by default one with the federation guards
  // (instance::client_options) is made when first needed.
  explicit OidcService(Env& env, std::shared_ptr<net::HttpClient> client = nullptr);

  OidcSettings settings() const;
  std::string redirect_uri();

  // Records a new sign-in and returns the provider's authorization URL to send the browser
  // to. `browser_nonce` is the browser's cookie nonce: only that browser can finish it.
  // Throws Error(policy) when partner sign-up is not configured, Error(remote) or
  // Error(invalid_data) when the provider cannot be used.
  std::string begin(const std::optional<std::string>& invite_code, std::string_view browser_nonce,
                    const LoginIntent& intent = {});
  CallbackResult callback(const CallbackInput& in);

  // The halves the server runs on a worker, with the provider's part in between on the
  // outbound client, so that no worker waits on the provider:
  //   begin:    require_enabled(), fetch_discovery_async, begin_with();
  //   callback: callback_start() (a result at once, or the exchange to make),
  //             exchange_code_async (code_exchange.hpp), callback_finish().
  // Throws Error(policy) when partner sign-up is not configured.
  OidcSettings require_enabled();
  std::string begin_with(const OidcSettings& s, const ProviderMetadata& meta,
                         const std::optional<std::string>& invite_code,
                         std::string_view browser_nonce, const LoginIntent& intent = {});
  std::variant<CallbackResult, CodeExchange> callback_start(const CallbackInput& in);
  CallbackResult callback_finish(const CodeExchange& exchange, const ProviderAnswer& answer);
  RegisterResult register_account(const RegisterForm& form);
  // What the sign-up form shows for a ticket (after an error); nullopt when it is gone.
  std::optional<Ticket> ticket(std::string_view ticket);

  // `instctl auth test`: discovery and JWKS, as a report. Throws as begin() does, and
  // Error(usage) when the settings are incomplete.
  Json test();

  // The identities linked to an account (users show), and unlinking them (audited).
  std::vector<Identity> identities(std::int64_t account_id);
  std::vector<Identity> unlink(std::string_view user_ref);
  // A member unlinking their own identity (/settings): refused (Error conflict) while the
  // account has no password, which would leave it no way to sign in.
  std::vector<Identity> unlink_own(const users::User& u);

 private:
  net::HttpClient& client();
  std::optional<Refusal> registration_refusal(const OidcSettings& s,
                                              const std::optional<std::string>& invite_code,
                                              const std::optional<std::string>& email,
                                              bool email_verified);
  std::string handle_of(const users::User& u);
  // The callback's end for sign_in and link intents, once the provider vouched for `subject`.
  CallbackResult finish_intent(const CodeExchange& x, const std::string& issuer,
                               const std::optional<Identity>& linked, const VerifiedToken& token);

  Env& m_env;
  std::shared_ptr<net::HttpClient> m_client;
  OidcStore m_store;
};

}  // namespace instctl::auth
