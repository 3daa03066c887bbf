#pragma once

// Proof Key for Code Exchange (RFC 7636) and the other random values of a sign-in.

#include <string>
#include <string_view>

namespace instctl::auth {

// A code verifier: 32 bytes from the CSPRNG, base64url (43 characters).
std::string new_code_verifier();
// The S256 challenge: base64url(SHA-256(verifier)), no padding.
std::string code_challenge_s256(std::string_view verifier);

}  // namespace instctl::auth
