// The inbox's view of a signed request, either standard: draft-cavage's Signature (or
// Authorization: Signature) header, the covered headers, the Date and the Digest; or RFC 9421's
// Signature-Input and Signature, the covered components, created/expires and the
// Content-Digest; then the signature itself.
//
// Input: a request as text. The first line is "METHOD TARGET", then "Name: value" header lines
// up to an empty line, then the body.

#include "instctl/crypto/http_signature.hpp"

#include <optional>

#include "fuzz_support.hpp"
#include "instctl/util/time.hpp"

namespace {

using namespace instctl;

// The key seeds in tests/fuzz/corpus/http_signature are signed with (its private half is not
// kept: a request the fuzzer changes no longer verifies anyway).
constexpr std::string_view k_public_pem = R"(-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuAk6ZENnFgk5DZy3oiD5
IqWM0NEaXfp+T42yYzfXCOVcC1+JHisDbLwPnm+hK7hK8mAuj81jpQ75BIPaXdIJ
0aiqPs4rlTC+wInxu7iYW+6Yq66pP2J7qHVuL/MPRUW9akW0C9cU7DuZH/vcp9hY
B5QMc1H7IeIWvrw2Q6Bd4wl+OH+zliS2s6YZXsqzjDFhyWQ5H4hTzWwFHi+/q0pT
uYgkB+4skl3D5zCO0hseLXUqK/WxpIjmR6rwdEMidqe1sr8F+j4+m4ChwS6NBtfg
lfFWAR2Pk8FNOND5cBUsuKw/9Q3y+kAsUVfakHqge12I01bug0VgqgFDhf6p4NnK
fQIDAQAB
-----END PUBLIC KEY-----
)";

// When the request's own Date is readable, "now" is a minute later, so the checks after the
// date window are reached; otherwise a fixed time.
constexpr UnixTime k_now = 1764316800;  // 2025-11-28T08:00:00Z

crypto::IncomingRequest read_request(std::string_view text) {
  crypto::IncomingRequest req;
  const auto first = fuzz::take_line(text);
  const auto space = first.find(' ');
  req.method = std::string(first.substr(0, space));
  req.target = space == std::string_view::npos ? "/" : std::string(first.substr(space + 1));
  while (!text.empty()) {
    auto line = fuzz::take_line(text);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    auto value = line.substr(colon + 1);  // HTTP drops the whitespace around a value
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    req.headers.push_back({std::string(line.substr(0, colon)), std::string(value)});
  }
  req.body = std::string(text);
  return req;
}

bool has_quote(const crypto::SignatureParams& p) {
  auto q = [](const std::string& s) { return s.find('"') != std::string::npos; };
  if (q(p.key_id) || q(p.algorithm)) return true;
  for (const auto& h : p.headers) {
    if (q(h)) return true;
  }
  return false;
}

// Every header value parsed as a Signature header; what parses must format and parse back.
void parse_each_header(const crypto::IncomingRequest& req) {
  for (const auto& h : req.headers) {
    const auto p = crypto::parse_signature_header(h.value);
    if (!p) continue;
    fuzz::require(!p->key_id.empty() && !p->signature.empty() && !p->headers.empty(),
                  "a parsed Signature header has a keyId, a signature and covered headers");
    if (has_quote(*p)) continue;  // a bare token may hold '"', which no quoted form can
    const auto again = crypto::parse_signature_header(crypto::format_signature_header(*p));
    fuzz::require(again && again->key_id == p->key_id && again->headers == p->headers &&
                      again->signature == p->signature && again->algorithm == p->algorithm &&
                      again->created == p->created && again->expires == p->expires,
                  "format_signature_header's output parses back to the same parameters");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const crypto::IncomingRequest req = read_request(fuzz::as_text(data, size));
  parse_each_header(req);
  UnixTime now = k_now;
  if (const auto date = crypto::find_header(req.headers, "date")) {
    if (const auto t = util::parse_http_date(*date)) now = *t + 60;
  }
  if (const auto digest = crypto::find_header(req.headers, "digest")) {
    crypto::digest_matches(*digest, req.body);
  }
  const auto check = crypto::check_request(req, now);
  if (!check.ok()) return 0;
  if (check.params.standard == crypto::SignatureStandard::rfc9421) {
    fuzz::require(!check.params.base.empty() && check.params.created.has_value(),
                  "an RFC 9421 request that passed check_request has a signature base and created");
  } else {
    fuzz::require(
        crypto::signing_string(check.params, req.method, req.target, req.headers).has_value(),
        "a request that passed check_request has every header it signs");
  }
  crypto::verify_request(req, check.params, k_public_pem);
  return 0;
}
