#pragma once

#include <optional>
#include <string>

#include "instctl/core/clock.hpp"

namespace instctl::invites {

// The expiry from --expires-in DUR or --expires-at TIME (at most one); Error(usage) when the
// text is not a duration or time, or names a time that has passed.
std::optional<UnixTime> parse_expiry(const std::optional<std::string>& in,
                                     const std::optional<std::string>& at, UnixTime now);

}  // namespace instctl::invites
