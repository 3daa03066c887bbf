#pragma once

#include <string>
#include <string_view>

namespace instctl::crypto {

std::string sha256(std::string_view data);      // raw 32 bytes
std::string sha512(std::string_view data);      // raw 64 bytes
std::string sha256_hex(std::string_view data);  // for storing token hashes
// HMAC-SHA-256 of `data` under `key`: raw 32 bytes.
std::string hmac_sha256(std::string_view key, std::string_view data);
// Compares in time independent of where the inputs differ.
bool constant_time_equals(std::string_view a, std::string_view b);

}  // namespace instctl::crypto
