#pragma once

#include <string>

namespace instctl::crypto {

struct KeyPair {
  std::string public_pem;   // SubjectPublicKeyInfo, as ActivityPub publishes it
  std::string private_pem;  // PKCS#8
};

// RSA-2048. Takes tens of milliseconds: never call it in a loop over many accounts.
KeyPair generate_rsa_key_pair();

}  // namespace instctl::crypto
