#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace instctl::util {

// A row id as text (`id:N` arguments, a form's hidden id): decimal digits only, greater than
// 0, within int64; nullopt otherwise.
std::optional<std::int64_t> parse_id(std::string_view text);

}  // namespace instctl::util
