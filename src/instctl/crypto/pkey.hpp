#pragma once

// The public-key signatures HTTP signatures use: RSASSA-PKCS1-v1_5 with SHA-256 (draft-cavage's
// rsa-sha256 and RFC 9421's rsa-v1_5-sha256) and Ed25519 (RFC 9421's ed25519). Public keys are
// PEM (SubjectPublicKeyInfo, or PKCS#1 for RSA); decoded keys are kept per thread by their
// text, so a key seen again costs no decoding.

#include <string>
#include <string_view>

namespace instctl::crypto {

enum class KeyType { unknown, rsa, ed25519 };
// The type of a public key; unknown when the PEM cannot be read or holds another kind of key.
KeyType public_key_type(std::string_view public_pem);

// sign throws Error(internal) when the key cannot be read or is of the other type; verify
// returns false for an unreadable key, a key of the other type, or a bad signature.
std::string rsa_sha256_sign(std::string_view private_pem, std::string_view data);
bool rsa_sha256_verify(std::string_view public_pem, std::string_view data,
                       std::string_view signature);
std::string ed25519_sign(std::string_view private_pem, std::string_view data);
bool ed25519_verify(std::string_view public_pem, std::string_view data, std::string_view signature);

}  // namespace instctl::crypto
