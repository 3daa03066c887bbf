#pragma once

#include <optional>
#include <string>

#include "instctl/core/clock.hpp"

namespace instctl {

// The expiry from --expires-in DUR or --expires-at TIME (at most one), of an invite or of the
// invitations the waitlist sends; Error(usage) when the text is not a duration or time, or
// names a time that has passed.
std::optional<UnixTime> parse_expiry(const std::optional<std::string>& in,
                                     const std::optional<std::string>& at, UnixTime now);

}  // namespace instctl
