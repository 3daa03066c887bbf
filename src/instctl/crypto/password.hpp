#pragma once

#include <string>
#include <string_view>

namespace instctl::crypto {

// scrypt (memory-hard; N=2^15, r=8, p=1: 32 MiB per hash), stored as
// $scrypt$ln=15,r=8,p=1$<salt base64>$<hash base64>.
std::string hash_password(std::string_view password);
bool verify_password(std::string_view password, std::string_view stored);
// Throws Error(usage) explaining the rule when a password is unacceptable.
void check_password_strength(std::string_view password);

}  // namespace instctl::crypto
