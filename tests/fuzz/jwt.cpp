// The OpenID Connect provider's documents: an ID token (compact JWS) checked against a JWKS,
// the discovery document and a UserInfo answer.
//
// Input: the first line is the token, the rest the JWKS; the rest is also read as a
// discovery document and as a UserInfo answer.

#include "instctl/auth/jwt.hpp"

#include "fuzz_support.hpp"
#include "instctl/auth/provider.hpp"
#include "instctl/core/error.hpp"

using namespace instctl;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  const auto token = fuzz::take_line(text);

  if (const auto jws = auth::parse_jws(token)) {
    fuzz::require(jws->header.is_object() && jws->claims.is_object(), "a JWS has JSON objects");
    fuzz::require(jws->signing_input.find('.') != std::string::npos,
                  "the signing input has two parts");
  }
  const auto keys = auth::parse_jwks(text);
  if (keys) {
    for (const auto& k : *keys) {
      fuzz::require(k.key != nullptr, "a parsed JWK has a key");
      fuzz::require(k.kty == "RSA" || k.kty == "EC", "only RSA and EC keys are kept");
    }
    const auth::Expectations expect{"https://id.example", "client", "nonce", 1795846898};
    const auto r = auth::verify_id_token(token, *keys, expect);
    fuzz::require(r.ok() != r.problem.has_value(), "a token is either verified or refused");
    if (r.ok()) fuzz::require(!r.token->subject.empty(), "a verified token names its subject");
  }
  try {
    const auto meta = auth::parse_discovery(text, "https://id.example");
    fuzz::require(!meta.token_endpoint.empty() && !meta.jwks_uri.empty(),
                  "a discovery document has its endpoints");
  } catch (const Error& e) {
    fuzz::require(e.kind() == ErrorKind::invalid_data, "a bad discovery document is invalid data");
  }
  try {
    const auto claims = auth::parse_userinfo(text, "member-1");
    fuzz::require(claims.is_object() && claims.value("sub", "") == "member-1",
                  "a UserInfo answer is an object about the expected subject");
  } catch (const Error& e) {
    fuzz::require(e.kind() == ErrorKind::invalid_data, "a bad UserInfo answer is invalid data");
  }
  return 0;
}
