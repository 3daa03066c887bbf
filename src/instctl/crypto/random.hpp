#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace instctl::crypto {

// Bytes from OpenSSL's CSPRNG; throws if it cannot deliver.
std::string random_bytes(std::size_t n);
// A URL-safe one-time token with `bytes` bytes of entropy.
std::string random_token(std::size_t bytes = 32);
// `length` characters drawn uniformly (rejection sampling) from `alphabet`.
std::string random_string(std::size_t length, std::string_view alphabet);
// A uniform fraction in [0, 1) (a retry's jitter).
double random_fraction();

}  // namespace instctl::crypto
