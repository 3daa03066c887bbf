#pragma once

// ID tokens (JWS compact serialisation) and the provider's keys (JWKS), as OpenID Connect
// uses them. Pure: no I/O. Only RS256 and ES256 are accepted; "none", HMAC and every other
// algorithm are refused, whatever the token's header says.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/core/clock.hpp"
#include "instctl/core/json.hpp"

typedef struct evp_pkey_st EVP_PKEY;

namespace instctl::auth {

// One public key of the provider, ready for OpenSSL.
struct Jwk {
  std::string kid;  // "" when the key has none
  std::string kty;  // RSA or EC
  std::string alg;  // RS256 or ES256 ("" when the key does not say)
  std::shared_ptr<EVP_PKEY> key;
};

// The usable signing keys of a JWKS document. Keys of other types, curves or uses ("enc"),
// and malformed keys are skipped; nullopt when the text is not a JWKS ({"keys": [...]}).
std::optional<std::vector<Jwk>> parse_jwks(std::string_view text);

// The three parts of a compact JWS, decoded.
struct Jws {
  Json header;
  Json claims;
  std::string signing_input;  // base64url(header) "." base64url(payload)
  std::string signature;      // raw bytes
};
// nullopt unless the text is three base64url parts whose first two are JSON objects.
std::optional<Jws> parse_jws(std::string_view token);

// What an ID token must say to be accepted.
struct Expectations {
  std::string issuer;
  std::string audience;  // our client_id
  std::string nonce;
  UnixTime now = 0;
  std::int64_t leeway = 60;  // seconds of clock difference tolerated on exp, iat and nbf
};

enum class TokenProblem {
  malformed,      // not a JWS with JSON parts
  bad_algorithm,  // alg not RS256/ES256 (none, HS256...)
  unknown_key,    // no key of the JWKS fits the header's kid and alg
  bad_signature,
  wrong_issuer,
  wrong_audience,
  wrong_authorized_party,  // azp present and not our client_id
  expired,
  not_yet_valid,  // iat or nbf in the future
  wrong_nonce,
  missing_subject,
};
const char* to_string(TokenProblem p);
// A sentence for the person signing in (never the token's content).
std::string describe(TokenProblem p);

struct VerifiedToken {
  Json claims;
  std::string subject;
};

struct VerifyResult {
  std::optional<VerifiedToken> token;
  std::optional<TokenProblem> problem;
  bool ok() const { return token.has_value(); }
};

// Verifies the signature against `keys`, then iss, aud, azp (required with several audiences,
// and when present always our client id: OpenID Connect Core 3.1.3.7), exp, iat, nbf (RFC 7519
// 4.1.5, when present) and nonce. The nonce is compared in constant time.
VerifyResult verify_id_token(std::string_view token, const std::vector<Jwk>& keys,
                             const Expectations& expect);

// True when `signature` over `data` verifies with `key` under `alg` (RS256 or ES256; ES256
// signatures are the JWS form, r||s, 64 bytes).
bool verify_signature(const Jwk& key, std::string_view alg, std::string_view data,
                      std::string_view signature);

}  // namespace instctl::auth
