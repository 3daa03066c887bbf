#pragma once

// The provider's half of a partner sign-in's callback, with no database: the discovery
// document, the code exchanged for tokens (client_secret_basic, PKCE verifier), the keys, the
// ID token verified, and the scope claims from UserInfo when the token lacks them (OpenID
// Connect Core 5.4). It runs on the outbound client (net::HttpClient::send_async) between the
// two halves of OidcService's callback that run on a worker, so a slow provider holds no
// worker; `instctl auth` and the blocking OidcService::callback wait for it.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "instctl/auth/jwt.hpp"
#include "instctl/auth/oidc_store.hpp"
#include "instctl/auth/provider.hpp"
#include "instctl/core/json.hpp"
#include "instctl/net/http_client.hpp"

namespace instctl::auth {

struct CodeExchange {
  OidcSettings settings;
  PendingLogin login;  // the claimed sign-in: nonce, PKCE verifier, invite
  LoginIntent intent;  // what it is for (oidc_store.hpp)
  std::string code;
  std::string redirect_uri;
  UnixTime now = 0;
};

struct ProviderAnswer {
  std::optional<VerifiedToken> token;   // verified, with the UserInfo claims it lacked
  std::optional<TokenProblem> problem;  // the ID token was refused
  std::string failure;                  // the provider could not be used: why (no secrets)
};

// Ends with `done(nullptr, answer)`, or with an Error(internal) as `error`. Every request has
// `deadline`; `client` must outlive the operation.
void exchange_code_async(net::HttpClient& client, CodeExchange exchange, Deadline deadline,
                         Then<ProviderAnswer> done);

// A string claim, or "" when absent or not a string.
std::string claim_text(const Json& claims, const char* name);
// application/x-www-form-urlencoded.
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace instctl::auth
