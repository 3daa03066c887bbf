#pragma once

// libcrypto (OpenSSL 3) is opened at its first use (crypto/libcrypto.cpp): code calls OpenSSL's
// functions as declared in its headers, and a command that needs none never loads it.

#include <string>

namespace instctl::crypto {

// OpenSSL's version ("OpenSSL 3.0.x ..."), or "OpenSSL not available: " and why libcrypto
// could not be loaded. Loads libcrypto when it can.
std::string openssl_version();

}  // namespace instctl::crypto
