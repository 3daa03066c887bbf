#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace instctl::util {

std::string to_lower(std::string_view s);  // ASCII only
std::string_view trim(std::string_view s);
bool starts_with_ci(std::string_view s, std::string_view prefix);
bool iequals(std::string_view a, std::string_view b);
std::vector<std::string> split(std::string_view s, char sep);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
// A count and its noun, for sentences: "1 new user", "2 new users", "0 new users". `plural`
// defaults to the singular with an "s" ("1 entry" needs `plural` "entries").
std::string counted(long long n, std::string_view singular, std::string_view plural = {});
// Words as a sentence lists them: "a", "a and b", "a, b and c".
std::string and_list(const std::vector<std::string>& words);
// The length (1 to 4) of the well-formed UTF-8 sequence that starts at s[i], or 0 when none
// does there (a stray continuation byte, an overlong form, a surrogate, past U+10FFFF, cut).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);
// True when s is well-formed UTF-8.
bool is_valid_utf8(std::string_view s);
// Number of code points (for column widths in tables).
std::size_t utf8_width(std::string_view s);
// At most `max` code points of valid UTF-8 text, with "…" in place of what was cut.
std::string utf8_shorten(std::string_view s, std::size_t max);
std::string base64_encode(std::string_view bytes);
std::string base64url_encode(std::string_view bytes);  // no padding
std::string hex_encode(std::string_view bytes);
// Standard base64 (padding optional, no whitespace); nullopt when the text is not base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace instctl::util
