#pragma once

// The base64 codec (util/strings.cpp) is behind util/strings.hpp's base64_encode,
// base64url_encode and base64_decode; this is their fourth, for JWTs.

#include <optional>
#include <string>
#include <string_view>

namespace instctl::util {

// base64url without padding (RFC 7515 section 2); nullopt on any other character.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace instctl::util
