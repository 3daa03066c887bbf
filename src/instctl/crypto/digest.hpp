#pragma once

#include <string>
#include <string_view>

namespace instctl::crypto {

std::string sha256(std::string_view data);      // raw 32 bytes
std::string sha256_hex(std::string_view data);  // for storing token hashes
// Compares in time independent of where the inputs differ.
bool constant_time_equals(std::string_view a, std::string_view b);

}  // namespace instctl::crypto
