// RFC 9421 HTTP Message Signatures against the RFC's own examples (Appendix B: the test
// request of B.2, the signature bases of B.2.1 and B.2.3, the deterministic Ed25519 signature
// of B.2.6 with the key of B.1.4), RFC 9530's Content-Digest examples, sign/verify of the
// rsa-v1_5-sha256 path, and every refusal of the inbox's check.

#include "instctl/crypto/message_signature.hpp"

#include <gtest/gtest.h>

#include "instctl/crypto/keys.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/time.hpp"

namespace instctl::crypto {
namespace {

// RFC 9421 B.1.4, test-key-ed25519.
const char* const k_ed_private = R"(-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF
-----END PRIVATE KEY-----
)";
const char* const k_ed_public = R"(-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=
-----END PUBLIC KEY-----
)";

const char* const k_body = R"({"hello": "world"})";
const char* const k_sha512 =
    "sha-512=:WZDPaVn/"
    "7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:";

// RFC 9421 B.2's test request.
IncomingRequest rfc_request() {
  IncomingRequest r;
  r.method = "POST";
  r.target = "/foo?param=Value&Pet=dog";
  r.headers = {{"Host", "example.com"},
               {"Date", "Tue, 20 Apr 2021 02:07:55 GMT"},
               {"Content-Type", "application/json"},
               {"Content-Digest", k_sha512},
               {"Content-Length", "18"}};
  r.body = k_body;
  return r;
}

sf::InnerList input_of(const std::string& signature_input) {
  const auto dict = sf::parse_dictionary(signature_input);
  EXPECT_TRUE(dict && dict->size() == 1);
  return std::get<sf::InnerList>(dict->front().second);
}

std::string base_of(const std::string& signature_input, const IncomingRequest& req) {
  std::string error;
  const auto base = signature_base(input_of(signature_input), req, error);
  EXPECT_TRUE(base) << error;
  return base.value_or("");
}

TEST(MessageSignature, Rfc9421B21MinimalBase) {
  EXPECT_EQ(
      base_of(
          R"(sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd")",
          rfc_request()),
      R"("@signature-params": ();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd")");
}

TEST(MessageSignature, Rfc9421B23FullCoverageBase) {
  const std::string input =
      R"(sig-b23=("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss")";
  EXPECT_EQ(base_of(input, rfc_request()),
            std::string("\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n"
                        "\"@method\": POST\n"
                        "\"@path\": /foo\n"
                        "\"@query\": ?param=Value&Pet=dog\n"
                        "\"@authority\": example.com\n"
                        "\"content-type\": application/json\n"
                        "\"content-digest\": ") +
                k_sha512 +
                "\n\"content-length\": 18\n"
                "\"@signature-params\": (\"date\" \"@method\" \"@path\" \"@query\" \"@authority\" "
                "\"content-type\" \"content-digest\" \"content-length\");created=1618884473;"
                "keyid=\"test-key-rsa-pss\"");
}

TEST(MessageSignature, Rfc9421B26Ed25519) {
  const std::string input =
      R"(sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519")";
  const std::string expected_base =
      "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n"
      "\"@method\": POST\n"
      "\"@path\": /foo\n"
      "\"@authority\": example.com\n"
      "\"content-type\": application/json\n"
      "\"content-length\": 18\n"
      "\"@signature-params\": (\"date\" \"@method\" \"@path\" \"@authority\" \"content-type\" "
      "\"content-length\");created=1618884473;keyid=\"test-key-ed25519\"";
  const std::string base = base_of(input, rfc_request());
  ASSERT_EQ(base, expected_base);
  const auto rfc_sig = util::base64_decode(
      "wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==");
  ASSERT_TRUE(rfc_sig);
  // Ed25519 is deterministic: signing the base with the RFC's key gives the RFC's signature.
  EXPECT_EQ(ed25519_sign(k_ed_private, base), *rfc_sig);
  SignatureParams p;
  p.standard = SignatureStandard::rfc9421;
  p.key_id = "test-key-ed25519";
  p.base = base;
  p.signature = *rfc_sig;
  EXPECT_TRUE(verify_message(p, k_ed_public).ok());
  p.algorithm = "ed25519";
  EXPECT_TRUE(verify_message(p, k_ed_public).ok());
  p.base += " ";
  EXPECT_EQ(verify_message(p, k_ed_public).status, VerifyStatus::bad_signature);
  // The inbox refuses it all the same: a POST whose signature leaves the body out.
  auto req = rfc_request();
  req.headers.push_back({"Signature-Input", input});
  req.headers.push_back({"Signature", "sig-b26=:" + util::base64_encode(*rfc_sig) + ":"});
  const auto check = check_request(req, 1618884473);
  EXPECT_EQ(check.status, VerifyStatus::insufficient_coverage);
  EXPECT_EQ(check.message, "RFC 9421: the signature does not cover content-digest");
}

TEST(MessageSignature, Rfc9530ContentDigestExamples) {
  EXPECT_EQ(content_digest_value(k_body), "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
  EXPECT_EQ(
      content_digest_problem("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", k_body), "");
  EXPECT_EQ(content_digest_problem(k_sha512, k_body), "");
  // Both given: both must match. An unknown algorithm alone is not enough.
  EXPECT_EQ(content_digest_problem(
                std::string(k_sha512) + ", sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
                k_body),
            "");
  EXPECT_NE(content_digest_problem(k_sha512, R"({"hello": "world!"})"), "");
  EXPECT_NE(content_digest_problem("md5=:AAAA:", k_body), "");
  EXPECT_NE(content_digest_problem("sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", k_body),
            "");
}

// A request signed by sign_message at `now`, as the inbox receives it.
struct Signed {
  KeyPair keys;
  IncomingRequest req;
};
const UnixTime k_now = 1795846898;
const Signed& signed_post() {
  static const Signed s = [] {
    Signed out{generate_rsa_key_pair(), {}};
    const std::string body = R"({"type":"Follow"})";
    Headers h{{"Host", "remote.example:8443"}, {"Content-Type", "application/activity+json"}};
    sign_message("POST", "https", "/users/bob/inbox", body, h,
                 "https://here.example/users/ada#main-key", out.keys.private_pem, k_now);
    out.req = IncomingRequest{"POST", "/users/bob/inbox", h, body, "https"};
    return out;
  }();
  return s;
}

TEST(MessageSignature, SignAndVerifyEachOther) {
  const auto& s = signed_post();
  EXPECT_EQ(*find_header(s.req.headers, "signature-input"),
            "sig1=(\"@method\" \"@target-uri\" \"@authority\" \"date\" \"content-digest\");"
            "alg=\"rsa-v1_5-sha256\";keyid=\"https://here.example/users/"
            "ada#main-key\";created=1795846898");
  const auto check = check_request(s.req, k_now + 60);
  ASSERT_TRUE(check.ok()) << check.message;
  EXPECT_EQ(check.params.standard, SignatureStandard::rfc9421);
  EXPECT_EQ(check.params.key_id, "https://here.example/users/ada#main-key");
  EXPECT_TRUE(
      check.params.base.find("\"@target-uri\": https://remote.example:8443/users/bob/inbox\n") !=
      std::string::npos)
      << check.params.base;
  EXPECT_TRUE(verify_request(s.req, check.params, s.keys.public_pem).ok());
  // Another target, another scheme: the signature no longer verifies.
  auto other = s.req;
  other.target = "/users/carol/inbox";
  EXPECT_EQ(verify_request(other, check_request(other, k_now).params, s.keys.public_pem).status,
            VerifyStatus::bad_signature);
  other = s.req;
  other.scheme = "http";
  EXPECT_EQ(verify_request(other, check_request(other, k_now).params, s.keys.public_pem).status,
            VerifyStatus::bad_signature);
  // Another key.
  EXPECT_EQ(verify_request(s.req, check.params, generate_rsa_key_pair().public_pem).status,
            VerifyStatus::bad_signature);
}

IncomingRequest with_input(std::string input, std::string signature = "sig1=:AAAA:") {
  auto r = signed_post().req;
  set_header(r.headers, "Signature-Input", std::move(input));
  set_header(r.headers, "Signature", std::move(signature));
  return r;
}

VerifyStatus status_of(const IncomingRequest& r, UnixTime now = k_now) {
  return check_request(r, now).status;
}

const std::string k_params =
    ";created=1795846898;keyid=\"https://here.example/users/ada#main-key\"";

TEST(MessageSignature, RefusesMissingCoverage) {
  EXPECT_EQ(status_of(with_input("sig1=(\"@target-uri\" \"content-digest\")" + k_params)),
            VerifyStatus::insufficient_coverage);
  EXPECT_EQ(status_of(with_input("sig1=(\"@method\" \"content-digest\")" + k_params)),
            VerifyStatus::insufficient_coverage);
  EXPECT_EQ(
      status_of(with_input("sig1=(\"@method\" \"@authority\" \"content-digest\")" + k_params)),
      VerifyStatus::insufficient_coverage);
  EXPECT_EQ(status_of(with_input("sig1=(\"@method\" \"@target-uri\")" + k_params)),
            VerifyStatus::insufficient_coverage);
  // @authority with @path stands for @target-uri.
  EXPECT_TRUE(
      check_request(
          with_input("sig1=(\"@method\" \"@authority\" \"@path\" \"content-digest\")" + k_params),
          k_now)
          .ok());
  // A covered header the request lacks; a derived component this verifier does not know.
  EXPECT_EQ(status_of(with_input(
                "sig1=(\"@method\" \"@target-uri\" \"content-digest\" \"x-missing\")" + k_params)),
            VerifyStatus::missing_header);
  EXPECT_EQ(status_of(with_input(
                "sig1=(\"@method\" \"@target-uri\" \"content-digest\" \"@status\")" + k_params)),
            VerifyStatus::missing_header);
}

TEST(MessageSignature, RefusesStaleAndExpired) {
  const auto& r = signed_post().req;
  EXPECT_EQ(status_of(r, k_now + 13 * 3600), VerifyStatus::stale);
  EXPECT_EQ(status_of(r, k_now - 13 * 3600), VerifyStatus::stale);
  EXPECT_TRUE(check_request(r, k_now + 11 * 3600).ok());
  const std::string covered = "sig1=(\"@method\" \"@target-uri\" \"content-digest\")";
  EXPECT_EQ(status_of(with_input(covered + k_params + ";expires=1795846800")), VerifyStatus::stale);
  const auto expired = check_request(with_input(covered + k_params + ";expires=1795846800"), k_now);
  EXPECT_EQ(expired.message, "RFC 9421: the signature expired at 2026-11-28T06:20:00Z");
  EXPECT_TRUE(check_request(with_input(covered + k_params + ";expires=1795847000"), k_now).ok());
  // created is required.
  EXPECT_EQ(status_of(with_input(covered + ";keyid=\"k\"")), VerifyStatus::malformed);
}

TEST(MessageSignature, RefusesBadContentDigest) {
  auto r = signed_post().req;
  r.body += " ";
  EXPECT_EQ(status_of(r), VerifyStatus::bad_digest);
  r = signed_post().req;
  set_header(r.headers, "Content-Digest", "sha-256=:AAAA:");
  EXPECT_EQ(status_of(r), VerifyStatus::bad_digest);
  set_header(r.headers, "Content-Digest", "not a dictionary!");
  EXPECT_EQ(status_of(r), VerifyStatus::bad_digest);
  std::erase_if(r.headers, [](const Header& h) { return util::iequals(h.name, "content-digest"); });
  EXPECT_EQ(status_of(r), VerifyStatus::bad_digest);
}

TEST(MessageSignature, RefusesWrongAlgForKey) {
  const auto& s = signed_post();
  const std::string covered = "sig1=(\"@method\" \"@target-uri\" \"content-digest\")";
  auto r = with_input(covered + k_params + ";alg=\"ed25519\"");
  auto check = check_request(r, k_now);
  ASSERT_TRUE(check.ok()) << check.message;
  const auto v = verify_request(r, check.params, s.keys.public_pem);
  EXPECT_EQ(v.status, VerifyStatus::bad_signature);
  EXPECT_EQ(
      v.message,
      "RFC 9421: alg is ed25519 but the key https://here.example/users/ada#main-key is an RSA key");
  check.params.algorithm = "rsa-v1_5-sha256";
  EXPECT_EQ(verify_request(r, check.params, k_ed_public).status, VerifyStatus::bad_signature);
  EXPECT_EQ(status_of(with_input(covered + k_params + ";alg=\"rsa-pss-sha512\"")),
            VerifyStatus::unsupported_algorithm);
  EXPECT_EQ(status_of(with_input(covered + k_params + ";alg=rsa")), VerifyStatus::malformed);
}

TEST(MessageSignature, RefusesTwoSignatures) {
  const std::string covered = "(\"@method\" \"@target-uri\" \"content-digest\")" + k_params;
  EXPECT_EQ(status_of(with_input("a=" + covered + ", b=" + covered, "a=:AAAA:, b=:AAAA:")),
            VerifyStatus::malformed);
  EXPECT_EQ(status_of(with_input("a=" + covered, "a=:AAAA:, b=:AAAA:")), VerifyStatus::malformed);
  // The label in Signature must be the one in Signature-Input.
  EXPECT_EQ(status_of(with_input("a=" + covered, "b=:AAAA:")), VerifyStatus::malformed);
}

TEST(MessageSignature, RefusesMalformedStructuredFields) {
  const std::string covered = "sig1=(\"@method\" \"@target-uri\" \"content-digest\")";
  for (const std::string& bad : std::vector<std::string>{
           covered + k_params + ",", "sig1=(\"@method\" \"@target-uri\"" + k_params,
           "Sig1=" + covered.substr(5) + k_params, covered + ";created=1.5;keyid=\"k\"",
           covered + ";created=1;keyid=k", "sig1=\"@method\"" + k_params,
           "sig1=(\"@method\";x=1 \"@target-uri\" \"content-digest\")" + k_params,
           "sig1=(\"@method\" \"@method\" \"@target-uri\" \"content-digest\")" + k_params,
           "sig1=(\"@METHOD\" \"@target-uri\" \"content-digest\")" + k_params, ""}) {
    EXPECT_EQ(status_of(with_input(bad)), VerifyStatus::malformed) << bad;
  }
  const std::string good = covered + k_params;
  for (const std::string& bad_sig :
       std::vector<std::string>{"sig1=:AAA", "sig1=:!!!!:", "sig1=\"AAAA\"", "sig1=::", "sig1"}) {
    EXPECT_EQ(status_of(with_input(good, bad_sig)), VerifyStatus::malformed) << bad_sig;
  }
  auto r = signed_post().req;
  std::erase_if(r.headers, [](const Header& h) { return util::iequals(h.name, "signature"); });
  EXPECT_EQ(status_of(r), VerifyStatus::malformed);
}

TEST(StructuredField, ParsesAndSerializes) {
  const auto d = sf::parse_dictionary(R"(a=1, b=?0, c=:AQID:;x, d=(tok "s\"q" -1.25);p="v", e)");
  ASSERT_TRUE(d);
  ASSERT_EQ(d->size(), 5u);
  EXPECT_EQ(std::get<sf::Item>(*sf::find(*d, "a")).value, sf::BareItem{std::int64_t{1}});
  EXPECT_EQ(std::get<sf::Item>(*sf::find(*d, "c")).value,
            sf::BareItem{sf::ByteSequence{"\x01\x02\x03"}});
  EXPECT_EQ(std::get<sf::Item>(*sf::find(*d, "e")).value, sf::BareItem{true});
  EXPECT_EQ(sf::serialize(std::get<sf::InnerList>(*sf::find(*d, "d"))),
            R"((tok "s\"q" -1.25);p="v")");
  // A repeated key keeps its place and takes the last value.
  const auto r = sf::parse_dictionary("a=1, b=2, a=3");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->front().first, "a");
  EXPECT_EQ(std::get<sf::Item>(r->front().second).value, sf::BareItem{std::int64_t{3}});
  for (const char* bad : {"a=1,", "a=(1", "A=1", "a=\"x", "a=\"\\x\"", "a=1234567890123456",
                          "a=1.2345", "a=?2", "a=:AQ", "a=1 b=2", "a=\"\x7f\"", "a=\"\xc3\xa9\""}) {
    EXPECT_FALSE(sf::parse_dictionary(bad)) << bad;
  }
  EXPECT_TRUE(sf::parse_dictionary("")->empty());
}

}  // namespace
}  // namespace instctl::crypto
