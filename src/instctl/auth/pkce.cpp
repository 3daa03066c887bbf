#include "instctl/auth/pkce.hpp"

#include "instctl/crypto/digest.hpp"
#include "instctl/crypto/random.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::auth {

std::string new_code_verifier() { return crypto::random_token(32); }

std::string code_challenge_s256(std::string_view verifier) {
  return util::base64url_encode(crypto::sha256(verifier));
}

}  // namespace instctl::auth
