#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace instctl::crypto {

// scrypt (memory-hard; N=2^15, r=8, p=1: 32 MiB per hash), stored as
// $scrypt$ln=15,r=8,p=1$<salt base64>$<hash base64>.
std::string hash_password(std::string_view password);
bool verify_password(std::string_view password, std::string_view stored);
// A hash with the current parameters that no password is known to match (its digest is all
// zeros): a sign-in for an account that does not exist (or has no password yet) verifies against
// it, so it takes as long as a wrong password for one that does.
const std::string& dummy_password_hash();
// Why a password is unacceptable (the rule it breaks), or nothing when it is fine.
std::optional<std::string> password_problem(std::string_view password);
// Throws Error(usage) on the field "password" with that problem.
void check_password_strength(std::string_view password);

}  // namespace instctl::crypto
