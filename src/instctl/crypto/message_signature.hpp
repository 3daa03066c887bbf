#pragma once

// RFC 9421 HTTP Message Signatures on requests, with RFC 9530's Content-Digest binding the
// body. crypto/http_signature.hpp's check_request and verify_request hand a request that
// carries Signature-Input here; this file knows the RFC 9421 details:
// - exactly one signature (one member in Signature-Input, the same label in Signature);
// - parameters keyid (string) and created (integer) required, expires honoured, alg when
//   present "rsa-v1_5-sha256" or "ed25519" and matching the key's type, else by the key's type;
// - covered: @method, @target-uri (or @authority and @path), and content-digest when the
//   request has a body; the Content-Digest's sha-256 and sha-512 entries must match the body.
//
// Outbound: sign_message sets Date, Content-Digest (with a body), Signature-Input and Signature
// (label sig1) covering "@method" "@target-uri" "@authority" "date" ["content-digest"], as
// Fedify 2 does, with created, keyid and alg="rsa-v1_5-sha256".

#include <optional>
#include <string>
#include <string_view>

#include "instctl/crypto/http_signature.hpp"
#include "instctl/crypto/structured_field.hpp"

namespace instctl::crypto {

// RFC 9530: "sha-256=:<base64 of the body's SHA-256>:".
std::string content_digest_value(std::string_view body);
// "" when the Content-Digest holds a sha-256 or sha-512 entry and every such entry matches the
// body; otherwise what is wrong.
std::string content_digest_problem(std::string_view header_value, std::string_view body);

// The signature base (RFC 9421 2.5) of the covered components and parameters in `input` over
// the request; nullopt with `error` set when a component cannot be derived or is not supported.
std::optional<std::string> signature_base(const sf::InnerList& input, const IncomingRequest& req,
                                          std::string& error);

// Signs an outbound request with an RSA key. `headers` must hold Host; `scheme` and Host with
// `target` make the @target-uri.
void sign_message(std::string_view method, std::string_view scheme, std::string_view target,
                  std::string_view body, Headers& headers, const std::string& key_id,
                  const std::string& private_pem, UnixTime now);

// The RFC 9421 halves of check_request and verify_request (messages without a prefix).
VerifyResult check_message(const IncomingRequest& req, UnixTime now, const VerifyPolicy& policy);
VerifyResult verify_message(const SignatureParams& params, std::string_view public_pem);

}  // namespace instctl::crypto
