#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace instctl::util {

// %XX and '+' (as a space, in query strings) decoded; nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);
// Every byte but the RFC 3986 unreserved ones escaped.
std::string percent_encode(std::string_view s);
// The decoded value of `name` in a query string (a=1&b=2), nullopt when absent or malformed.
std::optional<std::string> query_value(std::string_view query, std::string_view name);

}  // namespace instctl::util
