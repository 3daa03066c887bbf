#pragma once

// HTTP signatures as the fediverse uses them, both standards, through one two-step verifier:
// - draft-cavage-http-signatures-12 (this file's parser and signer) with RSA keys (algorithm
//   "rsa-sha256", or "hs2019" with an RSA key, as Mastodon and Fedify send), and a Digest
//   header (RFC 3230, SHA-256) binding the body;
// - RFC 9421 HTTP Message Signatures (crypto/message_signature.hpp: Signature-Input and
//   Signature, rsa-v1_5-sha256 or ed25519, Content-Digest of RFC 9530 binding the body).
// A request carrying Signature-Input is RFC 9421; any other is draft-cavage. Signing and
// verification live together, so both sides agree on every detail.
//
// Outbound:
//   crypto::Headers h{{"Host", "remote.example"}, {"Content-Type", "application/activity+json"}};
//   crypto::sign_request("POST", "/inbox", body, h, key_id, private_pem, clock.now());
//   -> h gains Date, Digest and Signature, covering (request-target) host date digest content-type.
//   (crypto::sign_message for RFC 9421.)
//
// Inbound (two steps, because the key must be fetched between them):
//   auto check = crypto::check_request(req, now);           // structure, coverage, time, digest
//   if (!check.ok()) -> 401 with check.message ("draft-cavage: ..." or "RFC 9421: ...")
//   pem = fetch_key(check.params.key_id);                   // cached by the caller
//   auto result = crypto::verify_request(req, check.params, pem);
//   if (!result.ok()) -> 401

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/core/clock.hpp"
#include "instctl/crypto/pkey.hpp"

namespace instctl::crypto {

struct Header {
  std::string name;  // as sent; compared case-insensitively
  std::string value;
};
using Headers = std::vector<Header>;

// The first header with this name (case-insensitive), if any.
std::optional<std::string> find_header(const Headers& headers, std::string_view name);
// Every field of this name (case-insensitive), trimmed and joined with ", ", as both standards
// sign repeated fields (draft-cavage section 2.3, RFC 9421 section 2.1); nullopt when absent.
std::optional<std::string> joined_header(const Headers& headers, std::string_view name);
// Replaces every header with this name by one with `value`.
void set_header(Headers& headers, std::string_view name, std::string value);

// "SHA-256=<base64 of the body's SHA-256>".
std::string digest_header_value(std::string_view body);
// True when the Digest header holds a SHA-256 entry equal to the body's (other entries of a
// comma-separated list are ignored; a header without SHA-256 does not match).
bool digest_matches(std::string_view header_value, std::string_view body);

enum class SignatureStandard { cavage, rfc9421 };
const char* to_string(SignatureStandard s);  // "cavage", "rfc9421"
std::optional<SignatureStandard> parse_signature_standard(std::string_view s);

// The parameters of a signature, of either standard.
struct SignatureParams {
  SignatureStandard standard = SignatureStandard::cavage;
  std::string key_id;
  // cavage: "rsa-sha256", "hs2019"; RFC 9421: "rsa-v1_5-sha256", "ed25519"; "" when absent.
  std::string algorithm;
  // cavage: the covered headers, lower case, in signing order (["date"] when absent);
  // RFC 9421: the covered component identifiers ("@method", "content-digest", ...).
  std::vector<std::string> headers;
  std::string signature;  // raw bytes
  std::optional<std::int64_t> created;
  std::optional<std::int64_t> expires;
  std::string base;  // RFC 9421: the signature base, built by check_request
};
// Parses `keyId="...",algorithm="...",headers="...",signature="..."`; nullopt when malformed
// (missing keyId or signature, bad quoting, signature not base64).
std::optional<SignatureParams> parse_signature_header(std::string_view value);
std::string format_signature_header(const SignatureParams& params);

// The signing string of section 2.3: one "name: value" line per covered header, with the
// pseudo-headers (request-target), (created) and (expires). nullopt when a covered header is
// missing from the request. `target` is the path with its query.
std::optional<std::string> signing_string(const SignatureParams& params, std::string_view method,
                                          std::string_view target, const Headers& headers);

// Signs an outbound request: sets Date (from `now`) and, for requests with a body, Digest, then
// Signature over (request-target) host date [digest content-type]. `headers` must hold Host
// (and Content-Type when there is a body).
void sign_request(std::string_view method, std::string_view target, std::string_view body,
                  Headers& headers, const std::string& key_id, const std::string& private_pem,
                  UnixTime now);

// An inbound request as the verifier sees it.
struct IncomingRequest {
  std::string method;  // GET, POST (any case)
  std::string target;  // path and query, as received
  Headers headers;
  std::string body;
  std::string scheme = "https";  // as the sender addressed us (RFC 9421's @target-uri)
};

enum class VerifyStatus {
  ok,
  missing_signature,      // no Signature header (nor Authorization: Signature)
  malformed,              // the header cannot be parsed
  unsupported_algorithm,  // not rsa-sha256 / hs2019 (cavage), rsa-v1_5-sha256 / ed25519 (RFC 9421)
  insufficient_coverage,  // a required header is not signed
  missing_header,         // a signed header is absent from the request
  stale,                  // Date (or created/expires) outside the allowed window, or expired
  bad_digest,             // Digest (Content-Digest) absent or not matching the body
  bad_signature,          // the signature does not verify with the key (or alg is not the key's)
};
const char* to_string(VerifyStatus s);

struct VerifyResult {
  VerifyStatus status = VerifyStatus::ok;
  std::string message;  // for logs and 401 bodies; names what is wrong
  SignatureParams params;
  bool ok() const { return status == VerifyStatus::ok; }
};

struct VerifyPolicy {
  std::int64_t max_skew = 12 * 3600;  // Date may differ from now by this much
  // Headers a draft-cavage signature must cover. A request with a body must also cover
  // "digest". (RFC 9421: @method, @target-uri or @authority and @path, and content-digest.)
  std::vector<std::string> required = {"(request-target)", "host", "date"};
};

// Step 1, before the key is known: parses the signature, checks what it covers, the Date and
// the Digest. The result's params.key_id names the key to fetch.
VerifyResult check_request(const IncomingRequest& req, UnixTime now,
                           const VerifyPolicy& policy = {});
// Step 2: verifies the signature of a request that passed check_request with the key's PEM.
VerifyResult verify_request(const IncomingRequest& req, const SignatureParams& params,
                            std::string_view public_pem);

}  // namespace instctl::crypto
