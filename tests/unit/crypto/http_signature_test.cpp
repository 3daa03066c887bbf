// HTTP signatures against the known answers of draft-cavage-http-signatures-12, appendix C
// (its published test key and request), and sign/verify against each other.

#include "instctl/crypto/http_signature.hpp"

#include <gtest/gtest.h>

#include "instctl/crypto/keys.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/time.hpp"

namespace instctl::crypto {
namespace {

// Appendix C's test key pair.
const char* const k_private = R"(-----BEGIN RSA PRIVATE KEY-----
MIICXgIBAAKBgQDCFENGw33yGihy92pDjZQhl0C36rPJj+CvfSC8+q28hxA161QF
NUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6Z4UMR7EOcpfdUE9Hf3m/hs+F
UR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJwoYi+1hqp1fIekaxsyQIDAQAB
AoGBAJR8ZkCUvx5kzv+utdl7T5MnordT1TvoXXJGXK7ZZ+UuvMNUCdN2QPc4sBiA
QWvLw1cSKt5DsKZ8UETpYPy8pPYnnDEz2dDYiaew9+xEpubyeW2oH4Zx71wqBtOK
kqwrXa/pzdpiucRRjk6vE6YY7EBBs/g7uanVpGibOVAEsqH1AkEA7DkjVH28WDUg
f1nqvfn2Kj6CT7nIcE3jGJsZZ7zlZmBmHFDONMLUrXR/Zm3pR5m0tCmBqa5RK95u
412jt1dPIwJBANJT3v8pnkth48bQo/fKel6uEYyboRtA5/uHuHkZ6FQF7OUkGogc
mSJluOdc5t6hI1VsLn0QZEjQZMEOWr+wKSMCQQCC4kXJEsHAve77oP6HtG/IiEn7
kpyUXRNvFsDE0czpJJBvL/aRFUJxuRK91jhjC68sA7NsKMGg5OXb5I5Jj36xAkEA
gIT7aFOYBFwGgQAQkWNKLvySgKbAZRTeLBacpHMuQdl1DfdntvAyqpAZ0lY0RKmW
G6aFKaqQfOXKCyWoUiVknQJAXrlgySFci/2ueKlIE1QqIiLSZ8V8OlpFLRnb1pzI
7U1yQXnTAEFYM560yJlzUpOb1V4cScGd365tiSMvxLOvTA==
-----END RSA PRIVATE KEY-----
)";
const char* const k_public = R"(-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDCFENGw33yGihy92pDjZQhl0C3
6rPJj+CvfSC8+q28hxA161QFNUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6
Z4UMR7EOcpfdUE9Hf3m/hs+FUR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJw
oYi+1hqp1fIekaxsyQIDAQAB
-----END PUBLIC KEY-----
)";

// Appendix C's signatures of the request below.
const char* const k_c1 =
    "SjWJWbWN7i0wzBvtPl8rbASWz5xQW6mcJmn+ibttBqtifLN7Sazz6m79cNfwwb8DMJ5cou1s7uEGKKCs+FLEEaDV5lp7"
    "q25WqS+lavg7T8hc0GppauB6hbgEKTwblDHYGEtbGmtdHgVCk9SuS13F0hZ8FD0k/5OxEPXe5WozsbM=";
const char* const k_c2 =
    "qdx+H7PHHDZgy4y/Ahn9Tny9V3GP6YgBPyUXMmoxWtLbHpUnXS2mg2+SbrQDMCJypxBLSPQR2aAjn7ndmw2iicw3HMbe"
    "8VfEdKFYRqzic+efkb3nndiv/x1xSHDJWeSWkx3ButlYSuBskLu6kd9Fswtemr3lgdDEmn04swr2Os0=";
const char* const k_c3 =
    "vSdrb+dS3EceC9bcwHSo4MlyKS59iFIrhgYkz8+oVLEEzmYZZvRs8rgOp+63LEM3v+MFHB32NfpB2bEKBIvB1q52LaEU"
    "HFv120V01IL+TAD48XaERZFukWgHoBTLMhYS2Gb51gWxpeIq8knRmPnYePbF5MOkR0Zkly4zKH7s1dE=";

const char* const k_date = "Sun, 05 Jan 2014 21:31:40 GMT";

IncomingRequest cavage_request() {
  IncomingRequest r;
  r.method = "POST";
  r.target = "/foo?param=value&pet=dog";
  r.headers = {{"Host", "example.com"},
               {"Date", k_date},
               {"Content-Type", "application/json"},
               {"Digest", "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE="},
               {"Content-Length", "18"}};
  r.body = R"({"hello": "world"})";
  return r;
}

UnixTime cavage_now() { return *util::parse_http_date(k_date); }

std::string sign_with(const std::vector<std::string>& headers) {
  SignatureParams p;
  p.key_id = "Test";
  p.headers = headers;
  const auto r = cavage_request();
  return util::base64_encode(
      rsa_sha256_sign(k_private, *signing_string(p, r.method, r.target, r.headers)));
}

TEST(HttpSignature, DigestKnownAnswer) {
  EXPECT_EQ(digest_header_value(R"({"hello": "world"})"),
            "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=");
  EXPECT_TRUE(digest_matches("SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=",
                             R"({"hello": "world"})"));
  EXPECT_TRUE(digest_matches("MD5=abc, sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=",
                             R"({"hello": "world"})"));
  EXPECT_FALSE(digest_matches("SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", "{}"));
  EXPECT_FALSE(digest_matches("MD5=Sd/dVLAcvNLSq16eXua5uQ==", R"({"hello": "world"})"));
}

TEST(HttpSignature, SigningReproducesAppendixC) {
  EXPECT_EQ(sign_with({"date"}), k_c1);
  EXPECT_EQ(sign_with({"(request-target)", "host", "date"}), k_c2);
  EXPECT_EQ(
      sign_with({"(request-target)", "host", "date", "content-type", "digest", "content-length"}),
      k_c3);
}

TEST(HttpSignature, SigningStringOfAppendixC) {
  SignatureParams p;
  p.headers = {"(request-target)", "host", "date"};
  const auto r = cavage_request();
  EXPECT_EQ(*signing_string(p, r.method, r.target, r.headers),
            "(request-target): post /foo?param=value&pet=dog\nhost: example.com\n"
            "date: Sun, 05 Jan 2014 21:31:40 GMT");
  p.headers.push_back("x-missing");
  EXPECT_FALSE(signing_string(p, r.method, r.target, r.headers));
}

TEST(HttpSignature, VerifiesAppendixC3) {
  auto r = cavage_request();
  r.headers.push_back(
      {"Signature",
       std::string("keyId=\"Test\",algorithm=\"rsa-sha256\",headers=\"(request-target) "
                   "host date content-type digest content-length\",signature=\"") +
           k_c3 + "\""});
  const auto check = check_request(r, cavage_now());
  ASSERT_TRUE(check.ok()) << check.message;
  EXPECT_EQ(check.params.key_id, "Test");
  EXPECT_TRUE(verify_request(r, check.params, k_public).ok());
  // Tampering with the target, a header or the key fails.
  auto other = r;
  other.target = "/foo?param=value&pet=cat";
  EXPECT_EQ(verify_request(other, check.params, k_public).status, VerifyStatus::bad_signature);
  const auto unrelated = generate_rsa_key_pair();
  EXPECT_EQ(verify_request(r, check.params, unrelated.public_pem).status,
            VerifyStatus::bad_signature);
  EXPECT_EQ(verify_request(r, check.params, "not a key").status, VerifyStatus::bad_signature);
}

TEST(HttpSignature, AuthorizationHeaderAndHs2019Accepted) {
  auto r = cavage_request();
  r.headers.push_back(
      {"Authorization",
       std::string("Signature keyId=\"Test\",algorithm=\"hs2019\",headers=\"(request-target) "
                   "host date content-type digest content-length\",signature=\"") +
           k_c3 + "\""});
  const auto check = check_request(r, cavage_now());
  ASSERT_TRUE(check.ok()) << check.message;
  EXPECT_TRUE(verify_request(r, check.params, k_public).ok());
}

TEST(HttpSignature, CheckRefusesWeakOrStaleRequests) {
  const auto base = cavage_request();
  auto with_sig = [&](const std::string& sig) {
    auto r = base;
    r.headers.push_back({"Signature", sig});
    return r;
  };
  EXPECT_EQ(check_request(base, cavage_now()).status, VerifyStatus::missing_signature);
  EXPECT_EQ(check_request(with_sig("garbage"), cavage_now()).status, VerifyStatus::malformed);
  EXPECT_EQ(check_request(with_sig("keyId=\"Test\",signature=\"!!!\""), cavage_now()).status,
            VerifyStatus::malformed);
  // C.1 covers only the date: not enough for an inbox.
  EXPECT_EQ(
      check_request(with_sig(std::string("keyId=\"Test\",algorithm=\"rsa-sha256\",signature=\"") +
                             k_c1 + "\""),
                    cavage_now())
          .status,
      VerifyStatus::insufficient_coverage);
  // C.2 does not cover the digest of a POST body.
  const auto c2 =
      with_sig(std::string("keyId=\"Test\",algorithm=\"rsa-sha256\",headers=\"(request-target) "
                           "host date\",signature=\"") +
               k_c2 + "\"");
  EXPECT_EQ(check_request(c2, cavage_now()).status, VerifyStatus::insufficient_coverage);
  auto get = c2;
  get.method = "GET";
  get.body.clear();
  EXPECT_TRUE(check_request(get, cavage_now()).ok());
  const auto c3 =
      with_sig(std::string("keyId=\"Test\",algorithm=\"rsa-sha256\",headers=\"(request-target) "
                           "host date content-type digest content-length\",signature=\"") +
               k_c3 + "\"");
  EXPECT_EQ(check_request(c3, cavage_now() + 13 * 3600).status, VerifyStatus::stale);
  EXPECT_EQ(check_request(c3, cavage_now() - 13 * 3600).status, VerifyStatus::stale);
  EXPECT_TRUE(check_request(c3, cavage_now() + 11 * 3600).ok());
  auto tampered = c3;
  tampered.body = R"({"hello": "world!"})";
  EXPECT_EQ(check_request(tampered, cavage_now()).status, VerifyStatus::bad_digest);
  auto unknown =
      with_sig(std::string("keyId=\"Test\",algorithm=\"hmac-sha256\",headers=\"(request-target) "
                           "host date digest\",signature=\"") +
               k_c3 + "\"");
  EXPECT_EQ(check_request(unknown, cavage_now()).status, VerifyStatus::unsupported_algorithm);
  auto missing = c3;
  std::erase_if(missing.headers, [](const Header& h) { return h.name == "Content-Length"; });
  EXPECT_EQ(check_request(missing, cavage_now()).status, VerifyStatus::missing_header);
}

// A property the http_signature fuzz target checks: a signature covering a pseudo-header it cannot
// fill in passed step 1, and the inbox fetched the sender's key for a request that could
// never verify.
TEST(HttpSignature, CheckRefusesPseudoHeadersItCannotFill) {
  auto req = cavage_request();
  req.method = "GET";
  req.body.clear();
  auto status = [&](const std::string& params) {
    auto r = req;
    r.headers.push_back({"Signature", "keyId=\"Test\"," + params + ",signature=\"YWJj\""});
    return check_request(r, cavage_now()).status;
  };
  EXPECT_EQ(status("headers=\"(request-target) (created) host date\""),
            VerifyStatus::missing_header);
  EXPECT_EQ(status("headers=\"(request-target) (expires) host date\""),
            VerifyStatus::missing_header);
  EXPECT_EQ(status("headers=\"(request-target) (foo) host date\""), VerifyStatus::missing_header);
  EXPECT_EQ(status("created=1388957500,headers=\"(request-target) (created) host date\""),
            VerifyStatus::ok);
}

TEST(HttpSignature, SignAndVerifyEachOther) {
  const auto keys = generate_rsa_key_pair();
  const std::string body = R"({"type":"Follow"})";
  Headers h{{"Host", "remote.example:8443"}, {"Content-Type", "application/activity+json"}};
  const UnixTime now = 1795846898;
  sign_request("POST", "/users/bob/inbox", body, h, "https://here.example/users/ada#main-key",
               keys.private_pem, now);
  EXPECT_EQ(*find_header(h, "date"), util::format_http_date(now));
  EXPECT_EQ(*find_header(h, "digest"), digest_header_value(body));
  const auto sig = parse_signature_header(*find_header(h, "signature"));
  ASSERT_TRUE(sig);
  EXPECT_EQ(sig->headers, (std::vector<std::string>{"(request-target)", "host", "date", "digest",
                                                    "content-type"}));
  EXPECT_EQ(sig->algorithm, "rsa-sha256");

  IncomingRequest in{"POST", "/users/bob/inbox", h, body};
  const auto check = check_request(in, now + 60);
  ASSERT_TRUE(check.ok()) << check.message;
  EXPECT_EQ(check.params.key_id, "https://here.example/users/ada#main-key");
  EXPECT_TRUE(verify_request(in, check.params, keys.public_pem).ok());
  in.target = "/users/carol/inbox";
  EXPECT_FALSE(verify_request(in, check.params, keys.public_pem).ok());
}

TEST(HttpSignature, ParseAndFormatRoundTrip) {
  const auto p = parse_signature_header(
      "keyId=\"k\",algorithm=\"hs2019\",created=1402170695,expires=1402170699,"
      "headers=\"(request-target) (created) (expires) host\",signature=\"YWJj\"");
  ASSERT_TRUE(p);
  EXPECT_EQ(*p->created, 1402170695);
  EXPECT_EQ(*p->expires, 1402170699);
  EXPECT_EQ(p->signature, "abc");
  const auto again = parse_signature_header(format_signature_header(*p));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->headers, p->headers);
  EXPECT_EQ(*signing_string(*p, "GET", "/x", {{"Host", "h"}}),
            "(request-target): get /x\n(created): 1402170695\n(expires): 1402170699\nhost: h");
  IncomingRequest r{"GET", "/x", {{"Host", "h"}, {"Signature", format_signature_header(*p)}}, ""};
  VerifyPolicy policy;
  policy.required = {"(request-target)", "host"};
  EXPECT_EQ(check_request(r, 1402170700, policy).status, VerifyStatus::stale);  // expired
}

TEST(HttpSignature, PublicKeyInPkcs1FormIsAccepted) {
  const char* pkcs1 = R"(-----BEGIN RSA PUBLIC KEY-----
MIGJAoGBAMIUQ0bDffIaKHL3akONlCGXQLfqs8mP4K99ILz6rbyHEDXrVAU1R3Xf
C4JNRyrRB3aqwF7/aEXJzYMIkmDSHUvvz7pnhQxHsQ5yl91QT0d/eb+Gz4VRHjm4
El4MrUdIUcPxscoPqS/wU8Z8lOi1z7bGMnChiL7WGqnV8h6RrGzJAgMBAAE=
-----END RSA PUBLIC KEY-----
)";
  auto r = cavage_request();
  r.headers.push_back(
      {"Signature", std::string("keyId=\"Test\",headers=\"(request-target) host date "
                                "content-type digest content-length\",signature=\"") +
                        k_c3 + "\""});
  const auto check = check_request(r, cavage_now());
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(verify_request(r, check.params, pkcs1).ok());
}

}  // namespace
}  // namespace instctl::crypto
