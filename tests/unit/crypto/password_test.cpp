#include "instctl/crypto/password.hpp"

#include <gtest/gtest.h>

#include "instctl/core/error.hpp"
#include "instctl/crypto/keys.hpp"
#include "instctl/crypto/random.hpp"

namespace instctl::crypto {

TEST(Password, HashesWithScryptAndVerifies) {
  const auto h = hash_password("correct horse battery");
  EXPECT_EQ(h.rfind("$scrypt$ln=15,r=8,p=1$", 0), 0u);
  EXPECT_TRUE(verify_password("correct horse battery", h));
  EXPECT_FALSE(verify_password("correct horse batterY", h));
  EXPECT_NE(h, hash_password("correct horse battery"));  // salted
}

TEST(Password, RejectsMalformedHashes) {
  EXPECT_FALSE(verify_password("x", ""));
  EXPECT_FALSE(verify_password("x", "$scrypt$ln=99,r=8,p=1$AAAA$AAAA"));
  EXPECT_FALSE(verify_password("x", "$bcrypt$whatever"));
}

TEST(Password, StrengthRules) {
  EXPECT_THROW(check_password_strength("short"), Error);
  EXPECT_NO_THROW(check_password_strength("long enough"));
}

TEST(Password, TheDummyHashMatchesNoPasswordAndHasTheCurrentParameters) {
  const std::string& dummy = dummy_password_hash();
  EXPECT_EQ(dummy.rfind("$scrypt$ln=15,r=8,p=1$", 0), 0u) << dummy;
  EXPECT_EQ(&dummy, &dummy_password_hash()) << "made once";
  for (const char* guess : {"", "password", "AAAAAAAAAAAAAAAA"}) {
    EXPECT_FALSE(verify_password(guess, dummy)) << guess;
  }
  const auto real = hash_password("correct horse");
  EXPECT_EQ(real.substr(0, real.find('$', 8)), dummy.substr(0, dummy.find('$', 8)))
      << "the same cost as a real hash";
}

TEST(Random, TokensAndCodes) {
  EXPECT_EQ(random_token(32).size(), 43u);
  EXPECT_NE(random_token(), random_token());
  const auto code = random_string(12, "ABC");
  EXPECT_EQ(code.size(), 12u);
  EXPECT_EQ(code.find_first_not_of("ABC"), std::string::npos);
}

TEST(Keys, GeneratesRsaPem) {
  const auto kp = generate_rsa_key_pair();
  EXPECT_EQ(kp.public_pem.rfind("-----BEGIN PUBLIC KEY-----", 0), 0u);
  EXPECT_EQ(kp.private_pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
}

}  // namespace instctl::crypto
