#pragma once

// JSON from elsewhere: another server's documents and activities.

#include <optional>
#include <string_view>

#include "instctl/core/json.hpp"

namespace instctl {

// How many arrays and objects JSON from another server may nest. The parser itself is
// iterative, but code that walks the tree (dump, copies, comparisons) recurses: a 256 KiB
// body of '[' would otherwise nest 262,144 levels deep.
inline constexpr int k_max_json_depth = 64;

// None when the text is not JSON or nests deeper than k_max_json_depth.
std::optional<Json> parse_untrusted_json(std::string_view text);
// The same, and only a JSON object.
std::optional<Json> parse_untrusted_object(std::string_view text);

}  // namespace instctl
