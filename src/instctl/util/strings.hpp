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
// Edit distance (insertions, deletions, substitutions, and swaps of neighbouring characters),
// ASCII case-insensitive.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate nearest to `word` by edit distance when it is near enough to be a slip (at most
// a third of the longer word, and at least 1 and at most 3 edits), else "". The one rule behind
// every "did you mean ...?" (settings, commands, options, option values). Ties go to the
// earlier candidate; an exact match is returned as it is.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);
// "; did you mean X?" when a candidate is near `word`, else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);
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
