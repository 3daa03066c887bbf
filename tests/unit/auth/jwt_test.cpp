#include "instctl/auth/jwt.hpp"

#include <gtest/gtest.h>

#include "instctl/auth/pkce.hpp"
#include "instctl/util/base64.hpp"
#include "test_keys.hpp"

namespace instctl::auth {

namespace {

using test::SigningKey;

constexpr UnixTime k_now = 1795846898;

Json good_claims() {
  return Json{{"iss", "https://id.partner.example"},
              {"aud", "instctl-client"},
              {"sub", "member-42"},
              {"nonce", "n-0S6_WzA2Mj"},
              {"iat", k_now - 10},
              {"exp", k_now + 300},
              {"email", "ada@partner.example"}};
}

Expectations expect() {
  return Expectations{"https://id.partner.example", "instctl-client", "n-0S6_WzA2Mj", k_now};
}

class JwtTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rsa = new SigningKey(SigningKey::Type::rsa, "rsa-1");
    ec = new SigningKey(SigningKey::Type::ec, "ec-1");
    other = new SigningKey(SigningKey::Type::rsa, "rsa-1");  // same kid, another key
  }
  static void TearDownTestSuite() {
    delete rsa;
    delete ec;
    delete other;
  }
  std::vector<Jwk> keys() { return *parse_jwks(test::jwks_of({rsa, ec})); }
  std::optional<TokenProblem> problem_of(const std::string& token) {
    return verify_id_token(token, keys(), expect()).problem;
  }
  static inline SigningKey* rsa = nullptr;
  static inline SigningKey* ec = nullptr;
  static inline SigningKey* other = nullptr;
};

TEST_F(JwtTest, JwksKeepsRsaAndP256KeysAndSkipsTheRest) {
  Json doc = Json::parse(test::jwks_of({rsa, ec}));
  doc["keys"].push_back(Json{{"kty", "oct"}, {"k", "c2VjcmV0"}});
  doc["keys"].push_back(Json{{"kty", "RSA"}, {"n", "AQAB"}, {"e", "AQAB"}});  // far too small
  Json enc = rsa->jwk();
  enc["use"] = "enc";
  doc["keys"].push_back(enc);
  Json bad_curve = ec->jwk();
  bad_curve["crv"] = "P-384";
  doc["keys"].push_back(bad_curve);
  Json off_curve = ec->jwk();
  off_curve["y"] = off_curve["x"];
  doc["keys"].push_back(off_curve);
  doc["keys"].push_back("not an object");
  const auto parsed = parse_jwks(doc.dump());
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0].kty, "RSA");
  EXPECT_EQ((*parsed)[0].kid, "rsa-1");
  EXPECT_EQ((*parsed)[1].kty, "EC");
}

TEST_F(JwtTest, JwksThatIsNotAKeySetIsRefused) {
  EXPECT_FALSE(parse_jwks("not json"));
  EXPECT_FALSE(parse_jwks("[]"));
  EXPECT_FALSE(parse_jwks("{\"keys\": {}}"));
  EXPECT_TRUE(parse_jwks("{\"keys\": []}")->empty());
  const SigningKey small(SigningKey::Type::rsa, "small", 1024);
  EXPECT_TRUE(parse_jwks(test::jwks_of({&small}))->empty());
}

TEST_F(JwtTest, GoodRs256AndEs256TokensVerify) {
  for (const auto* key : {rsa, ec}) {
    const auto r = verify_id_token(key->sign(good_claims()), keys(), expect());
    ASSERT_TRUE(r.ok()) << key->alg() << ": " << to_string(*r.problem);
    EXPECT_EQ(r.token->subject, "member-42");
    EXPECT_EQ(r.token->claims["email"], "ada@partner.example");
  }
}

TEST_F(JwtTest, ATokenWithoutKidIsTriedAgainstEveryKeyOfItsType) {
  Json header{{"alg", "RS256"}, {"kid", ""}};
  EXPECT_TRUE(verify_id_token(rsa->sign(good_claims(), header), keys(), expect()).ok());
}

TEST_F(JwtTest, ATokenSignedByAnotherKeyIsRefused) {
  EXPECT_EQ(problem_of(other->sign(good_claims())), TokenProblem::bad_signature);
  const SigningKey stranger(SigningKey::Type::ec, "unknown-kid");
  EXPECT_EQ(problem_of(stranger.sign(good_claims())), TokenProblem::unknown_key);
}

TEST_F(JwtTest, AlgNoneHmacAndMismatchedAlgorithmsAreRefused) {
  Json none{{"alg", "none"}, {"typ", "JWT"}};
  const auto unsigned_token = util::base64url_encode(none.dump()) + "." +
                              util::base64url_encode(good_claims().dump()) + ".";
  EXPECT_EQ(problem_of(unsigned_token), TokenProblem::bad_algorithm);
  EXPECT_EQ(problem_of(rsa->sign(good_claims(), Json{{"alg", "HS256"}})),
            TokenProblem::bad_algorithm);
  EXPECT_EQ(problem_of(rsa->sign(good_claims(), Json{{"alg", "RS512"}})),
            TokenProblem::bad_algorithm);
  // An RSA signature presented as ES256 finds no EC key with that kid.
  EXPECT_EQ(problem_of(rsa->sign(good_claims(), Json{{"alg", "ES256"}})),
            TokenProblem::unknown_key);
  EXPECT_EQ(
      problem_of(rsa->sign(good_claims(), Json{{"alg", "RS256"}, {"crit", Json::array({"x"})}})),
      TokenProblem::malformed);
}

TEST_F(JwtTest, TamperedClaimsBreakTheSignature) {
  const auto token = rsa->sign(good_claims());
  Json evil = good_claims();
  evil["sub"] = "admin";
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  const auto forged =
      token.substr(0, first + 1) + util::base64url_encode(evil.dump()) + token.substr(second);
  EXPECT_EQ(problem_of(forged), TokenProblem::bad_signature);
}

TEST_F(JwtTest, IssuerAudienceAndNonceMustMatch) {
  Json c = good_claims();
  c["iss"] = "https://evil.example";
  EXPECT_EQ(problem_of(rsa->sign(c)), TokenProblem::wrong_issuer);
  c = good_claims();
  c["aud"] = "someone-else";
  EXPECT_EQ(problem_of(rsa->sign(c)), TokenProblem::wrong_audience);
  c["aud"] = Json::array({"someone-else", "instctl-client"});
  EXPECT_EQ(problem_of(rsa->sign(c)), TokenProblem::wrong_audience) << "several audiences need azp";
  c["azp"] = "instctl-client";
  EXPECT_FALSE(problem_of(rsa->sign(c)));
  c["azp"] = "someone-else";
  EXPECT_EQ(problem_of(rsa->sign(c)), TokenProblem::wrong_authorized_party)
      << "several audiences, issued to another party";
  c = good_claims();
  c.erase("aud");
  EXPECT_EQ(problem_of(rsa->sign(c)), TokenProblem::wrong_audience);
  c = good_claims();
  c["nonce"] = "n-replayed";
  EXPECT_EQ(problem_of(rsa->sign(c)), TokenProblem::wrong_nonce);
  c.erase("nonce");
  EXPECT_EQ(problem_of(rsa->sign(c)), TokenProblem::wrong_nonce);
  c = good_claims();
  c.erase("sub");
  EXPECT_EQ(problem_of(rsa->sign(c)), TokenProblem::missing_subject);
}

TEST_F(JwtTest, AuthorizedPartyWhenPresentMustBeUsEvenWithOneAudience) {
  Json c = good_claims();
  c["azp"] = "someone-else";
  EXPECT_EQ(problem_of(rsa->sign(c)), TokenProblem::wrong_authorized_party);
  c["azp"] = Json::array({"instctl-client"});
  EXPECT_EQ(problem_of(rsa->sign(c)), TokenProblem::wrong_authorized_party) << "not a string";
  c["azp"] = "instctl-client";
  EXPECT_FALSE(problem_of(rsa->sign(c)));
  c.erase("azp");
  EXPECT_FALSE(problem_of(rsa->sign(c))) << "azp may be absent with one audience";
}

TEST_F(JwtTest, NotBeforeIsHonoured) {
  Json c = good_claims();
  c["nbf"] = k_now + 10 * 365 * 86400;  // valid only in ten years
  EXPECT_EQ(problem_of(rsa->sign(c)), TokenProblem::not_yet_valid);
  c["nbf"] = k_now + 30;  // within the leeway
  EXPECT_FALSE(problem_of(rsa->sign(c)));
  c["nbf"] = k_now - 10;
  EXPECT_FALSE(problem_of(rsa->sign(c)));
  c["nbf"] = "yesterday";
  EXPECT_EQ(problem_of(rsa->sign(c)), TokenProblem::not_yet_valid) << "a malformed nbf";
  c["nbf"] = -5;
  EXPECT_EQ(problem_of(rsa->sign(c)), TokenProblem::not_yet_valid) << "out of range";
}

TEST_F(JwtTest, ExpiryAndIssueTimeAllowASmallLeeway) {
  Json c = good_claims();
  c["exp"] = k_now - 30;  // within the 60 s leeway
  EXPECT_FALSE(problem_of(ec->sign(c)));
  c["exp"] = k_now - 61;
  EXPECT_EQ(problem_of(ec->sign(c)), TokenProblem::expired);
  c["exp"] = "tomorrow";
  EXPECT_EQ(problem_of(ec->sign(c)), TokenProblem::expired);
  c = good_claims();
  c["iat"] = k_now + 30;
  EXPECT_FALSE(problem_of(ec->sign(c)));
  c["iat"] = k_now + 3600;
  EXPECT_EQ(problem_of(ec->sign(c)), TokenProblem::not_yet_valid);
  c.erase("iat");
  EXPECT_EQ(problem_of(ec->sign(c)), TokenProblem::not_yet_valid);
}

TEST_F(JwtTest, MalformedTokensAreRefused) {
  const std::vector<std::string> tokens = {"",
                                           "abc",
                                           "a.b",
                                           "a.b.c.d",
                                           "!!.e30.",
                                           "e30.bm90IGpzb24.",
                                           std::string(20000, 'a') + ".e30.e30"};
  for (const auto& t : tokens) {
    EXPECT_EQ(problem_of(t), TokenProblem::malformed) << t.substr(0, 40);
  }
}

TEST(Base64Url, DecodesWithoutPaddingAndRefusesOtherAlphabets) {
  EXPECT_EQ(util::base64url_decode("aGk"), "hi");
  EXPECT_EQ(util::base64url_decode("-_8"), std::string("\xfb\xff", 2));
  EXPECT_FALSE(util::base64url_decode("a+/="));
  EXPECT_FALSE(util::base64url_decode("a"));
}

TEST(Pkce, S256MatchesRfc7636AppendixB) {
  EXPECT_EQ(code_challenge_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(Pkce, VerifiersAreFreshAnd43Characters) {
  const auto a = new_code_verifier();
  const auto b = new_code_verifier();
  EXPECT_EQ(a.size(), 43u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
}

}  // namespace

}  // namespace instctl::auth
