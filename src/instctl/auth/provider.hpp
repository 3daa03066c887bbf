#pragma once

// The OpenID Connect provider as this instance sees it: its settings (auth.oidc.*), its
// discovery document and its keys. Parsing is pure; fetching goes through net::HttpClient,
// with the same guards as federation.

#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/auth/jwt.hpp"
#include "instctl/core/json.hpp"
#include "instctl/db/connection.hpp"
#include "instctl/net/http_client.hpp"

namespace instctl::auth {

// The auth.oidc.* settings.
struct OidcSettings {
  std::string issuer;
  std::string client_id;
  std::string client_secret_file;
  std::string display_name;
  bool bypass_waitlist = false;
  std::vector<std::string> allowed_domains;  // lower case; empty: any

  // Partner sign-up is offered when the issuer and the client id are set.
  bool enabled() const { return !issuer.empty() && !client_id.empty(); }
  // The name on the button: the display name, else the issuer's host.
  std::string button_name() const;
  // True when `email`'s domain is allowed (any domain when the list is empty).
  bool email_domain_allowed(std::string_view email) const;
};
OidcSettings load_oidc_settings(db::Connection& db);

// The client secret, read from auth.oidc.client_secret_file at each use (the first line,
// without its line end). Throws Error(usage) naming the setting when unset or unreadable.
std::string read_client_secret(const OidcSettings& s);

// What the discovery document says that the flow needs.
struct ProviderMetadata {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
  std::string userinfo_endpoint;
  std::vector<std::string> signing_algs;            // id_token_signing_alg_values_supported
  std::vector<std::string> code_challenge_methods;  // may be absent
  std::vector<std::string> scopes;
};

// The discovery URL of an issuer: ISSUER/.well-known/openid-configuration.
std::string discovery_url(std::string_view issuer);

// The issuer as identities are keyed on it: the configured auth.oidc.issuer without trailing
// slashes, so a provider whose discovery document (and so its tokens' iss) gains or loses a
// trailing slash still finds the same people.
std::string issuer_key(std::string_view issuer);

// The claims of a UserInfo answer (OpenID Connect Core 5.3.2): a JSON object whose sub is
// `expected_subject` (the ID token's; 5.3.4 says to refuse any other, as the answer could
// belong to someone else). Throws Error(invalid_data) naming what is wrong.
Json parse_userinfo(std::string_view body, std::string_view expected_subject);

// Parses a discovery document. Throws Error(invalid_data) naming what is missing or wrong:
// not JSON, an issuer other than `expected_issuer` (exact match, as the specification asks),
// missing endpoints, endpoints that are not http(s) URLs, no RS256 or ES256 among the
// signing algorithms, PKCE offered without S256.
ProviderMetadata parse_discovery(std::string_view body, std::string_view expected_issuer);

// The provider's documents without waiting (the server's partner sign-in): `done(error, value)`
// runs once, where the client's callbacks run (net::HttpClient::send_async), with the error
// the blocking form below would throw. `deadline` bounds the request (with its redirects).
using Deadline = std::optional<std::chrono::steady_clock::time_point>;
template <class T>
using Then = std::function<void(std::exception_ptr error, T value)>;
void fetch_discovery_async(net::HttpClient& client, std::string issuer, Deadline deadline,
                           Then<ProviderMetadata> done);
void fetch_jwks_async(net::HttpClient& client, std::string jwks_uri, Deadline deadline,
                      Then<std::vector<Jwk>> done);
// GET userinfo_endpoint with the access token (a Bearer token, RFC 6750), through `client`'s
// guards, then parse_userinfo; an error status gives Error(remote).
void fetch_userinfo_async(net::HttpClient& client, std::string endpoint, std::string access_token,
                          std::string expected_subject, Deadline deadline, Then<Json> done);

// Fetches and parses the discovery document and the JWKS. Throws Error(remote) when the
// provider cannot be reached or answers with an error status, Error(invalid_data) when its
// documents are malformed.
ProviderMetadata fetch_discovery(net::HttpClient& client, std::string_view issuer);
std::vector<Jwk> fetch_jwks(net::HttpClient& client, std::string_view jwks_uri);
// The keys of a JWKS document; throws Error(invalid_data) when it holds no usable key.
std::vector<Jwk> parse_jwks_or_throw(std::string_view body, std::string_view url);

}  // namespace instctl::auth
